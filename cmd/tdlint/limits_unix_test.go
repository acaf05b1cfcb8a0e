//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCheckSkipsFIFOsAndDevices: a FIFO found by the walk is skipped (its
// read would block forever); a FIFO or /dev/zero named explicitly is an
// error naming it (exit 2), and every other file is still linted.
func TestCheckSkipsFIFOsAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "worker.py"), workerTouch)
	fifo := filepath.Join(dir, "sub", "x.py")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink(os.DevNull, filepath.Join(dir, "null.py")); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runChild(t, "check", "--output-format", "concise", dir)
	if code != exitFindings || errs != "" || !strings.Contains(out, "worker.py:3:5: TD101") {
		t.Errorf("walk: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	out, errs, code = runChild(t, "check", "--output-format", "concise", fifo, "/dev/zero", filepath.Join(dir, "worker.py"))
	if code != exitError || !strings.Contains(out, "worker.py:3:5: TD101") {
		t.Errorf("named: exit %d, want %d; stdout:\n%s", code, exitError, out)
	}
	for _, want := range []string{fifo + ": not a regular file", "/dev/zero: not a regular file"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestSimulateSkipsFIFOs: simulate reads every .py file beside the
// scenario (its importable modules); a FIFO there hung it.
func TestSimulateSkipsFIFOs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scenario := filepath.Join(dir, "hi.py")
	mustWrite(t, scenario, "print('hi')\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "x.py"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	out, errs, code := runChild(t, "simulate", scenario)
	if code != exitClean || !strings.Contains(out, "hi") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errs)
	}
	_, errs, code = runChild(t, "simulate", "/dev/zero")
	if code != exitError || !strings.Contains(errs, "/dev/zero: not a regular file") {
		t.Errorf("/dev/zero: exit %d, stderr: %s", code, errs)
	}
}
