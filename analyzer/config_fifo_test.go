//go:build unix

package analyzer_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

// TestConfigFIFOIsAnError: a FIFO named tdlint.toml is an error naming
// it, not a run that waits for a writer forever.
func TestConfigFIFOIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "tdlint.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	_, err := analyzer.NewConfigs(nil).ForDir(dir)
	if err == nil || !strings.Contains(err.Error(), "tdlint.toml") {
		t.Fatalf("ForDir on a FIFO config: %v", err)
	}
}
