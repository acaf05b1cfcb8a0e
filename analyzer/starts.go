package analyzer

// Thread starts: the calls that hand a callable to another thread, and
// the EnqueueTask calls that run TDTasks.

import (
	"maps"
	"slices"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// resolveStarts finds every call that starts a thread and the TDTask hooks.
func (p *Program) resolveStarts() {
	// analyzeBody found each function's starts while it qualified its
	// calls; they are merged in function order.
	for _, fn := range p.Functions {
		if fn.found != nil {
			p.WorkerStarts = append(p.WorkerStarts, fn.found.starts...)
			fn.found.starts = nil
		}
	}
	// Thread subclasses: their run method is a worker entry; subclasses of
	// a library's handler classes: the methods the library calls are.
	for _, c := range p.classes {
		for _, base := range c.Bases {
			tb := typeName(base)
			if tb == "threading.Thread" {
				if run := c.Methods["run"]; run != nil {
					p.WorkerStarts = append(p.WorkerStarts, &WorkerStart{Site: nil, File: c.File, Kind: "threading.Thread subclass run()", Target: run})
				}
				continue
			}
			methods, ok := HandlerClasses[tb]
			if !ok {
				continue
			}
			// In name order: which start reaches a function first is the
			// chain a finding shows, and map order would change it from
			// run to run.
			for _, name := range slices.Sorted(maps.Keys(c.Methods)) {
				if handlerMethod(methods, name) {
					p.WorkerStarts = append(p.WorkerStarts, &WorkerStart{Site: nil, File: c.File, Kind: tb + " handler", Target: c.Methods[name]})
				}
			}
		}
	}
	p.matchEnqueues()
}

// startsAt records the worker starts a call of fn makes (q is the call's
// qualified callee).
func (p *Program) startsAt(fn *Function, call *pyparse.Call, q string) {
	q = typeName(q)
	var some [4]int
	for _, i := range p.entries.candidates(some[:0], call, q) {
		entry := p.Tables.WorkerEntries[i]
		if !p.matchesEntry(fn, call, q, entry) {
			continue
		}
		target := argOrKeyword(call, entry.Arg, entry.Keyword)
		if target == nil {
			continue
		}
		ws := &WorkerStart{
			Site: call, File: fn.File, In: fn, Kind: entry.Kind, TargetExpr: target,
			Target: p.FunctionOf(fn, target), IsTDTask: strings.HasSuffix(entry.Callee, "TDTask"),
		}
		if passed := argOrKeyword(call, entry.ArgsArg, entry.ArgsKeyword); passed != nil && entry.ArgsKeyword != "" {
			ws.PassedArgs = append(ws.PassedArgs, elements(passed)...)
		}
		if kw := argOrKeyword(call, -1, "kwargs"); kw != nil && ws.IsTDTask {
			ws.PassedArgs = append(ws.PassedArgs, kw)
		}
		if entry.Callee == ".submit" || entry.Callee == ".map" || entry.Callee == ".run_in_executor" || entry.Callee == "asyncio.to_thread" {
			start := entry.Arg + 1
			if start < len(call.Args) {
				ws.PassedArgs = append(ws.PassedArgs, call.Args[start:]...)
			}
		}
		fn.facts().starts = append(fn.facts().starts, ws)
	}
}

// entryIndex finds the worker entries a call may match without asking
// each of them (every call of every body is asked): by the qualified
// callee, by the called attribute for the entries that name a method
// (".submit"), and the TDTask entries, which match any thread manager's.
type entryIndex struct {
	byCallee map[string][]int
	byAttr   map[string][]int
	tdTask   []int
}

func newEntryIndex(entries []WorkerEntry) *entryIndex {
	x := &entryIndex{byCallee: make(map[string][]int), byAttr: make(map[string][]int)}
	for i, e := range entries {
		if attr, ok := strings.CutPrefix(e.Callee, "."); ok {
			x.byAttr[attr] = append(x.byAttr[attr], i)
			continue
		}
		x.byCallee[e.Callee] = append(x.byCallee[e.Callee], i)
		if strings.HasSuffix(e.Callee, ".TDTask") {
			x.tdTask = append(x.tdTask, i)
		}
	}
	return x
}

// candidates appends to out the indexes, in table order and once each, of
// the entries matchesEntry may accept for call (q its typeName'd callee).
func (x *entryIndex) candidates(out []int, call *pyparse.Call, q string) []int {
	out = append(out, x.byCallee[q]...)
	if strings.HasSuffix(q, ".TDTask") {
		out = append(out, x.tdTask...)
	}
	if attr, ok := call.Func.(*pyparse.Attribute); ok {
		out = append(out, x.byAttr[attr.Attr]...)
	}
	if len(out) > 1 {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

func (p *Program) matchesEntry(fn *Function, call *pyparse.Call, q string, entry WorkerEntry) bool {
	if !strings.HasPrefix(entry.Callee, ".") {
		return q == entry.Callee || (strings.HasSuffix(entry.Callee, ".TDTask") && strings.HasSuffix(q, ".TDTask") && p.isThreadManager(strings.TrimSuffix(q, ".TDTask")))
	}
	attr, ok := call.Func.(*pyparse.Attribute)
	if !ok || attr.Attr != entry.Callee[1:] {
		return false
	}
	if entry.Callee == ".submit" || entry.Callee == ".map" {
		recv := typeName(p.qualify(fn, attr.Value))
		return recv == "concurrent.futures.ThreadPoolExecutor" || recv == "concurrent.futures.thread.ThreadPoolExecutor"
	}
	return true
}

// matchEnqueues links TDTask creations to their EnqueueTask calls.
func (p *Program) matchEnqueues() {
	byCall := make(map[*pyparse.Call]*WorkerStart)
	for _, ws := range p.WorkerStarts {
		if ws.IsTDTask {
			byCall[ws.Site] = ws
		}
	}
	if len(byCall) == 0 {
		return
	}
	for _, fn := range p.Functions {
		if fn.found == nil {
			continue
		}
		for _, call := range fn.found.enqueues {
			ws := byCall[p.taskCall(fn, call.Args[0], 0)]
			if ws == nil {
				continue
			}
			ws.Enqueued = call
			for _, k := range call.Keywords {
				if k.Arg == "standalone" {
					if c, ok := k.Value.(*pyparse.Constant); !ok || c.Value.Kind != pyparse.ConstFalse {
						ws.Standalone = true
					}
				}
			}
			if len(call.Args) >= 3 {
				ws.Standalone = true
			}
		}
		fn.found = nil
	}
}

// taskCall follows a name to the TDTask(...) call assigned to it.
func (p *Program) taskCall(fn *Function, e pyparse.Expr, depth int) *pyparse.Call {
	if depth > maxResolveDepth {
		return nil
	}
	switch x := e.(type) {
	case *pyparse.Call:
		return x
	case *pyparse.Name:
		b, owner := p.lookup(fn, x.ID)
		if b != nil && b.kind == bindAssign && len(b.values) == 1 {
			return p.taskCall(owner, b.values[0], depth+1)
		}
	case *pyparse.Attribute:
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) {
			if f := fn.Class.fields[x.Attr]; f != nil && len(f.values) == 1 {
				return p.taskCall(f.owners[0], f.values[0], depth+1)
			}
		}
	}
	return nil
}

func argOrKeyword(call *pyparse.Call, pos int, keyword string) pyparse.Expr {
	if keyword != "" {
		for _, k := range call.Keywords {
			if k.Arg == keyword {
				return k.Value
			}
		}
	}
	if pos >= 0 && pos < len(call.Args) {
		if _, starred := call.Args[pos].(*pyparse.Starred); !starred {
			return call.Args[pos]
		}
	}
	return nil
}

func elements(e pyparse.Expr) []pyparse.Expr {
	switch x := e.(type) {
	case *pyparse.Tuple:
		return x.Elts
	case *pyparse.List:
		return x.Elts
	case *pyparse.Dict:
		return x.Values
	}
	return []pyparse.Expr{e}
}

// handlerMethod reports whether name is one of methods (an entry ending in
// "_" is a prefix).
func handlerMethod(methods []string, name string) bool {
	for _, m := range methods {
		if name == m || strings.HasSuffix(m, "_") && strings.HasPrefix(name, m) {
			return true
		}
	}
	return false
}

// callbackAssign records a worker start for `obj.on_message = f` when obj
// is a library object whose library calls that attribute on its own
// thread (CallbackAttributes).
func (p *Program) callbackAssign(fn *Function, as *pyparse.Assign) {
	for _, t := range as.Targets {
		attr, ok := t.(*pyparse.Attribute)
		if !ok {
			continue
		}
		typ := typeName(p.qualify(fn, attr.Value))
		if !slices.Contains(CallbackAttributes[typ], attr.Attr) {
			continue
		}
		fn.facts().starts = append(fn.facts().starts, &WorkerStart{
			File: fn.File, In: fn, Kind: typ + "." + attr.Attr + " callback",
			TargetExpr: as.Value, Target: p.FunctionOf(fn, as.Value), Assign: as,
		})
	}
}
