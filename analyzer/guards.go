package analyzer

// Guards: code that tests which thread it is on. Under
// `if threading.current_thread() is threading.main_thread():` (or
// `td.isMainThread()`, `==`, reversed operands, `not`, `is not`, a local
// flag assigned such a test, a conjunction containing one, and the rest of
// a block after `if not on_main: return`), only one thread runs the code:
// each fact found there (a call, a TD access, a blocking call) carries
// that thread in Only, and propagation and the rules honour it.

import (
	"sort"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// guardRange is a span of a function's code that only one thread runs.
type guardRange struct {
	start, end pyparse.Pos
	only       ThreadContext
}

// guardCall reports a call that a thread guard is made of: TD's
// isMainThread(), threading's current_thread() and main_thread(), and
// callable() of a TD name. A function whose own code makes none has no
// guard to look for.
func guardCall(call *pyparse.Call, q string) bool {
	if n, ok := call.Func.(*pyparse.Name); ok && n.ID == "callable" {
		return true
	}
	return threadQuery(q) != ""
}

// threadQuery names what a call qualified q asks about threads: "current"
// for threading.current_thread() (or currentThread()), "main" for
// threading.main_thread(), "isMain" for TD's isMainThread(); "" for
// anything else.
func threadQuery(q string) string {
	if t := strings.TrimSuffix(q, "()"); !strings.HasSuffix(t, "Thread") && !strings.HasSuffix(t, "_thread") {
		return "" // most calls: no name to make
	}
	switch typeName(q) {
	case "threading.current_thread", "threading.currentThread":
		return "current"
	case "threading.main_thread":
		return "main"
	case safePrefix + "isMainThread":
		return "isMain"
	}
	return ""
}

// applyGuards sets Only on the facts of fn that sit in a guarded span.
func (p *Program) applyGuards(fn *Function) {
	if fn.Expr != nil {
		return
	}
	var ranges []guardRange
	p.guardBlock(fn, fn.Body, &ranges, 0)
	if len(ranges) == 0 {
		return
	}
	// Innermost wins: later (nested) ranges are searched first.
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].start < ranges[j].start })
	at := func(pos pyparse.Pos) ThreadContext {
		only := ThreadContext(0)
		for _, r := range ranges {
			if r.start <= pos && pos < r.end {
				only = r.only
			}
		}
		return only
	}
	for i := range fn.Calls {
		fn.Calls[i].Only = at(fn.Calls[i].Site.Pos())
	}
	for i := range fn.Accesses {
		fn.Accesses[i].Only = at(fn.Accesses[i].Node.Pos())
	}
	for i := range fn.Blocking {
		fn.Blocking[i].Only = at(fn.Blocking[i].Site.Pos())
	}
}

// inTD is the guard of a test that holds whenever TD runs the code
// (`callable(run)`): its negation marks outside-TD fallbacks.
const inTD = MainThread | WorkerThread

func other(c ThreadContext) ThreadContext {
	switch c {
	case MainThread:
		return WorkerThread
	case WorkerThread:
		return MainThread
	case inTD:
		return OutsideTD
	default:
		return 0
	}
}

// guardBlock finds the guarded spans of a statement list.
func (p *Program) guardBlock(fn *Function, body []pyparse.Stmt, out *[]guardRange, depth int) {
	if depth > maxResolveDepth*4 || len(body) == 0 {
		return
	}
	end := body[len(body)-1].End()
	for _, s := range body {
		switch x := s.(type) {
		case *pyparse.If:
			if and, isAnd := x.Test.(*pyparse.BoolOp); isAnd && and.Op == pyparse.And {
				// `if on_main and self.ownerComp...`: what follows a guard
				// operand is evaluated only when it held.
				for _, v := range and.Values {
					if only, _, ok := p.guardTest(fn, v, 0); ok {
						*out = append(*out, guardRange{v.End(), and.End(), only})
						break
					}
				}
			}
			if only, exact, ok := p.guardTest(fn, x.Test, 0); ok {
				*out = append(*out, guardRange{x.Body[0].Pos(), x.Body[len(x.Body)-1].End(), only})
				if exact && len(x.Orelse) > 0 {
					*out = append(*out, guardRange{x.Orelse[0].Pos(), x.Orelse[len(x.Orelse)-1].End(), other(only)})
				}
				if exact && len(x.Orelse) == 0 && exitsNormally(x.Body, 0) && x.End() < end {
					// `if not on_main: return`: the rest runs on the other.
					*out = append(*out, guardRange{x.End(), end, other(only)})
				}
			}
			p.guardBlock(fn, x.Body, out, depth+1)
			p.guardBlock(fn, x.Orelse, out, depth+1)
		case *pyparse.For:
			p.guardBlock(fn, x.Body, out, depth+1)
			p.guardBlock(fn, x.Orelse, out, depth+1)
		case *pyparse.While:
			p.guardBlock(fn, x.Body, out, depth+1)
			p.guardBlock(fn, x.Orelse, out, depth+1)
		case *pyparse.With:
			p.guardBlock(fn, x.Body, out, depth+1)
		case *pyparse.Try:
			p.guardBlock(fn, x.Body, out, depth+1)
			for _, h := range x.Handlers {
				p.guardBlock(fn, h.Body, out, depth+1)
			}
			p.guardBlock(fn, x.Orelse, out, depth+1)
			p.guardBlock(fn, x.Finalbody, out, depth+1)
		}
	}
}

