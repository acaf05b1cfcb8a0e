package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUnknownCommandIsUsageError(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if code := run([]string{"frobnicate"}, strings.NewReader(""), &out, &errb); code != exitError {
		t.Fatalf("exit code = %d, want %d", code, exitError)
	}
	if !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Fatalf("stderr = %q, want it to name the unknown command", errb.String())
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	// pip users type --version, as for ruff; the wheel test runs both.
	for _, arg := range []string{"version", "--version", "-V"} {
		var out, errb bytes.Buffer
		if code := run([]string{arg}, strings.NewReader(""), &out, &errb); code != exitClean {
			t.Fatalf("%s: exit code = %d, stderr %q", arg, code, errb.String())
		}
		if want := "tdlint " + version + "\n"; out.String() != want {
			t.Fatalf("%s: stdout = %q, want %q", arg, out.String(), want)
		}
	}
}
