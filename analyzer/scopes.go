package analyzer

// Scopes and bindings: what each def, class, import and assignment binds,
// collected per file before anything is resolved.

import (
	"slices"
	"strings"
	"sync/atomic"

	"github.com/tdlint/tdlint/pyparse"
)

type bindingKind uint8

const (
	bindAssign bindingKind = iota
	bindParam
	bindImport
	bindDef
	bindClass
)

// binding is every way one name is bound in one scope. A name may be
// bound several ways (`try: import td` / `except: td = Mock()`, a def and
// a later assignment): kinds holds each kind seen, and the fields below
// each kind's value, so a lookup can see the union of what the name may
// hold (values.go). kind is the last kind seen.
type binding struct {
	kind  bindingKind
	kinds uint8 // 1<<kind for every kind of site
	// uncond is set when some binding site of a module-level name is not
	// under an `if` or `try`: a name bound only conditionally (an
	// outside-TD fallback such as `if not IN_TD: def op(p): ...`) keeps
	// TD's meaning of the name in a file that runs in TD.
	uncond bool
	values []pyparse.Expr // assigned values (bindAssign)
	qual   string         // bindImport: the module or module.attr
	fn     *Function      // bindDef
	class  *Class         // bindClass
	// memo is the binding's value as nameValue last found it (values.go).
	memo atomic.Pointer[valueMemo]
}

// site records one binding site of kind k; cond says whether it sits
// under a module-level `if` or `try`.
func (b *binding) site(k bindingKind, cond bool) {
	b.kind = k
	b.kinds |= 1 << k
	if !cond {
		b.uncond = true
	}
}

// has reports whether the name is bound with kind k somewhere.
func (b *binding) has(k bindingKind) bool { return b.kinds&(1<<k) != 0 }

type scope struct {
	owner *Function
	names scopeNames
	// globals are the names of global and nonlocal statements (nil when
	// there are none, as in most functions).
	globals  map[string]bool
	bindings *chunks[binding]
	isModule bool
	// foreignStar is set by `from x import *` (x not td): any unbound
	// name may come from it, so none is known to be TD's.
	foreignStar bool
}

func (p *Program) newScope(owner *Function, module bool) *scope {
	return &scope{owner: owner, isModule: module, bindings: p.bindings}
}

func (s *scope) bind(name string) *binding {
	b := s.names.get(name)
	if b == nil {
		b = s.bindings.alloc()
		s.names.add(name, b)
	}
	return b
}

// scopeNames maps a scope's names to their bindings. Most scopes bind a
// handful of names: a slice searched in order costs a third of a map's
// memory and is as fast; past smallScope names, a map indexes the slice.
type scopeNames struct {
	list  []namedBinding
	index map[string]*binding
}

type namedBinding struct {
	name string
	b    *binding
}

const smallScope = 8

func (n *scopeNames) get(name string) *binding {
	if n.index != nil {
		return n.index[name]
	}
	for i := range n.list {
		if n.list[i].name == name {
			return n.list[i].b
		}
	}
	return nil
}

// add appends a name get does not find.
func (n *scopeNames) add(name string, b *binding) {
	if n.list == nil {
		// Room for the mean scope's names (3.6 in the stdlib) at once,
		// rather than growing through 1 and 2.
		n.list = make([]namedBinding, 0, 4)
	}
	n.list = append(n.list, namedBinding{name, b})
	switch {
	case n.index != nil:
		n.index[name] = b
	case len(n.list) > smallScope:
		n.index = make(map[string]*binding, 2*len(n.list))
		for _, e := range n.list {
			n.index[e.name] = e.b
		}
	}
}

// declareGlobal records a global or nonlocal statement's name.
func (s *scope) declareGlobal(name string) {
	if s.globals == nil {
		s.globals = make(map[string]bool)
	}
	s.globals[name] = true
}

