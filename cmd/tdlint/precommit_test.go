package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreCommitTryRepo runs this repository's hooks the way a user first
// tries them, `pre-commit try-repo`, on a sample repository: the golang
// hook builds tdlint from this checkout and fails on a planted bug, an
// excluded file stays excluded though pre-commit names it, and the system
// hook passes once the bug is suppressed. CI installs Debian's pre-commit
// and sets TDLINT_REQUIRE_PRECOMMIT=1.
func TestPreCommitTryRepo(t *testing.T) {
	if raceEnabled {
		t.Skip("drives pre-commit and go install only; run without -race")
	}
	precommit, err := exec.LookPath("pre-commit")
	if err != nil {
		if os.Getenv("TDLINT_REQUIRE_PRECOMMIT") == "1" {
			t.Fatal("pre-commit is required (TDLINT_REQUIRE_PRECOMMIT=1) and not on PATH")
		}
		t.Skip("pre-commit not installed (Debian: apt-get install pre-commit)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.CommandContext(t.Context(), "git", "-C", root, "rev-parse", "--git-dir").Run(); err != nil {
		t.Skip("this checkout is not a git repository")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	sample := t.TempDir()
	home := t.TempDir()
	bin := t.TempDir()
	modcache, _ := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+home,
		// The hook's own GOPATH would download every module again.
		"GOMODCACHE="+strings.TrimSpace(string(modcache)),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
	)
	sh := func(name string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = sample, env
		out, err := cmd.CombinedOutput()
		if cmd.ProcessState == nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(sample, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tdlint.toml", "exclude = [\"generated_*.py\"]\n")
	write("callbacks.py", "import time\nout = op('out')\n\n\ndef onFrameStart(frame):\n    time.sleep(0.005)\n")
	write("generated_cb.py", "import time\nout = op('out')\n\n\ndef onFrameStart(frame):\n    time.sleep(1)\n")
	sh("git", "init", "-q")
	sh("git", "add", ".")

	out, code := sh(precommit, "try-repo", root, "tdlint", "--all-files", "--verbose")
	if code != 1 || !strings.Contains(out, "callbacks.py:6:5: TD201") {
		t.Fatalf("the golang hook on the planted bug: exit %d\n%s", code, out)
	}
	t.Logf("pre-commit try-repo:\n%s", out)
	if strings.Contains(out, "generated_cb.py") {
		t.Errorf("the excluded file was linted:\n%s", out)
	}

	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(bin, "tdlint"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	write("callbacks.py", "import time\nout = op('out')\n\n\ndef onFrameStart(frame):\n    time.sleep(0.005)  # noqa: TD201\n")
	sh("git", "add", ".")
	if out, code := sh(precommit, "try-repo", root, "tdlint-system", "--all-files", "--verbose"); code != 0 {
		t.Errorf("the system hook after the fix: exit %d\n%s", code, out)
	}

	// A toeexpand tree's DAT .text files are checked too: the callbacks
	// DAT's blocking call is found, the GLSL DAT and a .tdn file (not
	// read yet) pass.
	tree := filepath.Join("weather.toe.dir", "project1", "weather")
	if err := os.MkdirAll(filepath.Join(sample, tree), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"parexec1.n", "parexec1.text", "shader_pixel.n", "shader_pixel.parm", "shader_pixel.text"} {
		data, err := os.ReadFile(filepath.Join(root, "testdata", "toe", tree, name))
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join(tree, name), string(data))
	}
	write("network.tdn", "{\"family\": \"COMP\"}\n")
	sh("git", "add", ".")
	out, code = sh(precommit, "try-repo", root, "tdlint-system", "--all-files", "--verbose")
	if code != 1 || !strings.Contains(out, "parexec1.text:6:") || !strings.Contains(out, "TD201") {
		t.Errorf("the staged DAT's finding: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "shader_pixel") || strings.Contains(out, "network.tdn") {
		t.Errorf("a GLSL DAT or a .tdn was linted as Python:\n%s", out)
	}
	// Staged alone, the GLSL DAT and the .tdn give nothing to lint: pass.
	sh("git", "rm", "-q", "--cached", "-r", "callbacks.py", "generated_cb.py", filepath.ToSlash(filepath.Join(tree, "parexec1.text")))
	if out, code := sh(precommit, "try-repo", root, "tdlint-system", "--all-files", "--verbose"); code != 0 || !strings.Contains(out, "Passed") {
		t.Errorf("only non-Python staged: exit %d\n%s", code, out)
	}
}