// exitsNormally reports a block that leaves the function unless
// something raises: its last statement returns or raises, or is a try
// whose body does (`try: run(...); return` / `except: pass`: TD shows a
// thread conflict as a dialog, not an exception), or an if whose branches
// all do.
func exitsNormally(body []pyparse.Stmt, depth int) bool {
	if len(body) == 0 || depth > maxResolveDepth {
		return false
	}
	switch x := body[len(body)-1].(type) {
	case *pyparse.Return, *pyparse.Raise:
		return true
	case *pyparse.Try:
		return exitsNormally(x.Body, depth+1) || exitsNormally(x.Finalbody, depth+1)
	case *pyparse.If:
		return exitsNormally(x.Body, depth+1) && exitsNormally(x.Orelse, depth+1)
	}
	return false
}

// guardTest reports which thread runs the code where e is true; exact is
// set when e being false means the other thread (not for a conjunction).
func (p *Program) guardTest(fn *Function, e pyparse.Expr, depth int) (only ThreadContext, exact, ok bool) {
	if depth > maxResolveDepth {
		return 0, false, false
	}
	switch x := e.(type) {
	case *pyparse.UnaryOp:
		if x.Op == pyparse.Not {
			if only, exact, ok := p.guardTest(fn, x.Operand, depth+1); ok && exact {
				return other(only), true, true
			}
		}
	case *pyparse.BoolOp:
		if x.Op == pyparse.And {
			for _, v := range x.Values {
				if only, _, ok := p.guardTest(fn, v, depth+1); ok {
					// `callable(run) and self.ownerComp is not None`: in
					// TD the other tests of references hold too, so its
					// negation still means outside TD.
					return only, only == inTD && p.onlyPresenceTests(fn, x.Values), true
				}
			}
		}
	case *pyparse.Call:
		if p.qualify(fn, x.Func) == safePrefix+"isMainThread" && len(x.Args) == 0 {
			return MainThread, true, true
		}
		// callable(run), run fetched with globals().get('run'): in TD it
		// is always there.
		if n, ok := x.Func.(*pyparse.Name); ok && n.ID == "callable" && len(x.Args) == 1 {
			if b, _ := p.lookup(fn, "callable"); b == nil && IsTD(p.qualify(fn, x.Args[0])) {
				return inTD, true, true
			}
		}
	case *pyparse.Compare:
		if len(x.Ops) != 1 {
			return 0, false, false
		}
		l, r := p.threadCall(fn, x.Left), p.threadCall(fn, x.Comparators[0])
		if (l != "current" || r != "main") && (l != "main" || r != "current") {
			return 0, false, false
		}
		switch x.Ops[0] {
		case pyparse.Is, pyparse.Eq:
			return MainThread, true, true
		case pyparse.IsNot, pyparse.NotEq:
			return WorkerThread, true, true
		default:
			return 0, false, false
		}
	case *pyparse.Name:
		// on_main = threading.current_thread() is threading.main_thread()
		// (other assignments only constants: fallbacks outside TD).
		b, owner := p.lookup(fn, x.ID)
		if b == nil || owner != fn || b.kinds != 1<<bindAssign {
			return 0, false, false
		}
		found := false
		for _, v := range b.values {
			if _, isConst := v.(*pyparse.Constant); isConst {
				continue
			}
			g, ex, ok2 := p.guardTest(fn, v, depth+1)
			if !ok2 || found {
				return 0, false, false
			}
			only, exact, found = g, ex, true
		}
		return only, exact, found
	}
	return 0, false, false
}

// threadCall names threading.current_thread() ("current") and
// threading.main_thread() ("main").
func (p *Program) threadCall(fn *Function, e pyparse.Expr) string {
	c, ok := e.(*pyparse.Call)
	if !ok || len(c.Args) != 0 {
		return ""
	}
	if kind := threadQuery(p.qualify(fn, c.Func)); kind != "isMain" {
		return kind
	}
	return ""
}

// onlyPresenceTests reports whether every operand is a TD-presence guard
// or a `ref is not None` test.
func (p *Program) onlyPresenceTests(fn *Function, values []pyparse.Expr) bool {
	for _, v := range values {
		if only, _, ok := p.guardTest(fn, v, maxResolveDepth); ok && only == inTD {
			continue
		}
		c, ok := v.(*pyparse.Compare)
		if !ok || !p.noneIdentityTest(fn, c) || c.Ops[0] != pyparse.IsNot {
			return false
		}
	}
	return true
}
