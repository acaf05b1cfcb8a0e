package pyparse

import (
	"bytes"
	"slices"
	"sort"
)

//go:generate go run gen_shift.go

// Reparse parses src, a new text of old's file (an editor's buffer after an
// edit), reusing old's parse of the top-level statements the edit did not
// touch. The result is what ParseFile(old.Name, src, cfg) returns, node for
// node and position for position (TestReparseIsParseFile checks this on
// random edits of the stdlib); only the statements around the edit are
// parsed again.
//
// A top-level statement starts a logical line at column 0 with a fresh
// tokenizer (no bracket, string or indentation open), so the text from one
// such line to another parses on its own. The edit's span is widened to
// the statements it touches (and the one before, which an indented line
// or a deleted newline can extend), and that text is parsed alone; if it
// parses without an error, the tokenizer ended it as fresh as the old text
// did, and the statements around it stand. Otherwise, and whenever old had
// errors (recovery and the choice of the first error are file-wide), it is
// a full parse.
//
// old is not modified: it may still be in use. Statements before the edit
// are shared with it, those after it too when the edit kept the length,
// else they are copied with their positions moved.
func Reparse(old *File, src []byte, cfg Config) *File {
	v := cfg.Version
	if v == 0 {
		v = Py311
	}
	if old == nil || !cfg.Decoded || cfg.Arena != nil || old.version != v || len(old.Errors) > 0 ||
		len(old.TypeIgnores) > 0 || len(src) > MaxSourceSize {
		return ParseFile(nameOf(old), src, cfg)
	}
	text := editorText(src)
	if checkUTF8(text) != nil || bytes.IndexByte(text, 0) >= 0 {
		return ParseFile(old.Name, src, cfg)
	}
	if f := reparseText(old, text); f != nil {
		return f
	}
	return ParseFile(old.Name, src, cfg)
}

func nameOf(f *File) string {
	if f == nil {
		return ""
	}
	return f.Name
}

// reparseText is Reparse of a normalised text, or nil when the edit cannot be
// confined to whole top-level statements.
func reparseText(old *File, text []byte) *File {
	// The edit is text[p:len(text)-s] in place of old.Src[p:len(old.Src)-s].
	n := min(len(old.Src), len(text))
	p := 0
	for p < n && old.Src[p] == text[p] {
		p++
	}
	s := 0
	for s < n-p && old.Src[len(old.Src)-1-s] == text[len(text)-1-s] {
		s++
	}
	if p == len(old.Src) && p == len(text) {
		f := *old
		f.Src = text
		return &f
	}
	// Slot k holds the statements from one that starts a line at column
	// 0 to the next one that does: starts[k] is that line's offset,
	// first[k] its first statement.
	var starts []Pos
	var first []int
	for i, st := range old.Body {
		at := stmtStart(st)
		line := old.LineStart(old.Position(at).Line)
		if line != at || len(starts) > 0 && starts[len(starts)-1] == line {
			continue // after a `;`, or inside the previous statement's lines
		}
		starts = append(starts, line)
		first = append(first, i)
	}
	if len(starts) == 0 {
		return nil
	}
	starts = append(starts, Pos(len(old.Src)))
	first = append(first, len(old.Body))
	// The slots to parse again: from the one holding the byte before the
	// edit to the one holding its end.
	lo, hi := Pos(max(p-1, 0)), Pos(len(old.Src)-s)
	if lo < starts[0] {
		return nil // the edit reaches the text before the first statement
	}
	a := sort.Search(len(starts), func(i int) bool { return starts[i] > lo }) - 1
	b := sort.Search(len(starts)-1, func(i int) bool { return starts[i+1] > hi })
	if b >= len(starts)-1 {
		b = len(starts) - 2
	}
	delta := Pos(len(text) - len(old.Src))
	from, to := starts[a], starts[b+1]+delta

	body, comments, binders, ok := parseRegion(text, from, to, old.version)
	if !ok {
		return nil
	}
	f := &File{Name: old.Name, Src: text, version: old.version, lines: computeLines(text)}
	tail := old.Body[first[b+1]:]
	f.Body = make([]Stmt, 0, first[a]+len(body)+len(tail))
	f.Body = append(f.Body, old.Body[:first[a]]...)
	f.Body = append(f.Body, body...)
	if delta == 0 {
		f.Body = append(f.Body, tail...)
	} else {
		sh := &shifter{d: delta}
		f.Body = append(f.Body, sh.stmtList(tail)...)
	}
	// Binders and comments: old's before the region, the region's, old's
	// after it.
	bFrom, _ := slices.BinarySearch(old.binders, from)
	bTo, _ := slices.BinarySearch(old.binders, starts[b+1])
	f.binders = make([]Pos, 0, bFrom+len(binders)+len(old.binders)-bTo)
	f.binders = append(append(f.binders, old.binders[:bFrom]...), binders...)
	for _, at := range old.binders[bTo:] {
		f.binders = append(f.binders, at+delta)
	}
	// Comments: old's before the region, the region's, old's after it.
	before := sort.Search(len(old.Comments), func(i int) bool { return old.Comments[i].Start >= from })
	after := sort.Search(len(old.Comments), func(i int) bool { return old.Comments[i].Start >= starts[b+1] })
	f.Comments = make([]*Comment, 0, before+len(comments)+len(old.Comments)-after)
	f.Comments = append(f.Comments, old.Comments[:before]...)
	f.Comments = append(f.Comments, comments...)
	for _, c := range old.Comments[after:] {
		if delta != 0 {
			c = &Comment{Span: c.shifted(delta), Text: c.Text}
		}
		f.Comments = append(f.Comments, c)
	}
	return f
}

