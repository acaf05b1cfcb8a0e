package analyzer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// datFile is a .text file: version line, header, body and trailer.
func datFile(body, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("099\n*")
	for _, v := range []uint32{1, 1, 1, 1, 2, uint32(len(body))} {
		_ = binary.Write(&b, binary.BigEndian, v)
	}
	b.WriteString(body)
	b.WriteString(trailer)
	return b.Bytes()
}

// fuzzEdits turns fuzz bytes into sorted, non-overlapping edits of text:
// pairs of offsets (moved back to a character start), each replaced by
// one of a few texts or by ins.
func fuzzEdits(text, cuts []byte, ins string) []pyparse.Edit {
	var offs []int
	for i := 0; i+1 < len(cuts) && len(offs) < 16; i += 2 {
		o := int(binary.BigEndian.Uint16(cuts[i:])) % (len(text) + 1)
		for o > 0 && o < len(text) && !utf8.RuneStart(text[o]) {
			o--
		}
		offs = append(offs, o)
	}
	slices.Sort(offs)
	texts := []string{"", ins, "\n", "a\nb", "\u00e9"}
	var edits []pyparse.Edit
	for i := 0; i+1 < len(offs); i += 2 {
		pick := int(cuts[i]) % len(texts)
		edits = append(edits, pyparse.Edit{Start: pyparse.Pos(offs[i]), End: pyparse.Pos(offs[i+1]), Text: texts[pick]})
	}
	return edits
}

// applyText is text with the edits applied: what the file must read as
// after the fix.
func applyText(text []byte, edits []pyparse.Edit) []byte {
	var out []byte
	prev := 0
	for _, e := range edits {
		out = append(out, text[prev:e.Start]...)
		out = append(out, e.Text...)
		prev = int(e.End)
	}
	return append(out, text[prev:]...)
}

// utf8Offsets maps each offset of the text of a UTF-8 file (no coding
// cookie) to its byte offset in raw: the BOM is skipped, "\r\n" is one
// character of the text, every other byte one. Written apart from
// pyparse, as the reference the fixes are checked against.
func utf8Offsets(raw []byte) []int {
	i := 0
	if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		i = 3
	}
	var at []int
	for i < len(raw) {
		at = append(at, i)
		if raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n' {
			i++
		}
		i++
	}
	return append(at, len(raw))
}

// mentionsCoding reports whether one of the first two lines could hold a
// coding cookie (then the file is not read as UTF-8).
func mentionsCoding(raw []byte) bool {
	lines := bytes.SplitN(raw, []byte("\n"), 3)
	for _, l := range lines[:min(2, len(lines))] {
		if bytes.Contains(l, []byte("coding")) {
			return true
		}
	}
	return false
}

