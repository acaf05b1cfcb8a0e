package pyparse

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Edit replaces Src[Start:End] of a File with Text.
type Edit struct {
	Start, End Pos
	Text       string
}

// ErrInexactText is why ApplyToRaw refuses a file whose bytes do not
// decode exactly (invalid UTF-8, an unknown coding, a BOM with another
// coding): its text was read with replacement characters, and offsets in
// that text do not map back to the bytes.
var ErrInexactText = errors.New("the file does not decode exactly, so fix offsets would not match its bytes")

// ApplyToRaw applies edits, given as offsets into text, to raw, the bytes
// text was decoded from (text is File.Src: UTF-8, "\n" newlines, no BOM).
// The result keeps raw's BOM, coding and newline style, and is byte for
// byte raw outside the edits, so a fix never rewrites what it did not mean
// to touch. Edits must be sorted by Start and must not overlap.
//
// It refuses (ErrInexactText) unless raw decodes, strictly, to text, and
// refuses any result that does not decode to text with the edits applied:
// what it writes is checked, not assumed.
func ApplyToRaw(raw, text []byte, edits []Edit) ([]byte, error) {
	decoded, serr := decodeSource(raw)
	if serr != nil {
		return nil, fmt.Errorf("%w (%s)", ErrInexactText, serr.describe())
	}
	if !bytes.Equal(decoded, text) {
		return nil, fmt.Errorf("%w (the fixes were computed on other text)", ErrInexactText)
	}
	prevEnd := Pos(0)
	for _, e := range edits {
		if e.Start < 0 || e.Start > e.End || int(e.End) > len(text) {
			return nil, fmt.Errorf("edit [%d, %d) is outside the file", e.Start, e.End)
		}
		if e.Start < prevEnd {
			return nil, errors.New("overlapping edits")
		}
		prevEnd = e.End
	}
	out, err := applyToRaw(raw, edits)
	if err != nil {
		return nil, err
	}
	back, serr := decodeSource(out)
	if serr != nil || !bytes.Equal(back, ApplyEdits(text, edits)) {
		return nil, errors.New("the edited file would not read back as the edited text; nothing applied")
	}
	return out, nil
}

// ApplyEdits is text with the edits (sorted, not overlapping) applied.
func ApplyEdits(text []byte, edits []Edit) []byte {
	out := make([]byte, 0, len(text)+64)
	prev := 0
	for _, e := range edits {
		out = append(out, text[prev:e.Start]...)
		out = append(out, e.Text...)
		prev = int(e.End)
	}
	return append(out, text[prev:]...)
}

// applyToRaw maps the edits to raw's bytes and splices them in.
func applyToRaw(raw []byte, edits []Edit) ([]byte, error) {
	bom, codec := detectCodec(raw)
	head := 0
	if bom {
		head = 3
	}
	var cm *charmap.Charmap
	if codec != "" {
		switch norm := normalCodecName(codec); norm {
		case "utf-8", "utf8", "u8", "utf", "cp65001":
		default:
			enc, ok := pythonCodecs[norm]
			if !ok {
				return nil, fmt.Errorf("unknown encoding %q", codec)
			}
			cm, _ = enc.(*charmap.Charmap)
			if cm == nil {
				return nil, fmt.Errorf("cannot write encoding %q", codec)
			}
		}
	}
	body := raw[head:]
	bounds, err := rawBoundaries(body, cm, edits)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(raw)+64)
	out = append(out, raw[:head]...)
	prev := 0
	for i, e := range edits {
		start, end := bounds[2*i], bounds[2*i+1]
		out = joinPiece(out, body[prev:start])
		text := e.Text
		if nl := newlineBefore(body, start); nl != "\n" {
			text = strings.ReplaceAll(text, "\n", nl)
		}
		if cm != nil {
			enc, err := cm.NewEncoder().String(text)
			if err != nil {
				return nil, fmt.Errorf("the fix %q cannot be written in the file's encoding %s", e.Text, codec)
			}
			text = enc
		}
		out = joinPiece(out, []byte(text))
		prev = end
	}
	return joinPiece(out, body[prev:]), nil
}

// joinPiece appends piece to out. A lone "\r" meeting a "\n" would read as
// one newline where the text has two: the "\r" becomes "\r\n".
func joinPiece(out, piece []byte) []byte {
	if len(out) > 0 && out[len(out)-1] == '\r' && len(piece) > 0 && piece[0] == '\n' {
		out = append(out, '\n')
	}
	return append(out, piece...)
}

// rawBoundaries maps every edit's Start and End from decoded offsets to
// offsets in body (raw without its BOM), walking the decoding once.
func rawBoundaries(body []byte, cm *charmap.Charmap, edits []Edit) ([]int, error) {
	want := make([]int, 0, 2*len(edits))
	for _, e := range edits {
		want = append(want, int(e.Start), int(e.End))
	}
	got := make([]int, 0, len(want))
	if cm == nil && bytes.IndexByte(body, '\r') < 0 {
		for _, w := range want {
			if w < 0 || w > len(body) {
				return nil, fmt.Errorf("edit at offset %d is outside the file", w)
			}
			got = append(got, w)
		}
		return got, nil
	}
	src, i := 0, 0
	for k := 0; k < len(want); {
		if want[k] == src {
			got = append(got, i)
			k++
			continue
		}
		if want[k] < src || i >= len(body) {
			return nil, fmt.Errorf("edit at offset %d does not fall on a character of the file", want[k])
		}
		switch c := body[i]; {
		case c == '\r':
			i++
			if i < len(body) && body[i] == '\n' {
				i++
			}
			src++
		case cm != nil:
			src += utf8.RuneLen(cm.DecodeByte(c))
			i++
		default:
			src++
			i++
		}
	}
	return got, nil
}

// newlineBefore is the newline of the line before offset i, so that an
// inserted line matches its neighbours (the file's first newline at the top).
func newlineBefore(body []byte, i int) string {
	j := bytes.LastIndexAny(body[:i], "\r\n")
	if j < 0 {
		j = bytes.IndexAny(body, "\r\n")
	} else if body[j] == '\n' && j > 0 && body[j-1] == '\r' {
		j--
	}
	switch {
	case j < 0 || body[j] == '\n':
		return "\n"
	case j+1 < len(body) && body[j+1] == '\n':
		return "\r\n"
	default:
		return "\r"
	}
}
