package pyparse

// The match statement (PEP 634). `match` and `case` are soft keywords, so a
// statement starting with the name `match` is a match statement only if its
// header parses as one.

func (p *parser) tryMatchStmt() Stmt {
	switch p.peek(1).Kind {
	case EQUAL, DOT, NEWLINE, EOF, COLON, COMMA, RPAR, SEMI:
		return nil
	}
	if _, aug := augAssignOps[p.peek(1).Kind]; aug {
		return nil
	}
	start := p.tok().Start
	var subject Expr
	var newline *Token // after a whole subject: the missing ':'
	if !p.speculate(func() {
		p.next()
		subject = p.subjectExpr()
		if p.at(NEWLINE) {
			t := p.tok()
			newline = &t
		}
		if !p.at(COLON) || p.peek(1).Kind != NEWLINE {
			p.invalidSyntax()
		}
	}) {
		if newline != nil && !p.parsesAsSimpleStmts() {
			// CPython's invalid_match_stmt, once the line is no
			// expression statement either (`match x`).
			p.failAt(newline.Start, newline.End, "expected ':'")
		}
		return nil
	}
	p.next() // ':'
	p.next() // NEWLINE
	if !p.at(INDENT) {
		t := p.tok()
		p.failAt(t.Start, t.End, "expected an indented block after 'match' statement on line %d", p.lineOf(start))
	}
	p.next()
	m := &Match{Subject: subject}
	for !p.at(DEDENT) && !p.at(EOF) {
		if !p.isName("case") {
			p.invalidSyntax()
		}
		m.Cases = append(m.Cases, p.caseBlock())
	}
	p.accept(DEDENT)
	m.Span = Span{start, p.blockEnd()}
	return m
}

