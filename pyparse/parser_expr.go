package pyparse

// Expression rules, named after CPython's grammar (Grammar/python.gram).

// atomEndsExpression holds the tokens after which a lone name or number is
// a whole expression, so expression() can skip the precedence descent.
var atomEndsExpression = func() (t [kwEnd]bool) {
	for _, k := range []TokenKind{COMMA, RPAR, RSQB, RBRACE, COLON, NEWLINE, EQUAL, SEMI, EOF, KwFor, KwAs, KwFrom} {
		t[k] = true
	}
	return t
}()

// starExpressions: star_expression (',' star_expression)* [','].
func (p *parser) starExpressions() Expr {
	start := p.tok().Start
	first := p.starExpression()
	if !p.at(COMMA) {
		return first
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if !p.startsExpression() && !p.at(KwYield) {
			break
		}
		elts = append(elts, p.starExpression())
	}
	return node(&p.slabs.tuples, Tuple{Span{start, p.lastEnd()}, elts, Load})
}

// starExpression: '*' bitwise_or | expression.
func (p *parser) starExpression() Expr {
	if p.at(STAR) {
		start := p.next().Start
		v := p.bitwiseOr()
		return &Starred{Span{start, p.lastEnd()}, v, Load}
	}
	return p.expression()
}

// starNamedExpression: '*' bitwise_or | named_expression.
func (p *parser) starNamedExpression() Expr {
	if p.at(STAR) {
		start := p.next().Start
		v := p.bitwiseOr()
		return &Starred{Span{start, p.lastEnd()}, v, Load}
	}
	return p.namedExpression()
}

// namedExpression: NAME ':=' expression | expression !':='.
func (p *parser) namedExpression() Expr {
	if p.at(NAME) && p.peek(1).Kind == COLONEQUAL {
		t := p.next()
		p.next()
		target := &Name{Span{t.Start, t.End}, p.identifier(t), Store}
		v := p.expression()
		p.binders = append(p.binders, t.Start)
		return &NamedExpr{Span{t.Start, p.lastEnd()}, target, v}
	}
	e := p.expression()
	if p.at(COLONEQUAL) {
		p.failAt(e.Pos(), e.End(), "cannot use assignment expressions with %s", exprDescription(e))
	}
	return e
}

// expression: disjunction ['if' disjunction 'else' expression] | lambdef.
// It bounds the recursion depth; a bailout resets the depth per statement.
func (p *parser) expression() Expr {
	p.enter()
	r := p.expressionBody()
	p.depth--
	return r
}

func (p *parser) expressionBody() Expr {
	if p.at(KwLambda) {
		return p.lambdef()
	}
	if atomEndsExpression[p.peek(1).Kind] {
		switch p.kind() {
		case NAME, NUMBER, KwNone, KwTrue, KwFalse:
			return p.atom()
		}
	}
	start := p.tok().Start
	body := p.disjunction()
	if p.at(KwIf) {
		p.next()
		test := p.disjunction()
		if !p.at(KwElse) {
			p.failAt(start, p.lastEnd(), "expected 'else' after 'if' expression")
		}
		p.next()
		orelse := p.expression()
		return &IfExp{Span{start, p.lastEnd()}, test, body, orelse}
	}
	return body
}

func (p *parser) lambdef() Expr {
	start := p.next().Start
	p.binders = append(p.binders, start)
	args := p.parameters(COLON, false)
	p.expect(COLON)
	body := p.expression()
	return &Lambda{Span{start, p.lastEnd()}, args, body}
}

func (p *parser) disjunction() Expr {
	start := p.tok().Start
	first := p.conjunction()
	if !p.at(KwOr) {
		return first
	}
	values := []Expr{first}
	for p.accept(KwOr) {
		values = append(values, p.conjunction())
	}
	return &BoolOp{Span{start, p.lastEnd()}, Or, values}
}

