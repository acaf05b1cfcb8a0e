package pyparse

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNesting bounds the parser's recursion so that pathological input gives
// an error instead of exhausting the stack.
const maxNesting = 3000

// parser is a recursive-descent parser over the pre-scanned token slice,
// following CPython's PEG grammar. Node spans follow CPython's rule: a node
// starts at the first token its rule consumed and ends at the last.
type parser struct {
	src     []byte
	toks    []Token
	i       int
	version Version
	errs    []*SyntaxError
	depth   int
	names   *[nameCacheSize]string
	slabs   *nodeSlabs
	// speculating counts nested speculative parses; errors raised there are
	// rolled back when the speculation fails.
	speculating int
	// stmts and exprs are the stacks bodies and argument lists are built on
	// (see takeStmts); they are recycled between files.
	stmts []Stmt
	exprs []Expr
	// binders are where lambdas, named expressions and comprehensions
	// start (see File.HasBinderIn).
	binders []Pos
}

// bailout unwinds a statement whose syntax is broken; statement-level code
// recovers it and resynchronises at the next NEWLINE.
type bailout struct{}

func (p *parser) tok() Token          { return p.toks[p.i] }
func (p *parser) kind() TokenKind     { return p.toks[p.i].Kind }
func (p *parser) at(k TokenKind) bool { return p.toks[p.i].Kind == k }

func (p *parser) peek(n int) Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() Token {
	t := p.toks[p.i]
	if t.Kind != EOF {
		p.i++
	}
	return t
}

// lastEnd is the end of the last consumed token.
func (p *parser) lastEnd() Pos {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].End
}

func (p *parser) text(t Token) string { return string(p.src[t.Start:t.End]) }

// isName reports whether the current token is the soft keyword or name s.
func (p *parser) isName(s string) bool {
	t := p.toks[p.i]
	return t.Kind == NAME && int(t.End-t.Start) == len(s) && string(p.src[t.Start:t.End]) == s
}

func (p *parser) errorAt(start, end Pos, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	p.errs = append(p.errs, &SyntaxError{Span: Span{start, end}, Msg: msg, Line: -1, Col: -1})
}

// fail records an error at the current token and abandons the statement.
func (p *parser) fail(msg string) {
	t := p.tok()
	p.errorAt(t.Start, t.End, "%s", msg)
	panic(bailout{})
}

// failAt records an error at a given range and abandons the statement.
func (p *parser) failAt(start, end Pos, format string, args ...any) {
	p.errorAt(start, end, format, args...)
	panic(bailout{})
}

// invalidSyntax reports CPython's generic error at the current token.
func (p *parser) invalidSyntax() {
	t := p.tok()
	switch t.Kind {
	case INDENT:
		p.fail("unexpected indent")
	case DEDENT:
		p.fail("unexpected unindent")
	case EOF:
		p.fail("unexpected EOF while parsing")
	}
	p.fail("invalid syntax")
}

func (p *parser) expect(k TokenKind) Token {
	if p.kind() != k {
		if k == COLON {
			p.failAt(p.toks[p.i-1].Start, p.toks[p.i-1].End, "expected ':'")
		}
		p.invalidSyntax()
	}
	return p.next()
}

func (p *parser) accept(k TokenKind) bool {
	if p.kind() == k {
		p.next()
		return true
	}
	return false
}

// speculate runs f; if f bails out, the position and errors are restored
// and speculate returns false.
func (p *parser) speculate(f func()) (ok bool) {
	saveI, saveErrs, saveDepth := p.i, len(p.errs), p.depth
	stmtMark, exprMark := len(p.stmts), len(p.exprs)
	p.speculating++
	defer func() {
		p.speculating--
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			p.i, p.errs, p.depth = saveI, p.errs[:saveErrs], saveDepth
			p.popTo(stmtMark, exprMark)
			ok = false
		}
	}()
	f()
	return true
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.depth = 0
		p.fail("too many nested expressions")
	}
}

func (p *parser) leave() { p.depth-- }

