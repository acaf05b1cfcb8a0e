package analyzer_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// everyName flags every name of a file, on whatever line it sits: inside
// brackets spanning lines, after a backslash, next to a string.
var everyName = &analyzer.Analyzer{
	Code: "TD991", Name: "every-name", Summary: "test rule", Severity: analyzer.SeverityWarning,
	Run: func(pass *analyzer.Pass) error {
		pyparse.InspectBody(pass.File.AST.Body, func(n pyparse.Node) bool {
			if name, ok := n.(*pyparse.Name); ok {
				pass.Reportf(name.Pos(), name.End(), "name %s", name.ID)
			}
			return true
		})
		return nil
	},
}

// FuzzAddNoqa: whatever the file, --add-noqa only inserts comments: each
// line of the result is the old line, or the old line with one noqa
// inserted; every other byte, newline and encoding stays; and what it
// adds suppresses what it says it does.
func FuzzAddNoqa(f *testing.F) {
	for _, seed := range []string{
		"x = y\n",
		"x = y  # noqa: E501\r\ny = z   \r\n",
		"f(a,\n  b)  # tdlint: ignore[E1]\n",
		"s = '''a\nb''' + c\nd = \\\n  e\n",
		"# -*- coding: latin-1 -*-\nx = '\xe9'  # \xe0\n",
		"\xef\xbb\xbfx = 1\ry = 2\r",
		"x = f'{a}\n{b}'\n",
		"def f(a):\n\treturn a # noqa\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		inputs := []analyzer.Input{{Name: "f.py", DiskPath: "f.py", Src: src, Disk: src}}
		opts := analyzer.Options{Version: pyparse.Py311}
		res := analyzer.Run(inputs, []*analyzer.Analyzer{everyName}, opts)
		files, _, added := analyzer.AddNoqa(inputs, res, opts)
		if len(files) == 0 {
			if added != 0 {
				t.Fatalf("added %d without a file", added)
			}
			return
		}
		got := files[0].New
		oldLines, newLines := splitLines(src), splitLines(got)
		if len(oldLines) != len(newLines) {
			t.Fatalf("line count %d -> %d:\n%q\n%q", len(oldLines), len(newLines), src, got)
		}
		for i := range oldLines {
			o, n := oldLines[i], newLines[i]
			if bytes.Equal(o, n) {
				continue
			}
			if !insertedNoqa(o, n) {
				t.Fatalf("line %d changed beyond a noqa:\n%q\n%q", i+1, o, n)
			}
		}
		again := analyzer.Run([]analyzer.Input{{Name: "f.py", DiskPath: "f.py", Src: got, Disk: got}}, []*analyzer.Analyzer{everyName}, opts)
		left := 0
		for _, d := range again.Diagnostics {
			if d.Analyzer == everyName {
				left++
			}
		}
		before := 0
		for _, d := range res.Diagnostics {
			if d.Analyzer == everyName {
				before++
			}
		}
		if before-left != added {
			t.Fatalf("said %d suppressed, %d were (%d -> %d):\n%q", added, before-left, before, left, got)
		}
	})
}

// splitLines splits after each \n, \r\n or lone \r, keeping them.
func splitLines(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := range b {
		switch {
		case b[i] == '\n', b[i] == '\r' && (i+1 == len(b) || b[i+1] != '\n'):
			out = append(out, b[start:i+1])
			start = i + 1
		}
	}
	return append(out, b[start:])
}

// insertedNoqa reports whether n is o with "  # noqa: CODES" or ", CODES"
// inserted at one place.
func insertedNoqa(o, n []byte) bool {
	if len(n) <= len(o) {
		return false
	}
	i := 0
	for i < len(o) && o[i] == n[i] {
		i++
	}
	extra := len(n) - len(o)
	if !bytes.Equal(o[i:], n[i+extra:]) {
		return false
	}
	ins := string(n[i : i+extra])
	return strings.HasPrefix(ins, "  # noqa: TD991") || strings.HasPrefix(ins, ", TD991") ||
		// the common prefix may have eaten the start of the insertion
		strings.Contains(ins, "TD991")
}
