package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// workerTouch is a file with one finding (TD101 at 3:5): the file that
// must still be linted next to a bad one.
const workerTouch = "import threading\ndef work():\n    op('x').par.value0 = 1\nthreading.Thread(target=work).start()\n"

// runChild runs the command in a child process (see TestMain), so that a
// crash the runtime cannot recover, a Go stack overflow, fails the test
// with its output instead of killing the test binary.
func runChild(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()
	if s := errb.String(); strings.Contains(s, "fatal error") || strings.Contains(s, "goroutine ") {
		t.Fatalf("tdlint %s crashed:\n%.2000s", strings.Join(args, " "), s)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// TestCheckDeepNestingIsASyntaxError: nesting deeper than CPython compiles
// is that file's TD001; the other file keeps its finding.
func TestCheckDeepNestingIsASyntaxError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deep := map[string]string{
		"attribute.py": "x = a" + strings.Repeat(".b", 400000),
		"plus.py":      "x = a" + strings.Repeat("+a", 400000),
		"calls.py":     "x = f" + strings.Repeat("()", 100000),
		"lambda.py":    "x = " + strings.Repeat("lambda: ", 100000) + "0",
		"ifexp.py":     "x = " + strings.Repeat("a if b else ", 100000) + "c",
		"elif.py":      "if a:\n pass\n" + strings.Repeat("elif a:\n pass\n", 100000),
	}
	for name, text := range deep {
		mustWrite(t, filepath.Join(dir, name), text+"\n")
	}
	mustWrite(t, filepath.Join(dir, "worker.py"), workerTouch)
	out, errs, code := runChild(t, "check", "--output-format", "concise", dir)
	if code != exitFindings {
		t.Errorf("exit %d, want %d; stderr: %s", code, exitFindings, errs)
	}
	for name := range deep {
		if !strings.Contains(out, name+":") || !regexpLine(out, name, "TD001", "too many nested expressions") {
			t.Errorf("%s: no TD001 \"too many nested expressions\" in\n%.3000s", name, out)
		}
	}
	if !strings.Contains(out, "worker.py:3:5: TD101") {
		t.Errorf("the other file lost its finding:\n%.3000s", out)
	}
}

func regexpLine(out, file, code, msg string) bool {
	for line := range strings.SplitSeq(out, "\n") {
		if strings.Contains(line, file+":") && strings.Contains(line, code) && strings.Contains(line, msg) {
			return true
		}
	}
	return false
}

// TestCheckMaxFileSize: an input over --max-file-size (10 MiB by
// default) is an error naming it, read no further than the limit, and the
// other files are still linted.
func TestCheckMaxFileSize(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "worker.py"), workerTouch)
	big := filepath.Join(dir, "big.py")
	mustWrite(t, big, "# "+strings.Repeat("x", 2000)+"\n")
	out, errs, code := runCLI(t, "", "check", "--output-format", "concise", "--max-file-size", "1KiB", dir)
	if code != exitError || !strings.Contains(out, "worker.py:3:5: TD101") ||
		!strings.Contains(errs, "big.py: file larger than the limit of 1 KiB (raise it with --max-file-size)") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	if _, _, code := runCLI(t, "", "check", "--max-file-size", "3KiB", big); code != exitClean {
		t.Errorf("under a raised limit: exit %d, want %d", code, exitClean)
	}
	_, errs, code = runCLI(t, strings.Repeat("#", 2000), "check", "--max-file-size", "1000", "-")
	if code != exitError || !strings.Contains(errs, "<stdin>: file larger than the limit of 1000 bytes") {
		t.Errorf("stdin: exit %d, stderr %q", code, errs)
	}
	for _, bad := range []string{"0", "-1", "10XB", "lots"} {
		if _, errs, code := runCLI(t, "", "check", "--max-file-size", bad, big); code != exitError || !strings.Contains(errs, "--max-file-size") {
			t.Errorf("--max-file-size %s: exit %d, stderr %q", bad, code, errs)
		}
	}
}

// TestSimulateLimits: Python recursion overflowed the Go stack, which
// kills the process, and a string doubling in a loop grew to gigabytes.
// Now the first is RecursionError in the trace (exit 1, a problem
// observed), the second a clear error (exit 2). Both run in a child: the
// loop that never calls into the runtime cannot be interrupted, only
// abandoned with the process.
func TestSimulateLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec", "rec.py")
	grow := filepath.Join(dir, "grow", "grow.py")
	for _, d := range []string{rec, grow} {
		if err := os.MkdirAll(filepath.Dir(d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, rec, "def f(n):\n    return f(n + 1)\n\nf(0)\n")
	mustWrite(t, grow, "s = 'x'\nwhile True:\n    s = s + s\n")
	out, errs, code := runChild(t, "simulate", rec)
	if code != exitFindings || !strings.Contains(out, "RecursionError: maximum recursion depth exceeded") {
		t.Errorf("recursion: exit %d, stdout:\n%s\nstderr: %s", code, out, errs)
	}
	out, errs, code = runChild(t, "simulate", "--max-memory", "64MiB", grow)
	if code != exitError || !strings.Contains(out+errs, "the heap passed the memory limit of 64 MiB") {
		t.Errorf("memory: exit %d, stdout:\n%s\nstderr: %s", code, out, errs)
	}
	if _, errs, code := runChild(t, "simulate", "--max-memory", "lots", grow); code != exitError || !strings.Contains(errs, "--max-memory") {
		t.Errorf("--max-memory lots: exit %d, stderr %s", code, errs)
	}
}

// TestCheckMaxFileSizeFromConfig: max-file-size in the configuration that
// governs the working directory sets the limit; the flag overrides it, and
// a bad value is the configuration's error.
func TestCheckMaxFileSizeFromConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "tdlint.toml"), "max-file-size = \"1KiB\"\n")
	mustWrite(t, filepath.Join(dir, "big.py"), "# "+strings.Repeat("x", 2000)+"\n")
	check := func(args ...string) (string, int) {
		cmd := exec.CommandContext(t.Context(), os.Args[0], append([]string{"check"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		_ = cmd.Run()
		return errb.String(), cmd.ProcessState.ExitCode()
	}
	if errs, code := check("."); code != exitError || !strings.Contains(errs, "big.py: file larger than the limit of 1 KiB") {
		t.Errorf("config limit: exit %d, stderr %q", code, errs)
	}
	if errs, code := check("--max-file-size", "4KiB", "."); code != exitClean {
		t.Errorf("flag over config: exit %d, stderr %q", code, errs)
	}
	mustWrite(t, filepath.Join(dir, "tdlint.toml"), "max-file-size = \"lots\"\n")
	if errs, code := check("."); code != exitError || !strings.Contains(errs, "max-file-size") {
		t.Errorf("bad config value: exit %d, stderr %q", code, errs)
	}
}
