package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/runtime"
)

// TestFindEntries: a project's entry points are found statically: TD
// callbacks (on + capital), frame callbacks, extension classes (by
// ownerComp or an Ext name) with their public methods.
func TestFindEntries(t *testing.T) {
	src, err := os.ReadFile("../../testdata/cpython/project/StatusExt.py")
	if err != nil {
		t.Fatal(err)
	}
	got := findEntries(parse("StatusExt.py", string(src)), nil)
	if len(got) != 1 || got[0].Kind != runtime.EntryExtension || got[0].Name != "StatusExt" || got[0].Line != 8 || !slices.Equal(got[0].Methods, []string{"Refresh", "Reset"}) {
		t.Errorf("entries %+v, want the StatusExt extension at line 8 with Refresh and Reset", got)
	}
	cb := "def onFrameStart(frame):\n    threading.Thread(target=listen).start()\ndef onValueChange(par, prev):\n    helper()\ndef online():\n    pass\ndef helper():\n    pass\ndef listen():\n    pass\ndef _private():\n    pass\nclass Helper:\n    def __init__(self, x):\n        pass\n"
	calls := newCallGraph()
	calls.add("cb.py", parse("cb.py", cb))
	// another file's own helper() and online() calls are not calls of cb.py's
	calls.add("other.py", parse("other.py", "def online():\n    pass\nonline()\n"))
	got = findEntries(parse("cb.py", cb), calls)
	var names []string
	for _, e := range got {
		names = append(names, string(e.Kind)+":"+e.Name)
	}
	// online: nothing calls it, so TD does (a button, another DAT);
	// helper is called by onValueChange, listen is a thread's target;
	// _private and Helper are not TD's.
	if want := []string{"frame:onFrameStart", "callback:onValueChange", "callback:online"}; !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}

// needCPython skips a test that runs the CPython engine where no CPython
// 3.11 is installed (and fails it under .ci/run, which installs one).
func needCPython(t *testing.T) {
	t.Helper()
	if _, err := runtime.CPythonAvailable(); err != nil {
		if os.Getenv("TDLINT_REQUIRE_CPYTHON") == "1" {
			t.Fatalf("CPython 3.11 is required here: %v", err)
		}
		t.Skipf("needs CPython 3.11: %v", err)
	}
}

// TestCheckConfirm: check --confirm runs the linted code and marks each
// finding by what happened, in every format; a problem observed but not
// flagged is listed as a note.
func TestCheckConfirm(t *testing.T) {
	needCPython(t)
	dir := t.TempDir()
	// confirmed: the TDTask target touches TD; not-reached: a worker
	// line behind a branch no run takes; not-run: TD401's lock order,
	// which no event shows.
	src := `import threading
import time

tm = op.TDResources.ThreadManager
enabled = False


def work():
    op('out').text = 'done'


def never():
    if enabled:
        op('other').text = 'x'


def onFrameStart(frame):
    if frame == 1:
        tm.EnqueueTask(tm.TDTask(target=work))
        threading.Thread(target=never).start()
    if frame == 2:
        time.sleep(0.1)
`
	file := filepath.Join(dir, "callbacks.py")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "", "check", "--confirm", "--confirm-seeds", "2", "--exit-zero", "--output-format", "json", file)
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ds []struct {
		Code      string            `json:"code"`
		Location  struct{ Row int } `json:"location"`
		Execution string            `json:"execution"`
	}
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatal(err, out)
	}
	got := map[string]string{}
	for _, d := range ds {
		got[fmt.Sprintf("%s:%d", d.Code, d.Location.Row)] = d.Execution
	}
	want := map[string]string{"TD101:9": "confirmed", "TD101:14": "not-reached", "TD201:22": "confirmed"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: execution %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	concise, _, _ := runCLI(t, "", "check", "--confirm", "--confirm-seeds", "1", "--exit-zero", "--output-format", "concise", file)
	if !strings.Contains(concise, "[confirmed]") || !strings.Contains(concise, "[not-reached]") {
		t.Errorf("concise output lacks the tags:\n%s", concise)
	}
	sarif, _, _ := runCLI(t, "", "check", "--confirm", "--confirm-seeds", "1", "--exit-zero", "--output-format", "sarif", file)
	if !strings.Contains(sarif, `"execution": "confirmed"`) {
		t.Errorf("SARIF results lack the execution property:\n%s", sarif)
	}
	// Without --confirm nothing is said about execution.
	plain, _, _ := runCLI(t, "", "check", "--exit-zero", "--output-format", "json", file)
	if strings.Contains(plain, "execution") {
		t.Errorf("execution reported without --confirm:\n%s", plain)
	}
}

// TestCheckConfirmListsDynamicOnly: what the runtime saw that no finding
// flags is a note, not a silent pass.
func TestCheckConfirmListsDynamicOnly(t *testing.T) {
	needCPython(t)
	dir := t.TempDir()
	// Only TD2xx is selected, so nothing flags the worker's conflict.
	src := "import threading\n\ndef work():\n    f = getattr(op('x'), 'te' + 'xt')\n\ndef onFrameStart(frame):\n    if frame == 1:\n        threading.Thread(target=work).start()\n"
	file := filepath.Join(dir, "dyn.py")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, _ := runCLI(t, "", "check", "--confirm", "--confirm-seeds", "1", "--exit-zero", "--output-format", "concise", "--select", "TD2", file)
	if !strings.Contains(out, "observed when run, not flagged (dynamic only, TD101)") {
		t.Errorf("the unflagged conflict is not listed:\n%s", out)
	}
}

// TestCheckConfirmWithoutCPython: asked to confirm with no interpreter,
// check says why, marks every finding not-run and exits 2.
func TestCheckConfirmWithoutCPython(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cb.py")
	if err := os.WriteFile(file, []byte("import time\ndef onFrameStart(frame):\n    time.sleep(1)\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "", "check", "--confirm", "--python-exe", filepath.Join(t.TempDir(), "no-python"), "--output-format", "concise", file)
	if code != exitError || !strings.Contains(stderr, "could not be simulated") || !strings.Contains(out, "[not-run]") {
		t.Errorf("exit %d, stderr %q, out %q; want 2, the reason, and the finding not-run", code, stderr, out)
	}
}

// TestConfirmTheIssuesDAT: issue 14's acceptance case end to end: the 3.11
// callbacks DAT's worker conflict is found by TD101 and confirmed by
// running it.
func TestConfirmTheIssuesDAT(t *testing.T) {
	needCPython(t)
	out, stderr, code := runCLI(t, "", "check", "--confirm", "--exit-zero", "--output-format", "concise", "../../testdata/cpython/fetch_callbacks.py")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "fetch_callbacks.py:33:9: TD101") || !strings.Contains(out, "[confirmed]") || strings.Contains(out, "not-") {
		t.Errorf("want the TD101 at 33:9 confirmed and nothing else:\n%s", out)
	}
}

func parse(name, src string) *pyparse.File {
	return pyparse.ParseFile(name, []byte(src), pyparse.Config{})
}
