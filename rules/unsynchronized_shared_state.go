package rules

import (
	"bytes"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// UnsynchronizedSharedState reports the races on state shared by a worker
// and the main thread that break under the GIL: lost updates, a
// check-then-act flag set by the worker it guards, fields read together
// while a worker rewrites them, and a dict changing size under iteration.
var UnsynchronizedSharedState = &analyzer.Analyzer{
	Code:     "TD401",
	Name:     "unsynchronized-shared-state",
	Summary:  "a worker and the main thread race on shared state (lost update, check-then-act, torn read, iteration)",
	Severity: analyzer.SeverityWarning,
	Doc: `# unsynchronized-shared-state (TD401)

## What it does
Finds module globals and extension ` + "`self`" + ` attributes that a worker thread and TouchDesigner's
main thread both use, outside a ` + "`with lock:`" + ` block, in one of the four ways that break even
though CPython's GIL makes each single read and write atomic:

- **Lost update**: one side does a read-modify-write (` + "`self.n += 1`, `d[k] = d.get(k, 0) + 1`" + `)
  while the other side writes the same variable: one of the two updates disappears.
- **Check-then-act**: main-thread code tests a flag before starting a worker
  (` + "`if not is_loading: Thread(target=load).start()`" + `) but the flag is set *inside* that worker.
  Until the worker runs, the next ` + "`onCook`" + ` sees the old value and starts a second worker.
- **Torn read**: a worker's loop keeps rewriting several variables that main-thread code reads
  together; the main thread can see the new value of one and the old value of another.
- **Iteration race**: a worker adds or removes keys of a dict or set while main-thread code iterates
  it: ` + "`RuntimeError: dictionary changed size during iteration`" + `.

## Why is this bad
These races are rare, silent and frame-dependent: a counter that drifts, a model loaded twice, a
position drawn with half its coordinates, an exception once a day.

## What it does not report
A single rebinding that publishes a finished object (` + "`session = temp_session`" + `), a flag
written by one side only, and a list appended on one side and read on the other are safe under the
GIL and are not reported. ` + "`collections.deque`" + `, ` + "`queue.Queue`" + ` and the ` + "`threading`" + `
objects (Event, Lock, ...) are synchronized; so is code inside ` + "`with <lock>:`" + `. Instances other
than TD extensions are taken as per-call objects and not followed, nor are variables reached through
other objects (` + "`self.state.count`" + `).

## Example
` + "```python\nis_loading = False\n\ndef onCook(scriptOp):\n    if not is_loading:\n        threading.Thread(target=load).start()\n\ndef load():\n    global is_loading\n    is_loading = True        # TD401: set too late, onCook may start a second load\n    ...\n```" + `

## Use instead
Set the flag on the main thread before the worker starts, keep counters on one side, and send
data through a queue (or the task's InfoQueue) drained on the main thread, or guard both sides with
the same lock:
` + "```python\ndef onCook(scriptOp):\n    global is_loading\n    if not is_loading:\n        is_loading = True\n        threading.Thread(target=load).start()\n```" + `

## References
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
- [Python docs: queue](https://docs.python.org/3.11/library/queue.html), [threading.Lock](https://docs.python.org/3.11/library/threading.html#lock-objects)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		// The program-wide index is built once, by the first file.
		idx, _ := prog.Memo("TD401.index", func() any { return indexState(prog) }).(*stateIndex)
		if len(idx.worker) == 0 {
			return nil
		}
		for _, fn := range prog.FunctionsIn(pass.File) {
			if uses := idx.worker[fn]; len(uses) > 0 {
				reportRaces(pass, idx, fn, uses)
			}
		}
		return nil
	},
}

// useKind is how code uses a shared variable.
type useKind uint8

const (
	useRead useKind = iota
	useWrite
	useRMW     // a write of a value computed from the variable itself
	useResize  // a dict/set gains or loses keys
	useIterate // for x in d, d.items(), ...
)

type stateUse struct {
	key    sharedVar
	kind   useKind
	node   pyparse.Node
	fn     *analyzer.Function
	inLoop bool
	// flag is set on a write of a literal (`is_loading = True`): a flag,
	// not a result the worker computed.
	flag bool
}

// stateIndex holds the main-thread uses of each shared variable and the
// flags each thread start is guarded by.
type stateIndex struct {
	main map[sharedVar][]stateUse
	// worker holds each worker function's uses of shared variables.
	worker map[*analyzer.Function][]stateUse
	// guards[target] lists the flags whose test guards a start of target,
	// with the main-thread function that starts it.
	guards map[*analyzer.Function][]startGuard
}

type startGuard struct {
	key  sharedVar
	in   *analyzer.Function
	site pyparse.Node
}

func isConstructor(fn *analyzer.Function) bool {
	return fn.Class != nil && fn.Node != nil && strings.HasSuffix(fn.Name, ".__init__")
}

func indexState(prog *analyzer.Program) *stateIndex {
	idx := &stateIndex{
		main: make(map[sharedVar][]stateUse), worker: make(map[*analyzer.Function][]stateUse),
		guards: make(map[*analyzer.Function][]startGuard),
	}
	// Every race reported starts from a worker's write (an update, a
	// flag set, a resize, a rewrite in a loop): a worker's reads are not
	// collected, and only the main-thread code that can share a variable
	// a worker writes is read: functions of the files whose globals
	// workers write, and methods of the classes whose fields they do.
	files := make(map[*analyzer.SourceFile]bool)
	classes := make(map[string]bool)
	want := make(map[sharedVar]bool)
	code := threadCodeOf(prog)
	for _, w := range code.workers {
		fn := w.fn
		if len(w.writes) > 0 {
			idx.worker[fn] = w.writes
		}
		for _, u := range w.writes {
			want[u.key] = true
			if u.key.global {
				files[fn.File] = true
			} else if fn.Class != nil {
				classes[fn.Class.Name] = true
			}
		}
	}
	var mains [][]stateUse
	if len(want) > 0 {
		mains = perFunction(code.mains, func(fn *analyzer.Function) []stateUse {
			if !files[fn.File] && (fn.Class == nil || !classes[fn.Class.Name]) {
				return nil
			}
			return sharedUsesOf(prog, fn, want, false)
		})
	}
	for _, uses := range mains {
		for _, u := range uses {
			idx.main[u.key] = append(idx.main[u.key], u)
		}
	}
	for _, ws := range prog.WorkerStarts {
		if ws.Site == nil || ws.In == nil || ws.Target == nil || ws.In.Context&analyzer.MainThread == 0 || ws.In.Node == nil {
			continue
		}
		if len(idx.worker[ws.Target]) == 0 {
			continue // a guard is read only for a worker that writes shared state
		}
		for _, key := range guardingFlags(prog, ws.In, ws.Site) {
			idx.guards[ws.Target] = append(idx.guards[ws.Target], startGuard{key: key, in: ws.In, site: ws.Site})
		}
	}
	return idx
}

// perFunction calls f for every function on all cores (a program-wide
// index is built once, while every file's pass waits for it), results in
// order. Workers claim runs of functions, not one at a time: most
// functions are skipped at once, and claiming each from one counter, and
// writing neighbouring results, made the cores contend for the same
// cache lines.
func perFunction[T any](fns []*analyzer.Function, f func(*analyzer.Function) T) []T {
	const run = 64
	out := make([]T, len(fns))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for start := int(next.Add(run) - run); start < len(fns); start = int(next.Add(run) - run) {
				for i := start; i < min(start+run, len(fns)); i++ {
					out[i] = f(fns[i])
				}
			}
		})
	}
	wg.Wait()
	return out
}

func reportRaces(pass *analyzer.Pass, idx *stateIndex, fn *analyzer.Function, uses []stateUse) {
	prog := pass.Program
	reported := make(map[pyparse.Node]bool)
	report := func(u stateUse, msg string, other stateUse, otherMsg string) {
		if reported[u.node] {
			return
		}
		reported[u.node] = true
		related := workerChain(prog, fn)
		if other.fn != nil {
			related = append(related, analyzer.RelatedInformation{
				Range:   analyzer.Range{File: other.fn.File, Start: other.node.Pos(), End: other.node.End()},
				Message: otherMsg + " in `" + other.fn.Name + "`",
			})
		}
		pass.Report(analyzer.Diagnostic{
			Range:    analyzer.Range{File: pass.File, Start: u.node.Pos(), End: u.node.End()},
			Analyzer: pass.Analyzer, Severity: pass.Analyzer.Severity,
			Message: msg, Related: related,
		})
	}
	by := startedBy(prog, fn)

	// Check-then-act: a flag guarding this worker's start is set here
	// (one finding per start: the first such flag explains the race).
	// A flag the worker sets to a literal explains the race better than a
	// result it publishes (`session = temp`): those are tried first.
	flagged := make(map[pyparse.Node]bool)
	for _, literalOnly := range []bool{true, false} {
		for _, g := range idx.guards[fn] {
			if flagged[g.site] || writesBefore(idx.main[g.key], g.in, g.site) {
				continue
			}
			for _, u := range uses {
				if u.key != g.key || u.kind != useWrite && u.kind != useRMW || literalOnly && !u.flag {
					continue
				}
				flagged[g.site] = true
				report(u, "`"+u.key.what()+"` guards the start of this worker but is set by the worker itself; until it runs, the main thread can start a second one: set it before starting the thread",
					stateUse{fn: g.in, node: g.site}, "the worker is started under a test of it")
				break
			}
		}
	}

	for _, u := range uses {
		mains := idx.main[u.key]
		switch u.kind {
		case useWrite, useRMW:
			// Lost update: both sides write, one of them from the old value.
			for _, m := range mains {
				if m.fn == fn || m.kind != useWrite && m.kind != useRMW && m.kind != useResize {
					continue
				}
				if u.kind == useRMW || m.kind == useRMW {
					report(u, "`"+u.key.what()+"` is updated by "+by+" and written on the main thread without a lock, one side from its old value: an update can be lost",
						m, "written on the main thread")
					break
				}
			}
		case useResize:
			for _, m := range mains {
				if m.fn != fn && m.kind == useIterate {
					report(u, "`"+u.key.what()+"` changes size in "+by+" while the main thread iterates it: `RuntimeError: dictionary changed size during iteration`; hand the data over through a queue or a lock",
						m, "iterated on the main thread")
					break
				}
			}
		case useRead, useIterate:
		}
	}

	// Torn read: a worker loop rewrites variables the main thread reads
	// together.
	looped := make(map[sharedVar]stateUse)
	for _, u := range uses {
		if u.inLoop && (u.kind == useWrite || u.kind == useRMW) {
			if _, ok := looped[u.key]; !ok {
				looped[u.key] = u
			}
		}
	}
	if len(looped) < 2 {
		return
	}
	readBy := make(map[*analyzer.Function]map[sharedVar]stateUse)
	for key := range looped {
		for _, m := range idx.main[key] {
			if m.kind == useRead && m.fn != fn {
				if readBy[m.fn] == nil {
					readBy[m.fn] = make(map[sharedVar]stateUse)
				}
				readBy[m.fn][key] = m
			}
		}
	}
	for _, u := range uses {
		first, ok := looped[u.key]
		if !ok || first.node != u.node {
			continue
		}
		for _, reads := range readBy {
			if _, reads1 := reads[u.key]; !reads1 || len(reads) < 2 {
				continue
			}
			var names []string
			for k := range reads {
				names = append(names, "`"+looped[k].key.what()+"`")
			}
			report(u, "`"+u.key.what()+"` is rewritten in a loop of "+by+" together with "+otherNames(names, u.key.what())+", and the main thread reads them together without a lock: it can see one new and one old value",
				reads[u.key], "read together on the main thread")
			return
		}
	}
}

func otherNames(names []string, self string) string {
	var out []string
	for _, n := range names {
		if n != "`"+self+"`" {
			out = append(out, n)
		}
	}
	if len(out) > 3 {
		out = append(out[:3], "…")
	}
	return strings.Join(out, ", ")
}

// writesBefore reports a main-thread write of the flag in fn before site:
// the flag is set before the start, as it should be.
func writesBefore(mains []stateUse, fn *analyzer.Function, site pyparse.Node) bool {
	for _, m := range mains {
		if m.fn == fn && (m.kind == useWrite || m.kind == useRMW) && m.node.Pos() < site.Pos() {
			return true
		}
	}
	return false
}

// sharedVar names a variable threads may share: a module global of a
// file, or a self attribute of an extension class. A comparable value, not
// a string made per use: every name and attribute of the code read is
// asked for its variable.
type sharedVar struct {
	global bool   // a module global; else an extension's attribute
	scope  string // the file's name, or the class's
	name   string
}

// what is the variable as the code spells it.
func (v sharedVar) what() string {
	if v.global {
		return v.name
	}
	return "self." + v.name
}

// stateKey names the shared variable e is (ok false if it is none): a
// module global or a self attribute.
func stateKey(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) (key sharedVar, ok bool) {
	switch x := e.(type) {
	case *pyparse.Name:
		if prog.ModuleGlobal(fn, x.ID) {
			return sharedVar{global: true, scope: fn.File.Name, name: x.ID}, true
		}
	case *pyparse.Attribute:
		// An extension object is one long-lived instance the main thread
		// and workers share; other instances are usually per-call.
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && fn.Class.Extension && n.ID == "self" {
			return sharedVar{scope: fn.Class.Name, name: x.Attr}, true
		}
	}
	return sharedVar{}, false
}

// synchronizedTypes hold values whose operations are safe across threads.
var synchronizedTypes = []string{"queue.", "threading.", "collections.deque", "multiprocessing.", "asyncio.Queue"}

func synchronized(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) bool {
	q := analyzer.TypeName(prog.Qualify(fn, e))
	for _, t := range synchronizedTypes {
		if strings.HasPrefix(q, t) {
			return true
		}
	}
	return strings.HasPrefix(q, "safe:")
}

// resizers change a dict's or set's keys; listOnly are list methods,
// which never make an iteration fail.
var resizers = map[string]bool{
	"update": true, "setdefault": true, "add": true, "discard": true, "popitem": true,
	"pop": true, "clear": true, "remove": true,
}

var iterViews = map[string]bool{"items": true, "keys": true, "values": true}

// sharedUsesOf lists fn's uses of shared state outside `with <lock>:`,
// of the variables in want (nil: all), its reads and iterations too
// unless writesOnly: main-thread code is read only for what workers write.
func sharedUsesOf(prog *analyzer.Program, fn *analyzer.Function, want map[sharedVar]bool, writesOnly bool) []stateUse {
	w := stateWalk{prog: prog, fn: fn, want: want, writesOnly: writesOnly}
	analyzer.WalkOwn(fn, w.visit)
	return w.out
}

// stateWalk collects a function's uses of shared state, a node at a time
// (see sharedUsesOf): the workers' walk visits their nodes for TD202's
// lock uses too.
type stateWalk struct {
	prog       *analyzer.Program
	fn         *analyzer.Function
	want       map[sharedVar]bool
	writesOnly bool
	out        []stateUse
	loops      []pyparse.Span // the loops around the node being visited, and earlier ones
	// Whether a variable holds a synchronized object is asked once per
	// variable, not at every use (it qualifies the expression).
	isSync map[sharedVar]bool
	// withs are the with statements around the node being visited,
	// outermost first. Whether one takes a lock (nothing inside it is
	// then a race) is asked only when a use inside it is found: most
	// hold none, and the question qualifies their expressions.
	withs []withLock
}

type withLock struct {
	with   *pyparse.With
	asked  bool
	locked bool
}

// locked reports whether a with statement around the node being visited
// takes a lock.
func (w *stateWalk) locked() bool {
	for i := range w.withs {
		wl := &w.withs[i]
		if !wl.asked {
			wl.asked, wl.locked = true, lockedWith(w.prog, w.fn, wl.with)
		}
		if wl.locked {
			return true
		}
	}
	return false
}

func (w *stateWalk) keyOf(e pyparse.Expr) (sharedVar, bool) {
	key, ok := stateKey(w.prog, w.fn, e)
	if !ok || w.want != nil && !w.want[key] {
		return sharedVar{}, false
	}
	s, known := w.isSync[key]
	if !known {
		s = synchronized(w.prog, w.fn, e)
		if w.isSync == nil {
			w.isSync = make(map[sharedVar]bool)
		}
		w.isSync[key] = s
	}
	if s {
		return sharedVar{}, false
	}
	return key, true
}

func (w *stateWalk) add(e pyparse.Expr, kind useKind, node pyparse.Node) {
	if w.writesOnly && (kind == useRead || kind == useIterate) {
		return
	}
	if key, ok := w.keyOf(e); ok && !w.locked() {
		w.out = append(w.out, stateUse{key: key, kind: kind, node: node, fn: w.fn, inLoop: inRegions(w.loops, node)})
	}
}

// readsKey reports whether value reads the variable key names.
func (w *stateWalk) readsKey(value pyparse.Expr, key sharedVar) bool {
	found := false
	pyparse.Inspect(value, func(n pyparse.Node) bool {
		if e, ok := n.(pyparse.Expr); ok && !found {
			if k, ok := stateKey(w.prog, w.fn, e); ok && k == key {
				found = true
			}
		}
		return !found
	})
	return found
}

func (w *stateWalk) write(t, value pyparse.Expr, stmt pyparse.Node) {
	switch x := t.(type) {
	case *pyparse.Name, *pyparse.Attribute:
		key, ok := w.keyOf(x)
		if !ok {
			return
		}
		kind := useWrite
		if value != nil && w.readsKey(value, key) {
			kind = useRMW
		}
		w.add(x, kind, stmt)
		if _, literal := value.(*pyparse.Constant); literal && len(w.out) > 0 && w.out[len(w.out)-1].node == stmt {
			w.out[len(w.out)-1].flag = true
		}
	case *pyparse.Subscript:
		key, ok := w.keyOf(x.Value)
		if !ok {
			return
		}
		kind := useResize
		if value != nil && w.readsKey(value, key) {
			kind = useRMW
		}
		w.add(x.Value, kind, stmt)
	case *pyparse.Tuple:
		for _, e := range x.Elts {
			w.write(e, nil, stmt)
		}
	case *pyparse.List:
		for _, e := range x.Elts {
			w.write(e, nil, stmt)
		}
	}
}

func (w *stateWalk) iterate(it pyparse.Expr, node pyparse.Node) {
	if c, ok := it.(*pyparse.Call); ok {
		if a, ok := c.Func.(*pyparse.Attribute); ok && iterViews[a.Attr] {
			w.add(a.Value, useIterate, node)
		}
		return
	}
	w.add(it, useIterate, node)
}

// visit records node n's uses, those inside a `with <lock>:` statement
// aside: none of them is a race.
func (w *stateWalk) visit(n pyparse.Node) bool {
	// The walk has left the with statements that do not hold n.
	for len(w.withs) > 0 && !holds(w.withs[len(w.withs)-1].with.Span, n) {
		w.withs = w.withs[:len(w.withs)-1]
	}
	switch x := n.(type) {
	case *pyparse.With:
		w.withs = append(w.withs, withLock{with: x})
	case *pyparse.While:
		w.loops = append(w.loops, pyparse.Span{Start: x.Pos(), EndPos: x.End()})
	case *pyparse.Assign:
		for _, t := range x.Targets {
			w.write(t, x.Value, x)
		}
	case *pyparse.AugAssign:
		switch t := x.Target.(type) {
		case *pyparse.Subscript:
			w.add(t.Value, useRMW, x)
		default:
			w.add(t, useRMW, x)
		}
	case *pyparse.Delete:
		for _, t := range x.Targets {
			if s, ok := t.(*pyparse.Subscript); ok {
				w.add(s.Value, useResize, x)
			}
		}
	case *pyparse.Call:
		if a, ok := x.Func.(*pyparse.Attribute); ok && resizers[a.Attr] {
			w.add(a.Value, useResize, x)
		}
	case *pyparse.For:
		w.loops = append(w.loops, pyparse.Span{Start: x.Pos(), EndPos: x.End()})
		w.iterate(x.Iter, x.Iter)
	case *pyparse.Comprehension:
		w.iterate(x.Iter, x.Iter)
	case *pyparse.Name:
		if x.Ctx == pyparse.Load {
			w.add(x, useRead, x)
		}
	case *pyparse.Attribute:
		if x.Ctx == pyparse.Load {
			w.add(x, useRead, x)
		}
	}
	return true
}

// guardingFlags lists the shared variables tested by the ifs that decide
// whether site runs in fn: the ifs around it and the `if flag: return`
// statements before it.
func guardingFlags(prog *analyzer.Program, fn *analyzer.Function, site pyparse.Node) []sharedVar {
	var keys []sharedVar
	test := func(e pyparse.Expr) {
		pyparse.Inspect(e, func(n pyparse.Node) bool {
			if x, ok := n.(pyparse.Expr); ok {
				if key, ok := stateKey(prog, fn, x); ok && !synchronized(prog, fn, x) {
					keys = append(keys, key)
					return false
				}
			}
			return true
		})
	}
	var block func(body []pyparse.Stmt, depth int) bool
	block = func(body []pyparse.Stmt, depth int) bool {
		if depth > 64 {
			return false
		}
		for _, s := range body {
			if s.Pos() > site.Pos() {
				return false
			}
			inside := site.Pos() >= s.Pos() && site.End() <= s.End()
			switch x := s.(type) {
			case *pyparse.If:
				if inside {
					test(x.Test)
					return block(x.Body, depth+1) || block(x.Orelse, depth+1)
				}
				if len(x.Body) > 0 && exitsBlock(x.Body) {
					test(x.Test)
				}
			case *pyparse.For:
				if inside {
					return block(x.Body, depth+1) || block(x.Orelse, depth+1)
				}
			case *pyparse.While:
				if inside {
					return block(x.Body, depth+1) || block(x.Orelse, depth+1)
				}
			case *pyparse.With:
				if inside {
					return block(x.Body, depth+1)
				}
			case *pyparse.Try:
				if inside {
					if block(x.Body, depth+1) || block(x.Orelse, depth+1) || block(x.Finalbody, depth+1) {
						return true
					}
					for _, h := range x.Handlers {
						if block(h.Body, depth+1) {
							return true
						}
					}
					return false
				}
			default:
				if inside {
					return true
				}
			}
		}
		return false
	}
	block(fn.Body, 0)
	return keys
}

func exitsBlock(body []pyparse.Stmt) bool {
	switch body[len(body)-1].(type) {
	case *pyparse.Return, *pyparse.Raise, *pyparse.Continue, *pyparse.Break:
		return true
	}
	return false
}

// lockedWith reports a `with <lock>:` statement: a threading object, or
// an expression named like a lock.
func lockedWith(prog *analyzer.Program, fn *analyzer.Function, w *pyparse.With) bool {
	for _, it := range w.Items {
		if namesLock(fn.File.AST.Src[it.ContextExpr.Pos():it.ContextExpr.End()]) ||
			strings.HasPrefix(analyzer.TypeName(prog.Qualify(fn, it.ContextExpr)), "threading.") {
			return true
		}
	}
	return false
}

// namesLock reports source text that says "lock" in any case, without a
// lower-cased copy of ASCII text (every with statement of every worker
// is asked).
func namesLock(text []byte) bool {
	for _, c := range text {
		if c >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(string(text)), "lock")
		}
	}
	for i := 0; i+4 <= len(text); i++ {
		if bytes.EqualFold(text[i:i+4], []byte("lock")) {
			return true
		}
	}
	return false
}

func inRegions(regions []pyparse.Span, n pyparse.Node) bool {
	for _, r := range regions {
		if holds(r, n) {
			return true
		}
	}
	return false
}

// holds reports whether n lies in the region.
func holds(region pyparse.Span, n pyparse.Node) bool {
	return n.Pos() >= region.Start && n.End() <= region.EndPos
}
