package pyparse

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dump renders f as CPython v's `ast.dump(ast.parse(src), include_attributes=True)`
// does: same node and field names and order, same constant reprs, same
// positions. It is the interface of our conformance oracle, so it also
// reproduces each version's quirks (3.11's f-string spans, 3.12's empty
// format-spec constant, 3.13's omission of empty fields) from the true
// positions the parser records.
func Dump(f *File, v Version) string {
	d := &dumper{f: f, v: v}
	d.b.Grow(len(f.Src) * 8)
	d.open("Module")
	d.stmtList("body", f.Body)
	d.emptyList("type_ignores")
	d.closeNoAttrs()
	return d.b.String()
}

type dumper struct {
	f *File
	v Version
	b strings.Builder
	// fields counts fields written in the innermost open node, for commas.
	fields []int
	// fstring is the span CPython 3.11 gives the parts of the f-string
	// being dumped (the whole implicitly concatenated literal).
	fstring *JoinedStr
	// partsSpan is the span 3.11 gives the parts being dumped.
	partsSpan Span
	// fieldValue is the 3.11 field whose expression is being dumped.
	fieldValue *FormattedValue
}

func (d *dumper) sep() {
	n := len(d.fields) - 1
	if n >= 0 {
		if d.fields[n] > 0 {
			d.b.WriteString(", ")
		}
		d.fields[n]++
	}
}

func (d *dumper) open(name string) {
	d.b.WriteString(name)
	d.b.WriteByte('(')
	d.fields = append(d.fields, 0)
}

func (d *dumper) closeAt(s Span) {
	d.attrs(s)
	d.closeNoAttrs()
}

func (d *dumper) closeNoAttrs() {
	d.fields = d.fields[:len(d.fields)-1]
	d.b.WriteByte(')')
}

func (d *dumper) attrs(s Span) {
	a, e := d.f.Position(s.Start), d.f.Position(s.EndPos)
	d.intField("lineno", a.Line)
	d.intField("col_offset", a.Col)
	d.intField("end_lineno", e.Line)
	d.intField("end_col_offset", e.Col)
}

func (d *dumper) key(name string) {
	d.sep()
	d.b.WriteString(name)
	d.b.WriteByte('=')
}

func (d *dumper) intField(name string, n int) {
	d.key(name)
	d.b.WriteString(strconv.Itoa(n))
}

func (d *dumper) strField(name, s string) {
	d.key(name)
	d.b.WriteString(reprFor(d.v).str(s))
}

// optStr writes an optional identifier field (omitted when absent).
func (d *dumper) optStr(name, s string, ok bool) {
	if ok {
		d.strField(name, s)
	}
}

func (d *dumper) emptyList(name string) {
	if d.v >= Py313 {
		return
	}
	d.key(name)
	d.b.WriteString("[]")
}

func (d *dumper) expr(name string, e Expr) {
	if e == nil {
		return
	}
	d.key(name)
	d.node(e)
}

func (d *dumper) exprList(name string, es []Expr) {
	if len(es) == 0 {
		d.emptyList(name)
		return
	}
	d.key(name)
	d.b.WriteByte('[')
	for i, e := range es {
		if i > 0 {
			d.b.WriteString(", ")
		}
		if e == nil {
			d.b.WriteString("None")
			continue
		}
		d.node(e)
	}
	d.b.WriteByte(']')
}

func (d *dumper) stmtList(name string, ss []Stmt) {
	if len(ss) == 0 {
		d.emptyList(name)
		return
	}
	d.key(name)
	d.b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			d.b.WriteString(", ")
		}
		d.node(s)
	}
	d.b.WriteByte(']')
}

func list[T Node](d *dumper, name string, xs []T) {
	if len(xs) == 0 {
		d.emptyList(name)
		return
	}
	d.key(name)
	d.b.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			d.b.WriteString(", ")
		}
		d.node(x)
	}
	d.b.WriteByte(']')
}

func (d *dumper) strList(name string, ss []string) {
	if len(ss) == 0 {
		d.emptyList(name)
		return
	}
	d.key(name)
	d.b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			d.b.WriteString(", ")
		}
		d.b.WriteString(reprFor(d.v).str(s))
	}
	d.b.WriteByte(']')
}

