//go:build !linux && !darwin

package analyzer

import (
	"errors"
	"io"
)

// readRegular reads the regular file at path (symbolic links followed),
// at most limit bytes (limit <= 0: DefaultMaxFileSize).
func readRegular(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	f, info, err := openRegularInfo(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > limit {
		return nil, &FileTooLargeError{Limit: limit}
	}
	if info.Size() > 0 {
		// Read into a buffer of the file's size (one byte more, to see
		// growth since the stat): io.ReadAll's doubling cost the stdlib's
		// check a tenth of its time.
		buf := make([]byte, info.Size()+1)
		n, err := io.ReadFull(f, buf)
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return buf[:n], nil
		case err != nil:
			return nil, err
		}
		rest, err := io.ReadAll(io.LimitReader(f, limit-int64(n)+1))
		if err != nil {
			return nil, err
		}
		if int64(n+len(rest)) > limit {
			return nil, &FileTooLargeError{Limit: limit}
		}
		return append(buf, rest...), nil
	}
	return readLimited(f, limit)
}
