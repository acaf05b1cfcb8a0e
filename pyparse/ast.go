package pyparse

// The node types mirror CPython's ast module (Python 3.13's ASDL, which is a
// superset of 3.11's and 3.12's): same names, same fields, same optionality.
// A nil pointer or nil interface is CPython's None; a nil slice is [].
// Identifiers are Go strings. Nodes that CPython gives positions embed Span.

// Node is any syntax tree node.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// Pattern is a match-statement pattern node.
type Pattern interface {
	Node
	patternNode()
}

// TypeParam is a PEP 695 type parameter (TypeVar, ParamSpec, TypeVarTuple).
type TypeParam interface {
	Node
	typeParamNode()
}

// ExprContext is the ctx field of Name, Attribute, Subscript, Starred, List
// and Tuple.
type ExprContext uint8

// Expression contexts.
const (
	Load ExprContext = iota
	Store
	Del
)

func (c ExprContext) String() string {
	switch c {
	case Store:
		return "Store"
	case Del:
		return "Del"
	default:
		return "Load"
	}
}

// BoolOperator is And or Or.
type BoolOperator uint8

// Boolean operators.
const (
	And BoolOperator = iota
	Or
)

func (o BoolOperator) String() string {
	if o == Or {
		return "Or"
	}
	return "And"
}

// Operator is a binary or augmented-assignment operator.
type Operator uint8

// Binary operators, in CPython's order.
const (
	Add Operator = iota
	Sub
	Mult
	MatMult
	Div
	Mod
	Pow
	LShift
	RShift
	BitOr
	BitXor
	BitAnd
	FloorDiv
)

var operatorNames = [...]string{"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"}

func (o Operator) String() string { return operatorNames[o] }

// UnaryOperator is a unary operator.
type UnaryOperator uint8

// Unary operators.
const (
	Invert UnaryOperator = iota
	Not
	UAdd
	USub
)

var unaryNames = [...]string{"Invert", "Not", "UAdd", "USub"}

func (o UnaryOperator) String() string { return unaryNames[o] }

// CmpOperator is a comparison operator.
type CmpOperator uint8

// Comparison operators.
const (
	Eq CmpOperator = iota
	NotEq
	Lt
	LtE
	Gt
	GtE
	Is
	IsNot
	In
	NotIn
)

var cmpNames = [...]string{"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"}

func (o CmpOperator) String() string { return cmpNames[o] }

// ---------------------------------------------------------------------------
// Statements

type (
	// FunctionDef is `def` (and `async def` when IsAsync).
	FunctionDef struct {
		Span
		IsAsync       bool
		Name          string
		NamePos       Pos // position of the name identifier (not in CPython's AST)
		Args          *Arguments
		Body          []Stmt
		DecoratorList []Expr
		Returns       Expr
		TypeComment   *string
		TypeParams    []TypeParam
	}

	// ClassDef is `class`.
	ClassDef struct {
		Span
		Name          string
		NamePos       Pos
		Bases         []Expr
		Keywords      []*Keyword
		Body          []Stmt
		DecoratorList []Expr
		TypeParams    []TypeParam
	}

	// Return is `return [value]`.
	Return struct {
		Span
		Value Expr
	}

	// Delete is `del targets`.
	Delete struct {
		Span
		Targets []Expr
	}

	// Assign is `t1 = t2 = value`.
	Assign struct {
		Span
		Targets     []Expr
		Value       Expr
		TypeComment *string
	}

	// TypeAlias is `type Name[params] = value` (3.12+).
	TypeAlias struct {
		Span
		Name       Expr // *Name
		TypeParams []TypeParam
		Value      Expr
	}

	// AugAssign is `target op= value`.
	AugAssign struct {
		Span
		Target Expr
		Op     Operator
		Value  Expr
	}

	// AnnAssign is `target: annotation [= value]`.
	AnnAssign struct {
		Span
		Target     Expr
		Annotation Expr
		Value      Expr
		Simple     int
	}

	// For is `for` (and `async for` when IsAsync).
	For struct {
		Span
		IsAsync     bool
		Target      Expr
		Iter        Expr
		Body        []Stmt
		Orelse      []Stmt
		TypeComment *string
	}

	// While is `while`.
	While struct {
		Span
		Test   Expr
		Body   []Stmt
		Orelse []Stmt
	}

	// If is `if`; `elif` is an If alone in Orelse.
	If struct {
		Span
		Test   Expr
		Body   []Stmt
		Orelse []Stmt
	}

	// With is `with` (and `async with` when IsAsync).
	With struct {
		Span
		IsAsync     bool
		Items       []*WithItem
		Body        []Stmt
		TypeComment *string
	}

	// Match is `match subject:` with its cases.
	Match struct {
		Span
		Subject Expr
		Cases   []*MatchCase
	}

	// Raise is `raise [exc [from cause]]`.
	Raise struct {
		Span
		Exc   Expr
		Cause Expr
	}

	// Try is `try` (and `try` with `except*` when IsStar: CPython's TryStar).
	Try struct {
		Span
		IsStar    bool
		Body      []Stmt
		Handlers  []*ExceptHandler
		Orelse    []Stmt
		Finalbody []Stmt
	}

	// Assert is `assert test[, msg]`.
	Assert struct {
		Span
		Test Expr
		Msg  Expr
	}

	// Import is `import a.b as c, d`.
	Import struct {
		Span
		Names []*Alias
	}

	// ImportFrom is `from ..module import names`. Module is "" for `from . import x`.
	ImportFrom struct {
		Span
		Module    string
		HasModule bool
		Names     []*Alias
		Level     int
	}

	// Global is `global names`.
	Global struct {
		Span
		Names []string
	}

	// Nonlocal is `nonlocal names`.
	Nonlocal struct {
		Span
		Names []string
	}

	// ExprStmt is an expression statement (CPython's Expr).
	ExprStmt struct {
		Span
		Value Expr
	}

	// Pass is `pass`.
	Pass struct{ Span }
	// Break is `break`.
	Break struct{ Span }
	// Continue is `continue`.
	Continue struct{ Span }

	// BadStmt stands for a statement that could not be parsed (error recovery).
	BadStmt struct{ Span }
)