// identifier returns a NAME token's text, NFKC-normalised as CPython does
// for non-ASCII identifiers, interned per file.
func (p *parser) identifier(t Token) string {
	b := p.src[t.Start:t.End]
	if len(b) == 0 {
		return ""
	}
	// A direct-mapped cache: cheaper than a map for the few hundred
	// distinct names of a file, and a miss only costs an allocation.
	h := (uint(len(b))*131 + uint(b[0])*31 + uint(b[len(b)-1])*7 + uint(b[len(b)/2])) % nameCacheSize
	if s := p.names[h]; s == string(b) {
		return s
	}
	s := string(b)
	for _, c := range b {
		if c >= utf8.RuneSelf {
			s = norm.NFKC.String(s)
			return s
		}
	}
	p.names[h] = s
	return s
}

const nameCacheSize = 1024

func (p *parser) expectName() (string, Token) {
	t := p.tok()
	if t.Kind != NAME {
		p.invalidSyntax()
	}
	p.next()
	return p.identifier(t), t
}

// ---------------------------------------------------------------------------
// Module and blocks

func (p *parser) parseModule() []Stmt {
	mark := len(p.stmts)
	for !p.at(EOF) {
		p.statementRecover()
	}
	return p.takeStmts(mark)
}

// takeStmts returns the statements pushed since mark as a slice of their
// own, exactly sized, and pops them. Bodies are built on one stack (p.stmts)
// rather than each by append: no regrowth, and no spare capacity kept alive
// with the AST.
func (p *parser) takeStmts(mark int) []Stmt {
	if p.slabs.lists {
		return takeInto(&p.stmts, mark, &p.slabs.stmtList)
	}
	return take(&p.stmts, mark)
}

// takeExprs is takeStmts for the expression stack (call arguments).
func (p *parser) takeExprs(mark int) []Expr {
	if p.slabs.lists {
		return takeInto(&p.exprs, mark, &p.slabs.exprList)
	}
	return take(&p.exprs, mark)
}

func take[T any](stack *[]T, mark int) []T {
	n := len(*stack) - mark
	if n == 0 {
		return nil
	}
	out := make([]T, n)
	copy(out, (*stack)[mark:])
	popStack(stack, mark)
	return out
}

// takeInto is take with the slice from a list slab.
func takeInto[T any](stack *[]T, mark int, s *slab[T]) []T {
	n := len(*stack) - mark
	if n == 0 {
		return nil
	}
	out := s.list(n)
	copy(out, (*stack)[mark:])
	popStack(stack, mark)
	return out
}

// popStack drops a stack's entries above mark, clearing them so that the
// recycled stack keeps no nodes alive.
func popStack[T any](stack *[]T, mark int) {
	clear((*stack)[mark:])
	*stack = (*stack)[:mark]
}

// popTo drops what a statement abandoned by a syntax error left on the
// stacks.
func (p *parser) popTo(stmtMark, exprMark int) {
	popStack(&p.stmts, stmtMark)
	popStack(&p.exprs, exprMark)
}

// statementRecover parses one statement line onto p.stmts; on a syntax
// error it skips to the next line and pushes a BadStmt covering the
// skipped tokens instead.
func (p *parser) statementRecover() {
	start := p.i
	stmtMark, exprMark := len(p.stmts), len(p.exprs)
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail || p.speculating > 0 {
				panic(r)
			}
			p.depth = 0
			p.popTo(stmtMark, exprMark)
			bad := p.skipBadStatement(start)
			p.stmts = append(p.stmts, bad)
		}
	}()
	if p.at(INDENT) {
		p.fail("unexpected indent")
	}
	p.statement()
}

// skipBadStatement skips the rest of a broken logical line, and an indented
// block that follows it (its body is parsed for its own errors only).
func (p *parser) skipBadStatement(start int) Stmt {
	if p.i == start && !p.at(EOF) {
		p.next()
	}
	for !p.at(NEWLINE) && !p.at(EOF) && !p.at(DEDENT) && !p.at(INDENT) {
		p.next()
	}
	p.accept(NEWLINE)
	end := p.lastEnd()
	if p.at(INDENT) {
		p.next()
		mark := len(p.stmts)
		for !p.at(DEDENT) && !p.at(EOF) {
			p.statementRecover()
		}
		p.popTo(mark, len(p.exprs))
		p.accept(DEDENT)
	}
	s := p.toks[start].Start
	if end < s {
		end = s
	}
	return &BadStmt{Span{s, end}}
}