func (p *parser) conjunction() Expr {
	start := p.tok().Start
	first := p.inversion()
	if !p.at(KwAnd) {
		return first
	}
	values := []Expr{first}
	for p.accept(KwAnd) {
		values = append(values, p.inversion())
	}
	return &BoolOp{Span{start, p.lastEnd()}, And, values}
}

func (p *parser) inversion() Expr {
	if p.at(KwNot) {
		p.enter()
		defer p.leave()
		start := p.next().Start
		operand := p.inversion()
		return &UnaryOp{Span{start, p.lastEnd()}, Not, operand}
	}
	return p.comparison()
}

func (p *parser) compareOp() (CmpOperator, bool) {
	switch p.kind() {
	case EQEQUAL:
		return Eq, true
	case NOTEQUAL:
		return NotEq, true
	case LESS:
		return Lt, true
	case LESSEQUAL:
		return LtE, true
	case GREATER:
		return Gt, true
	case GREATEREQUAL:
		return GtE, true
	case KwIn:
		return In, true
	case KwIs:
		if p.peek(1).Kind == KwNot {
			return IsNot, true
		}
		return Is, true
	case KwNot:
		if p.peek(1).Kind == KwIn {
			return NotIn, true
		}
	}
	return 0, false
}

func (p *parser) comparison() Expr {
	start := p.tok().Start
	left := p.bitwiseOr()
	op, ok := p.compareOp()
	if !ok {
		return left
	}
	c := node(&p.slabs.compares, Compare{Left: left})
	for ok {
		p.next()
		if op == IsNot || op == NotIn {
			p.next()
		}
		c.Ops = append(c.Ops, op)
		c.Comparators = append(c.Comparators, p.bitwiseOr())
		op, ok = p.compareOp()
	}
	c.Span = Span{start, p.lastEnd()}
	return c
}

// Binary precedence levels, loosest first, as in CPython's grammar.
const (
	levelBitOr = iota + 1
	levelBitXor
	levelBitAnd
	levelShift
	levelSum
	levelTerm
)

// binaryOps maps an operator token to its precedence level and operator;
// an array, not a map, because this is the parser's hottest lookup.
var binaryOps = func() (t [kwEnd]struct {
	level uint8
	op    Operator
},
) {
	set := func(k TokenKind, level uint8, op Operator) { t[k].level, t[k].op = level, op }
	set(VBAR, levelBitOr, BitOr)
	set(CIRCUMFLEX, levelBitXor, BitXor)
	set(AMPER, levelBitAnd, BitAnd)
	set(LEFTSHIFT, levelShift, LShift)
	set(RIGHTSHIFT, levelShift, RShift)
	set(PLUS, levelSum, Add)
	set(MINUS, levelSum, Sub)
	set(STAR, levelTerm, Mult)
	set(SLASH, levelTerm, Div)
	set(DOUBLESLASH, levelTerm, FloorDiv)
	set(PERCENT, levelTerm, Mod)
	set(AT, levelTerm, MatMult)
	return t
}()

// binary parses the binary-operator levels from minLevel down by
// precedence climbing: one loop instead of one call per level, since every
// atom of every expression passes through here.
func (p *parser) binary(minLevel uint8) Expr {
	start := p.tok().Start
	left := p.factor()
	return p.binaryRest(start, left, minLevel)
}

func (p *parser) binaryRest(start Pos, left Expr, minLevel uint8) Expr {
	// Each operator nests the tree one level deeper (`a+a+a` is
	// BinOp(BinOp(a, a), a)) without recursing here; counting the levels
	// keeps the tree as shallow as the recursion limit keeps the rest, so
	// that no recursive walk downstream can exhaust the stack.
	levels := 0
	defer func() { p.depth -= levels }()
	for {
		entry := binaryOps[p.kind()]
		if entry.level < minLevel || entry.level == 0 {
			return left
		}
		p.enter()
		levels++
		p.next()
		rstart := p.tok().Start
		right := p.factor()
		// Operators that bind tighter than this one take the right operand.
		for {
			next := binaryOps[p.kind()]
			if next.level <= entry.level {
				break
			}
			right = p.binaryRest(rstart, right, next.level)
		}
		left = node(&p.slabs.binOps, BinOp{Span{start, p.lastEnd()}, left, entry.op, right})
	}
}

