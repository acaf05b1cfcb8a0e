package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdlint/tdlint/analyzer"
)

// copyTree copies the example project (or any tree) into a temporary
// directory, so that --fix has something of its own to change.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// snapshot records every file's bytes and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[p] = info.ModTime().Format(time.RFC3339Nano) + "\x00" + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
	}
	for p, v := range before {
		if after[p] != v {
			t.Errorf("%s touched %s", what, p)
		}
	}
}

func TestOnlyFixWritesFiles(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, exampleDir)
	before := snapshot(t, dir)
	for _, format := range analyzer.Formats {
		runCLI(t, "", "check", dir, "--output-format", format)
	}
	runCLI(t, "", "check", dir, "--diff")
	runCLI(t, "", "check", dir, "--diff", "--unsafe-fixes")
	sameSnapshot(t, "check without --fix", before, snapshot(t, dir))
}

func TestDiffShowsTheFixAndFixAppliesIt(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, exampleDir)
	callbacks := filepath.Join(dir, "weather", "callbacks.py")
	out, errs, code := runCLI(t, "", "check", dir, "--diff")
	if code != exitFindings {
		t.Fatalf("--diff exit %d, want 1; stderr %s", code, errs)
	}
	for _, want := range []string{
		"--- a/" + filepath.ToSlash(callbacks) + "\n+++ b/" + filepath.ToSlash(callbacks) + "\n@@ -16,7 +16,7 @@\n",
		"-    run(reset, delayMilliseconds=500)\n+    run(reset, delayMilliSeconds=500)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--diff output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "Would fix 1 finding in 1 file.") {
		t.Errorf("--diff stderr: %s", errs)
	}
	out, errs, code = runCLI(t, "", "check", dir, "--fix", "--output-format", "concise")
	if code != exitFindings || strings.Contains(out, "TD302") || !strings.Contains(out, "TD301") {
		t.Errorf("--fix exit %d (want 1, other findings remain), output:\n%s", code, out)
	}
	if !strings.Contains(errs, "Fixed 1 finding in 1 file.") {
		t.Errorf("--fix stderr: %s", errs)
	}
	data, _ := os.ReadFile(callbacks)
	if !strings.Contains(string(data), "run(reset, delayMilliSeconds=500)") {
		t.Errorf("callbacks.py not fixed:\n%s", data)
	}
	// Fixed, there is nothing more to show.
	out, _, code = runCLI(t, "", "check", dir, "--diff")
	if code != exitClean || out != "" {
		t.Errorf("--diff after --fix: exit %d, %q", code, out)
	}
}

func TestFixStdinPrintsTheFixedSource(t *testing.T) {
	t.Parallel()
	src := "import time\r\nrun(f, delayMilliseconds=5)\r\ntime.sleep(1)\r\n"
	out, errs, code := runCLI(t, src, "check", "-", "--fix", "--stdin-filename", "cb.py", "--output-format", "concise")
	if out != "import time\r\nrun(f, delayMilliSeconds=5)\r\ntime.sleep(1)\r\n" {
		t.Errorf("stdout %q", out)
	}
	if code != exitFindings || !strings.Contains(errs, "cb.py:3:1: TD201") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
	// Nothing to fix: the source comes back as it was.
	out, _, _ = runCLI(t, "x = 1\n", "check", "-", "--fix")
	if out != "x = 1\n" {
		t.Errorf("unchanged stdin: %q", out)
	}
}

func TestForceExclude(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("tdlint.toml", "exclude = [\"generated_*.py\"]\n")
	gen := write("generated_cb.py", "import time\ndef onFrameStart(frame):\n    time.sleep(1)\n    op('x')\n")
	// A directory walk skips it; named, it is linted, unless --force-exclude.
	if _, errs, code := runCLI(t, "", "check", dir); code != exitClean {
		t.Errorf("directory: exit %d, %s", code, errs)
	}
	if out, _, code := runCLI(t, "", "check", gen, "--output-format", "concise"); code != exitFindings || !strings.Contains(out, "TD201") {
		t.Errorf("named: exit %d, %s", code, out)
	}
	out, errs, code := runCLI(t, "", "check", "--force-exclude", gen)
	if code != exitClean || out != "" || !strings.Contains(errs, "excluded") {
		t.Errorf("--force-exclude: exit %d, out %q, err %q", code, out, errs)
	}
}

// `check --diff` on a .tdn file shows the fix as a diff of the .tdn's own
// lines and writes nothing; `--fix` writes it, and the DAT reads back
// fixed at the same line, with no finding left.
func TestFixTDNFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "net.tdn")
	doc := "format: tdn\nversion: '2.0'\nnetwork_path: /project1\noperators:\n- name: exec1\n  type: executeDAT\n  dat_content: |\n    def onFrameStart(frame):\n        run(tick, delayMilliseconds=5)\n\n    def tick():\n        pass\n  dat_content_format: text\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCLI(t, "", "check", "--diff", path)
	if code != exitFindings || !strings.Contains(out, "-        run(tick, delayMilliseconds=5)\n+        run(tick, delayMilliSeconds=5)\n") || !strings.Contains(out, "@@ -6,7 +6,7 @@") {
		t.Fatalf("--diff exit %d:\n%s\n%s", code, out, errs)
	}
	if readFile(t, path) != doc {
		t.Fatal("--diff wrote the file")
	}
	out, errs, code = runCLI(t, "", "check", "--fix", path)
	if code != exitClean {
		t.Fatalf("--fix exit %d:\n%s\n%s", code, out, errs)
	}
	if got, want := readFile(t, path), strings.Replace(doc, "delayMilliseconds", "delayMilliSeconds", 1); got != want {
		t.Errorf("fixed file:\n%s\nwant\n%s", got, want)
	}
}

// --add-noqa on .tdn files puts each comment on the DAT's own line in the
// .tdn, two DATs of one file in one write, and the findings go.
func TestAddNoqaTDNFiles(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "tdn"))
	_, errs, _ := runCLI(t, "", "check", "--add-noqa", filepath.Join(dir, "weather.tdn"), filepath.Join(dir, "legacy.tdn"))
	if !strings.Contains(errs, "Added noqa comments for 3 findings in 2 files.") {
		t.Fatalf("stderr: %s", errs)
	}
	weather := readFile(t, filepath.Join(dir, "weather.tdn"))
	for _, want := range []string{"\n        time.sleep(0.5)  # noqa: TD201\n", `\ttime.sleep(1)  # noqa: TD201\n"`} {
		if !strings.Contains(weather, want) {
			t.Errorf("weather.tdn lacks %q:\n%s", want, weather)
		}
	}
	if legacy := readFile(t, filepath.Join(dir, "legacy.tdn")); !strings.Contains(legacy, "\t\t\t\t\"    time.sleep(0.1)  # noqa: TD201\"\n") {
		t.Errorf("legacy.tdn:\n%s", legacy)
	}
	out, _, _ := runCLI(t, "", "check", "--output-format", "concise", filepath.Join(dir, "weather.tdn"), filepath.Join(dir, "legacy.tdn"))
	if strings.Contains(out, "TD201") {
		t.Errorf("findings left: %s", out)
	}
}