// block parses the body after a compound statement's ':'.
func (p *parser) block(what string, headerLine Pos) []Stmt {
	if p.at(NEWLINE) {
		p.next()
		if !p.at(INDENT) {
			t := p.tok()
			p.failAt(t.Start, t.End, "expected an indented block after %s on line %d", what, p.lineOf(headerLine))
		}
		p.next()
		mark := len(p.stmts)
		for !p.at(DEDENT) && !p.at(EOF) {
			p.statementRecover()
		}
		p.accept(DEDENT)
		return p.takeStmts(mark)
	}
	mark := len(p.stmts)
	p.simpleStmts()
	return p.takeStmts(mark)
}

func (p *parser) lineOf(pos Pos) int {
	n := 1
	for _, c := range p.src[:pos] {
		if c == '\n' {
			n++
		}
	}
	return n
}

// blockEnd is where a compound statement ends: CPython's last
// non-whitespace token, which includes a trailing ';' of a one-line body.
func (p *parser) blockEnd() Pos {
	for j := p.i - 1; j >= 0; j-- {
		switch p.toks[j].Kind {
		case NEWLINE, INDENT, DEDENT:
			continue
		}
		return p.toks[j].End
	}
	return 0
}

// ---------------------------------------------------------------------------
// Statements

// statement parses one statement line onto p.stmts (a simple statement
// line may hold several).
func (p *parser) statement() {
	switch p.kind() {
	case KwDef:
		p.push(p.funcDef(p.tok().Start, nil, false))
		return
	case KwIf:
		p.push(p.ifStmt())
		return
	case KwClass:
		p.push(p.classDef(p.tok().Start, nil))
		return
	case KwWith:
		p.push(p.withStmt(p.tok().Start, false))
		return
	case KwFor:
		p.push(p.forStmt(p.tok().Start, false))
		return
	case KwTry:
		p.push(p.tryStmt())
		return
	case KwWhile:
		p.push(p.whileStmt())
		return
	case AT:
		p.push(p.decorated())
		return
	case KwAsync:
		start := p.tok().Start
		switch p.peek(1).Kind {
		case KwDef:
			p.next()
			p.push(p.funcDef(start, nil, true))
			return
		case KwWith:
			p.next()
			p.push(p.withStmt(start, true))
			return
		case KwFor:
			p.next()
			p.push(p.forStmt(start, true))
			return
		}
		p.next()
		p.invalidSyntax()
	case NAME:
		if p.isName("match") && p.version >= Py310 {
			if s := p.tryMatchStmt(); s != nil {
				p.push(s)
				return
			}
		}
	}
	p.simpleStmts()
}

func (p *parser) push(s Stmt) { p.stmts = append(p.stmts, s) }

// simpleStmts parses simple statements separated by ';' onto p.stmts.
func (p *parser) simpleStmts() {
	for {
		p.push(p.simpleStmt())
		if !p.accept(SEMI) {
			break
		}
		if p.at(NEWLINE) || p.at(EOF) {
			break
		}
	}
	if !p.accept(NEWLINE) && !p.at(EOF) {
		p.invalidSyntax()
	}
}

func (p *parser) simpleStmt() Stmt {
	t := p.tok()
	start := t.Start
	switch t.Kind {
	case KwPass:
		p.next()
		return &Pass{Span{start, t.End}}
	case KwBreak:
		p.next()
		return &Break{Span{start, t.End}}
	case KwContinue:
		p.next()
		return &Continue{Span{start, t.End}}
	case KwReturn:
		p.next()
		var v Expr
		if !p.atStmtEnd() {
			v = p.starExpressions()
		}
		return node(&p.slabs.returns, Return{Span{start, p.lastEnd()}, v})
	case KwRaise:
		p.next()
		r := &Raise{}
		if !p.atStmtEnd() {
			r.Exc = p.expression()
			if p.accept(KwFrom) {
				r.Cause = p.expression()
			}
		}
		r.Span = Span{start, p.lastEnd()}
		return r
	case KwGlobal, KwNonlocal:
		p.next()
		var names []string
		for {
			n, _ := p.expectName()
			names = append(names, n)
			if !p.accept(COMMA) {
				break
			}
		}
		if t.Kind == KwGlobal {
			return &Global{Span{start, p.lastEnd()}, names}
		}
		return &Nonlocal{Span{start, p.lastEnd()}, names}
	case KwDel:
		return p.delStmt()
	case KwAssert:
		p.next()
		a := &Assert{Test: p.expression()}
		if p.accept(COMMA) {
			a.Msg = p.expression()
		}
		a.Span = Span{start, p.lastEnd()}
		return a
	case KwImport:
		return p.importStmt()
	case KwFrom:
		return p.importFrom()
	case NAME:
		if p.isName("type") && p.version >= Py312 && p.peek(1).Kind == NAME &&
			(p.peek(2).Kind == EQUAL || p.peek(2).Kind == LSQB) {
			return p.typeAlias()
		}
	}
	return p.exprOrAssign()
}

