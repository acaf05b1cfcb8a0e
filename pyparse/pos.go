// Package pyparse scans and parses Python 3.11–3.13 source into an AST that
// mirrors CPython's ast module, with exact positions and comments kept.
//
// ParseFile parses a file; Reparse parses an edited buffer again from its
// previous parse, reparsing only the top-level statements the edit
// touched; an Arena shares node memory across a batch of files kept
// together. Dump prints what CPython's ast.dump prints.
package pyparse

import (
	"bytes"
	"slices"
	"sort"
	"unicode/utf8"
)

// Pos is a byte offset into a File's (decoded, newline-normalised) source.
// Positions are resolved to lines and columns through the File, as go/token does.
type Pos int32

// NoPos marks a position that does not exist (an absent optional child).
const NoPos Pos = -1

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p >= 0 }

// Span is the source range of a node: [Start, EndPos). Every node that CPython
// gives lineno/col_offset/end_lineno/end_col_offset embeds one.
type Span struct {
	Start  Pos
	EndPos Pos
}

// Pos returns the node's first byte.
func (s Span) Pos() Pos { return s.Start }

// End returns the offset just past the node's last byte.
func (s Span) End() Pos { return s.EndPos }

// Position is a resolved location. Line is 1-based; Col is the 0-based UTF-8
// byte column (CPython's col_offset).
type Position struct {
	Offset int
	Line   int
	Col    int
}

// Comment is one `#` comment, from the `#` to the end of the line (exclusive).
type Comment struct {
	Span
	Text string // including the leading '#'
}

// File is one parsed source file. Src is the text the offsets refer to: the
// input decoded to UTF-8 (BOM and coding cookie honoured) with \r\n and \r
// normalised to \n, exactly as CPython's tokenizer sees it. Line and column
// numbers are therefore the same as in the file on disk.
type File struct {
	Name     string
	Src      []byte
	Body     []Stmt
	Comments []*Comment
	// TypeIgnores holds `# type: ignore` comments, as CPython reports them
	// with type_comments=True (empty otherwise).
	TypeIgnores []*TypeIgnore
	// Errors are the syntax errors found, first one first. The AST holds
	// whatever could be recovered; BadExpr/BadStmt nodes mark the gaps.
	Errors SyntaxErrors

	lines   []Pos // offset of the first byte of each line
	version Version
	// binders are the sorted offsets where lambdas, named expressions and
	// comprehensions start.
	binders []Pos
}

// HasBinderIn reports whether a lambda, a named expression (:=) or a
// comprehension starts in [start, end): the expressions that bind names
// or make a scope inside a statement. A scope builder skips walking the
// statements that have none, which are most.
func (f *File) HasBinderIn(start, end Pos) bool {
	i, _ := slices.BinarySearch(f.binders, start)
	return i < len(f.binders) && f.binders[i] < end
}

// Version is the grammar the file was parsed with.
func (f *File) Version() Version { return f.version }

// Position resolves p to a line and UTF-8 column.
func (f *File) Position(p Pos) Position {
	off := int(p)
	if off < 0 {
		return Position{Offset: -1}
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	i := max(sort.Search(len(f.lines), func(i int) bool { return int(f.lines[i]) > off })-1, 0)
	return Position{Offset: off, Line: i + 1, Col: off - int(f.lines[i])}
}

// LineCount returns the number of lines in the file.
func (f *File) LineCount() int { return len(f.lines) }

// LineStart returns the offset of the first byte of 1-based line n.
func (f *File) LineStart(n int) Pos {
	if n < 1 {
		return 0
	}
	if n > len(f.lines) {
		return Pos(len(f.Src))
	}
	return f.lines[n-1]
}

// Line returns the text of 1-based line n without its newline.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := int(f.lines[n-1])
	end := len(f.Src)
	if n < len(f.lines) {
		end = int(f.lines[n]) - 1
	}
	if end < start {
		end = start
	}
	return string(f.Src[start:end])
}

// UTF16Col returns p's column counted in UTF-16 code units, as LSP clients
// count by default.
func (f *File) UTF16Col(p Pos) int {
	pos := f.Position(p)
	if pos.Offset < 0 {
		return 0
	}
	line := f.Src[pos.Offset-pos.Col : pos.Offset]
	n := 0
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		line = line[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// OffsetOfUTF16 converts a 1-based line and a UTF-16 column to a Pos, clamping
// to the line's end; the inverse of UTF16Col.
func (f *File) OffsetOfUTF16(line, col16 int) Pos {
	start := int(f.LineStart(line))
	text := f.Line(line)
	n := 0
	for i, r := range text {
		if n >= col16 {
			return Pos(start + i)
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return Pos(start + len(text))
}

func computeLines(src []byte) []Pos {
	lines := make([]Pos, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return lines
		}
		off += i + 1
		lines = append(lines, Pos(off))
	}
}
