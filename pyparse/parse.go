package pyparse

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// Version is a Python language version the parser accepts (3.9 to 3.13).
type Version int

// Supported versions. Py311 is what TouchDesigner ships since 2023; its
// 2022 builds ship Py39. Before 3.11 the grammar rejects what later
// versions added (match before 3.10, except* and starred subscripts and
// annotations before 3.11), with CPython's own messages and positions;
// other syntax errors keep 3.11's wording, which 3.9 often words "invalid
// syntax". ASTs are dumped as 3.11 dumps them.
const (
	Py39  Version = 309
	Py310 Version = 310
	Py311 Version = 311
	Py312 Version = 312
	Py313 Version = 313
)

func (v Version) String() string { return fmt.Sprintf("%d.%d", int(v)/100, int(v)%100) }

// ParseVersion reads "3.9" to "3.13".
func ParseVersion(s string) (Version, error) {
	switch s {
	case "3.9":
		return Py39, nil
	case "3.10":
		return Py310, nil
	case "3.11":
		return Py311, nil
	case "3.12":
		return Py312, nil
	case "3.13":
		return Py313, nil
	}
	return 0, fmt.Errorf("unsupported Python version %q (want 3.9, 3.10, 3.11, 3.12 or 3.13)", s)
}

// Config controls parsing.
type Config struct {
	// Version selects the grammar; the zero value means Py311.
	Version Version
	// Decoded says src is text already (an editor's buffer): it is UTF-8
	// whatever its coding cookie says, and only its newlines are
	// normalised.
	Decoded bool
	// Arena, if set, allocates the AST (see Arena).
	Arena *Arena
}

// MaxSourceSize is the largest input ParseFile accepts; offsets are int32.
const MaxSourceSize = 1 << 30

// ParseFile parses src, which may be in any encoding Python accepts (BOM or
// coding cookie). It never panics and always returns a File; syntax errors
// are in File.Errors (the first one is the error CPython would raise) and
// the AST holds what could be recovered.
func ParseFile(name string, src []byte, cfg Config) (f *File) {
	v := cfg.Version
	if v == 0 {
		v = Py311
	}
	f = &File{Name: name, version: v}
	if len(src) > MaxSourceSize {
		f.Src = nil
		f.lines = computeLines(nil)
		f.Errors = SyntaxErrors{{Msg: fmt.Sprintf("source too large (%d bytes, limit %d)", len(src), MaxSourceSize), Span: Span{0, 0}}}
		return f
	}
	var first *SyntaxError
	var text []byte
	var serr *sourceError
	if cfg.Decoded {
		text = editorText(src)
		serr = checkUTF8(text)
	} else {
		text, serr = decodeSource(src)
	}
	if serr != nil {
		first = &SyntaxError{Msg: serr.msg, Line: serr.line, Col: serr.col}
		// Keep analysing what we can: the bytes with invalid UTF-8 replaced.
		text = normalizeNewlines([]byte(strings.ToValidUTF8(string(src), "\uFFFD")))
	}
	if first == nil && bytes.IndexByte(text, 0) >= 0 {
		first = &SyntaxError{Msg: "source code string cannot contain null bytes", Line: 0}
	}
	f.Src = text
	f.lines = computeLines(text)

	defer func() {
		// The parser is written not to panic; this is the last line of
		// defence so that one file can never take a whole run down.
		if r := recover(); r != nil {
			f.Body = nil
			f.Errors = append(f.Errors, &SyntaxError{Msg: fmt.Sprintf("internal parser error: %v", r)})
			f.resolveErrors()
		}
	}()

	buf := getTokens()
	sc := newScanner(text, v, *buf)
	sc.scanAll()
	f.Comments = sc.comments
	defer func() { putTokens(buf, sc.tokens) }()

	names := getNames()
	defer nameCaches.Put(names)
	st, ok := stackPool.Get().(*stacks)
	if !ok {
		st = new(stacks)
	}
	p := &parser{src: text, toks: sc.tokens, version: v, names: names, stmts: st.stmts[:0], exprs: st.exprs[:0]}
	if cfg.Arena != nil {
		p.slabs = &cfg.Arena.nodes
	} else {
		p.slabs = new(nodeSlabs)
	}
	defer func() {
		// After a panic the stacks may hold nodes: clear before reuse.
		clear(p.stmts[:cap(p.stmts)])
		clear(p.exprs[:cap(p.exprs)])
		st.stmts, st.exprs = p.stmts[:0], p.exprs[:0]
		stackPool.Put(st)
	}()
	f.Body = p.parseModule()
	slices.Sort(p.binders)
	f.binders = p.binders

	f.Errors = orderErrors(f, first, sc.errs, p.errs)
	f.resolveErrors()
	return f
}

// editorText is an editor's buffer as the tokenizer reads it: UTF-8 already,
// without a BOM, newlines normalised.
func editorText(src []byte) []byte {
	return normalizeNewlines(bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF}))
}

// orderErrors puts first the error CPython reports: an encoding error, else
// the first tokenizer error (CPython re-tokenizes the whole file after a
// parser error and prefers what the tokenizer finds), except that an
// unclosed bracket only wins over a parser error on a later line.
func orderErrors(f *File, first *SyntaxError, scanErrs, parseErrs []*SyntaxError) SyntaxErrors {
	var out SyntaxErrors
	if first != nil {
		out = append(out, first)
	}
	var lead *SyntaxError
	if len(scanErrs) > 0 {
		lead = scanErrs[0]
		if strings.HasSuffix(lead.Msg, "was never closed") && len(parseErrs) > 0 {
			// The parser reaching the end of input inside the bracket is
			// the unclosed bracket; an earlier parser error wins over it.
			perr := parseErrs[0]
			atEOF := int(perr.Start) >= len(bytes.TrimRight(f.Src, " \t\n\f\\"))
			if !atEOF && f.Position(perr.Start).Line <= f.Position(lead.Start).Line {
				lead = perr
			}
		}
	} else if len(parseErrs) > 0 {
		lead = parseErrs[0]
	}
	if lead != nil {
		out = append(out, lead)
	}
	for _, e := range scanErrs {
		if e != lead {
			out = append(out, e)
		}
	}
	for _, e := range parseErrs {
		if e != lead {
			out = append(out, e)
		}
	}
	return out
}

// resolveErrors fills in Line and Col from the error spans.
func (f *File) resolveErrors() {
	for _, e := range f.Errors {
		if e.Line >= 0 && e.Span == (Span{}) {
			continue
		}
		pos := f.Position(e.Start)
		e.Line, e.Col = pos.Line, pos.Col
	}
}