// keepsGaps reports whether out is raw with the byte ranges of edits
// replaced: every byte outside them is there, unchanged and in order.
func keepsGaps(raw, out []byte, at []int, edits []pyparse.Edit) bool {
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

// FuzzFixBytes drives the path a fix takes from the bytes read to the
// bytes written (a DAT's header decoded, the text parsed, edits applied
// with ApplyToRaw, the header encoded again) on any bytes: invalid UTF-8,
// BOM, CRLF and lone CR, coding cookies, damaged headers. Either the fix
// is refused, or the file written reads back as the text with the edits
// applied exactly, and every byte outside the edits is unchanged; a file
// whose bytes are not strict UTF-8 (and names no other coding) is
// always refused.
func FuzzFixBytes(f *testing.F) {
	for _, src := range []string{
		"# caf\xe9\nop(\"x\")\nrun(f, delayMilliseconds=5)\n",
		"\xef\xbb\xbfx = 1\r\nrun(f, delayMilliseconds=5)\r\n",
		"x = 1\ry = 2\r\nz = '\u00e9'\n",
		"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n",
		"# coding: cp1252\na = '\x80\xe9'\rb = 2\r\n",
		"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
		"x = '\xff\xfe'\r\n",
	} {
		f.Add([]byte(src), false, []byte{0, 3, 0, 9, 1, 20, 1, 22}, "y")
	}
	f.Add(datFile("old_name = 1\r\n", "TRAILER"), true, []byte{0, 0, 0, 3}, "new")
	f.Add(datFile("x = 1\n", ""), true, []byte{2, 1, 2, 4}, "1\n*")
	f.Add(datFile("x = 1\n", "")[:20], true, []byte{0, 1, 0, 2}, "")
	f.Add([]byte("12\nx = 1\n"), true, []byte{0, 1, 0, 2}, "z")
	f.Fuzz(func(t *testing.T, raw []byte, dat bool, cuts []byte, ins string) {
		in := Input{Name: "a.py", DiskPath: "a.py", Src: raw, Disk: raw}
		if dat {
			body, header, damaged := decodeTOEText(raw)
			in = Input{Name: "t.text", DiskPath: "p.toe.dir/t.text", Src: body, Disk: raw, TextStart: len(header), NoFix: damaged}
		}
		file := ParseInput(&in, Options{})
		edits := fuzzEdits(file.AST.Src, cuts, ins)
		src, err := pyparse.ApplyToRaw(in.Src, file.AST.Src, edits)
		body := in.Src
		if !mentionsCoding(body) {
			if !utf8.Valid(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))) {
				if !errors.Is(err, pyparse.ErrInexactText) {
					t.Fatalf("text that is not UTF-8 was fixed: %q -> %q (%v)", body, src, err)
				}
				return
			}
			at := utf8Offsets(body)
			if len(at) != len(file.AST.Src)+1 {
				t.Fatalf("%q decoded to %d bytes of text, the reference says %d", body, len(file.AST.Src), len(at)-1)
			}
			if err == nil && !keepsGaps(body, src, at, edits) {
				t.Fatalf("bytes outside the edits changed:\nraw %q\nout %q\nedits %v", body, src, edits)
			}
		}
		if err != nil {
			return
		}
		want := applyText(file.AST.Src, edits)
		if back := pyparse.ParseFile("a.py", src, pyparse.Config{}).Src; !bytes.Equal(back, want) {
			t.Fatalf("the fixed file reads as %q, want %q", back, want)
		}
		disk, err := fixedDisk(&in, src)
		if err != nil {
			return
		}
		if !dat {
			if !bytes.Equal(disk, src) {
				t.Fatalf("a .py file is written as %q, not its fixed text %q", disk, src)
			}
			return
		}
		gotBody, header, damaged := decodeTOEText(disk)
		if damaged != "" || len(header) != in.TextStart || !bytes.Equal(gotBody, src) {
			t.Fatalf("the fixed .text reads back as %q (header %q, %s), want %q", gotBody, header, damaged, src)
		}
		if in.TextStart >= 4 && !bytes.Equal(header[:len(header)-4], raw[:in.TextStart-4]) {
			t.Fatalf("header changed beyond its length field: %q -> %q", raw[:in.TextStart], header)
		}
		if trailer := raw[in.TextStart+len(in.Src):]; !bytes.HasSuffix(disk, trailer) || len(disk) != len(header)+len(src)+len(trailer) {
			t.Fatalf("what follows the text changed: %q -> %q", raw, disk)
		}
	})
}

// FuzzTOEText checks the .text header round trip: decoding splits the
// file into header, body and trailer in place; a header that is not
// damaged encodes back to the same bytes; a new body encodes to a file
// that decodes to it, with the header changed only in its length field
// and the trailer kept, or is refused.
func FuzzTOEText(f *testing.F) {
	f.Add(datFile("old_name = 1\r\n", "TRAILER"), []byte("new_name = 1\r\n"))
	f.Add(datFile("", ""), []byte("x"))
	f.Add(datFile("x = 1\n", "")[:20], []byte("x"))
	f.Add([]byte("x = 1\n"), []byte("1\n*\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x00"))
	f.Add([]byte("12\nx = 1\n"), []byte("y"))
	f.Add([]byte("0\n*0000000000000000"), []byte("")) // a short form the header of which has no length field
	f.Fuzz(func(t *testing.T, raw, newBody []byte) {
		body, header, damaged := decodeTOEText(raw)
		if !bytes.Equal(header, raw[:len(header)]) || !bytes.Equal(body, raw[len(header):len(header)+len(body)]) {
			t.Fatalf("%q split into header %q and body %q, not in place", raw, header, body)
		}
		if len(header) == 0 && !bytes.Equal(body, raw) {
			t.Fatalf("%q: no header, but the body %q is not the file", raw, body)
		}
		if damaged != "" {
			return
		}
		same, err := encodeTOEText(raw, len(header), len(body), body)
		if err != nil || !bytes.Equal(same, raw) {
			t.Fatalf("%q does not encode back to itself: %q %v", raw, same, err)
		}
		out, err := encodeTOEText(raw, len(header), len(body), newBody)
		if err != nil {
			return
		}
		gotBody, gotHeader, gotDamaged := decodeTOEText(out)
		if gotDamaged != "" || len(gotHeader) != len(header) || !bytes.Equal(gotBody, newBody) {
			t.Fatalf("%q with body %q encoded to %q, which reads as %q (%s)", raw, newBody, out, gotBody, gotDamaged)
		}
		if len(header) >= 4 && !bytes.Equal(gotHeader[:len(header)-4], header[:len(header)-4]) {
			t.Fatalf("header changed beyond its length field: %q -> %q", header, gotHeader)
		}
		if trailer := raw[len(header)+len(body):]; !bytes.Equal(out[len(header)+len(newBody):], trailer) {
			t.Fatalf("trailer %q became %q", trailer, out[len(header)+len(newBody):])
		}
	})
}
