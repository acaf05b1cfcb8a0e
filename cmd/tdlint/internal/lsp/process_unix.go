//go:build unix

package lsp

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process exists (signal 0 probes it; a
// process of another user answers EPERM, and is alive).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