func (d *dumper) ctx(c ExprContext) {
	d.key("ctx")
	d.b.WriteString(c.String())
	d.b.WriteString("()")
}

func (d *dumper) op(op string) {
	d.key("op")
	d.b.WriteString(op)
	d.b.WriteString("()")
}

func (d *dumper) typeParams(tps []TypeParam) {
	if d.v >= Py312 {
		list(d, "type_params", tps)
	}
}

//nolint:gocyclo,cyclop,funlen // one case per node type mirrors the ASDL
func (d *dumper) node(n Node) {
	switch x := n.(type) {
	case *FunctionDef:
		if x.IsAsync {
			d.open("AsyncFunctionDef")
		} else {
			d.open("FunctionDef")
		}
		d.strField("name", x.Name)
		d.key("args")
		d.node(x.Args)
		d.stmtList("body", x.Body)
		d.exprList("decorator_list", x.DecoratorList)
		d.expr("returns", x.Returns)
		d.typeParams(x.TypeParams)
		d.closeAt(x.Span)
	case *ClassDef:
		d.open("ClassDef")
		d.strField("name", x.Name)
		d.exprList("bases", x.Bases)
		list(d, "keywords", x.Keywords)
		d.stmtList("body", x.Body)
		d.exprList("decorator_list", x.DecoratorList)
		d.typeParams(x.TypeParams)
		d.closeAt(x.Span)
	case *Return:
		d.open("Return")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *Delete:
		d.open("Delete")
		d.exprList("targets", x.Targets)
		d.closeAt(x.Span)
	case *Assign:
		d.open("Assign")
		d.exprList("targets", x.Targets)
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *TypeAlias:
		d.open("TypeAlias")
		d.expr("name", x.Name)
		d.typeParams(x.TypeParams)
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *AugAssign:
		d.open("AugAssign")
		d.expr("target", x.Target)
		d.op(x.Op.String())
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *AnnAssign:
		d.open("AnnAssign")
		d.expr("target", x.Target)
		d.expr("annotation", x.Annotation)
		d.expr("value", x.Value)
		d.intField("simple", x.Simple)
		d.closeAt(x.Span)
	case *For:
		if x.IsAsync {
			d.open("AsyncFor")
		} else {
			d.open("For")
		}
		d.expr("target", x.Target)
		d.expr("iter", x.Iter)
		d.stmtList("body", x.Body)
		d.stmtList("orelse", x.Orelse)
		d.closeAt(x.Span)
	case *While:
		d.open("While")
		d.expr("test", x.Test)
		d.stmtList("body", x.Body)
		d.stmtList("orelse", x.Orelse)
		d.closeAt(x.Span)
	case *If:
		d.open("If")
		d.expr("test", x.Test)
		d.stmtList("body", x.Body)
		d.stmtList("orelse", x.Orelse)
		d.closeAt(x.Span)
	case *With:
		if x.IsAsync {
			d.open("AsyncWith")
		} else {
			d.open("With")
		}
		list(d, "items", x.Items)
		d.stmtList("body", x.Body)
		d.closeAt(x.Span)
	case *Match:
		d.open("Match")
		d.expr("subject", x.Subject)
		list(d, "cases", x.Cases)
		d.closeAt(x.Span)
	case *Raise:
		d.open("Raise")
		d.expr("exc", x.Exc)
		d.expr("cause", x.Cause)
		d.closeAt(x.Span)
	case *Try:
		if x.IsStar {
			d.open("TryStar")
		} else {
			d.open("Try")
		}
		d.stmtList("body", x.Body)
		list(d, "handlers", x.Handlers)
		d.stmtList("orelse", x.Orelse)
		d.stmtList("finalbody", x.Finalbody)
		d.closeAt(x.Span)
	case *Assert:
		d.open("Assert")
		d.expr("test", x.Test)
		d.expr("msg", x.Msg)
		d.closeAt(x.Span)
	case *Import:
		d.open("Import")
		list(d, "names", x.Names)
		d.closeAt(x.Span)
	case *ImportFrom:
		d.open("ImportFrom")
		d.optStr("module", x.Module, x.HasModule)
		list(d, "names", x.Names)
		d.intField("level", x.Level)
		d.closeAt(x.Span)
	case *Global:
		d.open("Global")
		d.strList("names", x.Names)
		d.closeAt(x.Span)
	case *Nonlocal:
		d.open("Nonlocal")
		d.strList("names", x.Names)
		d.closeAt(x.Span)
	case *ExprStmt:
		d.open("Expr")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *Pass:
		d.open("Pass")
		d.closeAt(x.Span)
	case *Break:
		d.open("Break")
		d.closeAt(x.Span)
	case *Continue:
		d.open("Continue")
		d.closeAt(x.Span)
	case *BadStmt:
		d.open("BadStmt")
		d.closeAt(x.Span)

	case *BoolOp:
		d.open("BoolOp")
		d.op(x.Op.String())
		d.exprList("values", x.Values)
		d.closeAt(x.Span)
	case *NamedExpr:
		d.open("NamedExpr")
		d.expr("target", x.Target)
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *BinOp:
		d.open("BinOp")
		d.expr("left", x.Left)
		d.op(x.Op.String())
		d.expr("right", x.Right)
		d.closeAt(x.Span)
	case *UnaryOp:
		d.open("UnaryOp")
		d.op(x.Op.String())
		d.expr("operand", x.Operand)
		d.closeAt(x.Span)
	case *Lambda:
		d.open("Lambda")
		d.key("args")
		d.node(x.Args)
		d.expr("body", x.Body)
		d.closeAt(x.Span)
	case *IfExp:
		d.open("IfExp")
		d.expr("test", x.Test)
		d.expr("body", x.Body)
		d.expr("orelse", x.Orelse)
		d.closeAt(x.Span)
	case *Dict:
		d.open("Dict")
		d.exprList("keys", x.Keys)
		d.exprList("values", x.Values)
		d.closeAt(x.Span)
	case *Set:
		d.open("Set")
		d.exprList("elts", x.Elts)
		d.closeAt(x.Span)
	case *ListComp:
		d.open("ListComp")
		d.expr("elt", x.Elt)
		list(d, "generators", x.Generators)
		d.closeAt(x.Span)
	case *SetComp:
		d.open("SetComp")
		d.expr("elt", x.Elt)
		list(d, "generators", x.Generators)
		d.closeAt(x.Span)
	case *DictComp:
		d.open("DictComp")
		d.expr("key", x.Key)
		d.expr("value", x.Value)
		list(d, "generators", x.Generators)
		d.closeAt(x.Span)
	case *GeneratorExp:
		d.open("GeneratorExp")
		d.expr("elt", x.Elt)
		list(d, "generators", x.Generators)
		d.closeAt(d.fieldExprSpan(x, x.Span))
	case *Await:
		d.open("Await")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *Yield:
		d.open("Yield")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *YieldFrom:
		d.open("YieldFrom")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *Compare:
		d.open("Compare")
		d.expr("left", x.Left)
		d.key("ops")
		d.b.WriteByte('[')
		for i, o := range x.Ops {
			if i > 0 {
				d.b.WriteString(", ")
			}
			d.b.WriteString(o.String())
			d.b.WriteString("()")
		}
		d.b.WriteByte(']')
		d.exprList("comparators", x.Comparators)
		d.closeAt(x.Span)
	case *Call:
		d.open("Call")
		d.expr("func", x.Func)
		d.exprList("args", x.Args)
		list(d, "keywords", x.Keywords)
		d.closeAt(x.Span)
	case *FormattedValue:
		d.formattedValue(x)
	case *JoinedStr:
		d.joinedStr(x)
	case *Constant:
		d.open("Constant")
		d.key("value")
		d.b.WriteString(reprFor(d.v).constant(x.Value))
		if x.U {
			d.strField("kind", "u")
		}
		d.closeAt(x.Span)
	case *Attribute:
		d.open("Attribute")
		d.expr("value", x.Value)
		d.strField("attr", x.Attr)
		d.ctx(x.Ctx)
		d.closeAt(x.Span)
	case *Subscript:
		d.open("Subscript")
		d.expr("value", x.Value)
		d.expr("slice", x.Slice)
		d.ctx(x.Ctx)
		d.closeAt(x.Span)
	case *Starred:
		d.open("Starred")
		d.expr("value", x.Value)
		d.ctx(x.Ctx)
		d.closeAt(x.Span)
	case *Name:
		d.open("Name")
		d.strField("id", x.ID)
		d.ctx(x.Ctx)
		d.closeAt(x.Span)
	case *List:
		d.open("List")
		d.exprList("elts", x.Elts)
		d.ctx(x.Ctx)
		d.closeAt(x.Span)
	case *Tuple:
		d.open("Tuple")
		d.exprList("elts", x.Elts)
		d.ctx(x.Ctx)
		d.closeAt(d.fieldExprSpan(x, x.Span))
	case *Slice:
		d.open("Slice")
		d.expr("lower", x.Lower)
		d.expr("upper", x.Upper)
		d.expr("step", x.Step)
		d.closeAt(x.Span)
	case *BadExpr:
		d.open("BadExpr")
		d.closeAt(x.Span)

	case *Comprehension:
		d.open("comprehension")
		d.expr("target", x.Target)
		d.expr("iter", x.Iter)
		d.exprList("ifs", x.Ifs)
		d.intField("is_async", x.IsAsync)
		d.closeNoAttrs()
	case *ExceptHandler:
		d.open("ExceptHandler")
		d.expr("type", x.Type)
		d.optStr("name", x.Name, x.HasName)
		d.stmtList("body", x.Body)
		d.closeAt(x.Span)
	case *Arguments:
		d.open("arguments")
		list(d, "posonlyargs", x.PosOnlyArgs)
		list(d, "args", x.Args)
		if x.Vararg != nil {
			d.key("vararg")
			d.node(x.Vararg)
		}
		list(d, "kwonlyargs", x.KwOnlyArgs)
		d.exprList("kw_defaults", x.KwDefaults)
		if x.Kwarg != nil {
			d.key("kwarg")
			d.node(x.Kwarg)
		}
		d.exprList("defaults", x.Defaults)
		d.closeNoAttrs()
	case *Arg:
		d.open("arg")
		d.strField("arg", x.Arg)
		d.expr("annotation", x.Annotation)
		d.closeAt(x.Span)
	case *Keyword:
		d.open("keyword")
		d.optStr("arg", x.Arg, x.Arg != "")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *Alias:
		d.open("alias")
		d.strField("name", x.Name)
		d.optStr("asname", x.AsName, x.AsName != "")
		d.closeAt(x.Span)
	case *WithItem:
		d.open("withitem")
		d.expr("context_expr", x.ContextExpr)
		d.expr("optional_vars", x.OptionalVars)
		d.closeNoAttrs()
	case *MatchCase:
		d.open("match_case")
		if x.Pattern != nil {
			d.key("pattern")
			d.node(x.Pattern)
		}
		d.expr("guard", x.Guard)
		d.stmtList("body", x.Body)
		d.closeNoAttrs()

	case *MatchValue:
		d.open("MatchValue")
		d.expr("value", x.Value)
		d.closeAt(x.Span)
	case *MatchSingleton:
		d.open("MatchSingleton")
		d.key("value")
		d.b.WriteString(reprFor(d.v).constant(x.Value))
		d.closeAt(x.Span)
	case *MatchSequence:
		d.open("MatchSequence")
		list(d, "patterns", x.Patterns)
		d.closeAt(x.Span)
	case *MatchMapping:
		d.open("MatchMapping")
		d.exprList("keys", x.Keys)
		list(d, "patterns", x.Patterns)
		d.optStr("rest", x.Rest, x.HasRest)
		d.closeAt(x.Span)
	case *MatchClass:
		d.open("MatchClass")
		d.expr("cls", x.Cls)
		list(d, "patterns", x.Patterns)
		d.strList("kwd_attrs", x.KwdAttrs)
		list(d, "kwd_patterns", x.KwdPatterns)
		d.closeAt(x.Span)
	case *MatchStar:
		d.open("MatchStar")
		d.optStr("name", x.Name, x.HasName)
		d.closeAt(x.Span)
	case *MatchAs:
		d.open("MatchAs")
		if x.Pattern != nil {
			d.key("pattern")
			d.node(x.Pattern)
		}
		d.optStr("name", x.Name, x.HasName)
		d.closeAt(x.Span)
	case *MatchOr:
		d.open("MatchOr")
		list(d, "patterns", x.Patterns)
		d.closeAt(x.Span)

	case *TypeVar:
		d.open("TypeVar")
		d.strField("name", x.Name)
		d.expr("bound", x.Bound)
		if d.v >= Py313 {
			d.expr("default_value", x.DefaultValue)
		}
		d.closeAt(x.Span)
	case *ParamSpec:
		d.open("ParamSpec")
		d.strField("name", x.Name)
		if d.v >= Py313 {
			d.expr("default_value", x.DefaultValue)
		}
		d.closeAt(x.Span)
	case *TypeVarTuple:
		d.open("TypeVarTuple")
		d.strField("name", x.Name)
		if d.v >= Py313 {
			d.expr("default_value", x.DefaultValue)
		}
		d.closeAt(x.Span)
	}
}

