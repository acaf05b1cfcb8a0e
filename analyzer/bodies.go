package analyzer

// Bodies: the calls, TD accesses and blocking calls of each function's
// own code.

import (
	"strings"
	"sync"

	"github.com/tdlint/tdlint/pyparse"
)

// walkOwn visits the nodes of fn's own code, not of nested defs, classes or
// lambdas (they are functions of their own).
func walkOwn(fn *Function, visit func(pyparse.Node) bool) {
	f := func(n pyparse.Node) bool {
		switch n.(type) {
		case *pyparse.FunctionDef, *pyparse.ClassDef:
			// Decorators and defaults run in the enclosing function; the
			// body does not.
			return false
		case *pyparse.Lambda:
			return false
		}
		return visit(n)
	}
	if fn.Expr != nil {
		pyparse.Inspect(fn.Expr, f)
		return
	}
	for _, s := range fn.Body {
		switch d := s.(type) {
		case *pyparse.FunctionDef:
			for _, e := range d.DecoratorList {
				pyparse.Inspect(e, f)
			}
			for _, e := range argDefaults(d.Args) {
				pyparse.Inspect(e, f)
			}
			continue
		case *pyparse.ClassDef:
			for _, e := range d.Bases {
				pyparse.Inspect(e, f)
			}
			continue
		}
		pyparse.Inspect(s, f)
	}
}

// noteCall records the calls later steps need without walking the
// bodies again: print() (an access in files that use TD) and
// EnqueueTask().
func (p *Program) noteCall(fn *Function, call *pyparse.Call) {
	switch f := call.Func.(type) {
	case *pyparse.Name:
		if f.ID == "print" {
			if b, _ := p.lookup(fn, "print"); b == nil {
				fn.facts().prints = append(fn.facts().prints, call)
			}
		}
	case *pyparse.Attribute:
		if f.Attr == "EnqueueTask" && len(call.Args) > 0 {
			fn.facts().enqueues = append(fn.facts().enqueues, call)
		}
	}
}

// bodyScratch holds the slices a body's analysis grows: its edges and
// accesses are gathered in a worker's reused buffers, then copied out at
// their final size (appending to fresh slices reallocated each several
// times, a tenth of the bodies' time).
type bodyScratch struct {
	calls    []CallEdge
	accesses []TDAccess
}

var bodyScratches = sync.Pool{New: func() any { return new(bodyScratch) }}

func (p *Program) analyzeBody(fn *Function) {
	sc, ok := bodyScratches.Get().(*bodyScratch)
	if !ok {
		sc = new(bodyScratch)
	}
	fn.Calls, fn.Accesses = sc.calls[:0], sc.accesses[:0]
	guarded := p.walkBody(fn)
	// The buffers go back to the pool only once fn holds copies: a panic
	// above leaves them with fn, and the pool makes new ones.
	sc.calls, sc.accesses = fn.Calls[:0], fn.Accesses[:0]
	fn.Calls, fn.Accesses = clone(fn.Calls), clone(fn.Accesses)
	bodyScratches.Put(sc)
	if guarded {
		p.applyGuards(fn)
	}
}

