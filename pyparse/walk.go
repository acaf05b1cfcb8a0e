package pyparse

// Visitor is called by Walk for each node, as in go/ast: if Visit returns a
// non-nil visitor w, Walk visits each child of node with w, then calls
// w.Visit(nil).
type Visitor interface {
	Visit(node Node) (w Visitor)
}

// Walk traverses the tree rooted at node in depth-first order, children in
// CPython's field order.
func Walk(v Visitor, node Node) {
	if v = v.Visit(node); v == nil {
		return
	}
	walkChildren(v, node)
	v.Visit(nil)
}

type inspector func(Node) bool

func (f inspector) Visit(node Node) Visitor {
	if node != nil && f(node) {
		return f
	}
	return nil
}

// Inspect traverses the tree rooted at node, calling f for each node; if f
// returns false, the node's children are skipped.
func Inspect(node Node, f func(Node) bool) {
	Walk(inspector(f), node)
}

// InspectBody calls Inspect on every statement of a body.
func InspectBody(body []Stmt, f func(Node) bool) {
	for _, s := range body {
		Inspect(s, f)
	}
}

func walkExpr(v Visitor, e Expr) {
	if e != nil {
		Walk(v, e)
	}
}

func walkExprs(v Visitor, es []Expr) {
	for _, e := range es {
		walkExpr(v, e)
	}
}

func walkStmts(v Visitor, ss []Stmt) {
	for _, s := range ss {
		Walk(v, s)
	}
}

func walkPatterns(v Visitor, ps []Pattern) {
	for _, p := range ps {
		if p != nil {
			Walk(v, p)
		}
	}
}

func walkTypeParams(v Visitor, ps []TypeParam) {
	for _, p := range ps {
		Walk(v, p)
	}
}

func walkArguments(v Visitor, a *Arguments) {
	if a != nil {
		Walk(v, a)
	}
}

func walkArg(v Visitor, a *Arg) {
	if a != nil {
		Walk(v, a)
	}
}

