package analyzer_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// findings renders the diagnostics of one file, with their chains.
func findings(res *analyzer.Result, path string) string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Range.File == nil || d.Range.File.DiskPath != path {
			continue
		}
		var line strings.Builder
		fmt.Fprintf(&line, "%d %s %s", analyzer.Location(d.Range.File, d.Range.Start).Line, d.Analyzer.Code, d.Message)
		for _, r := range d.Related {
			line.WriteString(" | " + r.Message)
		}
		out = append(out, line.String())
	}
	return strings.Join(out, "\n")
}

// A workspace lints a file against the files that can bear on it only;
// that must never change a finding: for every file of every project
// here, the workspace's findings are those of a check of the whole
// project.
func TestWorkspaceLintAgreesWithAWholeCheck(t *testing.T) {
	t.Parallel()
	projects := []string{
		filepath.Join("..", "testdata", "example"),
		filepath.Join("..", "testdata", "scenarios"),
		filepath.Join("..", "testdata", "toe"),
	}
	ruleDirs, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*"))
	projects = append(projects, ruleDirs...)
	// The rules' cross-module cases, unpacked.
	archives, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*", "*.txtar"))
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, f := range ar.Files {
			p := filepath.Join(dir, f.Name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		projects = append(projects, dir)
	}
	checked := 0
	for _, dir := range projects {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		inputs, errs := analyzer.Load([]string{abs}, nil, "")
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		whole := analyzer.Run(inputs, rules.All(), analyzer.Options{})
		ws, errs := analyzer.NewWorkspace(abs, rules.All())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for i := range inputs {
			path := inputs[i].DiskPath
			want := findings(whole, path)
			got := findings(ws.Lint([]string{path}), path)
			if got != want {
				t.Errorf("%s: the workspace found\n%s\nthe whole check\n%s", path, got, want)
			}
			checked++
		}
	}
	if checked < 35 {
		t.Errorf("only %d files compared", checked)
	}
}

// relevance must reach across files both ways: a module's finding comes
// from a worker started in a file that imports it, through a third.
func TestWorkspaceFollowsChainsThroughClosedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"tasks.py":     "import middle\n\ntm = op.TDResources.ThreadManager\n\n\ndef start():\n    tm.EnqueueTask(tm.TDTask(target=middle.work))\n",
		"middle.py":    "import leaf\n\n\ndef work():\n    return leaf.touch()\n",
		"leaf.py":      "def touch():\n    return op('x').par.Rate.eval()\n",
		"unrelated.py": "def other():\n    return 1\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws, _ := analyzer.NewWorkspace(dir, rules.All())
	leaf := filepath.Join(ws.Root(), "leaf.py")
	res := ws.Lint([]string{leaf})
	if got := findings(res, leaf); !strings.HasPrefix(got, "2 TD101") || !strings.Contains(got, "worker thread starts here") {
		t.Errorf("leaf.py: %q", got)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	if strings.Join(names, " ") != "leaf.py middle.py tasks.py" {
		t.Errorf("the lint read %v; unrelated.py cannot matter", names)
	}
}

// TestWorkspaceEditsAgreeWithAFreshLint types into a TD module with
// findings all through it, line by line as an editor sends it, and after
// every edit compares the workspace's findings, positions included (an
// incremental reparse moves what follows the edit), with those of a new
// workspace reading the same text from scratch.
func TestWorkspaceEditsAgreeWithAFreshLint(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	path := filepath.Join(root, "callbacks.py")
	var b strings.Builder
	b.WriteString("import time\n\nstatus = op('status')\n\n")
	for i := range 40 {
		fmt.Fprintf(&b, "def onPulse%d(par):\n    status.text = 'row %d'\n    time.sleep(0.1)\n\n\n", i, i)
		fmt.Fprintf(&b, "time.sleep(0.%d)\n\n", i)
	}
	lines := strings.SplitAfter(b.String(), "\n")
	ws, errs := analyzer.NewWorkspace(root, rules.All())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	inserts := []string{"    time.sleep(1)\n", "\n", "# note\n", "def helper():\n    return op('x')\n", "    x = (\n", "print('hi')\n", "x = 1; time.sleep(2)\n"}
	rng := rand.New(rand.NewPCG(3, 4))
	for step := range 80 {
		i := rng.IntN(len(lines) + 1)
		switch rng.IntN(3) {
		case 0:
			lines = slices.Insert(lines, i, inserts[rng.IntN(len(inserts))])
		case 1:
			if i < len(lines) {
				lines = slices.Delete(lines, i, i+1)
			}
		default:
			if i < len(lines) {
				lines[i] = strings.Replace(lines[i], " ", "  ", 1)
			}
		}
		text := []byte(strings.Join(lines, ""))
		ws.Open(path, text)
		got := spans(ws.Lint([]string{path}))
		fresh, errs := analyzer.NewWorkspace(root, rules.All())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		fresh.Open(path, text)
		if want := spans(fresh.Lint([]string{path})); got != want {
			t.Fatalf("step %d: after the edits the workspace found\n%s\na fresh one\n%s", step, got, want)
		}
		if step == 0 && strings.Count(got, "TD201") < 40 {
			t.Fatalf("too few findings to follow:\n%s", got)
		}
	}
}

// spans renders findings with their exact ranges.
func spans(res *analyzer.Result) string {
	var out strings.Builder
	for _, d := range res.Diagnostics {
		fmt.Fprintf(&out, "%s %d-%d %s\n", d.Analyzer.Code, d.Range.Start, d.Range.End, d.Message)
	}
	return out.String()
}

// The workspace holds a .tdn's DATs and expressions, and a .parm's
// expressions, as the units of one file: indexed from disk, replaced
// whole by the editor's text (a DAT removed there is gone), and back to
// the disk's on close. A .py that calls into a .tdn DAT's module sees it.
func TestWorkspaceHoldsTDNAndParmFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tdn := filepath.Join(dir, "net.tdn")
	two := "format: tdn\nnetwork_path: /p\noperators:\n- name: a\n  type: textDAT\n  dat_content: |\n    import time\n    def wait():\n        time.sleep(1)\n- name: b\n  type: textDAT\n  parameters:\n    x: =a.wait() +\n  dat_content: \"x = 1\\n\"\n"
	parm := filepath.Join(dir, "show.toe.dir", "label.parm")
	for path, text := range map[string]string{tdn: two, parm: "text 17 \"\" me.par.x +\n"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ws, errs := analyzer.NewWorkspace(dir, rules.All())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := ws.Files(); !slices.Equal(got, []string{tdn, parm}) {
		t.Errorf("files %q", got)
	}
	lint := func(path string) string {
		var out []string
		for _, d := range ws.Lint([]string{path}).Diagnostics {
			p := analyzer.DiskPosition(d.Range.File, d.Range.Start)
			out = append(out, fmt.Sprintf("%s %d:%d %s", d.Range.File.OpPath, p.Line+1, len(p.Before)+1, d.Analyzer.Code))
		}
		slices.Sort(out)
		return strings.Join(out, ", ")
	}
	if got, want := lint(tdn), "/p#parameters 13:19 TD001, /p/a 9:9 TD201"; got != want {
		t.Errorf("on disk: %s, want %s", got, want)
	}
	if got, want := lint(parm), "/label#parameters 1:22 TD001"; got != want {
		t.Errorf(".parm: %s, want %s", got, want)
	}
	// The editor drops DAT b and its expression.
	one, _, _ := strings.Cut(two, "- name: b")
	ws.Open(tdn, []byte(one))
	if got, want := lint(tdn), "/p/a 9:9 TD201"; got != want {
		t.Errorf("edited: %s, want %s", got, want)
	}
	ws.Close(tdn)
	if got, want := lint(tdn), "/p#parameters 13:19 TD001, /p/a 9:9 TD201"; got != want {
		t.Errorf("closed: %s, want %s", got, want)
	}
}