func (p *parser) bitwiseOr() Expr { return p.binary(levelBitOr) }

// factor: ('+' | '-' | '~') factor | power.
// It bounds the recursion depth; a bailout resets the depth per statement.
func (p *parser) factor() Expr {
	p.enter()
	r := p.factorBody()
	p.depth--
	return r
}

func (p *parser) factorBody() Expr {
	var op UnaryOperator
	switch p.kind() {
	case PLUS:
		op = UAdd
	case MINUS:
		op = USub
	case TILDE:
		op = Invert
	default:
		return p.power()
	}
	start := p.next().Start
	operand := p.factor()
	return &UnaryOp{Span{start, p.lastEnd()}, op, operand}
}

// power: await_primary ['**' factor].
func (p *parser) power() Expr {
	start := p.tok().Start
	left := p.awaitPrimary()
	if p.accept(DOUBLESTAR) {
		right := p.factor()
		return node(&p.slabs.binOps, BinOp{Span{start, p.lastEnd()}, left, Pow, right})
	}
	return left
}

func (p *parser) awaitPrimary() Expr {
	if p.at(KwAwait) {
		start := p.next().Start
		v := p.primary()
		return &Await{Span{start, p.lastEnd()}, v}
	}
	return p.primary()
}

// primary: atom followed by attribute, call and subscript trailers.
// It bounds the recursion depth; a bailout resets the depth per statement.
func (p *parser) primary() Expr {
	p.enter()
	r := p.primaryBody()
	p.depth--
	return r
}

func (p *parser) primaryBody() Expr {
	start := p.tok().Start
	e := p.atom()
	// Each trailer nests the tree one level deeper: count it as binaryRest
	// counts operators.
	levels := 0
	defer func() { p.depth -= levels }()
	for {
		switch p.kind() {
		case DOT, LPAR, LSQB:
			p.enter()
			levels++
		}
		switch p.kind() {
		case DOT:
			p.next()
			name, nt := p.expectName()
			a := p.slabs.attributes.alloc()
			a.Span, a.Value, a.Attr, a.AttrPos = Span{start, p.lastEnd()}, e, name, nt.Start
			e = a
		case LPAR:
			p.next()
			var args []Expr
			var kws []*Keyword
			if !p.at(RPAR) {
				args, kws = p.callArguments()
			}
			p.expect(RPAR)
			c := p.slabs.calls.alloc()
			c.Span, c.Func, c.Args, c.Keywords = Span{start, p.lastEnd()}, e, args, kws
			e = c
		case LSQB:
			p.next()
			slice := p.slices()
			p.expect(RSQB)
			e = node(&p.slabs.subscripts, Subscript{Span{start, p.lastEnd()}, e, slice, Load})
		default:
			return e
		}
	}
}

// slices: slice !',' | ','.(slice | starred_expression)+ [','].
func (p *parser) slices() Expr {
	start := p.tok().Start
	first := p.sliceItem(true)
	if !p.at(COMMA) {
		if _, starred := first.(*Starred); starred {
			// a[*b] subscripts with a one-element tuple.
			return node(&p.slabs.tuples, Tuple{Span{start, p.lastEnd()}, []Expr{first}, Load})
		}
		return first
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if p.at(RSQB) {
			break
		}
		elts = append(elts, p.sliceItem(false))
	}
	return node(&p.slabs.tuples, Tuple{Span{start, p.lastEnd()}, elts, Load})
}

