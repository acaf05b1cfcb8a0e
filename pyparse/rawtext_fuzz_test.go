package pyparse

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// referenceOffsets maps the offset of each character of raw's decoded
// text to its byte offset in raw (-1 inside a character's UTF-8 bytes),
// one byte at a time: "\r\n" is one character, a single-byte coding's byte
// is its rune, UTF-8 is itself. It is the plain statement of what
// rawBoundaries computes incrementally.
func referenceOffsets(raw []byte) []int {
	bom, codec := detectCodec(raw)
	i := 0
	if bom {
		i = 3
	}
	var cm *charmap.Charmap
	if codec != "" {
		cm, _ = pythonCodecs[normalCodecName(codec)].(*charmap.Charmap)
	}
	var at []int
	for i < len(raw) {
		at = append(at, i)
		switch {
		case raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			i++
		case cm != nil:
			for range utf8.RuneLen(cm.DecodeByte(raw[i])) - 1 {
				at = append(at, -1)
			}
		}
		i++
	}
	return append(at, len(raw))
}

// FuzzApplyToRaw checks ApplyToRaw on any bytes and any sorted,
// non-overlapping edits: bytes that do not decode strictly are refused
// (ErrInexactText); otherwise either the edits are refused or the result
// decodes to the text with the edits applied, and every byte outside the
// edits is there unchanged and in order, whatever the BOM, coding and
// newlines.
func FuzzApplyToRaw(f *testing.F) {
	for _, src := range []string{
		"# caf\xe9\nop(\"x\")\nrun(f, delayMilliseconds=5)\n",
		"\xef\xbb\xbfx = 1\r\nrun(f, delayMilliseconds=5)\r\n",
		"x = 1\ry = 2\r\nz = '\u00e9'\n",
		"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\r\nx = 1\r",
		"# coding: cp1252\na = '\x80\xe9'\rb = 2\r\n",
		"#!/bin/python\n# coding: koi8-r\n\xc1 = '\xd2\xd3'\n",
		"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
	} {
		f.Add([]byte(src), []byte{0, 30, 0, 33, 1, 40, 1, 41}, "\u00e9")
	}
	f.Fuzz(func(t *testing.T, raw, cuts []byte, ins string) {
		text, serr := decodeSource(raw)
		if serr != nil {
			text = ParseFile("x.py", raw, Config{}).Src
		}
		var offs []int
		for i := 0; i+1 < len(cuts) && len(offs) < 16; i += 2 {
			o := int(binary.BigEndian.Uint16(cuts[i:])) % (len(text) + 1)
			for o > 0 && o < len(text) && !utf8.RuneStart(text[o]) {
				o--
			}
			offs = append(offs, o)
		}
		slices.Sort(offs)
		var edits []Edit
		for i := 0; i+1 < len(offs); i += 2 {
			edits = append(edits, Edit{Start: Pos(offs[i]), End: Pos(offs[i+1]), Text: []string{"", ins, "\n", "a\nb"}[int(cuts[i])%4]})
		}
		out, err := ApplyToRaw(raw, text, edits)
		if serr != nil {
			if !errors.Is(err, ErrInexactText) {
				t.Fatalf("%q does not decode (%s) but was edited: %q, %v", raw, serr.msg, out, err)
			}
			return
		}
		if err != nil {
			return
		}
		if back, serr := decodeSource(out); serr != nil || !bytes.Equal(back, ApplyEdits(text, edits)) {
			t.Fatalf("%q with %v reads back as %q", raw, edits, back)
		}
		at := referenceOffsets(raw)
		if len(at) != len(text)+1 {
			t.Fatalf("%q: %d characters of text, %d by the reference", raw, len(text), len(at)-1)
		}
		if !keepsGaps(raw, out, at, edits) {
			t.Fatalf("bytes outside the edits changed:\nraw %q\nout %q\nedits %v", raw, out, edits)
		}
	})
}

// keepsGaps reports whether out is raw with the byte ranges of edits
// replaced: every byte outside them is there, unchanged and in order.
func keepsGaps(raw, out []byte, at []int, edits []Edit) bool {
	if len(edits) == 0 {
		return bytes.Equal(raw, out)
	}
	first := raw[:at[edits[0].Start]]
	last := raw[at[edits[len(edits)-1].End]:]
	if !bytes.HasPrefix(out, first) || !bytes.HasSuffix(out, last) {
		return false
	}
	pos := len(first)
	for i := 1; i < len(edits); i++ {
		gap := raw[at[edits[i-1].End]:at[edits[i].Start]]
		j := bytes.Index(out[pos:], gap)
		if j < 0 {
			return false
		}
		pos += j + len(gap)
	}
	return len(out)-len(last) >= pos
}
