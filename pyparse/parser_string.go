package pyparse

import "bytes"

// literalRun accumulates adjacent literal text of a (possibly implicitly
// concatenated) string into one Constant, as CPython merges them.
type literalRun struct {
	buf        []byte
	start, end Pos
	u          bool
	open       bool
}

func (r *literalRun) add(val string, start, end Pos, u bool) {
	if !r.open {
		r.open = true
		r.start = start
		r.u = u
		r.buf = r.buf[:0]
	}
	r.end = end
	r.buf = append(r.buf, val...)
}

// flush appends the pending literal (if non-empty) to values.
func (r *literalRun) flush(values []Expr) []Expr {
	if r.open {
		r.open = false
		if len(r.buf) > 0 {
			values = append(values, &Constant{
				Span:  Span{r.start, r.end},
				Value: ConstValue{Kind: ConstStr, Str: string(r.buf)},
				U:     r.u,
			})
		}
	}
	return values
}

// stringToken splits a STRING or FStringStart token into its prefix flags
// and, for STRING, its body.
func stringToken(text []byte) (body []byte, raw, isBytes, isU bool) {
	i := 0
	for i < len(text) && text[i] != '"' && text[i] != '\'' {
		switch text[i] {
		case 'r', 'R':
			raw = true
		case 'b', 'B':
			isBytes = true
		case 'u', 'U':
			isU = true
		}
		i++
	}
	rest := text[i:]
	q := 1
	if len(rest) >= 6 && rest[0] == rest[1] && rest[1] == rest[2] {
		q = 3
	}
	if len(rest) >= 2*q {
		body = rest[q : len(rest)-q]
	} else if len(rest) >= q {
		body = rest[q:]
	}
	return body, raw, isBytes, isU
}

// strings parses one or more adjacent string literals (plain and f-strings).
func (p *parser) strings() Expr {
	start := p.tok().Start
	var run literalRun
	var values []Expr
	isF, anyBytes, anyStr := false, false, false
	firstU := false
	first := true
	// A lone plain literal, the common case, is its decoded value: it is
	// held back, and copied through the run only if more pieces follow.
	var held struct {
		val        string
		start, end Pos
		u          bool
		ok         bool
	}
	release := func() {
		if held.ok {
			run.add(held.val, held.start, held.end, held.u)
			held.ok = false
		}
	}
	for p.at(STRING) || p.at(FStringStart) {
		t := p.tok()
		if t.Kind == FStringStart {
			release()
			isF, anyStr = true, true
			values = p.fstring(&run, values)
			first = false
			continue
		}
		p.next()
		body, raw, isBytes, isU := stringToken(p.src[t.Start:t.End])
		if first {
			firstU = isU
		}
		first = false
		val, err := decodeLiteral(body, raw, isBytes, false)
		if err != nil {
			p.failAt(t.Start, t.End, "%s", err.msg)
		}
		if isBytes {
			anyBytes = true
		} else {
			anyStr = true
		}
		if anyBytes && anyStr {
			p.failAt(start, t.End, "cannot mix bytes and nonbytes literals")
		}
		if !run.open && !held.ok && !isF {
			held.val, held.start, held.end, held.u, held.ok = val, t.Start, t.End, isU, true
			continue
		}
		release()
		run.add(val, t.Start, t.End, isU)
	}
	end := p.lastEnd()
	if !isF {
		k := ConstStr
		if anyBytes {
			k = ConstBytes
		}
		str := held.val
		if !held.ok {
			str = string(run.buf)
		}
		return node(&p.slabs.constants, Constant{Span: Span{start, end}, Value: ConstValue{Kind: k, Str: str}, U: firstU})
	}
	release()
	values = run.flush(values)
	return &JoinedStr{Span{start, end}, values}
}