// sliceItem: [expression] ':' [expression] [':' [expression]] | named_expression | starred.
func (p *parser) sliceItem(first bool) Expr {
	start := p.tok().Start
	if p.at(STAR) {
		if p.version < Py311 {
			// 3.9 blames the token after a leading starred item.
			if first && p.version < Py310 {
				p.starExpression()
			}
			p.invalidSyntax()
		}
		return p.starExpression()
	}
	var lower Expr
	if !p.at(COLON) {
		if p.version < Py310 {
			// An unparenthesised := in a subscript is 3.10's.
			lower = p.expression()
			if p.at(COLONEQUAL) {
				p.invalidSyntax()
			}
		} else {
			lower = p.namedExpression()
		}
		if !p.at(COLON) {
			return lower
		}
		if _, isNamed := lower.(*NamedExpr); isNamed {
			p.invalidSyntax()
		}
	}
	p.expect(COLON)
	s := &Slice{Lower: lower}
	if k := p.kind(); k != COLON && k != COMMA && k != RSQB {
		s.Upper = p.expression()
	}
	if p.accept(COLON) {
		if k := p.kind(); k != COMMA && k != RSQB {
			s.Step = p.expression()
		}
	}
	s.Span = Span{start, p.lastEnd()}
	return s
}

// callArguments parses the inside of a call's parentheses (or a class's bases).
func (p *parser) callArguments() ([]Expr, []*Keyword) {
	mark := len(p.exprs)
	var kws []*Keyword
	sawKeyword, sawDoubleStar := false, false
	for !p.at(RPAR) {
		start := p.tok().Start
		switch {
		case p.at(DOUBLESTAR):
			p.next()
			v := p.expression()
			kws = append(kws, node(&p.slabs.keywords, Keyword{Span{start, p.lastEnd()}, "", v}))
			sawDoubleStar = true
		case p.at(STAR):
			p.next()
			v := p.expression()
			if sawDoubleStar {
				p.failAt(start, p.lastEnd(), "iterable argument unpacking follows keyword argument unpacking")
			}
			p.exprs = append(p.exprs, &Starred{Span{start, p.lastEnd()}, v, Load})
		case p.at(NAME) && p.peek(1).Kind == EQUAL:
			t := p.next()
			p.next()
			v := p.expression()
			kws = append(kws, node(&p.slabs.keywords, Keyword{Span{start, p.lastEnd()}, p.identifier(t), v}))
			sawKeyword = true
		default:
			e := p.namedExpression()
			if p.at(KwFor) || p.at(KwAsync) {
				gens := p.comprehensionClauses()
				// A lone generator argument takes the call's parentheses.
				gstart, gend := e.Pos(), p.lastEnd()
				if len(p.exprs) == mark && len(kws) == 0 && p.at(RPAR) {
					gstart, gend = p.openParenBefore(start), p.tok().End
				} else if len(p.exprs)-mark+len(kws) > 0 || p.at(COMMA) {
					p.failAt(e.Pos(), p.lastEnd(), "Generator expression must be parenthesized")
				}
				e = &GeneratorExp{Span{gstart, gend}, e, gens}
			} else if p.at(EQUAL) {
				p.failAt(e.Pos(), e.End(), `expression cannot contain assignment, perhaps you meant "=="?`)
			}
			if sawDoubleStar {
				p.failAt(e.Pos(), e.End(), "positional argument follows keyword argument unpacking")
			}
			if sawKeyword {
				p.failAt(e.Pos(), e.End(), "positional argument follows keyword argument")
			}
			p.exprs = append(p.exprs, e)
		}
		if !p.accept(COMMA) {
			break
		}
	}
	return p.takeExprs(mark), kws
}

// openParenBefore returns the position of the '(' token just before pos.
func (p *parser) openParenBefore(pos Pos) Pos {
	for j := p.i - 1; j >= 0; j-- {
		if p.toks[j].Start < pos && p.toks[j].Kind == LPAR {
			return p.toks[j].Start
		}
	}
	return pos
}