func (*FunctionDef) stmtNode() {}
func (*ClassDef) stmtNode()    {}
func (*Return) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*Assign) stmtNode()      {}
func (*TypeAlias) stmtNode()   {}
func (*AugAssign) stmtNode()   {}
func (*AnnAssign) stmtNode()   {}
func (*For) stmtNode()         {}
func (*While) stmtNode()       {}
func (*If) stmtNode()          {}
func (*With) stmtNode()        {}
func (*Match) stmtNode()       {}
func (*Raise) stmtNode()       {}
func (*Try) stmtNode()         {}
func (*Assert) stmtNode()      {}
func (*Import) stmtNode()      {}
func (*ImportFrom) stmtNode()  {}
func (*Global) stmtNode()      {}
func (*Nonlocal) stmtNode()    {}
func (*ExprStmt) stmtNode()    {}
func (*Pass) stmtNode()        {}
func (*Break) stmtNode()       {}
func (*Continue) stmtNode()    {}
func (*BadStmt) stmtNode()     {}

// ---------------------------------------------------------------------------
// Expressions

type (
	// BoolOp is `a and b and c` / `a or b`.
	BoolOp struct {
		Span
		Op     BoolOperator
		Values []Expr
	}

	// NamedExpr is `target := value`.
	NamedExpr struct {
		Span
		Target Expr
		Value  Expr
	}

	// BinOp is `left op right`.
	BinOp struct {
		Span
		Left  Expr
		Op    Operator
		Right Expr
	}

	// UnaryOp is `op operand`.
	UnaryOp struct {
		Span
		Op      UnaryOperator
		Operand Expr
	}

	// Lambda is `lambda args: body`.
	Lambda struct {
		Span
		Args *Arguments
		Body Expr
	}

	// IfExp is `body if test else orelse`.
	IfExp struct {
		Span
		Test   Expr
		Body   Expr
		Orelse Expr
	}

	// Dict is `{k: v, **m}`; a nil key is a `**` unpacking.
	Dict struct {
		Span
		Keys   []Expr
		Values []Expr
	}

	// Set is `{a, b}`.
	Set struct {
		Span
		Elts []Expr
	}

	// ListComp is `[elt for ...]`.
	ListComp struct {
		Span
		Elt        Expr
		Generators []*Comprehension
	}

	// SetComp is `{elt for ...}`.
	SetComp struct {
		Span
		Elt        Expr
		Generators []*Comprehension
	}

	// DictComp is `{key: value for ...}`.
	DictComp struct {
		Span
		Key        Expr
		Value      Expr
		Generators []*Comprehension
	}

	// GeneratorExp is `(elt for ...)`.
	GeneratorExp struct {
		Span
		Elt        Expr
		Generators []*Comprehension
	}

	// Await is `await value`.
	Await struct {
		Span
		Value Expr
	}

	// Yield is `yield [value]`.
	Yield struct {
		Span
		Value Expr
	}

	// YieldFrom is `yield from value`.
	YieldFrom struct {
		Span
		Value Expr
	}

	// Compare is `left op1 c1 op2 c2 ...`.
	Compare struct {
		Span
		Left        Expr
		Ops         []CmpOperator
		Comparators []Expr
	}

	// Call is `func(args, keywords)`.
	Call struct {
		Span
		Func     Expr
		Args     []Expr
		Keywords []*Keyword
	}

	// FormattedValue is one `{value!conv:spec}` field of an f-string.
	// Conversion is -1 (none) or the code of 's', 'r' or 'a'.
	FormattedValue struct {
		Span
		Value      Expr
		Conversion int
		FormatSpec Expr // *JoinedStr or nil
	}

	// JoinedStr is an f-string (possibly implicitly concatenated with plain strings).
	JoinedStr struct {
		Span
		Values []Expr // *Constant (str) and *FormattedValue
	}

	// Constant is a literal. See ConstKind for how Value is held.
	Constant struct {
		Span
		Value ConstValue
		// U is set for a string with the u prefix (ast's kind='u').
		U bool
	}

	// Attribute is `value.attr`.
	Attribute struct {
		Span
		Value   Expr
		Attr    string
		AttrPos Pos // position of the attribute identifier (not in CPython's AST)
		Ctx     ExprContext
	}

	// Subscript is `value[slice]`.
	Subscript struct {
		Span
		Value Expr
		Slice Expr
		Ctx   ExprContext
	}

	// Starred is `*value`.
	Starred struct {
		Span
		Value Expr
		Ctx   ExprContext
	}

	// Name is an identifier.
	Name struct {
		Span
		ID  string
		Ctx ExprContext
	}

	// List is `[a, b]`.
	List struct {
		Span
		Elts []Expr
		Ctx  ExprContext
	}

	// Tuple is `a, b` or `(a, b)`.
	Tuple struct {
		Span
		Elts []Expr
		Ctx  ExprContext
	}

	// Slice is `lower:upper:step` inside a subscript.
	Slice struct {
		Span
		Lower Expr
		Upper Expr
		Step  Expr
	}

	// BadExpr stands for an expression that could not be parsed (error recovery).
	BadExpr struct{ Span }
)

