package analyzer

import (
	"bytes"
	"errors"
	"slices"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// Places in the file that holds a text, for the language server: a
// document open in the editor is that file (a .py, a DAT's .text with its
// header, a .tdn), and its findings and edits are in its own lines.

// DiskPoint is a place in the file that holds a text: its 0-based line,
// and the bytes of that line before the place (an editor counts them in
// its own units).
type DiskPoint struct {
	Line   int
	Before string
}

// DiskEdit is an edit of the file that holds a text.
type DiskEdit struct {
	Start, End DiskPoint
	Text       string
}

// DiskPosition is where offset p of f's text sits in the file it was read
// from, as it was read: past a .text header, on a .tdn's or .parm's own
// line and column (at the string's start for an escaped one).
func DiskPosition(f *SourceFile, p pyparse.Pos) DiskPoint {
	pos := f.AST.Position(p)
	text := f.AST.Line(pos.Line)
	before := text[:min(max(pos.Col, 0), len(text))]
	if f.DiskLines != nil {
		dl := f.DiskLines[min(max(pos.Line, 1), len(f.DiskLines))-1]
		prefix := runePrefix(diskLine(f.disk, dl.Line-1), dl.Column-1)
		if dl.Escaped {
			return DiskPoint{Line: dl.Line - 1, Before: prefix}
		}
		return DiskPoint{Line: dl.Line - 1, Before: prefix + before}
	}
	if pos.Line <= 1 && f.textStart > 0 && f.textStart <= len(f.disk) {
		// The text's first line goes on after the header's last.
		header := f.disk[:f.textStart]
		before = string(header[bytes.LastIndexByte(header, '\n')+1:]) + before
	}
	return DiskPoint{Line: max(pos.Line, 1) - 1 + f.DiskLineOffset, Before: before}
}

// DiskEdits maps edits of f's text to edits of the file it was read from:
// the same places for a .py or past the header for a .text; for a DAT of a
// .tdn file, the edit of its dat_content that --fix would write (see
// rewriteTDN), or an error when there is none.
func DiskEdits(f *SourceFile, edits []TextEdit) ([]DiskEdit, error) {
	if f.noFix != "" {
		return nil, errors.New(f.noFix)
	}
	for _, e := range edits {
		if e.Range.File != f || e.Range.Start > e.Range.End {
			return nil, errors.New("an edit outside the file")
		}
	}
	if f.tdn == nil {
		out := make([]DiskEdit, 0, len(edits))
		for _, e := range edits {
			out = append(out, DiskEdit{Start: DiskPosition(f, e.Range.Start), End: DiskPosition(f, e.Range.End), Text: e.NewText})
		}
		return out, nil
	}
	pe := make([]pyparse.Edit, 0, len(edits))
	for _, e := range edits {
		pe = append(pe, pyparse.Edit{Start: e.Range.Start, End: e.Range.End, Text: e.NewText})
	}
	slices.SortStableFunc(pe, func(a, b pyparse.Edit) int { return int(a.Start - b.Start) })
	for i := 1; i < len(pe); i++ {
		if pe[i].Start < pe[i-1].End {
			return nil, errors.New("overlapping edits")
		}
	}
	text := pyparse.ApplyEdits(f.AST.Src, pe)
	raw, err := tdnEdits(f.DiskPath, f.disk, []tdnChange{{at: f.tdn, old: string(f.AST.Src), new: string(text)}})
	if err != nil {
		return nil, err
	}
	point := func(off pyparse.Pos) DiskPoint {
		head := f.disk[:off]
		nl := bytes.LastIndexByte(head, '\n')
		return DiskPoint{Line: bytes.Count(head, []byte{'\n'}), Before: string(head[nl+1:])}
	}
	out := make([]DiskEdit, 0, len(raw))
	for _, e := range raw {
		out = append(out, DiskEdit{Start: point(e.Start), End: point(e.End), Text: e.Text})
	}
	return out, nil
}

// diskLine is line n (0-based) of data, without its line end.
func diskLine(data []byte, n int) string {
	for ; n > 0; n-- {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return ""
		}
		data = data[i+1:]
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	return string(bytes.TrimSuffix(data, []byte{'\r'}))
}

// runePrefix is the first n characters of s.
func runePrefix(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
