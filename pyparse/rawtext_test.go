package pyparse

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func applyToSrc(src []byte, edits []Edit) string {
	var b strings.Builder
	prev := 0
	for _, e := range edits {
		b.Write(src[prev:e.Start])
		b.WriteString(e.Text)
		prev = int(e.End)
	}
	b.Write(src[prev:])
	return b.String()
}

// editAt builds the edit replacing the first occurrence of old in f's text.
func editAt(t *testing.T, f *File, old, text string) Edit {
	t.Helper()
	i := bytes.Index(f.Src, []byte(old))
	if i < 0 {
		t.Fatalf("%q not in %q", old, f.Src)
	}
	return Edit{Start: Pos(i), End: Pos(i + len(old)), Text: text}
}

func TestApplyToRawKeepsTheFileAsItWas(t *testing.T) {
	latin1 := []byte("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nrun(f, delayMilliseconds=5)\n")
	for _, tc := range []struct {
		name     string
		raw      []byte
		old, new string
		want     []byte
	}{
		{
			"plain", []byte("run(f, delayMilliseconds=5)\n"), "delayMilliseconds", "delayMilliSeconds",
			[]byte("run(f, delayMilliSeconds=5)\n"),
		},
		{
			"bom", []byte("\xef\xbb\xbfx = 1\nrun(f, delayMilliseconds=5)\n"), "delayMilliseconds", "delayMilliSeconds",
			[]byte("\xef\xbb\xbfx = 1\nrun(f, delayMilliSeconds=5)\n"),
		},
		{
			"crlf", []byte("x = 1\r\ny = 2\r\nrun(f, delayMilliseconds=5)\r\n"), "delayMilliseconds", "delayMilliSeconds",
			[]byte("x = 1\r\ny = 2\r\nrun(f, delayMilliSeconds=5)\r\n"),
		},
		{
			"crlf inserted newline", []byte("x = 1\r\ny = 2\r\n"), "x = 1", "x = 1\nz = 3",
			[]byte("x = 1\r\nz = 3\r\ny = 2\r\n"),
		},
		{"lone cr", []byte("x = 1\ry = 2\r"), "y = 2", "y = 3", []byte("x = 1\ry = 3\r")},
		{
			"latin-1", latin1, "delayMilliseconds", "delayMilliSeconds",
			[]byte("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nrun(f, delayMilliSeconds=5)\n"),
		},
		{
			"latin-1 new text encoded", latin1, "'caf\u00e9'", "'th\u00e9'",
			[]byte("# -*- coding: latin-1 -*-\nname = 'th\xe9'\nrun(f, delayMilliseconds=5)\n"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ParseFile("x.py", tc.raw, Config{})
			got, err := ApplyToRaw(tc.raw, f.Src, []Edit{editAt(t, f, tc.old, tc.new)})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestApplyToRawRefusesWhatItCannotWrite(t *testing.T) {
	raw := []byte("# coding: latin-1\nx = 'a'\n")
	f := ParseFile("x.py", raw, Config{})
	if _, err := ApplyToRaw(raw, f.Src, []Edit{editAt(t, f, "'a'", "'\u20ac'")}); err == nil {
		t.Error("a euro sign was written into a latin-1 file")
	}
	if _, err := ApplyToRaw(raw, f.Src, []Edit{{Start: 3, End: 5}, {Start: 4, End: 6}}); err == nil {
		t.Error("overlapping edits were applied")
	}
	if _, err := ApplyToRaw([]byte("x\n"), []byte("x\n"), []Edit{{Start: 1, End: 9}}); err == nil {
		t.Error("an edit past the end was applied")
	}
}

// A file read with replacement characters has offsets that do not map
// back to its bytes: applying a fix there corrupted the line it was on.
func TestApplyToRawRefusesTextThatDidNotDecodeExactly(t *testing.T) {
	for _, raw := range [][]byte{
		[]byte("# caf\xe9\nop(\"x\")\nrun(f, delayMilliseconds=5)\n"),
		[]byte("\xef\xbb\xbf# coding: latin-1\nrun(f, delayMilliseconds=5)\n"),
		[]byte("# coding: klingon\nrun(f, delayMilliseconds=5)\n"),
	} {
		f := ParseFile("x.py", raw, Config{})
		if len(f.Errors) == 0 {
			t.Fatalf("%q parsed without an error", raw)
		}
		_, err := ApplyToRaw(raw, f.Src, []Edit{editAt(t, f, "delayMilliseconds", "delayMilliSeconds")})
		if !errors.Is(err, ErrInexactText) {
			t.Errorf("%q: got %v, want ErrInexactText", raw, err)
		}
	}
	// Text that is not the file's (an editor's buffer, a stale parse).
	raw := []byte("x = 1\n")
	if _, err := ApplyToRaw(raw, []byte("x = 2\n"), nil); !errors.Is(err, ErrInexactText) {
		t.Errorf("other text: %v", err)
	}
}

// Whatever the file's form, decoding the edited bytes gives the edited text.
func TestApplyToRawAgreesWithTheDecodedText(t *testing.T) {
	raws := [][]byte{
		[]byte("a = 1\nb = 'x'\nc = [1,\n 2]\n"),
		[]byte("\xef\xbb\xbfa = 1\r\nb = 'x\u00e9'\r\nc = [1,\r\n 2]\r\n"),
		[]byte("# coding: cp1252\na = '\x80\xe9'\rb = 2\r\n"),
		[]byte("# coding: koi8-r\n\n\xc1 = '\xd2\xd3'\nb = 3\n"),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, raw := range raws {
		f := ParseFile("x.py", raw, Config{})
		// An edit of the coding cookie changes how the rest decodes.
		from := 0
		if bytes.Contains(raw, []byte("coding")) {
			from = bytes.IndexByte(f.Src, '\n') + 1
		}
		for range 300 {
			var cuts []int
			for range 1 + rng.IntN(3) {
				cuts = append(cuts, from+rng.IntN(len(f.Src)-from+1), from+rng.IntN(len(f.Src)-from+1))
			}
			cuts = sortedRuneStarts(f.Src, cuts)
			var edits []Edit
			for i := 0; i+1 < len(cuts); i += 2 {
				edits = append(edits, Edit{Start: Pos(cuts[i]), End: Pos(cuts[i+1]), Text: []string{"", "q", "\n", "ab\ncd"}[rng.IntN(4)]})
			}
			got, err := ApplyToRaw(raw, f.Src, edits)
			if err != nil {
				t.Fatalf("%q %v: %v", raw, edits, err)
			}
			if want, back := applyToSrc(f.Src, edits), string(ParseFile("x.py", got, Config{}).Src); back != want {
				t.Fatalf("%q with %v:\n got %q\nwant %q", raw, edits, back, want)
			}
		}
	}
}

// sortedRuneStarts sorts offsets and moves each back to a character start.
func sortedRuneStarts(src []byte, offs []int) []int {
	for i, o := range offs {
		for o > 0 && o < len(src) && src[o]&0xC0 == 0x80 {
			o--
		}
		offs[i] = o
	}
	for i := 1; i < len(offs); i++ {
		for j := i; j > 0 && offs[j] < offs[j-1]; j-- {
			offs[j], offs[j-1] = offs[j-1], offs[j]
		}
	}
	return offs
}