// clone copies s to a slice of its length, nil when empty.
func clone[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// walkBody records the facts of fn's own code, and reports whether it
// calls what a thread guard tests (guardCall): only then can a guard
// hold some of them to one thread.
func (p *Program) walkBody(fn *Function) (guarded bool) {
	walkOwn(fn, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Call:
			p.noteCall(fn, x)
			q := p.qualify(fn, x.Func)
			guarded = guarded || guardCall(x, q)
			p.callees(fn, x, q, func(callee *Function) {
				// A site's edges are adjacent: look back over them only.
				for i := len(fn.Calls) - 1; i >= 0 && fn.Calls[i].Site == x; i-- {
					if fn.Calls[i].Callee == callee {
						return
					}
				}
				fn.Calls = append(fn.Calls, CallEdge{Site: x, Callee: callee})
			})
			p.startsAt(fn, x, q)
			p.noteBlocking(fn, x, q)
			if q == "td.run" {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "run()", RunCall: true})
				// The call's own Name `run` is the same access.
				for _, a := range x.Args {
					p.scanAccess(fn, a)
					p.scanCalls(fn, a)
				}
				for _, k := range x.Keywords {
					p.scanAccess(fn, k.Value)
					p.scanCalls(fn, k.Value)
				}
				return false
			}
		case *pyparse.Name:
			if x.Ctx == pyparse.Load {
				p.nameAccess(fn, x)
			}
		case *pyparse.Assign:
			if _, ok := x.Targets[0].(*pyparse.Attribute); ok && strings.HasPrefix(attrName(x.Targets[0]), "on_") {
				p.callbackAssign(fn, x)
			}
		case *pyparse.Compare:
			// `self.ownerComp is not None` compares Python references: TD
			// is not called, so it is no access.
			if p.noneIdentityTest(fn, x) {
				return false
			}
		case *pyparse.Attribute:
			if p.Tables.safeAttr(x.Attr) && strings.HasPrefix(p.qualify(fn, x), safePrefix) {
				return false // documented thread-safe: not TD access
			}
			if recv, ok := x.Value.(*pyparse.Name); ok && x.Ctx == pyparse.Load && fn.Class != nil && isSelfParam(fn, recv.ID) {
				if q := p.selfAttr(fn.Class, x.Attr, 0); IsTDObject(q) {
					fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "self." + x.Attr, ThreadManager: p.isThreadManager(q)})
					return false
				}
			}
			if what, q := p.fieldAccess(fn, x); what != "" {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: what, ThreadManager: p.isThreadManager(q)})
				return false
			}
			if x.Attr != "ThreadManager" {
				return true
			}
			if q := p.qualify(fn, x); p.isThreadManager(q) {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "ThreadManager", ThreadManager: true})
				p.scanCalls(fn, x.Value)
				return false
			}
		}
		return true
	})
	return guarded
}

// scanCalls records what analyzeBody records of a call (print and
// EnqueueTask calls, worker starts, blocking calls) for the calls inside an
// expression of fn that its walk does not descend into; not inside
// lambdas, which are functions of their own.
func (p *Program) scanCalls(fn *Function, e pyparse.Expr) {
	pyparse.Inspect(e, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Lambda:
			return false
		case *pyparse.Call:
			q := p.qualify(fn, x.Func)
			p.noteCall(fn, x)
			p.startsAt(fn, x, q)
			p.noteBlocking(fn, x, q)
		}
		return true
	})
}

// scanAccess records TD accesses inside an expression of fn.
func (p *Program) scanAccess(fn *Function, e pyparse.Expr) {
	pyparse.Inspect(e, func(n pyparse.Node) bool {
		if x, ok := n.(*pyparse.Name); ok && x.Ctx == pyparse.Load {
			p.nameAccess(fn, x)
		}
		_, isLambda := n.(*pyparse.Lambda)
		return !isLambda
	})
}

func (p *Program) nameAccess(fn *Function, x *pyparse.Name) {
	b, owner := p.lookup(fn, x.ID)
	switch {
	case b == nil && p.isTDGlobal(fn, x.ID):
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID})
	case b != nil && b.kind == bindImport && IsTD(b.qual):
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID})
	case b != nil && b.kind == bindImport && b.qual == "td":
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "td"})
	case b != nil && p.tdFallback(fn, b, owner, x.ID) != "":
		// An outside-TD stand-in (`if not IN_TD: def op(...)`): in TD
		// the name is TD's.
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID})
	case b != nil && b.kind == bindAssign && owner != fn:
		// A closure over a TD object created elsewhere.
		if q := p.qualify(fn, x); IsTDObject(q) {
			fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID, ThreadManager: p.isThreadManager(q), Captured: owner.Node != nil})
		}
	case b != nil && owner == fn && len(p.params[b]) > 0:
		// A TD object passed in as an argument (TD103 reports the
		// handoff where a thread start passes it).
		for _, v := range p.params[b] {
			if IsTDObject(v) {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID, ThreadManager: p.isThreadManager(v), Passed: true})
				break
			}
		}
	}
}

// isTDGlobal reports whether an unbound name is TD's global of that name.
func (p *Program) isTDGlobal(fn *Function, name string) bool {
	if !p.Tables.TDGlobals[name] {
		return false
	}
	mod := p.modules[fn.File]
	return mod == nil || !mod.scope.foreignStar
}