// ---------------------------------------------------------------------------
// Constants

// reprFor renders constants as one Python version does; versions differ
// in the Unicode database behind str.isprintable.
type reprFor Version

func (rv reprFor) constant(v ConstValue) string {
	switch v.Kind {
	case ConstNone:
		return "None"
	case ConstTrue:
		return "True"
	case ConstFalse:
		return "False"
	case ConstEllipsis:
		return "Ellipsis"
	case ConstInt:
		return v.Str
	case ConstFloat:
		return pyFloatRepr(v.Float, true)
	case ConstComplex:
		return pyFloatRepr(v.Float, false) + "j"
	case ConstStr:
		return rv.str(v.Str)
	case ConstBytes:
		return pyBytesRepr(v.Str)
	}
	return "None"
}

// pyFloatRepr is Python's repr(float): the shortest round-tripping digits,
// positional when the decimal exponent is in [-4, 16), else scientific with
// a signed two-digit exponent. addDotZero gives "1.0" rather than "1"
// (complex parts are written without it).
func pyFloatRepr(f float64, addDotZero bool) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	mant, expPart, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expPart)
	digits := strings.Replace(mant, ".", "", 1)
	decpt := exp + 1
	var out string
	if decpt > -4 && decpt <= 16 {
		switch {
		case decpt <= 0:
			out = "0." + strings.Repeat("0", -decpt) + digits
		case decpt >= len(digits):
			out = digits + strings.Repeat("0", decpt-len(digits))
			if addDotZero {
				out += ".0"
			}
		default:
			out = digits[:decpt] + "." + digits[decpt:]
		}
	} else {
		out = digits[:1]
		if len(digits) > 1 {
			out += "." + digits[1:]
		}
		e := exp
		sign := "+"
		if e < 0 {
			sign = "-"
			e = -e
		}
		es := strconv.Itoa(e)
		if len(es) < 2 {
			es = "0" + es
		}
		out += "e" + sign + es
	}
	if neg {
		out = "-" + out
	}
	return out
}

