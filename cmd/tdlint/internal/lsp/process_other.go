//go:build !unix

package lsp

import "os"

// processAlive reports whether a process exists; where it cannot be
// probed it is taken to be.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