func (p *parser) subjectExpr() Expr {
	start := p.tok().Start
	first := p.starNamedExpression()
	if !p.at(COMMA) {
		if _, ok := first.(*Starred); ok {
			p.invalidSyntax()
		}
		return first
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if p.at(COLON) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	return &Tuple{Span{start, p.lastEnd()}, elts, Load}
}

func (p *parser) caseBlock() *MatchCase {
	caseTok := p.next()
	c := &MatchCase{Pattern: p.patterns()}
	if p.accept(KwIf) {
		c.Guard = p.namedExpression()
	}
	p.expect(COLON)
	c.Body = p.block("'case' statement", caseTok.Start)
	c.Span = Span{caseTok.Start, p.blockEnd()}
	return c
}

// patterns: open_sequence_pattern | pattern.
func (p *parser) patterns() Pattern {
	start := p.tok().Start
	first := p.maybeStarPattern()
	if !p.at(COMMA) {
		if _, ok := first.(*MatchStar); ok {
			return &MatchSequence{Span{start, p.lastEnd()}, []Pattern{first}}
		}
		return first
	}
	pats := []Pattern{first}
	for p.accept(COMMA) {
		if p.at(COLON) || p.at(KwIf) {
			break
		}
		pats = append(pats, p.maybeStarPattern())
	}
	return &MatchSequence{Span{start, p.lastEnd()}, pats}
}

func (p *parser) maybeStarPattern() Pattern {
	if p.at(STAR) {
		start := p.next().Start
		name, nt := p.expectName()
		if name == "_" {
			return &MatchStar{Span: Span{start, nt.End}}
		}
		return &MatchStar{Span{start, nt.End}, name, true}
	}
	return p.pattern()
}

// pattern: or_pattern ['as' NAME].
// It bounds the recursion depth; a bailout resets the depth per statement.
func (p *parser) pattern() Pattern {
	p.enter()
	r := p.patternBody()
	p.depth--
	return r
}

func (p *parser) patternBody() Pattern {
	start := p.tok().Start
	pat := p.orPattern()
	if p.accept(KwAs) {
		name, nt := p.expectName()
		if name == "_" {
			p.failAt(nt.Start, nt.End, "cannot use '_' as a target")
		}
		return &MatchAs{Span{start, nt.End}, pat, name, true}
	}
	return pat
}

func (p *parser) orPattern() Pattern {
	start := p.tok().Start
	first := p.closedPattern()
	if !p.at(VBAR) {
		return first
	}
	pats := []Pattern{first}
	for p.accept(VBAR) {
		pats = append(pats, p.closedPattern())
	}
	return &MatchOr{Span{start, p.lastEnd()}, pats}
}

func (p *parser) closedPattern() Pattern {
	t := p.tok()
	start := t.Start
	switch t.Kind {
	case KwNone:
		p.next()
		return &MatchSingleton{Span{start, t.End}, ConstValue{Kind: ConstNone}}
	case KwTrue:
		p.next()
		return &MatchSingleton{Span{start, t.End}, ConstValue{Kind: ConstTrue}}
	case KwFalse:
		p.next()
		return &MatchSingleton{Span{start, t.End}, ConstValue{Kind: ConstFalse}}
	case NUMBER, MINUS:
		v := p.signedNumberExpr()
		return &MatchValue{Span{start, p.lastEnd()}, v}
	case STRING:
		v := p.strings()
		return &MatchValue{Span{start, p.lastEnd()}, v}
	case FStringStart:
		p.fail("patterns may only match literals and attribute lookups")
	case LPAR:
		p.next()
		if p.at(RPAR) {
			end := p.next().End
			return &MatchSequence{Span: Span{start, end}}
		}
		first := p.maybeStarPattern()
		if p.accept(RPAR) {
			if _, ok := first.(*MatchStar); ok {
				return &MatchSequence{Span{start, p.lastEnd()}, []Pattern{first}}
			}
			return first
		}
		pats := []Pattern{first}
		for p.accept(COMMA) {
			if p.at(RPAR) {
				break
			}
			pats = append(pats, p.maybeStarPattern())
		}
		p.expect(RPAR)
		return &MatchSequence{Span{start, p.lastEnd()}, pats}
	case LSQB:
		p.next()
		var pats []Pattern
		for !p.at(RSQB) {
			pats = append(pats, p.maybeStarPattern())
			if !p.accept(COMMA) {
				break
			}
		}
		p.expect(RSQB)
		return &MatchSequence{Span{start, p.lastEnd()}, pats}
	case LBRACE:
		return p.mappingPattern()
	case NAME:
		name := p.identifier(t)
		next := p.peek(1).Kind
		if next != DOT && next != LPAR {
			p.next()
			if name == "_" {
				return &MatchAs{Span: Span{start, t.End}}
			}
			return &MatchAs{Span: Span{start, t.End}, Name: name, HasName: true}
		}
		var e Expr = &Name{Span{start, t.End}, name, Load}
		p.next()
		for p.at(DOT) {
			p.next()
			attr, at := p.expectName()
			e = &Attribute{Span: Span{start, p.lastEnd()}, Value: e, Attr: attr, AttrPos: at.Start, Ctx: Load}
		}
		if p.at(LPAR) {
			return p.classPattern(start, e)
		}
		return &MatchValue{Span{start, p.lastEnd()}, e}
	}
	p.invalidSyntax()
	return nil
}

// signedNumberExpr parses a literal number pattern: ['-'] NUMBER [('+'|'-') NUMBER].
func (p *parser) signedNumberExpr() Expr {
	start := p.tok().Start
	var e Expr
	if p.at(MINUS) {
		p.next()
		t := p.expect(NUMBER)
		e = &UnaryOp{Span{start, t.End}, USub, &Constant{Span: Span{t.Start, t.End}, Value: parseNumber(p.src[t.Start:t.End])}}
	} else {
		t := p.expect(NUMBER)
		e = &Constant{Span: Span{t.Start, t.End}, Value: parseNumber(p.src[t.Start:t.End])}
	}
	if p.at(PLUS) || p.at(MINUS) {
		op := Add
		if p.at(MINUS) {
			op = Sub
		}
		p.next()
		t := p.expect(NUMBER)
		imaginary := &Constant{Span: Span{t.Start, t.End}, Value: parseNumber(p.src[t.Start:t.End])}
		if imaginary.Value.Kind != ConstComplex {
			p.failAt(t.Start, t.End, "imaginary number required in complex literal")
		}
		e = &BinOp{Span{start, t.End}, e, op, imaginary}
	}
	return e
}

func (p *parser) mappingPattern() Pattern {
	start := p.next().Start
	m := &MatchMapping{}
	for !p.at(RBRACE) {
		if p.at(DOUBLESTAR) {
			p.next()
			name, _ := p.expectName()
			m.Rest, m.HasRest = name, true
			p.accept(COMMA)
			break
		}
		var key Expr
		switch p.kind() {
		case NUMBER, MINUS:
			key = p.signedNumberExpr()
		case STRING:
			key = p.strings()
		case KwNone, KwTrue, KwFalse:
			key = p.atom()
		case NAME:
			kstart := p.tok().Start
			name, nt := p.expectName()
			key = &Name{Span{nt.Start, nt.End}, name, Load}
			if !p.at(DOT) {
				p.invalidSyntax()
			}
			for p.accept(DOT) {
				attr, at := p.expectName()
				key = &Attribute{Span: Span{kstart, p.lastEnd()}, Value: key, Attr: attr, AttrPos: at.Start, Ctx: Load}
			}
		default:
			p.invalidSyntax()
		}
		p.expect(COLON)
		m.Keys = append(m.Keys, key)
		m.Patterns = append(m.Patterns, p.pattern())
		if !p.accept(COMMA) {
			break
		}
	}
	p.expect(RBRACE)
	m.Span = Span{start, p.lastEnd()}
	return m
}

func (p *parser) classPattern(start Pos, cls Expr) Pattern {
	p.next() // '('
	c := &MatchClass{Cls: cls}
	for !p.at(RPAR) {
		if p.at(NAME) && p.peek(1).Kind == EQUAL {
			name, _ := p.expectName()
			p.next()
			c.KwdAttrs = append(c.KwdAttrs, name)
			c.KwdPatterns = append(c.KwdPatterns, p.pattern())
		} else {
			pat := p.pattern()
			if len(c.KwdAttrs) > 0 {
				p.failAt(pat.Pos(), pat.End(), "positional patterns follow keyword patterns")
			}
			c.Patterns = append(c.Patterns, pat)
		}
		if !p.accept(COMMA) {
			break
		}
	}
	p.expect(RPAR)
	c.Span = Span{start, p.lastEnd()}
	return c
}

// parsesAsSimpleStmts reports whether the statement at the current token
// parses as simple statements, consuming nothing.
func (p *parser) parsesAsSimpleStmts() bool {
	parses := false
	p.speculate(func() {
		errs := len(p.errs)
		p.simpleStmts()
		parses = len(p.errs) == errs
		panic(bailout{})
	})
	return parses
}