func (p *parser) atStmtEnd() bool {
	k := p.kind()
	return k == NEWLINE || k == SEMI || k == EOF
}

func (p *parser) delStmt() Stmt {
	start := p.next().Start
	var targets []Expr
	for {
		e := p.delTarget()
		targets = append(targets, e)
		if !p.accept(COMMA) || p.atStmtEnd() {
			break
		}
	}
	if !p.atStmtEnd() {
		p.invalidSyntax()
	}
	return &Delete{Span{start, p.lastEnd()}, targets}
}

func (p *parser) delTarget() Expr {
	e := p.bitwiseOr()
	p.setContext(e, Del, "delete")
	return e
}

func (p *parser) importStmt() Stmt {
	start := p.next().Start
	var names []*Alias
	for {
		names = append(names, p.dottedAlias())
		if !p.accept(COMMA) {
			break
		}
	}
	return &Import{Span{start, p.lastEnd()}, names}
}

func (p *parser) dottedName() string {
	n, _ := p.expectName()
	for p.at(DOT) {
		p.next()
		m, _ := p.expectName()
		n = n + "." + m
	}
	return n
}

func (p *parser) dottedAlias() *Alias {
	start := p.tok().Start
	a := &Alias{Name: p.dottedName()}
	if p.accept(KwAs) {
		a.AsName, _ = p.expectName()
	}
	a.Span = Span{start, p.lastEnd()}
	return a
}

func (p *parser) importFrom() Stmt {
	start := p.next().Start
	s := &ImportFrom{}
	for {
		if p.accept(DOT) {
			s.Level++
		} else if p.accept(ELLIPSIS) {
			s.Level += 3
		} else {
			break
		}
	}
	if !p.at(KwImport) {
		s.Module = p.dottedName()
		s.HasModule = true
	}
	p.expect(KwImport)
	switch {
	case p.at(STAR):
		t := p.next()
		s.Names = []*Alias{{Span: Span{t.Start, t.End}, Name: "*"}}
	case p.at(LPAR):
		p.next()
		for {
			s.Names = append(s.Names, p.nameAlias())
			if !p.accept(COMMA) || p.at(RPAR) {
				break
			}
		}
		p.expect(RPAR)
	default:
		for {
			s.Names = append(s.Names, p.nameAlias())
			if !p.accept(COMMA) {
				break
			}
			if p.atStmtEnd() {
				p.fail("trailing comma not allowed without surrounding parentheses")
			}
		}
	}
	s.Span = Span{start, p.lastEnd()}
	return s
}

func (p *parser) nameAlias() *Alias {
	start := p.tok().Start
	a := &Alias{}
	a.Name, _ = p.expectName()
	if p.accept(KwAs) {
		a.AsName, _ = p.expectName()
	}
	a.Span = Span{start, p.lastEnd()}
	return a
}

func (p *parser) typeAlias() Stmt {
	start := p.next().Start
	name, nt := p.expectName()
	s := &TypeAlias{Name: &Name{Span{nt.Start, nt.End}, name, Store}}
	if p.at(LSQB) {
		s.TypeParams = p.typeParams()
	}
	p.expect(EQUAL)
	s.Value = p.expression()
	s.Span = Span{start, p.lastEnd()}
	return s
}