// stmtStart is where a statement's text starts: its first decorator's `@`.
func stmtStart(s Stmt) Pos {
	var decorators []Expr
	switch s := s.(type) {
	case *FunctionDef:
		decorators = s.DecoratorList
	case *ClassDef:
		decorators = s.DecoratorList
	}
	if len(decorators) > 0 {
		return min(s.Pos(), decorators[0].Pos()-1)
	}
	return s.Pos()
}

// parseRegion parses text[from:to], which starts a line, as top-level
// statements with positions in text; ok is false if it has an error.
func parseRegion(text []byte, from, to Pos, v Version) (body []Stmt, comments []*Comment, binders []Pos, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	buf := getTokens()
	sc := newScanner(text[:to], v, *buf)
	sc.pos = int(from)
	sc.scanAll()
	defer func() { putTokens(buf, sc.tokens) }()
	if len(sc.errs) > 0 {
		return nil, nil, nil, false
	}
	names := getNames()
	defer nameCaches.Put(names)
	p := &parser{src: text, toks: sc.tokens, version: v, names: names, slabs: new(nodeSlabs)}
	body = p.parseModule()
	if len(p.errs) > 0 {
		return nil, nil, nil, false
	}
	slices.Sort(p.binders)
	return body, sc.comments, p.binders, true
}

// shifted moves a valid position by d.
func (p Pos) shifted(d Pos) Pos {
	if p.IsValid() {
		return p + d
	}
	return p
}

func (s Span) shifted(d Pos) Span { return Span{s.Start.shifted(d), s.EndPos.shifted(d)} }

// shifter copies subtrees with every position moved by d; the copies
// come from its slabs (a moved tail is thousands of nodes).
type shifter struct {
	d      Pos
	slabs  shiftSlabs
	exprs  slab[Expr]
	stmts  slab[Stmt]
	pats   slab[Pattern]
	tparam slab[TypeParam]
}

func (s *shifter) expr(e Expr) Expr                { return shiftAs(s, e) }
func (s *shifter) stmt(st Stmt) Stmt               { return shiftAs(s, st) }
func (s *shifter) pattern(p Pattern) Pattern       { return shiftAs(s, p) }
func (s *shifter) typeParam(t TypeParam) TypeParam { return shiftAs(s, t) }

// shiftAs is node for a node held as interface T (nil stays nil).
func shiftAs[T Node](s *shifter, n T) T {
	var zero T
	if Node(n) == nil {
		return zero
	}
	out, ok := s.node(n).(T)
	if !ok {
		panic("pyparse: shifter.node changed a node's kind")
	}
	return out
}

func (s *shifter) exprList(es []Expr) []Expr { return shiftList(s, es, &s.exprs, s.expr) }

func (s *shifter) stmtList(ss []Stmt) []Stmt { return shiftList(s, ss, &s.stmts, s.stmt) }

func (s *shifter) patternList(ps []Pattern) []Pattern {
	return shiftList(s, ps, &s.pats, s.pattern)
}

func (s *shifter) typeParamList(ts []TypeParam) []TypeParam {
	return shiftList(s, ts, &s.tparam, s.typeParam)
}

func shiftList[T any](_ *shifter, xs []T, slab *slab[T], shift func(T) T) []T {
	if xs == nil {
		return nil
	}
	out := slab.list(len(xs))
	for i, x := range xs {
		out[i] = shift(x)
	}
	return out
}