// comprehensionClauses: ('async'? 'for' star_targets 'in' disjunction ('if' disjunction)*)+.
func (p *parser) comprehensionClauses() []*Comprehension {
	var gens []*Comprehension
	for p.at(KwFor) || (p.at(KwAsync) && p.peek(1).Kind == KwFor) {
		start := p.tok().Start
		p.binders = append(p.binders, start)
		c := &Comprehension{}
		if p.accept(KwAsync) {
			c.IsAsync = 1
		}
		p.expect(KwFor)
		c.Target = p.starTargets()
		p.expect(KwIn)
		c.Iter = p.disjunction()
		for p.accept(KwIf) {
			c.Ifs = append(c.Ifs, p.disjunction())
		}
		c.Span = Span{start, p.lastEnd()}
		gens = append(gens, c)
	}
	return gens
}

// starTargets parses assignment targets where a comparison would be wrong
// ("for x in y"): elements are bitwise_or expressions.
func (p *parser) starTargets() Expr {
	start := p.tok().Start
	first := p.starTarget()
	if !p.at(COMMA) {
		return first
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if k := p.kind(); k == KwIn || k == EQUAL || k == COLON || k == RPAR {
			break
		}
		elts = append(elts, p.starTarget())
	}
	t := &Tuple{Span{start, p.lastEnd()}, elts, Store}
	return t
}

func (p *parser) starTarget() Expr {
	var e Expr
	if p.at(STAR) {
		start := p.next().Start
		v := p.bitwiseOr()
		e = &Starred{Span{start, p.lastEnd()}, v, Load}
	} else {
		e = p.bitwiseOr()
	}
	p.setContext(e, Store, "assign to")
	return e
}

func (p *parser) yieldExpr() Expr {
	start := p.next().Start
	if p.accept(KwFrom) {
		v := p.expression()
		return &YieldFrom{Span{start, p.lastEnd()}, v}
	}
	var v Expr
	if p.startsExpression() {
		v = p.starExpressions()
	}
	return &Yield{Span{start, p.lastEnd()}, v}
}

// ---------------------------------------------------------------------------
// Atoms

func (p *parser) atom() Expr {
	t := p.tok()
	switch t.Kind {
	case NAME:
		p.next()
		return p.newName(t.Start, t.End, p.identifier(t), Load)
	case KwTrue:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstTrue})
	case KwFalse:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstFalse})
	case KwNone:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstNone})
	case ELLIPSIS:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstEllipsis})
	case NUMBER:
		p.next()
		return p.newConstant(t.Start, t.End, parseNumber(p.src[t.Start:t.End]))
	case STRING, FStringStart:
		return p.strings()
	case LPAR:
		return p.parenAtom()
	case LSQB:
		return p.listAtom()
	case LBRACE:
		return p.braceAtom()
	}
	p.invalidSyntax()
	return nil
}

func (p *parser) parenAtom() Expr {
	start := p.next().Start
	if p.at(RPAR) {
		end := p.next().End
		return &Tuple{Span{start, end}, nil, Load}
	}
	if p.at(KwYield) {
		e := p.yieldExpr()
		p.expect(RPAR)
		return e
	}
	first := p.starNamedExpression()
	switch {
	case p.at(KwFor) || p.at(KwAsync):
		gens := p.comprehensionClauses()
		p.expect(RPAR)
		return &GeneratorExp{Span{start, p.lastEnd()}, first, gens}
	case p.at(COMMA):
		elts := []Expr{first}
		for p.accept(COMMA) {
			if p.at(RPAR) {
				break
			}
			elts = append(elts, p.starNamedExpression())
		}
		p.expect(RPAR)
		return node(&p.slabs.tuples, Tuple{Span{start, p.lastEnd()}, elts, Load})
	}
	if !p.at(RPAR) {
		p.invalidSyntax()
	}
	p.next()
	if _, ok := first.(*Starred); ok {
		p.failAt(first.Pos(), first.End(), "cannot use starred expression here")
	}
	return first
}

