package main

import (
	"fmt"
	"io"
	"os"

	"github.com/tdlint/tdlint/analyzer"
)

// colorMode is --color: whether the human formats are coloured.
type colorMode string

func parseColorMode(s string) (colorMode, error) {
	switch s {
	case "auto", "always", "never":
		return colorMode(s), nil
	}
	return "", fmt.Errorf("--color must be auto, always or never, not %q", s)
}

// style is how to write the report to w. auto colours a terminal unless
// NO_COLOR is set (no-color.org) or TERM is dumb; FORCE_COLOR colours a
// pipe too (NO_COLOR wins). always and never are what they say.
func (m colorMode) style(w io.Writer, getenv func(string) string) analyzer.TextStyle {
	switch m {
	case "always":
		return analyzer.TextStyle{Color: true}
	case "never":
		return analyzer.TextStyle{}
	}
	if getenv("NO_COLOR") != "" {
		return analyzer.TextStyle{}
	}
	if getenv("FORCE_COLOR") != "" {
		return analyzer.TextStyle{Color: true}
	}
	return analyzer.TextStyle{Color: isTerminal(w) && getenv("TERM") != "dumb"}
}

// isTerminal reports whether w is a character device: a terminal (the
// standard library has no isatty, and /dev/null taking colour is harmless).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