func walkChildren(v Visitor, node Node) {
	switch n := node.(type) {
	case *FunctionDef:
		walkExprs(v, n.DecoratorList)
		walkTypeParams(v, n.TypeParams)
		walkArguments(v, n.Args)
		walkExpr(v, n.Returns)
		walkStmts(v, n.Body)
	case *ClassDef:
		walkExprs(v, n.DecoratorList)
		walkTypeParams(v, n.TypeParams)
		walkExprs(v, n.Bases)
		for _, k := range n.Keywords {
			Walk(v, k)
		}
		walkStmts(v, n.Body)
	case *Return:
		walkExpr(v, n.Value)
	case *Delete:
		walkExprs(v, n.Targets)
	case *Assign:
		walkExprs(v, n.Targets)
		walkExpr(v, n.Value)
	case *TypeAlias:
		walkExpr(v, n.Name)
		walkTypeParams(v, n.TypeParams)
		walkExpr(v, n.Value)
	case *AugAssign:
		walkExpr(v, n.Target)
		walkExpr(v, n.Value)
	case *AnnAssign:
		walkExpr(v, n.Target)
		walkExpr(v, n.Annotation)
		walkExpr(v, n.Value)
	case *For:
		walkExpr(v, n.Target)
		walkExpr(v, n.Iter)
		walkStmts(v, n.Body)
		walkStmts(v, n.Orelse)
	case *While:
		walkExpr(v, n.Test)
		walkStmts(v, n.Body)
		walkStmts(v, n.Orelse)
	case *If:
		walkExpr(v, n.Test)
		walkStmts(v, n.Body)
		walkStmts(v, n.Orelse)
	case *With:
		for _, it := range n.Items {
			Walk(v, it)
		}
		walkStmts(v, n.Body)
	case *Match:
		walkExpr(v, n.Subject)
		for _, c := range n.Cases {
			Walk(v, c)
		}
	case *Raise:
		walkExpr(v, n.Exc)
		walkExpr(v, n.Cause)
	case *Try:
		walkStmts(v, n.Body)
		for _, h := range n.Handlers {
			Walk(v, h)
		}
		walkStmts(v, n.Orelse)
		walkStmts(v, n.Finalbody)
	case *Assert:
		walkExpr(v, n.Test)
		walkExpr(v, n.Msg)
	case *Import:
		for _, a := range n.Names {
			Walk(v, a)
		}
	case *ImportFrom:
		for _, a := range n.Names {
			Walk(v, a)
		}
	case *ExprStmt:
		walkExpr(v, n.Value)

	case *BoolOp:
		walkExprs(v, n.Values)
	case *NamedExpr:
		walkExpr(v, n.Target)
		walkExpr(v, n.Value)
	case *BinOp:
		walkExpr(v, n.Left)
		walkExpr(v, n.Right)
	case *UnaryOp:
		walkExpr(v, n.Operand)
	case *Lambda:
		walkArguments(v, n.Args)
		walkExpr(v, n.Body)
	case *IfExp:
		walkExpr(v, n.Test)
		walkExpr(v, n.Body)
		walkExpr(v, n.Orelse)
	case *Dict:
		for i := range n.Values {
			if i < len(n.Keys) {
				walkExpr(v, n.Keys[i])
			}
			walkExpr(v, n.Values[i])
		}
	case *Set:
		walkExprs(v, n.Elts)
	case *ListComp:
		walkExpr(v, n.Elt)
		walkComprehensions(v, n.Generators)
	case *SetComp:
		walkExpr(v, n.Elt)
		walkComprehensions(v, n.Generators)
	case *DictComp:
		walkExpr(v, n.Key)
		walkExpr(v, n.Value)
		walkComprehensions(v, n.Generators)
	case *GeneratorExp:
		walkExpr(v, n.Elt)
		walkComprehensions(v, n.Generators)
	case *Await:
		walkExpr(v, n.Value)
	case *Yield:
		walkExpr(v, n.Value)
	case *YieldFrom:
		walkExpr(v, n.Value)
	case *Compare:
		walkExpr(v, n.Left)
		walkExprs(v, n.Comparators)
	case *Call:
		walkExpr(v, n.Func)
		walkExprs(v, n.Args)
		for _, k := range n.Keywords {
			Walk(v, k)
		}
	case *FormattedValue:
		walkExpr(v, n.Value)
		walkExpr(v, n.FormatSpec)
	case *JoinedStr:
		walkExprs(v, n.Values)
	case *Attribute:
		walkExpr(v, n.Value)
	case *Subscript:
		walkExpr(v, n.Value)
		walkExpr(v, n.Slice)
	case *Starred:
		walkExpr(v, n.Value)
	case *List:
		walkExprs(v, n.Elts)
	case *Tuple:
		walkExprs(v, n.Elts)
	case *Slice:
		walkExpr(v, n.Lower)
		walkExpr(v, n.Upper)
		walkExpr(v, n.Step)

	case *Comprehension:
		walkExpr(v, n.Target)
		walkExpr(v, n.Iter)
		walkExprs(v, n.Ifs)
	case *ExceptHandler:
		walkExpr(v, n.Type)
		walkStmts(v, n.Body)
	case *Arguments:
		for _, a := range n.PosOnlyArgs {
			Walk(v, a)
		}
		for _, a := range n.Args {
			Walk(v, a)
		}
		walkArg(v, n.Vararg)
		for _, a := range n.KwOnlyArgs {
			Walk(v, a)
		}
		walkExprs(v, n.KwDefaults)
		walkArg(v, n.Kwarg)
		walkExprs(v, n.Defaults)
	case *Arg:
		walkExpr(v, n.Annotation)
	case *Keyword:
		walkExpr(v, n.Value)
	case *WithItem:
		walkExpr(v, n.ContextExpr)
		walkExpr(v, n.OptionalVars)
	case *MatchCase:
		if n.Pattern != nil {
			Walk(v, n.Pattern)
		}
		walkExpr(v, n.Guard)
		walkStmts(v, n.Body)

	case *MatchValue:
		walkExpr(v, n.Value)
	case *MatchSequence:
		walkPatterns(v, n.Patterns)
	case *MatchMapping:
		walkExprs(v, n.Keys)
		walkPatterns(v, n.Patterns)
	case *MatchClass:
		walkExpr(v, n.Cls)
		walkPatterns(v, n.Patterns)
		walkPatterns(v, n.KwdPatterns)
	case *MatchAs:
		if n.Pattern != nil {
			Walk(v, n.Pattern)
		}
	case *MatchOr:
		walkPatterns(v, n.Patterns)

	case *TypeVar:
		walkExpr(v, n.Bound)
		walkExpr(v, n.DefaultValue)
	case *ParamSpec:
		walkExpr(v, n.DefaultValue)
	case *TypeVarTuple:
		walkExpr(v, n.DefaultValue)
	}
}

func walkComprehensions(v Visitor, cs []*Comprehension) {
	for _, c := range cs {
		Walk(v, c)
	}
}