// chunks hands out values from slices of growing size: one allocation
// per chunk instead of one per value, for the many small structs a
// program model is made of. A chunk lives as long as any of its values.
type chunks[T any] struct {
	chunk []T
}

func (c *chunks[T]) alloc() *T {
	if len(c.chunk) == cap(c.chunk) {
		c.chunk = make([]T, 0, min(max(2*cap(c.chunk), 4), 1024))
	}
	var zero T
	c.chunk = append(c.chunk, zero)
	return &c.chunk[len(c.chunk)-1]
}

func (p *Program) newFunction(name string, node pyparse.Node, f *SourceFile, parent *Function, class *Class) *Function {
	fn := &Function{ID: len(p.Functions), Name: name, Node: node, File: f, Parent: parent, Class: class}
	p.Functions = append(p.Functions, fn)
	if l, ok := node.(*pyparse.Lambda); ok {
		// While a file is collected, byNode holds its lambdas only: a
		// lambda can be reached twice (defineLambda). The program's
		// byNode, of every def and lambda, is made when parts merge.
		if p.byNode == nil {
			p.byNode = make(map[pyparse.Node]*Function)
		}
		p.byNode[l] = fn
	}
	return fn
}

// collect records the bindings of a body into fn's scope and creates the
// functions and classes it defines, recursively.
func (p *Program) collect(fn *Function, body []pyparse.Stmt) {
	for _, s := range body {
		p.collectStmt(fn, s)
	}
}

func qualName(fn *Function, name string) string {
	if fn.Node == nil {
		return name
	}
	return fn.Name + "." + name
}

func (p *Program) collectStmt(fn *Function, s pyparse.Stmt) {
	sc := fn.scope
	switch n := s.(type) {
	case *pyparse.FunctionDef:
		child := p.defineFunction(fn, n, nil)
		b := sc.bind(n.Name)
		b.fn = child
		b.site(bindDef, p.cond(fn))
		p.collectExprs(fn, n.DecoratorList...)
		return
	case *pyparse.ClassDef:
		p.defineClass(fn, n)
		return
	case *pyparse.Import:
		for _, a := range n.Names {
			if a.AsName != "" {
				b := sc.bind(a.AsName)
				b.qual = a.Name
				b.site(bindImport, p.cond(fn))
			} else {
				first, _, _ := strings.Cut(a.Name, ".")
				b := sc.bind(first)
				b.qual = first
				b.site(bindImport, p.cond(fn))
			}
		}
	case *pyparse.ImportFrom:
		for _, a := range n.Names {
			if a.Name == "*" {
				if n.Module != "td" {
					sc.foreignStar = true
				}
				continue
			}
			name := a.Name
			if a.AsName != "" {
				name = a.AsName
			}
			b := sc.bind(name)
			b.qual = n.Module + "." + a.Name
			b.site(bindImport, p.cond(fn))
			if n.Level > 0 {
				b.qual = "." + b.qual
			}
		}
	case *pyparse.Global:
		for _, name := range n.Names {
			sc.declareGlobal(name)
		}
	case *pyparse.Nonlocal:
		for _, name := range n.Names {
			sc.declareGlobal(name)
		}
	case *pyparse.Assign:
		for _, t := range n.Targets {
			p.bindTarget(fn, t, n.Value)
		}
	case *pyparse.AnnAssign:
		p.bindTarget(fn, n.Target, n.Value)
	case *pyparse.AugAssign:
		p.bindTarget(fn, n.Target, nil)
	case *pyparse.For:
		p.bindTarget(fn, n.Target, nil)
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
	case *pyparse.While:
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
	case *pyparse.If:
		p.condDepth++
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
		p.condDepth--
	case *pyparse.With:
		for _, it := range n.Items {
			if it.OptionalVars != nil {
				p.bindTarget(fn, it.OptionalVars, it.ContextExpr)
			}
		}
		p.collect(fn, n.Body)
	case *pyparse.Try:
		p.condDepth++
		defer func() { p.condDepth-- }()
		p.collect(fn, n.Body)
		for _, h := range n.Handlers {
			if h.HasName {
				sc.bind(h.Name)
			}
			p.collect(fn, h.Body)
		}
		p.collect(fn, n.Orelse)
		p.collect(fn, n.Finalbody)
	case *pyparse.Match:
		for _, c := range n.Cases {
			pyparse.Inspect(c.Pattern, func(node pyparse.Node) bool {
				switch pat := node.(type) {
				case *pyparse.MatchAs:
					if pat.HasName {
						sc.bind(pat.Name)
					}
				case *pyparse.MatchStar:
					if pat.HasName {
						sc.bind(pat.Name)
					}
				case *pyparse.MatchMapping:
					if pat.HasRest {
						sc.bind(pat.Rest)
					}
				}
				return true
			})
			p.collect(fn, c.Body)
		}
	}
	// Lambdas and walrus targets inside the statement's own expressions,
	// if the parser saw any there.
	if !fn.File.AST.HasBinderIn(s.Pos(), s.End()) {
		return
	}
	if p.exprs == nil {
		p.exprs = &exprCollector{p: p}
	}
	p.exprs.fn, p.exprs.top = fn, s
	pyparse.Walk(p.exprs, s)
}