func (*BoolOp) exprNode()         {}
func (*NamedExpr) exprNode()      {}
func (*BinOp) exprNode()          {}
func (*UnaryOp) exprNode()        {}
func (*Lambda) exprNode()         {}
func (*IfExp) exprNode()          {}
func (*Dict) exprNode()           {}
func (*Set) exprNode()            {}
func (*ListComp) exprNode()       {}
func (*SetComp) exprNode()        {}
func (*DictComp) exprNode()       {}
func (*GeneratorExp) exprNode()   {}
func (*Await) exprNode()          {}
func (*Yield) exprNode()          {}
func (*YieldFrom) exprNode()      {}
func (*Compare) exprNode()        {}
func (*Call) exprNode()           {}
func (*FormattedValue) exprNode() {}
func (*JoinedStr) exprNode()      {}
func (*Constant) exprNode()       {}
func (*Attribute) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Starred) exprNode()        {}
func (*Name) exprNode()           {}
func (*List) exprNode()           {}
func (*Tuple) exprNode()          {}
func (*Slice) exprNode()          {}
func (*BadExpr) exprNode()        {}

// Kind is ast's kind field: "u" for a u-prefixed string, else "".
func (c *Constant) Kind() string {
	if c.U {
		return "u"
	}
	return ""
}

// ConstKind says which Python type a Constant holds.
type ConstKind uint8

// Constant kinds.
const (
	ConstNone ConstKind = iota
	ConstTrue
	ConstFalse
	ConstEllipsis
	ConstInt     // Str holds the decimal digits (arbitrary precision)
	ConstFloat   // Float holds the value
	ConstComplex // Float holds the imaginary part (the real part is 0)
	ConstStr     // Str holds the value as WTF-8 (lone surrogates kept)
	ConstBytes   // Str holds the raw bytes
)

