package pyparse

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/runenames"
)

// parseNumber converts a NUMBER token's text (already validated by the
// scanner) to its value.
func parseNumber(text []byte) ConstValue {
	s := string(text)
	if strings.IndexByte(s, '_') >= 0 {
		s = strings.ReplaceAll(s, "_", "")
	}
	if n := len(s); n > 0 && (s[n-1] == 'j' || s[n-1] == 'J') {
		f, _ := strconv.ParseFloat(s[:n-1], 64)
		return ConstValue{Kind: ConstComplex, Float: f}
	}
	if len(s) > 1 && s[0] == '0' && (s[1]|0x20 == 'x' || s[1]|0x20 == 'o' || s[1]|0x20 == 'b') {
		base := 16
		switch s[1] | 0x20 {
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if v, err := strconv.ParseUint(s[2:], base, 64); err == nil {
			return ConstValue{Kind: ConstInt, Str: strconv.FormatUint(v, 10)}
		}
		var b big.Int
		if _, ok := b.SetString(s[2:], base); ok {
			return ConstValue{Kind: ConstInt, Str: b.String()}
		}
		return ConstValue{Kind: ConstInt, Str: "0"}
	}
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			f = 0
		}
		return ConstValue{Kind: ConstFloat, Float: f}
	}
	// Decimal integer: strip leading zeros ("00" is 0).
	t := strings.TrimLeft(s, "0")
	if t == "" {
		t = "0"
	}
	return ConstValue{Kind: ConstInt, Str: t}
}

// IntValue returns a ConstInt's value when it fits in an int64.
func (v ConstValue) IntValue() (int64, bool) {
	if v.Kind != ConstInt {
		return 0, false
	}
	n, err := strconv.ParseInt(v.Str, 10, 64)
	return n, err == nil
}

// literalError is a problem decoding a string literal's body.
type literalError struct {
	msg string
	off int // byte offset within the body
}

// decodeLiteral decodes the body of a string literal (between the quotes).
// For str results the text is WTF-8: lone surrogates from \ud800 escapes are
// kept as three-byte sequences. braces says whether "{{"/"}}" collapse (an
// f-string's literal part).
func decodeLiteral(body []byte, raw, isBytes, braces bool) (string, *literalError) {
	if isBytes {
		for i, c := range body {
			if c >= utf8.RuneSelf {
				return "", &literalError{msg: "bytes can only contain ASCII literal characters", off: i}
			}
		}
	}
	if raw || !hasEscapes(body, braces) {
		if braces {
			return collapseBraces(body), nil
		}
		return string(body), nil
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if braces && (c == '{' || c == '}') && i+1 < len(body) && body[i+1] == c {
			out = append(out, c)
			i += 2
			continue
		}
		if c != '\\' || i+1 >= len(body) {
			out = append(out, c)
			i++
			continue
		}
		e := body[i+1]
		i += 2
		switch e {
		case '\n':
		case '\\':
			out = append(out, '\\')
		case '\'':
			out = append(out, '\'')
		case '"':
			out = append(out, '"')
		case 'a':
			out = append(out, 7)
		case 'b':
			out = append(out, 8)
		case 'f':
			out = append(out, 12)
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, 11)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(e - '0')
			for k := 0; k < 2 && i < len(body) && body[i] >= '0' && body[i] <= '7'; k++ {
				v = v*8 + int(body[i]-'0')
				i++
			}
			if isBytes {
				out = append(out, byte(v))
			} else {
				out = appendWTF8(out, rune(v))
			}
		case 'x':
			v, ok := hexDigits(body, i, 2)
			if !ok {
				if isBytes {
					return "", &literalError{msg: "(value error) invalid \\x escape at position " + strconv.Itoa(i-2), off: i - 2}
				}
				return "", &literalError{msg: "(unicode error) 'unicodeescape' codec can't decode bytes in position " + strconv.Itoa(i-2) + "-" + strconv.Itoa(min(i+1, len(body)-1)) + ": truncated \\xXX escape", off: i - 2}
			}
			i += 2
			if isBytes {
				out = append(out, byte(v))
			} else {
				out = appendWTF8(out, rune(v))
			}
		case 'u', 'U':
			if isBytes {
				out = append(out, '\\', e)
				continue
			}
			n := 4
			name := "\\uXXXX"
			if e == 'U' {
				n = 8
				name = "\\UXXXXXXXX"
			}
			v, ok := hexDigits(body, i, n)
			if !ok {
				return "", &literalError{msg: "(unicode error) 'unicodeescape' codec can't decode bytes in position " + strconv.Itoa(i-2) + "-" + strconv.Itoa(min(i+n-1, len(body)-1)) + ": truncated " + name + " escape", off: i - 2}
			}
			if v > 0x10FFFF {
				return "", &literalError{msg: "(unicode error) 'unicodeescape' codec can't decode bytes in position " + strconv.Itoa(i-2) + "-" + strconv.Itoa(i+n-1) + ": illegal Unicode character", off: i - 2}
			}
			i += n
			out = appendWTF8(out, rune(v))
		case 'N':
			if isBytes {
				out = append(out, '\\', e)
				continue
			}
			if i < len(body) && body[i] == '{' {
				end := i + 1
				for end < len(body) && body[end] != '}' {
					end++
				}
				if end < len(body) {
					if r, ok := lookupRuneName(string(body[i+1 : end])); ok {
						out = appendWTF8(out, r)
						i = end + 1
						continue
					}
				}
			}
			return "", &literalError{msg: "(unicode error) 'unicodeescape' codec can't decode bytes in position " + strconv.Itoa(i-2) + "-" + strconv.Itoa(i-1) + ": malformed \\N character escape", off: i - 2}
		default:
			// Unknown escapes keep their backslash (a warning in CPython).
			out = append(out, '\\')
			i--
		}
	}
	return string(out), nil
}

func hasEscapes(body []byte, braces bool) bool {
	for _, c := range body {
		if c == '\\' || braces && (c == '{' || c == '}') {
			return true
		}
	}
	return false
}

func collapseBraces(body []byte) string {
	if !hasEscapes(body, true) {
		return string(body)
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		out = append(out, c)
		if (c == '{' || c == '}') && i+1 < len(body) && body[i+1] == c {
			i++
		}
	}
	return string(out)
}

func hexDigits(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			d = int(c|0x20-'a') + 10
		default:
			return 0, false
		}
		v = v*16 + d
	}
	return v, true
}

// appendWTF8 appends r as UTF-8, encoding surrogates (which UTF-8 forbids)
// the way WTF-8 does so that Python's lone surrogates survive.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, byte(0xE0|r>>12), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

var (
	runeNamesOnce sync.Once
	runeNames     map[string]rune
)

// lookupRuneName resolves a \N{...} name, case-insensitively as Python does.
func lookupRuneName(name string) (rune, bool) {
	upper := strings.ToUpper(name)
	if rest, ok := strings.CutPrefix(upper, "CJK UNIFIED IDEOGRAPH-"); ok {
		if v, err := strconv.ParseUint(rest, 16, 32); err == nil {
			return rune(v), true
		}
	}
	runeNamesOnce.Do(func() {
		runeNames = make(map[string]rune, 40000)
		for r := rune(0); r <= unicodeMax; r++ {
			if n := runenames.Name(r); n != "" && n[0] != '<' {
				runeNames[n] = r
			}
		}
	})
	r, ok := runeNames[upper]
	return r, ok
}

const unicodeMax = 0x10FFFF
