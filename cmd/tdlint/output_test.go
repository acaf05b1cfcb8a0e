package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

const blockingSrc = "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"

// The human formats carry the severity, full the rule's link, both a
// summary line, and a clean run says so on stdout, as Ruff does.
func TestHumanFormats(t *testing.T) {
	t.Parallel()
	out, _, _ := runCLI(t, blockingSrc, "check", "-", "--stdin-filename", "cb.py", "--output-format", "concise")
	if out != "cb.py:5:5: TD201 error: `time.sleep` blocks TouchDesigner's main thread and freezes every frame while it waits; run it in a TDTask\nFound 1 finding.\n" {
		t.Errorf("concise: %q", out)
	}
	out, _, _ = runCLI(t, blockingSrc, "check", "-", "--stdin-filename", "cb.py")
	for _, want := range []string{
		"cb.py:5:5: TD201 [blocking-call-on-main-thread] error: `time.sleep` blocks",
		"5 |     time.sleep(1)\n  |     ^^^^^^^^^^^^^\n",
		"  docs: https://github.com/tdlint/tdlint/blob/main/docs/rules.md#TD201\n",
		"\nFound 1 finding.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("full output lacks %q:\n%s", want, out)
		}
	}
	for _, format := range []string{"full", "concise"} {
		out, errs, code := runCLI(t, "x = 1\n", "check", "-", "--output-format", format)
		if code != exitClean || out != "All checks passed!\n" || errs != "" {
			t.Errorf("%s, clean: exit %d, stdout %q, stderr %q", format, code, out, errs)
		}
	}
	if out, _, _ := runCLI(t, "x = 1\n", "check", "-", "--output-format", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("json, clean: %q", out)
	}
}

func TestColor(t *testing.T) {
	t.Parallel()
	plain, _, _ := runCLI(t, blockingSrc, "check", "-", "--color", "never")
	colored, _, _ := runCLI(t, blockingSrc, "check", "-", "--color", "always")
	if strings.Contains(plain, "\x1b") || !strings.Contains(colored, "\x1b[1;31mTD201\x1b[0m") {
		t.Errorf("never:\n%q\nalways:\n%q", plain, colored)
	}
	// A buffer is no terminal: auto is plain.
	if auto, _, _ := runCLI(t, blockingSrc, "check", "-"); auto != plain {
		t.Errorf("auto into a buffer is coloured: %q", auto)
	}
	if json, _, _ := runCLI(t, blockingSrc, "check", "-", "--color", "always", "--output-format", "json"); strings.Contains(json, "\x1b") {
		t.Error("--color always coloured the JSON")
	}
	if _, errs, code := runCLI(t, blockingSrc, "check", "-", "--color", "sometimes"); code != exitError || !strings.Contains(errs, "--color") {
		t.Errorf("--color sometimes: exit %d, %q", code, errs)
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	// /dev/null stands for the terminal: a character device too, and
	// present where tests run without a controlling terminal.
	tty, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no character device to write to:", err)
	}
	defer func() { _ = tty.Close() }()
	var buf bytes.Buffer
	cases := []struct {
		mode  colorMode
		tty   bool
		env   func(string) string
		color bool
	}{
		{"auto", true, env(), true},
		{"auto", true, env("NO_COLOR", "1"), false},
		{"auto", true, env("TERM", "dumb"), false},
		{"auto", false, env(), false},
		{"auto", false, env("FORCE_COLOR", "1"), true},
		{"auto", false, env("FORCE_COLOR", "1", "NO_COLOR", "1"), false},
		{"always", false, env("NO_COLOR", "1"), true},
		{"never", true, env("FORCE_COLOR", "1"), false},
	}
	for _, c := range cases {
		var w any = &buf
		if c.tty {
			w = tty
		}
		if got := c.mode.style(w.(interface{ Write([]byte) (int, error) }), c.env).Color; got != c.color {
			t.Errorf("%s, terminal %v, NO_COLOR=%q FORCE_COLOR=%q TERM=%q: colour %v", c.mode, c.tty, c.env("NO_COLOR"), c.env("FORCE_COLOR"), c.env("TERM"), got)
		}
	}
}

// A hostile file cannot drive the terminal: control bytes, bidirectional
// overrides and invalid UTF-8 on a flagged line, in a message or in a file
// name are shown escaped, and the caret still sits under the call.
func TestNoControlBytesReachTheTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := dir + string(filepath.Separator) + "evil\x1b[2Jname.py"
	src := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    x = '\x1b]0;pwned\x07\u202e'; time.sleep(1)  # \u009b\n"
	if err := os.WriteFile(name, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := dir + string(filepath.Separator) + "gone\x1b]0;x\x07.py"
	if _, errs, _ := runCLI(t, "", "check", missing); strings.ContainsAny(errs, "\x1b\x07") || !strings.Contains(errs, `gone\x1b]0;x\x07.py`) {
		t.Errorf("an unreadable path's error: %q", errs)
	}
	for _, format := range []string{"full", "concise"} {
		for _, color := range []string{"never", "always"} {
			out, errs, code := runCLI(t, "", "check", name, "--output-format", format, "--color", color)
			if code != exitFindings {
				t.Fatalf("exit %d: %s", code, errs)
			}
			raw := out
			if color == "always" {
				for _, sgr := range []string{"\x1b[0m", "\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1;34m", "\x1b[1;32m", "\x1b[2m"} {
					raw = strings.ReplaceAll(raw, sgr, "")
				}
			}
			if strings.ContainsAny(raw, "\x1b\x07\u202e\u009b") {
				t.Errorf("%s/%s: raw control bytes in the output: %q", format, color, out)
			}
			if !strings.Contains(raw, `evil\x1b[2Jname.py`) {
				t.Errorf("%s/%s: file name not shown escaped: %q", format, color, out)
			}
			if format == "full" {
				line := "    x = '\\x1b]0;pwned\\x07\\u202e'; time.sleep(1)  # \\u009b\n"
				caret := strings.Repeat(" ", strings.Index(line, "time.sleep")) + "^^^^^^^^^^^^^\n"
				if !strings.Contains(raw, "5 | "+line) || !strings.Contains(raw, "  | "+caret) {
					t.Errorf("full/%s: snippet or caret wrong:\n%s", color, raw)
				}
			}
		}
	}
}

func TestTerminalEscapes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain\ttab é":           "plain\ttab é",
		"\x1b[2J\r\n\x7f":        `\x1b[2J\x0d\x0a\x7f`,
		"caf\xe9 \xff":           `caf\xe9 \xff`,
		"\u202eevil\u2066\u0085": `\u202eevil\u2066\u0085`,
	} {
		if got := analyzer.Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
}