// exprCollector finds the lambdas, walrus targets and comprehension
// variables of one statement's own expressions. The statements nested in
// it are not visited: collect reaches each of them itself, and walking them
// again from every enclosing statement made collecting quadratic in the
// nesting depth. One collector serves a whole file (it is never re-entered:
// defineLambda walks with its own).
type exprCollector struct {
	p   *Program
	fn  *Function
	top pyparse.Stmt
}

func (c *exprCollector) Visit(node pyparse.Node) pyparse.Visitor {
	switch x := node.(type) {
	case nil:
		return nil
	case *pyparse.Lambda:
		c.p.defineLambda(c.fn, x)
		return nil
	case *pyparse.NamedExpr:
		c.p.bindTarget(c.fn, x.Target, x.Value)
	case *pyparse.Comprehension:
		// Comprehension variables live in the comprehension's own
		// scope; binding them in the function is a safe
		// approximation: such a name is never TD's global.
		c.p.bindTarget(c.fn, x.Target, nil)
	case pyparse.Stmt:
		if node != c.top {
			return nil
		}
	}
	return c
}

func (p *Program) collectExprs(fn *Function, es ...pyparse.Expr) {
	for _, e := range es {
		if e == nil || !fn.File.AST.HasBinderIn(e.Pos(), e.End()) {
			continue
		}
		pyparse.Inspect(e, func(node pyparse.Node) bool {
			if l, ok := node.(*pyparse.Lambda); ok {
				p.defineLambda(fn, l)
				return false
			}
			return true
		})
	}
}

func (p *Program) bindTarget(fn *Function, target, value pyparse.Expr) {
	switch t := target.(type) {
	case *pyparse.Name:
		b := fn.scope.bind(t.ID)
		if fn.scope.globals[t.ID] && !fn.scope.isModule {
			// `global x; x = v` binds the module's x.
			mod := p.modules[fn.File]
			b = mod.scope.bind(t.ID)
		}
		b.site(bindAssign, p.cond(fn))
		if value != nil {
			b.values = append(b.values, value)
		}
	case *pyparse.Tuple:
		for _, e := range t.Elts {
			p.bindTarget(fn, e, nil)
		}
	case *pyparse.List:
		for _, e := range t.Elts {
			p.bindTarget(fn, e, nil)
		}
	case *pyparse.Starred:
		p.bindTarget(fn, t.Value, nil)
	case *pyparse.Attribute:
		// self.x = value inside a method: a class attribute fact.
		if n, ok := t.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) && value != nil {
			c := fn.Class
			if c.fields == nil {
				c.fields = make(map[string]*classField)
			}
			f := c.fields[t.Attr]
			if f == nil {
				f = new(classField)
				c.fields[t.Attr] = f
			}
			f.values = append(f.values, value)
			f.owners = append(f.owners, fn)
		}
	}
}

