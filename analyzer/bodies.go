package analyzer

// Bodies: the calls, TD accesses and blocking calls of each function's
// own code.

import "github.com/tdlint/tdlint/pyparse"

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

func (p *Program) analyzeBody(fn *Function) {
	walkOwn(fn, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Call:
			p.noteCall(fn, x)
			q := p.qualify(fn, x.Func, 0)
			if callee := p.functionOfQual(x.Func, q); callee != nil {
				fn.Calls = append(fn.Calls, CallEdge{Site: x, Callee: callee})
			}
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
		case *pyparse.Attribute:
			if recv, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, recv.ID) {
				if q := p.selfAttr(fn.Class, x.Attr, 0); IsTD(q) && x.Ctx == pyparse.Load {
					fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "self." + x.Attr, ThreadManager: p.isThreadManager(q)})
					return false
				}
			}
			if x.Attr != "ThreadManager" {
				return true
			}
			if q := p.qualify(fn, x, 0); p.isThreadManager(q) {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "ThreadManager", ThreadManager: true})
				p.scanCalls(fn, x.Value)
				return false
			}
		}
		return true
	})
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
			q := p.qualify(fn, x.Func, 0)
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
	case b != nil && b.kind == bindAssign && owner != fn:
		// A closure over a TD object created elsewhere.
		if q := p.qualify(fn, x, 0); IsTDObject(q) {
			fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID, ThreadManager: p.isThreadManager(q), Captured: owner.Node != nil})
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

func importsTD(f *pyparse.File) bool {
	for _, s := range f.Body {
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
		}
	}
	return false
}
