package lsp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// Position encodings, as LSP 3.17 names them. UTF-16 is the default every
// client understands; a client may offer UTF-8 or UTF-32.
const (
	encodingUTF8  = "utf-8"
	encodingUTF16 = "utf-16"
	encodingUTF32 = "utf-32"
)

// chooseEncoding takes the client's first offer we speak, else UTF-16.
func chooseEncoding(offered []string) string {
	for _, e := range offered {
		switch e {
		case encodingUTF8, encodingUTF16, encodingUTF32:
			return e
		}
	}
	return encodingUTF16
}

// units is how many code units of enc the UTF-8 text s takes.
func units(s, enc string) int {
	switch enc {
	case encodingUTF8:
		return len(s)
	case encodingUTF32:
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// byteOffset is the byte offset in line of the character'th code unit;
// past the end it is the end, as the specification asks.
func byteOffset(line string, character int, enc string) int {
	if enc == encodingUTF8 {
		// An offset inside a character (a client's bug) means the
		// character's start: an edit there must not split it.
		i := min(max(character, 0), len(line))
		for i > 0 && i < len(line) && !utf8.RuneStart(line[i]) {
			i--
		}
		return i
	}
	n := 0
	for i, r := range line {
		if n >= character {
			return i
		}
		if enc == encodingUTF16 && r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(line)
}

// document is a file open in the editor: the text as the editor has it
// (its own newlines), and the version the client gave it.
type document struct {
	uri     string
	path    string
	version int
	text    []byte
	// lint is the latest lint of this version (nil while one is due).
	lint *docLint
	// published is what was last sent for it, to send only changes.
	published string
}

// lineStarts are the offsets of text's lines; LSP breaks lines at "\n",
// "\r\n" and "\r".
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offsetOf resolves an LSP position in text.
func offsetOf(text []byte, starts []int, p position, enc string) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(starts) {
		return len(text)
	}
	start := starts[p.Line]
	end := len(text)
	if p.Line+1 < len(starts) {
		end = starts[p.Line+1]
	}
	line := strings.TrimRight(string(text[start:end]), "\r\n")
	return start + byteOffset(line, p.Character, enc)
}

// applyChange applies one content change to text.
func applyChange(text []byte, ch contentChange, enc string) ([]byte, error) {
	if ch.Range == nil {
		return []byte(ch.Text), nil
	}
	starts := lineStarts(text)
	from := offsetOf(text, starts, ch.Range.Start, enc)
	to := offsetOf(text, starts, ch.Range.End, enc)
	if from > to {
		return nil, fmt.Errorf("change range ends before it starts: %+v", *ch.Range)
	}
	out := make([]byte, 0, len(text)-(to-from)+len(ch.Text))
	out = append(out, text[:from]...)
	out = append(out, ch.Text...)
	return append(out, text[to:]...), nil
}

// lspPosition converts an offset of a parsed file to an LSP position. The
// parsed text has "\n" newlines where the editor may have others, but the
// lines, and so the positions, are the same.
func lspPosition(f *pyparse.File, p pyparse.Pos, enc string) position {
	pos := f.Position(p)
	line := f.Line(pos.Line)
	return position{Line: pos.Line - 1, Character: units(line[:min(pos.Col, len(line))], enc)}
}

// parsedOffset converts an LSP position to an offset of a parsed file.
func parsedOffset(f *pyparse.File, p position, enc string) pyparse.Pos {
	line := f.Line(p.Line + 1)
	return f.LineStart(p.Line+1) + pyparse.Pos(byteOffset(line, p.Character, enc))
}
