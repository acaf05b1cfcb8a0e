package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A project kept only as binary .toe/.tox says, in every format, that its
// Python cannot be read, and exits 0: nothing in the user's code is wrong.
func TestCheckExplainsBinaries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// "10", payload length 3, a second word, the payload.
	toe := []byte{'1', '0', 0, 0, 0, 3, 0, 0x1e, 0x8a, 0x30, 'a', 'b', 'c'}
	if err := os.WriteFile(filepath.Join(dir, "show.toe"), toe, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format      string
		stdout      string // what the report holds ("" : nothing)
		stderrHasIt bool
	}{
		{format: "full", stdout: "show.toe: note: binary TouchDesigner project (.toe)"},
		{format: "concise", stdout: "show.toe: note: binary TouchDesigner project (.toe)"},
		{format: "github", stdout: "::notice title=tdlint,file="},
		{format: "junit", stdout: `<skipped message="binary TouchDesigner project (.toe)`},
		{format: "sarif", stdout: `"toolExecutionNotifications"`},
		{format: "json", stdout: "[]", stderrHasIt: true},
		{format: "json-lines", stderrHasIt: true},
	} {
		out, errs, code := runCLI(t, "", "check", dir, "--output-format", c.format)
		if code != exitClean {
			t.Errorf("%s: exit %d, want 0; stderr: %s", c.format, code, errs)
		}
		if c.stdout != "" && !strings.Contains(out, c.stdout) {
			t.Errorf("%s: stdout lacks %q:\n%s", c.format, c.stdout, out)
		}
		if c.stdout == "" && out != "" {
			t.Errorf("%s: stdout %q, want nothing", c.format, out)
		}
		if got := strings.Contains(errs, "show.toe: note: binary"); got != c.stderrHasIt {
			t.Errorf("%s: note on stderr = %v, want %v: %s", c.format, got, c.stderrHasIt, errs)
		}
		if strings.Contains(errs, "no Python files") {
			t.Errorf("%s: stderr still says %q", c.format, errs)
		}
		if c.format == "sarif" {
			var doc struct {
				Runs []struct {
					Invocations []struct {
						Notifications []struct {
							Level   string
							Message struct{ Text string }
						} `json:"toolExecutionNotifications"`
					}
					Results []any
				}
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if n := doc.Runs[0].Invocations[0].Notifications; len(n) != 1 || n[0].Level != "note" || !strings.Contains(n[0].Message.Text, "toeexpand") {
				t.Errorf("sarif notifications %+v", n)
			}
			if len(doc.Runs[0].Results) != 0 {
				t.Errorf("sarif results %v, want none", doc.Runs[0].Results)
			}
		}
	}
	// Beside Python, the note follows the findings.
	if err := os.WriteFile(filepath.Join(dir, "bad.py"), []byte("if x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "", "check", dir, "--output-format", "concise")
	if code != exitFindings || !strings.Contains(out, "TD001") || strings.Index(out, "TD001") > strings.Index(out, "note: binary") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