func (p *parser) listAtom() Expr {
	start := p.next().Start
	if p.at(RSQB) {
		end := p.next().End
		return &List{Span{start, end}, nil, Load}
	}
	first := p.starNamedExpression()
	if p.at(KwFor) || p.at(KwAsync) {
		gens := p.comprehensionClauses()
		p.expect(RSQB)
		return &ListComp{Span{start, p.lastEnd()}, first, gens}
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if p.at(RSQB) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	p.expect(RSQB)
	return &List{Span{start, p.lastEnd()}, elts, Load}
}

func (p *parser) braceAtom() Expr {
	start := p.next().Start
	if p.at(RBRACE) {
		end := p.next().End
		return &Dict{Span: Span{start, end}}
	}
	if p.at(DOUBLESTAR) {
		return p.dictRest(start, nil, nil)
	}
	first := p.starNamedExpression()
	if p.accept(COLON) {
		value := p.expression()
		if p.at(KwFor) || p.at(KwAsync) {
			gens := p.comprehensionClauses()
			p.expect(RBRACE)
			return &DictComp{Span{start, p.lastEnd()}, first, value, gens}
		}
		return p.dictRest(start, []Expr{first}, []Expr{value})
	}
	if p.at(KwFor) || p.at(KwAsync) {
		gens := p.comprehensionClauses()
		p.expect(RBRACE)
		return &SetComp{Span{start, p.lastEnd()}, first, gens}
	}
	elts := []Expr{first}
	for p.accept(COMMA) {
		if p.at(RBRACE) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	p.expect(RBRACE)
	return &Set{Span{start, p.lastEnd()}, elts}
}

// dictRest parses the remaining key/value pairs of a dict display.
func (p *parser) dictRest(start Pos, keys, values []Expr) Expr {
	if len(keys) > 0 && !p.accept(COMMA) {
		p.expect(RBRACE)
		return &Dict{Span{start, p.lastEnd()}, keys, values}
	}
	for !p.at(RBRACE) {
		if p.accept(DOUBLESTAR) {
			keys = append(keys, nil)
			values = append(values, p.bitwiseOr())
		} else {
			k := p.expression()
			p.expect(COLON)
			keys = append(keys, k)
			values = append(values, p.expression())
		}
		if !p.accept(COMMA) {
			break
		}
	}
	p.expect(RBRACE)
	return &Dict{Span{start, p.lastEnd()}, keys, values}
}

// ---------------------------------------------------------------------------
// Parameters

// parameters parses a def's (typed) or a lambda's (untyped) parameter list
// up to, not including, the closing token.
func (p *parser) parameters(closing TokenKind, typed bool) *Arguments {
	a := node(&p.slabs.arguments, Arguments{})
	start := p.tok().Start
	seenDefault := false
	seenStar := false
	for !p.at(closing) {
		switch {
		case p.at(SLASH):
			t := p.next()
			if seenStar {
				p.failAt(t.Start, t.End, "/ must be ahead of *")
			}
			if len(a.Args) == 0 || a.PosOnlyArgs != nil {
				p.failAt(t.Start, t.End, "at least one argument must precede /")
			}
			a.PosOnlyArgs = a.Args
			a.Args = nil
		case p.at(STAR):
			t := p.next()
			if seenStar {
				p.failAt(t.Start, t.End, "* argument may appear only once")
			}
			seenStar = true
			if p.at(COMMA) || p.at(closing) {
				if p.at(closing) || p.peek(1).Kind == closing {
					p.failAt(t.Start, t.End, "named arguments must follow bare *")
				}
				break
			}
			a.Vararg = p.param(typed, true)
		case p.at(DOUBLESTAR):
			p.next()
			a.Kwarg = p.param(typed, false)
			if p.at(COMMA) {
				p.next()
			}
			if !p.at(closing) {
				p.fail("arguments cannot follow var-keyword argument")
			}
			a.Span = Span{start, p.lastEnd()}
			return a
		default:
			arg := p.param(typed, false)
			var def Expr
			if p.accept(EQUAL) {
				def = p.expression()
			}
			if seenStar {
				a.KwOnlyArgs = append(a.KwOnlyArgs, arg)
				a.KwDefaults = append(a.KwDefaults, def)
			} else {
				if a.Args == nil {
					// Most defs take a few parameters: one allocation
					// instead of growing from one.
					a.Args = make([]*Arg, 0, 4)
				}
				a.Args = append(a.Args, arg)
				if def != nil {
					a.Defaults = append(a.Defaults, def)
					seenDefault = true
				} else if seenDefault {
					p.failAt(arg.Start, arg.EndPos, "non-default argument follows default argument")
				}
			}
		}
		if !p.accept(COMMA) {
			break
		}
	}
	// An empty list (`def f( ):`) consumed nothing: the last token's end
	// lies before start, so the span is empty at start.
	a.Span = Span{start, max(start, p.lastEnd())}
	return a
}

func (p *parser) param(typed, star bool) *Arg {
	name, t := p.expectName()
	a := node(&p.slabs.args, Arg{Arg: name})
	if typed && p.accept(COLON) {
		if star && p.at(STAR) {
			if p.version < Py311 {
				p.invalidSyntax()
			}
			a.Annotation = p.starExpression()
		} else {
			a.Annotation = p.expression()
		}
	}
	a.Span = Span{t.Start, p.lastEnd()}
	return a
}

// ---------------------------------------------------------------------------
// Targets

// setContext turns an expression parsed as a value into an assignment or
// deletion target, reporting CPython's message for what cannot be one.
func (p *parser) setContext(e Expr, ctx ExprContext, verb string) {
	switch n := e.(type) {
	case *Name:
		n.Ctx = ctx
	case *Attribute:
		n.Ctx = ctx
	case *Subscript:
		n.Ctx = ctx
	case *Starred:
		if ctx == Del {
			p.failAt(n.Start, n.EndPos, "cannot delete starred")
		}
		n.Ctx = ctx
		p.setContext(n.Value, ctx, verb)
	case *Tuple:
		n.Ctx = ctx
		for _, el := range n.Elts {
			p.setContext(el, ctx, verb)
		}
	case *List:
		n.Ctx = ctx
		for _, el := range n.Elts {
			p.setContext(el, ctx, verb)
		}
	default:
		p.failAt(e.Pos(), e.End(), "cannot %s %s", verb, exprDescription(e))
	}
}

// exprDescription names an expression the way CPython's error messages do.
func exprDescription(e Expr) string {
	switch n := e.(type) {
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	case *Starred:
		return "starred"
	case *Name:
		return "name"
	case *List:
		return "list"
	case *Tuple:
		return "tuple"
	case *Lambda:
		return "lambda"
	case *Call:
		return "function call"
	case *BoolOp, *BinOp, *UnaryOp:
		return "expression"
	case *GeneratorExp:
		return "generator expression"
	case *Yield, *YieldFrom:
		return "yield expression"
	case *Await:
		return "await expression"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *Dict:
		return "dict literal"
	case *Set:
		return "set display"
	case *JoinedStr, *FormattedValue:
		return "f-string expression"
	case *Constant:
		switch n.Value.Kind {
		case ConstNone:
			return "None"
		case ConstTrue:
			return "True"
		case ConstFalse:
			return "False"
		case ConstEllipsis:
			return "ellipsis"
		}
		return "literal"
	case *Compare:
		return "comparison"
	case *IfExp:
		return "conditional expression"
	case *NamedExpr:
		return "named expression"
	}
	return "expression"
}