// exprOrAssign parses expression statements and all assignment forms.
func (p *parser) exprOrAssign() Stmt {
	start := p.tok().Start
	startIdx := p.i
	var first Expr
	if p.at(KwYield) {
		first = p.yieldExpr()
	} else {
		first = p.starExpressions()
	}
	switch k := p.kind(); k {
	case EQUAL:
		// a = b = value: every part goes on the expression stack, and the
		// targets come off it in one exactly sized slice.
		mark := len(p.exprs)
		p.exprs = append(p.exprs, first)
		for p.accept(EQUAL) {
			var e Expr
			if p.at(KwYield) {
				e = p.yieldExpr()
			} else {
				e = p.starExpressions()
			}
			p.exprs = append(p.exprs, e)
		}
		value := p.exprs[len(p.exprs)-1]
		popStack(&p.exprs, len(p.exprs)-1)
		targets := p.takeExprs(mark)
		for _, t := range targets {
			p.setContext(t, Store, "assign to")
		}
		return node(&p.slabs.assigns, Assign{Span: Span{start, p.lastEnd()}, Targets: targets, Value: value})
	case COLON:
		p.next()
		ann := p.expression()
		s := &AnnAssign{Target: first, Annotation: ann}
		switch first.(type) {
		case *Name:
			if p.toks[startIdx].Kind != LPAR {
				s.Simple = 1
			}
		case *Attribute, *Subscript:
		case *Tuple:
			p.failAt(first.Pos(), first.End(), "only single target (not tuple) can be annotated")
		case *List:
			p.failAt(first.Pos(), first.End(), "only single target (not list) can be annotated")
		default:
			p.failAt(first.Pos(), first.End(), "illegal target for annotation")
		}
		p.setContext(first, Store, "assign to")
		if p.accept(EQUAL) {
			if p.at(KwYield) {
				s.Value = p.yieldExpr()
			} else {
				s.Value = p.starExpressions()
			}
		}
		s.Span = Span{start, p.lastEnd()}
		return s
	default:
		if op, ok := augAssignOps[k]; ok {
			switch first.(type) {
			case *Name, *Attribute, *Subscript:
				p.setContext(first, Store, "assign to")
			default:
				p.failAt(first.Pos(), first.End(), "'%s' is an illegal expression for augmented assignment", exprDescription(first))
			}
			p.next()
			var v Expr
			if p.at(KwYield) {
				v = p.yieldExpr()
			} else {
				v = p.starExpressions()
			}
			return &AugAssign{Span{start, p.lastEnd()}, first, op, v}
		}
	}
	if !p.atStmtEnd() {
		p.legacyPrintCheck(first)
		p.invalidSyntax()
	}
	return node(&p.slabs.exprStmts, ExprStmt{Span{start, p.lastEnd()}, first})
}

// legacyPrintCheck reproduces CPython's hint for Python 2 print/exec
// statements.
func (p *parser) legacyPrintCheck(first Expr) {
	n, ok := first.(*Name)
	if !ok || (n.ID != "print" && n.ID != "exec") {
		return
	}
	if !p.startsExpression() {
		return
	}
	save := p.i
	if p.speculate(func() { p.starExpressions() }) {
		end := p.lastEnd()
		p.i = save
		p.failAt(n.Start, end, "Missing parentheses in call to '%s'. Did you mean %s(...)?", n.ID, n.ID)
	}
}

