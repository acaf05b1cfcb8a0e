package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatistics(t *testing.T) {
	t.Parallel()
	out, _, code := runCLI(t, "", "check", exampleDir, "--statistics")
	want := "3\tTD201\t    blocking-call-on-main-thread\n2\tTD101\t    td-access-in-worker\n1\tTD104\t    long-lived-task-in-pool\n" +
		"1\tTD301\t    run-call-result\n1\tTD302\t[*] run-unknown-keyword\n"
	if code != exitFindings || out != want {
		t.Errorf("exit %d, statistics:\n%s\nwant:\n%s", code, out, want)
	}
	out, _, _ = runCLI(t, "", "check", exampleDir, "--statistics", "--output-format", "json")
	var stats []struct {
		Code    string `json:"code"`
		Count   int    `json:"count"`
		Fixable bool   `json:"fixable"`
	}
	if err := json.Unmarshal([]byte(out), &stats); err != nil || len(stats) != 5 || stats[0].Code != "TD201" || stats[0].Count != 3 || !stats[4].Fixable {
		t.Errorf("json statistics: %v, %+v", err, stats)
	}
	if out, _, code := runCLI(t, "x = 1\n", "check", "-", "--statistics"); code != exitClean || out != "" {
		t.Errorf("clean: exit %d, %q", code, out)
	}
}

