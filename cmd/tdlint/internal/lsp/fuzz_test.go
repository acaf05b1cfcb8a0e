package lsp

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// FuzzReadFrame feeds arbitrary bytes to the Content-Length reader: it
// must end (every message read consumes input, and the end of input ends
// the stream) without panicking; after them, a well-formed message is
// still read as written.
func FuzzReadFrame(f *testing.F) {
	for _, s := range []string{
		"Content-Length: 2\r\n\r\n{}",
		"Content-Length: 17\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\"}",
		"Content-Length: -1\r\n\r\n",
		"content-length:3\n\n[1]\r\n\r\n",
		"Content-Length: 99999999999999999999\r\n\r\n",
		"\r\n\r\nContent-Length: 0\r\n\r\n",
		"garbage\r\nContent-Length: 1\r\n\r\nx",
	} {
		f.Add([]byte(s), "payload")
	}
	f.Fuzz(func(t *testing.T, data []byte, payload string) {
		var out bytes.Buffer
		s := newStream(bytes.NewReader(data), &out, nil, func(string, ...any) {})
		close(s.ready)
		for i := 0; ; i++ {
			if i > len(data) {
				t.Fatalf("more than %d messages read from %d bytes", i, len(data))
			}
			var v json.RawMessage
			if err := s.ReadObject(&v); err != nil {
				break
			}
		}
		// A valid message after a clean end of the previous input.
		var frame bytes.Buffer
		w := newStream(nil, &frame, nil, func(string, ...any) {})
		if err := w.WriteObject(map[string]string{"text": payload}); err != nil {
			t.Fatal(err)
		}
		r := newStream(&frame, &out, nil, func(string, ...any) {})
		close(r.ready)
		var got map[string]string
		if err := r.ReadObject(&got); err != nil {
			t.Fatalf("reading back a written message: %v", err)
		}
		// JSON carries text: invalid UTF-8 comes back replaced.
		if utf8.ValidString(payload) && got["text"] != payload {
			t.Fatalf("read back %q, wrote %q", got["text"], payload)
		}
	})
}

var encodings = []string{encodingUTF8, encodingUTF16, encodingUTF32}

// FuzzApplyChange checks content changes and position conversion in every
// position encoding: a change replaces one range and keeps every byte
// around it, never splits a UTF-8 sequence of valid text, and an offset of
// a parsed file survives the trip to an LSP position and back.
func FuzzApplyChange(f *testing.F) {
	f.Add("x = '\U0001F600'\r\ny = 2\rz\n", 0, 6, 1, 1, "é", uint8(1))
	f.Add("a\nb", -1, 0, 99, 99, "", uint8(0))
	f.Add("\U0001F600\U0001F600", 0, 1, 0, 3, "x", uint8(1))
	f.Add("ab\r\n", 0, 5, 0, 1, "", uint8(2))
	f.Fuzz(func(t *testing.T, text string, l1, c1, l2, c2 int, insert string, encIndex uint8) {
		enc := encodings[int(encIndex)%len(encodings)]
		ch := contentChange{Range: &lspRange{Start: position{l1, c1}, End: position{l2, c2}}, Text: insert}
		out, err := applyChange([]byte(text), ch, enc)
		if err == nil {
			starts := lineStarts([]byte(text))
			from := offsetOf([]byte(text), starts, ch.Range.Start, enc)
			to := offsetOf([]byte(text), starts, ch.Range.End, enc)
			if from < 0 || from > to || to > len(text) {
				t.Fatalf("range [%d, %d) of %d bytes", from, to, len(text))
			}
			if want := text[:from] + insert + text[to:]; string(out) != want {
				t.Fatalf("applyChange = %q, want %q", out, want)
			}
			if utf8.ValidString(text) && utf8.ValidString(insert) && !utf8.Valid(out) {
				t.Fatalf("%s change split a character: %q", enc, out)
			}
		}
		if !utf8.ValidString(text) {
			return
		}
		file := pyparse.ParseFile("d.py", []byte(text), pyparse.Config{Decoded: true})
		n := 0
		for off := range string(file.Src) {
			n++
			if n > 500 {
				break
			}
			p := pyparse.Pos(off)
			for _, enc := range encodings {
				if back := parsedOffset(file, lspPosition(file, p, enc), enc); back != p {
					t.Fatalf("%s: offset %d -> %+v -> %d in %q", enc, p, lspPosition(file, p, enc), back, file.Src)
				}
			}
		}
	})
}