func (p *parser) startsExpression() bool {
	switch p.kind() {
	case NAME, NUMBER, STRING, FStringStart, LPAR, LSQB, LBRACE, MINUS, PLUS, TILDE, STAR,
		KwNot, KwLambda, KwAwait, KwNone, KwTrue, KwFalse, ELLIPSIS:
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Compound statements

func (p *parser) decorated() Stmt {
	var decos []Expr
	for p.at(AT) {
		p.next()
		decos = append(decos, p.namedExpression())
		if !p.accept(NEWLINE) {
			p.invalidSyntax()
		}
	}
	start := p.tok().Start
	switch p.kind() {
	case KwDef:
		return p.funcDef(start, decos, false)
	case KwClass:
		return p.classDef(start, decos)
	case KwAsync:
		if p.peek(1).Kind == KwDef {
			p.next()
			return p.funcDef(start, decos, true)
		}
	}
	p.invalidSyntax()
	return nil
}

func (p *parser) funcDef(start Pos, decos []Expr, async bool) Stmt {
	p.expect(KwDef)
	name, nt := p.expectName()
	f := &FunctionDef{IsAsync: async, Name: name, NamePos: nt.Start, DecoratorList: decos}
	if p.at(LSQB) {
		if p.version < Py312 {
			p.invalidSyntax()
		}
		f.TypeParams = p.typeParams()
	}
	if !p.at(LPAR) {
		p.fail("expected '('")
	}
	p.next()
	f.Args = p.parameters(RPAR, true)
	p.expect(RPAR)
	if p.accept(RARROW) {
		f.Returns = p.expression()
	}
	p.expect(COLON)
	f.Body = p.block("function definition", start)
	f.Span = Span{start, p.blockEnd()}
	return f
}

func (p *parser) classDef(start Pos, decos []Expr) Stmt {
	p.expect(KwClass)
	name, nt := p.expectName()
	c := &ClassDef{Name: name, NamePos: nt.Start, DecoratorList: decos}
	if p.at(LSQB) {
		if p.version < Py312 {
			p.invalidSyntax()
		}
		c.TypeParams = p.typeParams()
	}
	if p.accept(LPAR) {
		if !p.at(RPAR) {
			c.Bases, c.Keywords = p.callArguments()
		}
		p.expect(RPAR)
	}
	p.expect(COLON)
	c.Body = p.block("class definition", start)
	c.Span = Span{start, p.blockEnd()}
	return c
}

func (p *parser) typeParams() []TypeParam {
	p.expect(LSQB)
	var params []TypeParam
	for !p.at(RSQB) {
		start := p.tok().Start
		var tp TypeParam
		switch {
		case p.accept(STAR):
			name, _ := p.expectName()
			v := &TypeVarTuple{Name: name}
			if p.accept(EQUAL) {
				v.DefaultValue = p.typeParamDefault(true)
			}
			v.Span = Span{start, p.lastEnd()}
			tp = v
		case p.accept(DOUBLESTAR):
			name, _ := p.expectName()
			v := &ParamSpec{Name: name}
			if p.accept(EQUAL) {
				v.DefaultValue = p.typeParamDefault(false)
			}
			v.Span = Span{start, p.lastEnd()}
			tp = v
		default:
			name, _ := p.expectName()
			v := &TypeVar{Name: name}
			if p.accept(COLON) {
				v.Bound = p.expression()
			}
			if p.accept(EQUAL) {
				v.DefaultValue = p.typeParamDefault(false)
			}
			v.Span = Span{start, p.lastEnd()}
			tp = v
		}
		params = append(params, tp)
		if !p.accept(COMMA) {
			break
		}
	}
	p.expect(RSQB)
	return params
}

func (p *parser) typeParamDefault(star bool) Expr {
	if p.version < Py313 {
		// 3.12 reads `T = x` as a misspelt comparison.
		p.failAt(p.toks[p.i-1].Start, p.toks[p.i-1].End, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?")
	}
	if star && p.at(STAR) {
		return p.starExpression()
	}
	return p.expression()
}

func (p *parser) ifStmt() Stmt {
	start := p.next().Start
	s := node(&p.slabs.ifs, If{Test: p.namedExpression()})
	p.expect(COLON)
	s.Body = p.block("'if' statement", start)
	s.Orelse = p.elseBlocks()
	s.Span = Span{start, p.blockEnd()}
	return s
}

// elseBlocks parses the elif/else tail of an if statement.
func (p *parser) elseBlocks() []Stmt {
	switch p.kind() {
	case KwElif:
		// Each elif is an If nested in the previous one's orelse.
		p.enter()
		defer p.leave()
		start := p.next().Start
		s := node(&p.slabs.ifs, If{Test: p.namedExpression()})
		p.expect(COLON)
		s.Body = p.block("'elif' statement", start)
		s.Orelse = p.elseBlocks()
		s.Span = Span{start, p.blockEnd()}
		return []Stmt{s}
	case KwElse:
		start := p.next().Start
		p.expect(COLON)
		return p.block("'else' statement", start)
	}
	return nil
}

func (p *parser) optElse() []Stmt {
	if p.at(KwElse) {
		start := p.next().Start
		p.expect(COLON)
		return p.block("'else' statement", start)
	}
	return nil
}

func (p *parser) whileStmt() Stmt {
	start := p.next().Start
	s := &While{Test: p.namedExpression()}
	p.expect(COLON)
	s.Body = p.block("'while' statement", start)
	s.Orelse = p.optElse()
	s.Span = Span{start, p.blockEnd()}
	return s
}

func (p *parser) forStmt(start Pos, async bool) Stmt {
	forTok := p.expect(KwFor)
	s := &For{IsAsync: async}
	s.Target = p.starTargets()
	p.expect(KwIn)
	s.Iter = p.starExpressions()
	p.expect(COLON)
	s.Body = p.block("'for' statement", forTok.Start)
	s.Orelse = p.optElse()
	s.Span = Span{start, p.blockEnd()}
	return s
}

func (p *parser) withStmt(start Pos, async bool) Stmt {
	withTok := p.expect(KwWith)
	s := &With{IsAsync: async}
	parsed := false
	if p.at(LPAR) && p.closingFollowedByColon() {
		parsed = p.speculate(func() {
			p.next()
			var items []*WithItem
			for {
				items = append(items, p.withItem())
				if !p.accept(COMMA) || p.at(RPAR) {
					break
				}
			}
			p.expect(RPAR)
			if !p.at(COLON) {
				p.invalidSyntax()
			}
			s.Items = items
		})
	}
	if !parsed {
		for {
			s.Items = append(s.Items, p.withItem())
			if !p.accept(COMMA) {
				break
			}
		}
	}
	p.expect(COLON)
	s.Body = p.block("'with' statement", withTok.Start)
	s.Span = Span{start, p.blockEnd()}
	return s
}

// closingFollowedByColon reports whether the bracket at the current token is
// closed by a token followed by ':'.
func (p *parser) closingFollowedByColon() bool {
	depth := 0
	for j := p.i; j < len(p.toks); j++ {
		switch p.toks[j].Kind {
		case LPAR, LSQB, LBRACE:
			depth++
		case RPAR, RSQB, RBRACE:
			depth--
			if depth == 0 {
				return j+1 < len(p.toks) && p.toks[j+1].Kind == COLON
			}
		case NEWLINE, EOF:
			return false
		}
	}
	return false
}

func (p *parser) withItem() *WithItem {
	start := p.tok().Start
	w := &WithItem{ContextExpr: p.expression()}
	if p.accept(KwAs) {
		w.OptionalVars = p.starTarget()
		if k := p.kind(); k != COMMA && k != RPAR && k != COLON {
			p.invalidSyntax()
		}
	}
	w.Span = Span{start, p.lastEnd()}
	return w
}

func (p *parser) tryStmt() Stmt {
	start := p.next().Start
	p.expect(COLON)
	s := &Try{Body: p.block("'try' statement", start)}
	for p.at(KwExcept) {
		hstart := p.next().Start
		h := &ExceptHandler{NamePos: NoPos}
		star := false
		if p.at(STAR) && p.version < Py311 {
			p.invalidSyntax()
		}
		if p.accept(STAR) {
			star = true
			if p.at(COLON) {
				p.fail("expected one or more exception types")
			}
		}
		if len(s.Handlers) > 0 && star != s.IsStar {
			p.failAt(hstart, p.lastEnd(), "cannot have both 'except' and 'except*' on the same 'try'")
		}
		s.IsStar = star
		if !p.at(COLON) {
			h.Type = p.expression()
			if p.at(COMMA) {
				p.failAt(h.Type.Pos(), p.tok().End, "multiple exception types must be parenthesized")
			}
			if p.accept(KwAs) {
				var nt Token
				h.Name, nt = p.expectName()
				h.HasName = true
				h.NamePos = nt.Start
			}
		}
		p.expect(COLON)
		what := "'except' statement"
		if star {
			what = "'except*' statement"
		}
		h.Body = p.block(what, hstart)
		h.Span = Span{hstart, p.blockEnd()}
		s.Handlers = append(s.Handlers, h)
	}
	s.Orelse = p.optElse()
	if p.at(KwFinally) {
		fstart := p.next().Start
		p.expect(COLON)
		s.Finalbody = p.block("'finally' statement", fstart)
	}
	if len(s.Handlers) == 0 && s.Finalbody == nil {
		p.fail("expected 'except' or 'finally' block")
	}
	s.Span = Span{start, p.blockEnd()}
	return s
}
