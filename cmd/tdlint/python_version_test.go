package main

import (
	"strings"
	"testing"
)

// TouchDesigner 2022 ships Python 3.9: --python 3.9 reports a match
// statement as CPython 3.9 does; 3.10 takes it.
func TestCheckPython39(t *testing.T) {
	t.Parallel()
	src := "match command:\n    case 'go':\n        pass\n"
	out, _, code := runCLI(t, src, "check", "--python", "3.9", "--output-format", "concise", "--stdin-filename", "cb.py", "-")
	if code != exitFindings || !strings.Contains(out, "cb.py:1:7: TD001 error: SyntaxError: invalid syntax") {
		t.Errorf("3.9: exit %d, output %q", code, out)
	}
	out, _, code = runCLI(t, src, "check", "--python", "3.10", "--output-format", "concise", "--stdin-filename", "cb.py", "-")
	if code != exitClean || out != "All checks passed!\n" {
		t.Errorf("3.10: exit %d, output %q", code, out)
	}
}
