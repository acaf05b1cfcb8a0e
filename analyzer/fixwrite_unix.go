//go:build unix

package analyzer

import (
	"os"
	"syscall"
)

// writable reports whether this process may write path (root may write
// any file whose mode allows someone to).
func writable(path string) error {
	const wOK = 2
	return syscall.Access(path, wOK)
}

// links is how many names the file has.
func links(info os.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink) //nolint:unconvert // its type differs by platform
	}
	return 1
}

// keepOwner gives f the owner and group info describes, if it has others.
func keepOwner(f *os.File, info os.FileInfo) error {
	want, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	now, err := f.Stat()
	if err != nil {
		return err
	}
	if st, ok := now.Sys().(*syscall.Stat_t); ok && st.Uid == want.Uid && st.Gid == want.Gid {
		return nil
	}
	return f.Chown(int(want.Uid), int(want.Gid))
}
