//go:build linux

package analyzer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// readRegular reads a file whole, refuses what is not a regular file or
// is over the limit, and reads to the end a regular file whose size the
// system gives as 0 (/proc), within the limit too.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.py")
	want := bytes.Repeat([]byte("x = 1\n"), 1000)
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := readRegular(path, 0); err != nil || !bytes.Equal(got, want) {
		t.Errorf("readRegular = %d bytes, %v; want the file's %d", len(got), err, len(want))
	}
	var tooLarge *FileTooLargeError
	if _, err := readRegular(path, int64(len(want)-1)); !errors.As(err, &tooLarge) {
		t.Errorf("over the limit: %v, want FileTooLargeError", err)
	}
	if _, err := readRegular(dir, 0); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory: %v, want ErrNotRegular", err)
	}
	if _, err := readRegular(filepath.Join(dir, "missing.py"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v, want ErrNotExist", err)
	}
	status, err := readRegular("/proc/self/status", 0)
	if err != nil || !bytes.Contains(status, []byte("Name:")) {
		t.Errorf("/proc/self/status (size 0): %q, %v", status, err)
	}
	if _, err := readRegular("/proc/self/status", 16); !errors.As(err, &tooLarge) {
		t.Errorf("/proc/self/status over a 16-byte limit: %v, want FileTooLargeError", err)
	}
}