// fstring parses FStringStart ... FStringEnd, adding its parts to values.
func (p *parser) fstring(run *literalRun, values []Expr) []Expr {
	st := p.next()
	_, raw, _, _ := stringToken(p.src[st.Start:st.End])
	for {
		switch p.kind() {
		case FStringMiddle:
			t := p.next()
			val, err := decodeLiteral(p.src[t.Start:t.End], raw, false, true)
			if err != nil {
				p.failAt(t.Start, t.End, "%s", err.msg)
			}
			run.add(val, t.Start, t.End, false)
		case LBRACE:
			values = p.fstringField(run, values, raw)
		case FStringEnd:
			p.next()
			return values
		default:
			p.invalidSyntax()
		}
	}
}

// fstringField parses one `{expr[=][!c][:spec]}` replacement field,
// guarding the recursion depth (nested fields recurse).
func (p *parser) fstringField(run *literalRun, values []Expr, raw bool) []Expr {
	p.enter()
	r := p.fstringFieldBody(run, values, raw)
	p.depth--
	return r
}

func (p *parser) fstringFieldBody(run *literalRun, values []Expr, raw bool) []Expr {
	lb := p.next()
	if p.at(RBRACE) {
		p.fail("f-string: valid expression required before '}'")
	}
	var e Expr
	if p.at(KwYield) {
		e = p.yieldExpr()
	} else {
		e = p.starExpressions()
	}
	if (p.at(KwFor) || p.at(KwAsync)) && p.version < Py312 {
		// 3.11 parsed the field's text in parentheses, so a bare
		// generator expression was accepted there.
		gens := p.comprehensionClauses()
		e = &GeneratorExp{Span{e.Pos(), p.lastEnd()}, e, gens}
	}
	if k := p.kind(); k != EQUAL && k != EXCLAMATION && k != COLON && k != RBRACE {
		p.fail("f-string: expecting '=', or '!', or ':', or '}'")
	}
	debug := false
	if p.at(EQUAL) {
		p.next()
		debug = true
		run.add(stripComments(p.src[lb.End:p.tok().Start]), lb.End, p.tok().Start, false)
	}
	conv := -1
	if p.at(EXCLAMATION) {
		bang := p.next()
		nt := p.tok()
		if nt.Kind != NAME {
			p.fail("f-string: missing conversion character")
		}
		if nt.Start != bang.End {
			p.fail("f-string: conversion type must come right after the exclamanation mark")
		}
		switch name := p.text(nt); name {
		case "s", "r", "a":
			conv = int(name[0])
		default:
			p.failAt(nt.Start, nt.End, "f-string: invalid conversion character %s: expected 's', 'r', or 'a'", quotePy(name))
		}
		p.next()
	}
	var spec Expr
	if p.at(COLON) {
		colon := p.next()
		spec = p.formatSpec(colon.Start, raw)
	}
	if !p.at(RBRACE) {
		p.fail("f-string: expecting '}'")
	}
	rb := p.next()
	if debug && conv == -1 && spec == nil {
		conv = 'r'
	}
	values = run.flush(values)
	return append(values, &FormattedValue{Span{lb.Start, rb.End}, e, conv, spec})
}

func (p *parser) formatSpec(start Pos, raw bool) Expr {
	var run literalRun
	var values []Expr
	for !p.at(RBRACE) {
		switch p.kind() {
		case FStringMiddle:
			t := p.next()
			val, err := decodeLiteral(p.src[t.Start:t.End], raw, false, false)
			if err != nil {
				p.failAt(t.Start, t.End, "%s", err.msg)
			}
			run.add(val, t.Start, t.End, false)
		case LBRACE:
			values = p.fstringField(&run, values, raw)
		default:
			p.fail("f-string: expecting '}'")
		}
	}
	values = run.flush(values)
	return &JoinedStr{Span{start, p.tok().Start}, values}
}

// quotePy quotes s as Python's repr would for a simple identifier-like string.
func quotePy(s string) string { return "'" + s + "'" }

// stripComments removes `#` comments from the source text of an f-string
// debug expression (`f"{x = # note\n}"`), as CPython does for its text.
func stripComments(src []byte) string {
	if bytes.IndexByte(src, '#') < 0 {
		return string(src)
	}
	out := make([]byte, 0, len(src))
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(src) {
				out = append(out, c, src[i+1])
				i++
				continue
			}
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if i < len(src) {
				out = append(out, '\n')
			}
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