// cond reports whether a binding made now in fn is conditional: fn is a
// module's top level and collection is inside an `if` or `try` there.
func (p *Program) cond(fn *Function) bool { return fn.Node == nil && p.condDepth > 0 }

func isSelfParam(fn *Function, name string) bool {
	return fn.firstParam != "" && fn.firstParam == name
}

// firstParam is the name of a def's first parameter ("" for none).
func firstParam(d *pyparse.FunctionDef) string {
	switch {
	case d.Args == nil:
		return ""
	case len(d.Args.PosOnlyArgs) > 0:
		return d.Args.PosOnlyArgs[0].Arg
	case len(d.Args.Args) > 0:
		return d.Args.Args[0].Arg
	}
	return ""
}

func (p *Program) defineFunction(parent *Function, d *pyparse.FunctionDef, class *Class) *Function {
	fn := p.newFunction(qualName(parent, d.Name), d, parent.File, parent, class)
	if class != nil {
		fn.Name = class.Name + "." + d.Name
	}
	fn.Body = d.Body
	fn.firstParam = firstParam(d)
	fn.scope = p.newScope(fn, false)
	bindParams(fn, d.Args)
	p.collectExprs(parent, argDefaults(d.Args)...)
	p.collect(fn, d.Body)
	return fn
}

func argDefaults(a *pyparse.Arguments) []pyparse.Expr {
	if a == nil {
		return nil
	}
	return append(append([]pyparse.Expr(nil), a.Defaults...), a.KwDefaults...)
}

func bindParams(fn *Function, a *pyparse.Arguments) {
	if a == nil {
		return
	}
	for _, group := range [][]*pyparse.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg, a.Kwarg}} {
		for _, arg := range group {
			if arg != nil {
				fn.scope.bind(arg.Arg).site(bindParam, false)
			}
		}
	}
}

func (p *Program) defineLambda(parent *Function, l *pyparse.Lambda) {
	if p.byNode[l] != nil {
		return
	}
	fn := p.newFunction(qualName(parent, "<lambda>"), l, parent.File, parent, nil)
	fn.Expr = l.Body
	fn.scope = p.newScope(fn, false)
	bindParams(fn, l.Args)
	pyparse.Inspect(l.Body, func(node pyparse.Node) bool {
		switch x := node.(type) {
		case *pyparse.Lambda:
			if x != l {
				p.defineLambda(fn, x)
				return false
			}
		case *pyparse.Comprehension:
			p.bindTarget(fn, x.Target, nil)
		}
		return true
	})
}

func (p *Program) defineClass(parent *Function, d *pyparse.ClassDef) {
	c := &Class{
		ID: len(p.classes), Name: d.Name, Node: d, File: parent.File, // maps made on first write
	}
	p.classes = append(p.classes, c)
	b := parent.scope.bind(d.Name)
	b.class = c
	b.site(bindClass, p.cond(parent))
	p.collectExprs(parent, d.Bases...)
	p.collectExprs(parent, d.DecoratorList...)
	for _, s := range d.Body {
		if m, ok := s.(*pyparse.FunctionDef); ok {
			fn := p.defineFunction(parent, m, c)
			if c.Methods == nil {
				c.Methods = make(map[string]*Function)
			}
			c.Methods[m.Name] = fn
			if m.Name == "__init__" && m.Args != nil && len(m.Args.Args) >= 2 && m.Args.Args[1].Arg == "ownerComp" {
				c.Extension = true
			}
		}
	}
	if parent.Parent == nil && slices.Contains(parent.File.ExtensionClasses, d.Name) {
		// A COMP's extension parameter makes this class an extension,
		// whatever its __init__ looks like.
		c.Extension = true
	}
	c.definedIn = parent
}