func (rv reprFor) printable(r rune) bool { return isPrintableIn(Version(rv), r) }

// str is Python's repr(str) for a WTF-8 string.
func (rv reprFor) str(s string) string {
	d := rv
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := decodeWTF8(s[i:])
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(int(r)))
		case r < 0x7f:
			b.WriteRune(r)
		case r >= 0xD800 && r <= 0xDFFF || !d.printable(r):
			switch {
			case r <= 0xff:
				b.WriteString(`\x`)
				b.WriteString(hex2(int(r)))
			case r <= 0xffff:
				b.WriteString(`\u`)
				b.WriteString(hexN(int(r), 4))
			default:
				b.WriteString(`\U`)
				b.WriteString(hexN(int(r), 8))
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// decodeWTF8 decodes one character, including the three-byte encodings of
// lone surrogates that strict UTF-8 rejects.
func decodeWTF8(s string) (r rune, size int) {
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c == 0xED && len(s) >= 3 && s[1] >= 0xA0 && s[1] <= 0xBF {
		return rune(c&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s)
}

// pyBytesRepr is Python's repr(bytes).
func pyBytesRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteString("b")
	b.WriteByte(quote)
	for i := range len(s) {
		c := s[i]
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(int(c)))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func hex2(n int) string { return hexN(n, 2) }

func hexN(n, width int) string {
	s := strconv.FormatInt(int64(n), 16)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}
