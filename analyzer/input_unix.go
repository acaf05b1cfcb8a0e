//go:build linux || darwin

package analyzer

import (
	"os"
	"syscall"
)

// readRegular reads the regular file at path (symbolic links followed),
// at most limit bytes (limit <= 0: DefaultMaxFileSize). It makes its own
// system calls: an os.File would register each file with the runtime's
// poller (an epoll_ctl that fails for a regular file) and arrange its
// cleanup, which for a project of thousands of small files was a fifth
// of reading them. The open does not block on a FIFO (O_NONBLOCK), and
// what is not a regular file is refused before it is read.
func readRegular(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	for {
		err = syscall.Fstat(fd, &st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, ErrNotRegular
	}
	if st.Size > limit {
		return nil, &FileTooLargeError{Limit: limit}
	}
	// A buffer of the file's size and one byte more, to see growth since
	// the stat (a size of 0, as /proc reports, reads until the end).
	size := st.Size + 1
	if st.Size == 0 {
		size = 512
	}
	buf := make([]byte, size)
	n := 0
	for {
		if n == len(buf) {
			if int64(n) > limit {
				return nil, &FileTooLargeError{Limit: limit}
			}
			buf = append(buf, make([]byte, min(int64(len(buf)), limit+1-int64(len(buf))))...)
		}
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	if int64(n) > limit {
		return nil, &FileTooLargeError{Limit: limit}
	}
	return buf[:n:n], nil
}