func (p *Program) isThreadManager(q string) bool {
	return p.Tables.ThreadManagers[typeName(q)]
}

// fileUsesTD reports whether a file uses TD at all: some function of it
// touches a TD global (as scoping resolves it) or it imports td. Only such
// files get TD's main-thread conventions (callbacks, module top level) and
// print() counted as TD output.
func (p *Program) fileUsesTD(f *SourceFile) bool { return p.usesTD[f] }

// importsTD reports an import of td at a module's top level, or under its
// top-level if and try statements (`try: import td except ImportError:`).
func importsTD(f *pyparse.File) bool { return importsTDIn(f.Body, 0) }

func importsTDIn(body []pyparse.Stmt, depth int) bool {
	if depth > maxResolveDepth {
		return false
	}
	for _, s := range body {
		switch x := s.(type) {
		case *pyparse.Import:
			for _, a := range x.Names {
				if a.Name == "td" {
					return true
				}
			}
		case *pyparse.ImportFrom:
			if x.Module == "td" {
				return true
			}
		case *pyparse.If:
			if importsTDIn(x.Body, depth+1) || importsTDIn(x.Orelse, depth+1) {
				return true
			}
		case *pyparse.Try:
			if importsTDIn(x.Body, depth+1) {
				return true
			}
			for _, h := range x.Handlers {
				if importsTDIn(h.Body, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// fieldAccess reports a TD object reached through a field of a project
// object other than self (`ext.ownerComp`, `self.ext.ownerComp`,
// `self.ext.status_op`), with what to call it: values through attributes
// and constructor arguments. Only an instance of a project class is
// looked into; anything else was resolved, or not, by its own parts.
func (p *Program) fieldAccess(fn *Function, x *pyparse.Attribute) (what, q string) {
	if x.Ctx != pyparse.Load {
		return "", ""
	}
	var name, field string // x.Value is name or name.field; spelled out only for a finding
	switch v := x.Value.(type) {
	case *pyparse.Name:
		if fn.Class != nil && isSelfParam(fn, v.ID) {
			return "", "" // self.<field>: analyzeBody's own case
		}
		if b, _ := p.lookup(fn, v.ID); b == nil || b.kinds&(1<<bindAssign|1<<bindParam) == 0 {
			return "", "" // a module, a class, a function: not an instance
		}
		name = v.ID
	case *pyparse.Attribute:
		n, ok := v.Value.(*pyparse.Name)
		if !ok {
			return "", ""
		}
		if fn.Class == nil || !isSelfParam(fn, n.ID) {
			// name.field is an instance only through a project module,
			// a project class or instance, or a TD extension object
			// (op('x').ext.Name): a library root (os.path.join) is not
			// qualified again.
			if root := p.qualify(fn, n); !strings.HasPrefix(root, "module#") && !strings.HasPrefix(root, "class#") && !IsTD(root) {
				return "", ""
			}
		}
		name, field = n.ID, v.Attr
	default:
		return "", ""
	}
	base := p.qualify(fn, x.Value)
	if c, instance := p.classOf(base); c == nil || !instance {
		return "", ""
	}
	q = p.qualify(fn, x)
	if !IsTD(q) {
		return "", ""
	}
	if field != "" {
		return name + "." + field + "." + x.Attr, q
	}
	return name + "." + x.Attr, q
}

// noneIdentityTest reports `ref is None` / `ref is not None` (either side)
// where ref is a name, or an attribute of something that is not a TD
// object (self.ownerComp): reading it runs no code of TD's.
func (p *Program) noneIdentityTest(fn *Function, c *pyparse.Compare) bool {
	if len(c.Ops) != 1 || c.Ops[0] != pyparse.Is && c.Ops[0] != pyparse.IsNot {
		return false
	}
	l, r := c.Left, c.Comparators[0]
	if isNone(l) {
		l, r = r, l
	}
	if !isNone(r) {
		return false
	}
	switch x := l.(type) {
	case *pyparse.Name:
		return true
	case *pyparse.Attribute:
		_, isName := x.Value.(*pyparse.Name)
		return isName && !IsTDObject(p.qualify(fn, x.Value))
	}
	return false
}

func attrName(e pyparse.Expr) string {
	if a, ok := e.(*pyparse.Attribute); ok {
		return a.Attr
	}
	return ""
}
