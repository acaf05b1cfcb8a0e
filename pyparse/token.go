package pyparse

// TokenKind is the kind of a scanned token. Hard keywords have kinds of
// their own; soft keywords (match, case, type, _) are NAMEs.
type TokenKind uint8

// Token kinds.
const (
	EOF TokenKind = iota
	ERRORTOKEN
	NEWLINE
	INDENT
	DEDENT
	NAME
	NUMBER
	STRING
	FStringStart
	FStringMiddle
	FStringEnd

	opStart
	LPAR
	RPAR
	LSQB
	RSQB
	LBRACE
	RBRACE
	COLON
	COMMA
	SEMI
	PLUS
	MINUS
	STAR
	SLASH
	VBAR
	AMPER
	LESS
	GREATER
	EQUAL
	DOT
	PERCENT
	EQEQUAL
	NOTEQUAL
	LESSEQUAL
	GREATEREQUAL
	TILDE
	CIRCUMFLEX
	LEFTSHIFT
	RIGHTSHIFT
	DOUBLESTAR
	PLUSEQUAL
	MINEQUAL
	STAREQUAL
	SLASHEQUAL
	PERCENTEQUAL
	AMPEREQUAL
	VBAREQUAL
	CIRCUMFLEXEQUAL
	LEFTSHIFTEQUAL
	RIGHTSHIFTEQUAL
	DOUBLESTAREQUAL
	DOUBLESLASH
	DOUBLESLASHEQUAL
	AT
	ATEQUAL
	RARROW
	ELLIPSIS
	COLONEQUAL
	EXCLAMATION
	opEnd

	kwStart
	KwFalse
	KwNone
	KwTrue
	KwAnd
	KwAs
	KwAssert
	KwAsync
	KwAwait
	KwBreak
	KwClass
	KwContinue
	KwDef
	KwDel
	KwElif
	KwElse
	KwExcept
	KwFinally
	KwFor
	KwFrom
	KwGlobal
	KwIf
	KwImport
	KwIn
	KwIs
	KwLambda
	KwNonlocal
	KwNot
	KwOr
	KwPass
	KwRaise
	KwReturn
	KwTry
	KwWhile
	KwWith
	KwYield
	kwEnd
)

var tokenNames = map[TokenKind]string{
	EOF: "EOF", ERRORTOKEN: "ERRORTOKEN", NEWLINE: "NEWLINE", INDENT: "INDENT", DEDENT: "DEDENT",
	NAME: "NAME", NUMBER: "NUMBER", STRING: "STRING", FStringStart: "FSTRING_START",
	FStringMiddle: "FSTRING_MIDDLE", FStringEnd: "FSTRING_END",
	LPAR: "(", RPAR: ")", LSQB: "[", RSQB: "]", LBRACE: "{", RBRACE: "}", COLON: ":", COMMA: ",",
	SEMI: ";", PLUS: "+", MINUS: "-", STAR: "*", SLASH: "/", VBAR: "|", AMPER: "&", LESS: "<",
	GREATER: ">", EQUAL: "=", DOT: ".", PERCENT: "%", EQEQUAL: "==", NOTEQUAL: "!=",
	LESSEQUAL: "<=", GREATEREQUAL: ">=", TILDE: "~", CIRCUMFLEX: "^", LEFTSHIFT: "<<",
	RIGHTSHIFT: ">>", DOUBLESTAR: "**", PLUSEQUAL: "+=", MINEQUAL: "-=", STAREQUAL: "*=",
	SLASHEQUAL: "/=", PERCENTEQUAL: "%=", AMPEREQUAL: "&=", VBAREQUAL: "|=", CIRCUMFLEXEQUAL: "^=",
	LEFTSHIFTEQUAL: "<<=", RIGHTSHIFTEQUAL: ">>=", DOUBLESTAREQUAL: "**=", DOUBLESLASH: "//",
	DOUBLESLASHEQUAL: "//=", AT: "@", ATEQUAL: "@=", RARROW: "->", ELLIPSIS: "...",
	COLONEQUAL: ":=", EXCLAMATION: "!",
}

