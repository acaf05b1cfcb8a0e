package pyparse

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// sourceError is an error found while decoding the source, reported the way
// CPython reports it (line 0 for cookie problems).
type sourceError struct {
	msg  string
	line int
	col  int
}

// describe is the error with its line, for a message about the file.
func (e *sourceError) describe() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s", e.line, e.msg)
	}
	return e.msg
}

// pythonCodecs maps normalised Python codec names to decoders. Only the
// single-byte codecs real code declares are here; UTF-8 is handled directly.
var pythonCodecs = map[string]encoding.Encoding{
	"latin-1":      charmap.ISO8859_1,
	"latin1":       charmap.ISO8859_1,
	"iso-8859-1":   charmap.ISO8859_1,
	"iso8859-1":    charmap.ISO8859_1,
	"l1":           charmap.ISO8859_1,
	"cp819":        charmap.ISO8859_1,
	"iso-8859-2":   charmap.ISO8859_2,
	"latin2":       charmap.ISO8859_2,
	"iso-8859-15":  charmap.ISO8859_15,
	"iso8859-15":   charmap.ISO8859_15,
	"latin9":       charmap.ISO8859_15,
	"cp1250":       charmap.Windows1250,
	"windows-1250": charmap.Windows1250,
	"cp1251":       charmap.Windows1251,
	"windows-1251": charmap.Windows1251,
	"cp1252":       charmap.Windows1252,
	"windows-1252": charmap.Windows1252,
	"koi8-r":       charmap.KOI8R,
	"koi8-u":       charmap.KOI8U,
	"mac-roman":    charmap.Macintosh,
	"macroman":     charmap.Macintosh,
	"cp437":        charmap.CodePage437,
	"cp850":        charmap.CodePage850,
}

// normalCodecName mirrors CPython's tokenizer get_normal_name: utf-8 and
// latin-1 spellings collapse to one name, the rest go to codec lookup.
func normalCodecName(name string) string {
	lower := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	if len(name) > 12 {
		return lower
	}
	switch {
	case lower == "utf-8" || strings.HasPrefix(lower, "utf-8-"):
		return "utf-8"
	case lower == "latin-1" || lower == "iso-8859-1" || lower == "iso-latin-1" ||
		strings.HasPrefix(lower, "latin-1-") || strings.HasPrefix(lower, "iso-8859-1-") ||
		strings.HasPrefix(lower, "iso-latin-1-"):
		return "iso-8859-1"
	}
	return lower
}

// codingCookie finds a PEP 263 cookie in one line: a comment containing
// "coding[:=]" followed by a codec name.
func codingCookie(line []byte) (string, bool) {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f') {
		i++
	}
	if i >= len(line) || line[i] != '#' {
		return "", false
	}
	rest := line[i:]
	for {
		j := bytes.Index(rest, []byte("coding"))
		if j < 0 {
			return "", false
		}
		rest = rest[j+6:]
		if len(rest) == 0 || (rest[0] != ':' && rest[0] != '=') {
			continue
		}
		rest = rest[1:]
		for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			rest = rest[1:]
		}
		k := 0
		for k < len(rest) && (isAlnum(rest[k]) || rest[k] == '-' || rest[k] == '_' || rest[k] == '.') {
			k++
		}
		if k == 0 {
			continue
		}
		return string(rest[:k]), true
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blankOrComment reports whether a line may precede a cookie line (PEP 263:
// the cookie may be on line 2 only if line 1 is blank or a comment).
func blankOrComment(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\f', '\r', '\n':
		case '#':
			return true
		default:
			return false
		}
	}
	return true
}

// decodeSource turns raw file bytes into the UTF-8, \n-terminated text the
// tokenizer reads, following CPython: BOM, coding cookie on line 1 or 2,
// strict UTF-8 otherwise, and universal newlines.
func decodeSource(src []byte) ([]byte, *sourceError) {
	bom, codec := detectCodec(src)
	if bom {
		src = src[3:]
	}
	if codec != "" {
		norm := normalCodecName(codec)
		if bom && norm != "utf-8" {
			return nil, &sourceError{msg: fmt.Sprintf("encoding problem: %s with BOM", codec)}
		}
		if norm != "utf-8" && norm != "utf8" && norm != "u8" && norm != "utf" && norm != "cp65001" {
			enc, ok := pythonCodecs[norm]
			if !ok {
				return nil, &sourceError{msg: "unknown encoding: " + codec}
			}
			decoded, err := enc.NewDecoder().Bytes(src)
			if err != nil {
				return nil, &sourceError{msg: "encoding problem: " + codec}
			}
			return normalizeNewlines(decoded), nil
		}
	}
	if err := checkUTF8(src); err != nil {
		return nil, err
	}
	return normalizeNewlines(src), nil
}

// detectCodec finds a UTF-8 BOM and the PEP 263 cookie on line 1 or 2 ("" if none).
func detectCodec(src []byte) (bom bool, codec string) {
	bom = bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if bom {
		src = src[3:]
	}
	line1, rest := splitLine(src)
	if name, ok := codingCookie(line1); ok {
		return bom, name
	}
	if blankOrComment(line1) {
		line2, _ := splitLine(rest)
		if name, ok := codingCookie(line2); ok {
			return bom, name
		}
	}
	return bom, ""
}

func splitLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1], b[i+1:]
	}
	return b, nil
}

// checkUTF8 reports the first invalid UTF-8 sequence as CPython's tokenizer
// does: per line, with the byte's position within the line.
func checkUTF8(src []byte) *sourceError {
	if utf8.Valid(src) {
		return nil
	}
	line := 1
	lineStart := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				line++
				lineStart = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			reason := "invalid start byte"
			if c >= 0xC2 && c <= 0xF4 {
				if i+1 >= len(src) {
					reason = "unexpected end of data"
				} else {
					reason = "invalid continuation byte"
				}
			}
			// CPython finds the bad byte while decoding a string literal and
			// counts from the start of the literal's body.
			at := i - lineStart
			for j := i - 1; j >= lineStart; j-- {
				if src[j] == '"' || src[j] == '\'' {
					at = i - j - 1
					break
				}
			}
			return &sourceError{
				msg:  fmt.Sprintf("(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %d: %s", c, at, reason),
				line: line,
			}
		}
		i += size
	}
	return nil
}

// normalizeNewlines converts \r\n and lone \r to \n, as CPython's
// translate_newlines does, copying only when there is a \r.
func normalizeNewlines(src []byte) []byte {
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, c)
	}
	return out
}
