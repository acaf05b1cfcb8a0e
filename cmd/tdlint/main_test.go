package main

import (
	"bytes"
	"runtime/debug"
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
		// A development build adds the commit and Go release (see
		// TestDescribeBuild); a release prints "tdlint VERSION" alone.
		if want := "tdlint " + version; !strings.HasPrefix(out.String(), want) {
			t.Fatalf("%s: stdout = %q, want it to start with %q", arg, out.String(), want)
		}
	}
}

// Help is asked for, so it goes to stdout with exit 0, in every spelling;
// flags are shown GNU-style with what the operands mean.
func TestHelp(t *testing.T) {
	t.Parallel()
	top, errs, code := runCLI(t, "", "--help")
	if code != exitClean || errs != "" || !strings.Contains(top, "Usage: tdlint <COMMAND>") || !strings.Contains(top, "check ") {
		t.Fatalf("--help: exit %d, stdout %q, stderr %q", code, top, errs)
	}
	if out, _, code := runCLI(t, "", "help"); code != exitClean || out != top {
		t.Errorf("help: exit %d, %q", code, out)
	}
	if _, errs, code := runCLI(t, ""); code != exitError || !strings.Contains(errs, "Usage:") {
		t.Errorf("no command: exit %d, stderr %q", code, errs)
	}
	check, errs, code := runCLI(t, "", "check", "--help")
	if code != exitClean || errs != "" {
		t.Fatalf("check --help: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"Usage: tdlint check [OPTIONS] [PATH]...",
		"\n  PATH  ", "\n  -     read the source from stdin",
		"  --output-format FORMAT  ", "(default: full)", "  --fix  ", "  --select CODES  ", "-h, --help",
		"Exit status:",
	} {
		if !strings.Contains(check, want) {
			t.Errorf("check --help lacks %q:\n%s", want, check)
		}
	}
	if strings.Contains(check, "\n  -select") || strings.Contains(check, " string") {
		t.Errorf("check --help shows Go's flag usage:\n%s", check)
	}
	for _, args := range [][]string{{"help", "check"}, {"check", "-h"}, {"check", "x.py", "--help"}} {
		if out, _, code := runCLI(t, "", args...); code != exitClean || out != check {
			t.Errorf("%v: exit %d, output differs from check --help:\n%s", args, code, out)
		}
	}
	for _, c := range commands() {
		out, errs, code := runCLI(t, "", c.name, "--help")
		if code != exitClean || !strings.Contains(out, "Usage: tdlint "+c.name) {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", c.name, code, out, errs)
		}
	}
	if _, errs, code := runCLI(t, "", "help", "frobnicate"); code != exitError || !strings.Contains(errs, "frobnicate") {
		t.Errorf("help of an unknown command: exit %d, %q", code, errs)
	}
	_, errs, code = runCLI(t, "", "check", "--frobnicate")
	if code != exitError || !strings.Contains(errs, "tdlint check: unknown option --frobnicate\n") || !strings.Contains(errs, "tdlint check --help") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, errs)
	}
}

func TestVersionSpellings(t *testing.T) {
	t.Parallel()
	want, _, _ := runCLI(t, "", "version")
	// The test binary has build information: the Go release is always
	// in it, the module version "(devel)" never is.
	if !strings.HasPrefix(want, "tdlint ") || !strings.Contains(want, "go1.") || strings.Contains(want, "(devel)") {
		t.Errorf("version: %q", want)
	}
	for _, flag := range []string{"--version", "-V"} {
		if out, _, code := runCLI(t, "", flag); code != exitClean || out != want {
			t.Errorf("%s: exit %d, %q, want %q", flag, code, out, want)
		}
	}
}

// What `go install …@v1.2.0` and `go build` in a modified clone record.
func TestDescribeBuild(t *testing.T) {
	t.Parallel()
	installed := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}
	if got := describeBuild("devel", installed); got != "tdlint v1.2.0 (go1.26.8)" {
		t.Errorf("installed: %q", got)
	}
	if got := describeBuild("1.3.0-rc1", installed); got != "tdlint 1.3.0-rc1" {
		t.Errorf("linker version: %q", got)
	}
	clone := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "787c2da61165facf0e3a05c3c5f4afd2da6fa992"},
		{Key: "vcs.time", Value: "2026-12-05T16:40:07Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	if got := describeBuild("devel", clone); got != "tdlint devel (commit 787c2da61165+dirty 2026-12-05, go1.26.8)" {
		t.Errorf("modified clone: %q", got)
	}
}
