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

// TestNeovimEndToEnd drives `tdlint server` from a real editor: Neovim's
// built-in LSP client, headless, opens a file, waits for the finding,
// applies the "ignore on this line" action and waits for the finding to go.
// CI installs Debian's neovim and sets TDLINT_REQUIRE_NVIM=1, so that there
// the test fails rather than skips when nvim is missing.
func TestNeovimEndToEnd(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("TDLINT_REQUIRE_NVIM") == "1" {
			t.Fatal("nvim is required (TDLINT_REQUIRE_NVIM=1) and not on PATH")
		}
		t.Skip("nvim not installed (Debian: apt-get install neovim)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "callbacks.py")
	src := "import time\nout = op('out')\n\n\ndef onFrameStart(frame):\n    time.sleep(0.005)\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "testdata", "editors", "nvim_e2e.lua"))
	if err != nil {
		t.Fatal(err)
	}
	result := filepath.Join(dir, "result.txt")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "E2E_TDLINT="+os.Args[0], "E2E_FILE="+file, "E2E_OUT="+result, "XDG_STATE_HOME="+dir, "XDG_DATA_HOME="+dir)
	out, err := cmd.CombinedOutput()
	got, readErr := os.ReadFile(result)
	if readErr != nil {
		t.Fatalf("nvim wrote no result (%v, %v):\n%s", err, readErr, out)
	}
	report := string(got)
	t.Logf("nvim:\n%s", report)
	for _, want := range []string{
		"diagnostic 5:4 TD201 tdlint `time.sleep` blocks TouchDesigner's main thread",
		"href https://github.com/tdlint/tdlint/blob/main/docs/rules.md#TD201",
		"action Ignore TD201 on this line",
		"line     time.sleep(0.005)  # noqa: TD201",
		"cleared",
		"stopped",
		"OK",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("nvim's report lacks %q", want)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != src {
		t.Errorf("the server wrote to the file:\n%s", data)
	}
}