var keywords = map[string]TokenKind{
	"False": KwFalse, "None": KwNone, "True": KwTrue, "and": KwAnd, "as": KwAs,
	"assert": KwAssert, "async": KwAsync, "await": KwAwait, "break": KwBreak, "class": KwClass,
	"continue": KwContinue, "def": KwDef, "del": KwDel, "elif": KwElif, "else": KwElse,
	"except": KwExcept, "finally": KwFinally, "for": KwFor, "from": KwFrom, "global": KwGlobal,
	"if": KwIf, "import": KwImport, "in": KwIn, "is": KwIs, "lambda": KwLambda,
	"nonlocal": KwNonlocal, "not": KwNot, "or": KwOr, "pass": KwPass, "raise": KwRaise,
	"return": KwReturn, "try": KwTry, "while": KwWhile, "with": KwWith, "yield": KwYield,
}

// lookupKeyword returns the hard keyword spelled by b, or NAME.
func lookupKeyword(b []byte) TokenKind {
	if len(b) < 2 || len(b) > 8 {
		return NAME
	}
	if c := b[0]; c < 'a' && c != 'F' && c != 'N' && c != 'T' {
		return NAME
	}
	// A switch, not a map lookup: it runs for every name in every file, and
	// the compiler turns it into comparisons by length and bytes, without
	// hashing.
	switch string(b) {
	case "False":
		return KwFalse
	case "None":
		return KwNone
	case "True":
		return KwTrue
	case "and":
		return KwAnd
	case "as":
		return KwAs
	case "assert":
		return KwAssert
	case "async":
		return KwAsync
	case "await":
		return KwAwait
	case "break":
		return KwBreak
	case "class":
		return KwClass
	case "continue":
		return KwContinue
	case "def":
		return KwDef
	case "del":
		return KwDel
	case "elif":
		return KwElif
	case "else":
		return KwElse
	case "except":
		return KwExcept
	case "finally":
		return KwFinally
	case "for":
		return KwFor
	case "from":
		return KwFrom
	case "global":
		return KwGlobal
	case "if":
		return KwIf
	case "import":
		return KwImport
	case "in":
		return KwIn
	case "is":
		return KwIs
	case "lambda":
		return KwLambda
	case "nonlocal":
		return KwNonlocal
	case "not":
		return KwNot
	case "or":
		return KwOr
	case "pass":
		return KwPass
	case "raise":
		return KwRaise
	case "return":
		return KwReturn
	case "try":
		return KwTry
	case "while":
		return KwWhile
	case "with":
		return KwWith
	case "yield":
		return KwYield
	}
	return NAME
}

func init() {
	for name, k := range keywords {
		tokenNames[k] = name
	}
}

func (k TokenKind) String() string {
	if s, ok := tokenNames[k]; ok {
		return s
	}
	return "?"
}

// IsKeyword reports whether k is a hard keyword.
func (k TokenKind) IsKeyword() bool { return k > kwStart && k < kwEnd }

// IsOperator reports whether k is an operator or delimiter.
func (k TokenKind) IsOperator() bool { return k > opStart && k < opEnd }

// Token is one scanned token: its kind and source range.
type Token struct {
	Kind       TokenKind
	Start, End Pos
}

// augAssignOps maps augmented-assignment tokens to their operators.
var augAssignOps = map[TokenKind]Operator{
	PLUSEQUAL: Add, MINEQUAL: Sub, STAREQUAL: Mult, ATEQUAL: MatMult, SLASHEQUAL: Div,
	PERCENTEQUAL: Mod, DOUBLESTAREQUAL: Pow, LEFTSHIFTEQUAL: LShift, RIGHTSHIFTEQUAL: RShift,
	VBAREQUAL: BitOr, CIRCUMFLEXEQUAL: BitXor, AMPEREQUAL: BitAnd, DOUBLESLASHEQUAL: FloorDiv,
}
