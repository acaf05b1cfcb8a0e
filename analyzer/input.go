package analyzer

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// DefaultMaxFileSize is the largest input read when no limit is given:
// ten times the largest Python file of CPython's standard library, so a
// real source file never meets it while /dev/zero or a runaway log named
// x.py cannot grow the run without bound.
const DefaultMaxFileSize = 10 << 20

// ErrNotRegular is a path that names a FIFO, a device, a socket or a
// directory where a file was expected: reading it could block forever
// (a FIFO with no writer) or never end (/dev/zero).
var ErrNotRegular = errors.New("not a regular file")

// FileTooLargeError is an input over the size limit.
type FileTooLargeError struct {
	Limit int64
}

func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("file larger than the limit of %s (raise it with --max-file-size)", byteSize(e.Limit))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// openRegular opens path for reading if it is a regular file. The open
// does not block: a FIFO opened without O_NONBLOCK waits for a writer,
// possibly forever, before its type can be checked on the open file.
func openRegular(path string) (*os.File, error) {
	f, _, err := openRegularInfo(path)
	return f, err
}

// openRegularInfo opens path without blocking on a FIFO (O_NONBLOCK) and
// refuses what the open file turns out not to be a regular file, with
// the file's information from that one fstat.
func openRegularInfo(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = ErrNotRegular
		}
		return nil, nil, err
	}
	return f, info, nil
}

// readLimited reads r to its end, failing once it passes limit bytes: a
// file may grow after its size was looked at, and stdin has no size.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &FileTooLargeError{Limit: limit}
	}
	return data, nil
}

// ParseByteSize reads a size as --max-file-size and the max-file-size
// key take it: a number of bytes with an optional unit, K/KB/KiB,
// M/MB/MiB or G/GB/GiB, all powers of 1024 ("10MiB", "512k", "1048576").
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid size %q: want a positive number of bytes, optionally with a unit (KiB, MiB, GiB)", s)
	}
	shift, ok := map[string]uint{"": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30}[strings.ToLower(strings.TrimSpace(t[i:]))]
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (want KiB, MiB or GiB)", s, strings.TrimSpace(t[i:]))
	}
	if n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n << shift, nil
}