// ConstValue is the value of a Constant (and of MatchSingleton).
type ConstValue struct {
	Kind  ConstKind
	Str   string
	Float float64
}

// ---------------------------------------------------------------------------
// Helper nodes

type (
	// Comprehension is one `[async] for target in iter if ...` clause.
	// CPython gives it no position; Span covers the clause.
	Comprehension struct {
		Span
		Target  Expr
		Iter    Expr
		Ifs     []Expr
		IsAsync int
	}

	// ExceptHandler is `except [type [as name]]:`.
	ExceptHandler struct {
		Span
		Type    Expr
		Name    string
		HasName bool
		NamePos Pos // NoPos without a name
		Body    []Stmt
	}

	// Arguments is a parameter list. CPython gives it no position; Span
	// covers the parameters (empty when there are none).
	Arguments struct {
		Span
		PosOnlyArgs []*Arg
		Args        []*Arg
		Vararg      *Arg
		KwOnlyArgs  []*Arg
		KwDefaults  []Expr // nil entries where a keyword-only arg has no default
		Kwarg       *Arg
		Defaults    []Expr
	}

	// Arg is one parameter.
	Arg struct {
		Span
		Arg         string
		Annotation  Expr
		TypeComment *string
	}

	// Keyword is `arg=value` in a call or class bases, or `**value` when Arg is "".
	Keyword struct {
		Span
		Arg   string
		Value Expr
	}

	// Alias is `name [as asname]` in an import.
	Alias struct {
		Span
		Name   string
		AsName string
	}

	// WithItem is `context_expr [as optional_vars]`. CPython gives it no position.
	WithItem struct {
		Span
		ContextExpr  Expr
		OptionalVars Expr
	}

	// MatchCase is `case pattern [if guard]: body`. CPython gives it no position.
	MatchCase struct {
		Span
		Pattern Pattern
		Guard   Expr
		Body    []Stmt
	}

	// TypeIgnore is a `# type: ignore[tag]` comment.
	TypeIgnore struct {
		Lineno int
		Tag    string
	}
)

// ---------------------------------------------------------------------------
// Patterns

type (
	// MatchValue is a value pattern (`1`, `a.b`).
	MatchValue struct {
		Span
		Value Expr
	}

	// MatchSingleton is `None`, `True` or `False`.
	MatchSingleton struct {
		Span
		Value ConstValue
	}

	// MatchSequence is `[p, q]` or `(p, q)`.
	MatchSequence struct {
		Span
		Patterns []Pattern
	}

	// MatchMapping is `{k: p, **rest}`.
	MatchMapping struct {
		Span
		Keys     []Expr
		Patterns []Pattern
		Rest     string
		HasRest  bool
	}

	// MatchClass is `Cls(p, kw=q)`.
	MatchClass struct {
		Span
		Cls         Expr
		Patterns    []Pattern
		KwdAttrs    []string
		KwdPatterns []Pattern
	}

	// MatchStar is `*name` (Name "" with !HasName is `*_`).
	MatchStar struct {
		Span
		Name    string
		HasName bool
	}

	// MatchAs is `p as name`, a capture `name`, or the wildcard `_`.
	MatchAs struct {
		Span
		Pattern Pattern
		Name    string
		HasName bool
	}

	// MatchOr is `p | q`.
	MatchOr struct {
		Span
		Patterns []Pattern
	}
)

func (*MatchValue) patternNode()     {}
func (*MatchSingleton) patternNode() {}
func (*MatchSequence) patternNode()  {}
func (*MatchMapping) patternNode()   {}
func (*MatchClass) patternNode()     {}
func (*MatchStar) patternNode()      {}
func (*MatchAs) patternNode()        {}
func (*MatchOr) patternNode()        {}

// ---------------------------------------------------------------------------
// Type parameters (3.12+)

type (
	// TypeVar is `T`, `T: bound` or `T = default` (3.13).
	TypeVar struct {
		Span
		Name         string
		Bound        Expr
		DefaultValue Expr
	}

	// ParamSpec is `**P`.
	ParamSpec struct {
		Span
		Name         string
		DefaultValue Expr
	}

	// TypeVarTuple is `*Ts`.
	TypeVarTuple struct {
		Span
		Name         string
		DefaultValue Expr
	}
)

func (*TypeVar) typeParamNode()      {}
func (*ParamSpec) typeParamNode()    {}
func (*TypeVarTuple) typeParamNode() {}