// A baseline hides the findings it records and nothing else; it follows
// a finding that moved (lines added above, re-indented, its neighbours
// edited), counts duplicates, and is read relative to its own folder.
func TestBaseline(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, exampleDir)
	base := filepath.Join(dir, "tdlint-baseline.json")
	out, errs, code := runCLI(t, "", "check", dir, "--write-baseline", base)
	if code != exitClean || out != "All checks passed!\n" || !strings.Contains(errs, "wrote 8 findings to the baseline") {
		t.Fatalf("--write-baseline: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// From another working directory, by a relative path.
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runCLI(t, "", "check", rel, "--baseline", base); code != exitClean || out != "All checks passed!\n" || !strings.Contains(errs, "8 findings in the baseline") {
		t.Fatalf("--baseline, relative path: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	fetch := filepath.Join(dir, "lib", "fetch.py")
	src := readFile(t, fetch)
	const bug = "    op('cache').text = json.dumps(data)\n"
	if !strings.Contains(src, bug) {
		t.Fatalf("lib/fetch.py changed; the test needs %q", bug)
	}
	// Lines above, the line re-indented and its neighbour changed: still
	// the recorded finding.
	moved := "# header\n\n\n" + strings.Replace(src, bug, "    # edited comment\n      "+strings.TrimLeft(bug, " "), 1)
	mustWrite(t, fetch, moved)
	if out, errs, code := runCLI(t, "", "check", dir, "--baseline", base, "--output-format", "concise"); code != exitClean {
		t.Fatalf("moved finding is new: exit %d, %s %s", code, out, errs)
	}
	// The same line twice: one is recorded, the other is new.
	mustWrite(t, fetch, strings.Replace(src, bug, bug+bug, 1))
	out, errs, code = runCLI(t, "", "check", dir, "--baseline", base, "--output-format", "concise")
	if code != exitFindings || strings.Count(out, "TD101") != 1 || !strings.Contains(out, "lib/fetch.py:17:5: TD101") {
		t.Errorf("duplicate: exit %d, %s %s", code, out, errs)
	}
	// A new finding elsewhere is reported, and only it.
	callbacks := filepath.Join(dir, "weather", "callbacks.py")
	mustWrite(t, callbacks, readFile(t, callbacks)+"\n\ndef onPulse(par):\n    time.sleep(2)\n")
	out, _, code = runCLI(t, "", "check", dir, "--baseline", base, "--output-format", "concise")
	if code != exitFindings || strings.Count(out, ": TD") != 2 || !strings.Contains(out, "TD201 error: `time.sleep`") {
		t.Errorf("new finding: exit %d, %s", code, out)
	}
	// Fixed findings are counted as gone; --update-baseline records the
	// present, after which nothing is new and nothing is gone.
	mustWrite(t, fetch, strings.Replace(src, bug, "    pass\n", 1))
	_, errs, _ = runCLI(t, "", "check", dir, "--baseline", base)
	if !strings.Contains(errs, "1 of its finding no longer occur") && !strings.Contains(errs, "1 of its findings no longer occur") {
		t.Errorf("gone: %s", errs)
	}
	if _, errs, code := runCLI(t, "", "check", dir, "--baseline", base, "--update-baseline"); code != exitClean || !strings.Contains(errs, "wrote 8 findings") {
		t.Errorf("--update-baseline: exit %d, %s", code, errs)
	}
	if _, errs, code := runCLI(t, "", "check", dir, "--baseline", base); code != exitClean || strings.Contains(errs, "no longer") {
		t.Errorf("after --update-baseline: exit %d, %s", code, errs)
	}
	// Linting some of the files (pre-commit names the staged ones): the
	// others' findings are not gone, and an update keeps them.
	if _, errs, code := runCLI(t, "", "check", callbacks, "--baseline", base); code != exitClean || strings.Contains(errs, "no longer") {
		t.Errorf("one file: exit %d, %s", code, errs)
	}
	// 5 findings of callbacks.py, the 3 of the other files kept.
	if _, errs, _ := runCLI(t, "", "check", callbacks, "--baseline", base, "--update-baseline"); !strings.Contains(errs, "wrote 8 findings") {
		t.Errorf("--update-baseline from one file: %s", errs)
	}
	if _, errs, code := runCLI(t, "", "check", dir, "--baseline", base); code != exitClean || strings.Contains(errs, "no longer") {
		t.Errorf("after updating from one file: exit %d, %s", code, errs)
	}
	var b baseline
	if err := json.Unmarshal([]byte(readFile(t, base)), &b); err != nil || b.Tool != "tdlint" || len(b.Findings) == 0 {
		t.Fatalf("baseline file: %v %+v", err, b)
	}
	for _, e := range b.Findings {
		if strings.Contains(e.File, "\\") || filepath.IsAbs(e.File) || strings.HasPrefix(e.File, "..") {
			t.Errorf("baseline path %q is not relative to its folder", e.File)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tdlint-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

func TestBaselineUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.json")
	if _, errs, code := runCLI(t, "x = 1\n", "check", "-", "--baseline", missing); code != exitError || !strings.Contains(errs, "--write-baseline") {
		t.Errorf("missing baseline: exit %d, %s", code, errs)
	}
	mustWrite(t, missing, "{\"tool\": \"eslint\"}")
	if _, errs, code := runCLI(t, "x = 1\n", "check", "-", "--baseline", missing); code != exitError || !strings.Contains(errs, "not a tdlint baseline") {
		t.Errorf("foreign baseline: exit %d, %s", code, errs)
	}
	for _, args := range [][]string{
		{"--update-baseline"},
		{"--baseline", missing, "--write-baseline", missing},
		{"--baseline", missing, "--fix"},
		{"--add-noqa", "--diff"},
	} {
		if _, errs, code := runCLI(t, "x = 1\n", append([]string{"check", "-"}, args...)...); code != exitError || !strings.Contains(errs, "usage:") {
			t.Errorf("%v: exit %d, %s", args, code, errs)
		}
	}
	// A syntax error is never baselined.
	base := filepath.Join(dir, "b.json")
	if _, _, code := runCLI(t, "def f(:\n", "check", "-", "--write-baseline", base); code != exitFindings {
		t.Errorf("syntax error hidden by --write-baseline: exit %d", code)
	}
}

// --add-noqa adds exactly the comments and nothing else, byte for byte:
// CRLF lines, an existing noqa list, a tdlint ignore list, a DAT's .text
// file (whose header counts the text) and a latin-1 file keep every other
// byte; a line that ends inside a string or continues with a backslash is
// left alone and named. Afterwards the findings are gone.
func TestAddNoqa(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]struct{ before, after string }{
		"crlf.py": {
			"import time\r\n\r\ndef onFrameStart(frame):\r\n    op('x')\r\n    time.sleep(1); time.sleep(2)   \r\n    time.sleep(3)  # noqa: E501\r\n    time.sleep(4)  # tdlint: ignore[E501]\r\n",
			"import time\r\n\r\ndef onFrameStart(frame):\r\n    op('x')\r\n    time.sleep(1); time.sleep(2)  # noqa: TD201   \r\n    time.sleep(3)  # noqa: E501, TD201\r\n    time.sleep(4)  # tdlint: ignore[E501, TD201]\r\n",
		},
		"latin1.py": {
			"# -*- coding: latin-1 -*-\nimport time\n\ndef onFrameStart(frame):\n    op('caf\xe9')\n    time.sleep(1)  # d\xe9j\xe0\n",
			"# -*- coding: latin-1 -*-\nimport time\n\ndef onFrameStart(frame):\n    op('caf\xe9')\n    time.sleep(1)  # d\xe9j\xe0  # noqa: TD201\n",
		},
		"strings.py": {
			"import time\n\ndef onFrameStart(frame):\n    op('x')\n    print(time.sleep(1), '''a\nb''')\n    x = 1 + \\\n        time.sleep(2)\n    time.sleep(3)\n",
			"import time\n\ndef onFrameStart(frame):\n    op('x')\n    print(time.sleep(1), '''a\nb''')\n    x = 1 + \\\n        time.sleep(2)  # noqa: TD201\n    time.sleep(3)  # noqa: TD201\n",
		},
	}
	for name, f := range files {
		mustWrite(t, filepath.Join(dir, name), f.before)
	}
	// A file that does not decode is left as it is.
	const undecodable = "# caf\xe9\nimport time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	mustWrite(t, filepath.Join(dir, "undecodable.py"), undecodable)
	toe := copyTree(t, filepath.Join("..", "..", "testdata", "toe"))
	fetch := filepath.Join(toe, "weather.toe.dir", "project1", "weather", "fetch.text")
	fetchBefore := readFile(t, fetch)

	_, errs, code := runCLI(t, "", "check", dir, toe, "--add-noqa")
	if code != exitFindings || !strings.Contains(errs, "strings.py: line 5: a comment cannot go there") || !strings.Contains(errs, "undecodable.py: has a syntax error") {
		t.Errorf("--add-noqa: exit %d (want 1: a line refused), stderr:\n%s", code, errs)
	}
	if !strings.Contains(errs, "Added noqa comments for 11 findings in 6 files.") {
		t.Errorf("--add-noqa summary: %s", errs)
	}
	for name, f := range files {
		if got := readFile(t, filepath.Join(dir, name)); got != f.after {
			t.Errorf("%s:\n got %q\nwant %q", name, got, f.after)
		}
	}
	// The DAT: the comment, and the text length in the header, changed.
	fetchAfter := readFile(t, fetch)
	stripped := strings.Replace(fetchAfter, "  # noqa: TD101", "", 1)
	if stripped == fetchAfter || len(stripped) != len(fetchBefore) {
		t.Fatalf("fetch.text:\n%q", fetchAfter)
	}
	var differ []int
	for i := range len(stripped) {
		if stripped[i] != fetchBefore[i] {
			differ = append(differ, i)
		}
	}
	if len(differ) == 0 || len(differ) > 4 || differ[len(differ)-1] > 40 {
		t.Errorf("fetch.text differs beyond the comment and the header's length at %v", differ)
	}
	if _, _, code := runCLI(t, "", "check", fetch, "--select", "TD1"); code != exitClean {
		t.Errorf("fetch.text still has findings after --add-noqa")
	}
	if readFile(t, filepath.Join(dir, "undecodable.py")) != undecodable {
		t.Error("undecodable.py was changed")
	}
	out, errs, code := runCLI(t, "", "check", dir, toe, "--output-format", "concise", "--ignore", "TD001")
	if code != exitFindings || strings.Count(out, ": TD") != 2 || !strings.Contains(out, "strings.py:5:11: TD201") || !strings.Contains(out, "undecodable.py:6:5: TD201") {
		t.Errorf("after --add-noqa: exit %d, %s%s", code, out, errs)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tdlint-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
	// Running it again changes nothing.
	before := readFile(t, filepath.Join(dir, "crlf.py"))
	if _, errs, _ := runCLI(t, "", "check", dir, "--add-noqa"); !strings.Contains(errs, "Added noqa comments for 0 findings in 0 files.") || readFile(t, filepath.Join(dir, "crlf.py")) != before {
		t.Errorf("second --add-noqa: %s", errs)
	}
	if _, errs, code := runCLI(t, "x = 1\n", "check", "-", "--add-noqa"); code != exitError || !strings.Contains(errs, "stdin") {
		t.Errorf("--add-noqa on stdin: exit %d, %s", code, errs)
	}
}

// --new-from-rev shows the findings on lines changed since a commit and
// in files git does not track, as golangci-lint's does.
func TestNewFromRev(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	old := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	mustWrite(t, filepath.Join(dir, "cb.py"), old)
	mustWrite(t, filepath.Join(dir, "same.py"), old)
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "start")
	if out, errs, code := runCLI(t, "", "check", dir, "--new-from-rev", "HEAD"); code != exitClean || out != "All checks passed!\n" || !strings.Contains(errs, "2 findings on lines unchanged since HEAD") {
		t.Errorf("nothing changed: exit %d, %q, %q", code, out, errs)
	}
	// Lines added above move the old finding: still old. The new call is new.
	mustWrite(t, filepath.Join(dir, "cb.py"), "# moved\n"+old+"    time.sleep(2)\n")
	mustWrite(t, filepath.Join(dir, "untracked.py"), old)
	out, errs, code := runCLI(t, "", "check", dir, "--new-from-rev", "HEAD", "--output-format", "concise")
	if code != exitFindings || strings.Count(out, ": TD") != 2 || !strings.Contains(out, "cb.py:7:5: TD201") || !strings.Contains(out, "untracked.py:5:5: TD201") {
		t.Errorf("changes: exit %d:\n%s%s", code, out, errs)
	}
	if _, errs, code := runCLI(t, "", "check", dir, "--new-from-rev", "no-such-rev"); code != exitError || !strings.Contains(errs, "no-such-rev") {
		t.Errorf("bad revision: exit %d, %s", code, errs)
	}
	if _, errs, code := runCLI(t, "", "check", dir, "--new-from-rev", "--output=/tmp/x"); code != exitError || !strings.Contains(errs, "not a revision") {
		t.Errorf("an option as revision: exit %d, %s", code, errs)
	}
}

// --add-noqa writes as --fix does: a read-only file is refused, named,
// and left as it was.
func TestAddNoqaRefusesReadOnlyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.py")
	mustWrite(t, path, blockingSrc)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "", "check", path, "--add-noqa")
	if code != exitError || !strings.Contains(errs, "ro.py") || !strings.Contains(errs, "Added noqa comments for 0 findings in 0 files.") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
	if readFile(t, path) != blockingSrc {
		t.Error("the read-only file was changed")
	}
}
