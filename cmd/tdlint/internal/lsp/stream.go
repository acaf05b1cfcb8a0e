package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
)

// maxMessage bounds a message body; a larger one is skipped unread.
const maxMessage = 64 << 20

// stream frames JSON-RPC messages with LSP's Content-Length headers. Unlike
// jsonrpc2's own codec it survives a bad message: a body that is not JSON,
// or not JSON-RPC, is answered with the JSON-RPC error and the next
// message is read; header lines it cannot read are skipped until the next
// Content-Length. Only the end of input (or an error reading it) ends the
// stream.
type stream struct {
	r *bufio.Reader
	w io.Writer
	c io.Closer

	wmu sync.Mutex
	log func(format string, args ...any)
	// ready holds reading back until the server has its connection:
	// jsonrpc2 starts reading, and handling, as the connection is made.
	ready chan struct{}
}

func newStream(r io.Reader, w io.Writer, c io.Closer, log func(string, ...any)) *stream {
	return &stream{r: bufio.NewReaderSize(r, 64<<10), w: w, c: c, log: log, ready: make(chan struct{})}
}

func (s *stream) ReadObject(v any) error {
	<-s.ready
	for {
		body, err := s.readFrame()
		if err != nil {
			return err
		}
		if body == nil {
			continue
		}
		if err := json.Unmarshal(body, v); err != nil {
			code, what := -32600, "invalid request"
			if !json.Valid(body) {
				code, what = -32700, "parse error"
			}
			s.log("tdlint server: %s: %v", what, err)
			if werr := s.WriteObject(rpcError{JSONRPC: "2.0", ID: requestID(body), Error: rpcErrorBody{Code: code, Message: what + ": " + err.Error()}}); werr != nil {
				return werr
			}
			continue
		}
		return nil
	}
}

// rpcError is a response the stream sends itself, for messages it could
// not hand on.
type rpcError struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   rpcErrorBody    `json:"error"`
}

type rpcErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// requestID digs the id out of a message that is JSON but not a valid
// request, so the client can match the error to its call (null otherwise).
func requestID(body []byte) json.RawMessage {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &m) == nil && len(m.ID) > 0 && (m.ID[0] == '"' || m.ID[0] >= '0' && m.ID[0] <= '9' || m.ID[0] == '-') {
		return m.ID
	}
	return json.RawMessage("null")
}

// readFrame returns one message body, or nil for one that was skipped.
func (s *stream) readFrame() ([]byte, error) {
	length := -1
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if length >= 0 {
				break
			}
			continue // a stray blank line
		}
		name, value, ok := strings.Cut(line, ":")
		switch {
		case ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length"):
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				s.log("tdlint server: bad header %q", line)
				length = -1
				continue
			}
			length = n
		case ok && strings.EqualFold(strings.TrimSpace(name), "Content-Type"):
		default:
			s.log("tdlint server: skipping unreadable header line %q", truncate(line))
		}
	}
	if length > maxMessage {
		s.log("tdlint server: skipping a %d-byte message (limit %d)", length, maxMessage)
		if _, err := io.CopyN(io.Discard, s.r, int64(length)); err != nil {
			return nil, err
		}
		return nil, s.WriteObject(rpcError{JSONRPC: "2.0", ID: json.RawMessage("null"), Error: rpcErrorBody{Code: -32600, Message: "message too large"}})
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// readLine reads a header line, discarding the excess of an absurdly long
// one rather than holding it in memory.
func (s *stream) readLine() (string, error) {
	var b bytes.Buffer
	for {
		chunk, err := s.r.ReadSlice('\n')
		if b.Len() < 4096 {
			b.Write(chunk[:min(len(chunk), 4096-b.Len())])
		}
		switch {
		case err == nil:
			return b.String(), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && b.Len() > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func (s *stream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	frame := make([]byte, 0, len(data)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(data)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, data...)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, err = s.w.Write(frame)
	return err
}

func (s *stream) Close() error {
	if s.c != nil {
		return s.c.Close()
	}
	return nil
}
