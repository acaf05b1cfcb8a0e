package rules

import (
	"slices"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// MainThreadWaitsOnWorkerLock reports the main thread taking a lock that
// a worker holds while it does slow work: the frame waits for the work.
var MainThreadWaitsOnWorkerLock = &analyzer.Analyzer{
	Code:     "TD202",
	Name:     "main-thread-waits-on-worker-lock",
	Summary:  "the main thread waits for a lock a worker holds across slow work",
	Severity: analyzer.SeverityError,
	Doc: `# main-thread-waits-on-worker-lock (TD202)

## What it does
Finds a lock (a module global or an extension's ` + "`self`" + ` attribute) that a worker thread holds
around slow work — a blocking call (see TD201), loading or running a model (` + "`torch.load`" + `,
` + "`onnxruntime.InferenceSession`" + `, ` + "`.from_pretrained`" + `, …), or a project function that does
either — while main-thread code takes the same lock with ` + "`with lock:`" + ` or a blocking
` + "`lock.acquire()`" + `.

## Why is this bad
The lock moves the worker's wait onto the main thread: while the worker loads a model under the
lock, a per-frame callback that takes the lock waits for the whole load, and TouchDesigner freezes.
The thread that was meant to keep TD responsive makes it stall.

## Example
` + "```python\nclass EngineExt:\n    def __init__(self, ownerComp):\n        self.EngineLock = threading.Lock()\n\n    def _load(self, path):                     # a TDTask target\n        with self.EngineLock:\n            self.model = torch.load(path)\n\n    def OnFrame(self):                         # called every frame\n        with self.EngineLock:                  # TD202: waits for the whole load\n            self.ownerComp.par.Ready = self.model is not None\n```" + `

## Use instead
Do the slow work outside the lock and hold it only to publish the result, or take the lock without
waiting on the main thread and try again next frame:
` + "```python\n    def OnFrame(self):\n        if self.EngineLock.acquire(blocking=False):\n            try:\n                self.ownerComp.par.Ready = self.model is not None\n            finally:\n                self.EngineLock.release()\n```" + `

## What it does not see
Locks reached through other objects, locks passed as arguments, and slow work the tables do not
name (add blocking calls with the ` + "`blocking-calls`" + ` configuration key).

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [Python docs: threading.Lock](https://docs.python.org/3.11/library/threading.html#lock-objects)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		// The workers' slow holds first: most programs have none, and
		// then no main-thread function needs reading.
		held, _ := prog.Memo("TD202.slowHolds", func() any { return slowLockHolds(prog) }).(map[sharedVar]lockHold)
		if len(held) == 0 {
			return nil
		}
		for _, fn := range prog.FunctionsIn(pass.File) {
			if fn.Context&analyzer.MainThread == 0 || fn.Node == nil || isConstructor(fn) {
				continue
			}
			for _, acq := range lockAcquisitions(prog, fn) {
				h, ok := held[acq.key]
				if !ok || h.fn == fn {
					continue
				}
				related := []analyzer.RelatedInformation{
					{Range: analyzer.Range{File: h.fn.File, Start: h.with.Pos(), End: h.with.Pos() + 4}, Message: "a worker thread holds it here (" + startedBy(prog, h.fn) + ")"},
					{Range: analyzer.Range{File: h.fn.File, Start: h.slow.Pos(), End: h.slow.End()}, Message: "while it " + h.what},
				}
				report(pass, acq.node, related, "the main thread waits here for `%s`, which a worker holds while it %s: TouchDesigner freezes until the worker lets go; hold the lock only to publish results, or use acquire(blocking=False)", acq.key.what(), h.what)
			}
		}
		return nil
	},
}

type lockUse struct {
	key  sharedVar
	node pyparse.Node
	body pyparse.Span
}

type lockHold struct {
	fn   *analyzer.Function
	with pyparse.Node
	slow pyparse.Node
	what string
}

// lockAcquisitions lists fn's waits for a lock: `with lock:` and blocking
// lock.acquire() calls.
func lockAcquisitions(prog *analyzer.Program, fn *analyzer.Function) []lockUse {
	w := lockWalk{prog: prog, fn: fn}
	analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
		w.visit(n)
		return true
	})
	return w.out
}

// lockWalk collects a function's lock acquisitions a node at a time (see
// lockAcquisitions).
type lockWalk struct {
	prog *analyzer.Program
	fn   *analyzer.Function
	out  []lockUse
}

func (w *lockWalk) visit(n pyparse.Node) {
	switch x := n.(type) {
	case *pyparse.With:
		for _, it := range x.Items {
			if key, ok := lockKey(w.prog, w.fn, it.ContextExpr); ok {
				w.out = append(w.out, lockUse{key: key, node: it.ContextExpr, body: pyparse.Span{Start: x.Pos(), EndPos: x.End()}})
			}
		}
	case *pyparse.Call:
		attr, ok := x.Func.(*pyparse.Attribute)
		if !ok || attr.Attr != "acquire" || waitsNot(x) {
			return
		}
		if key, ok := lockKey(w.prog, w.fn, attr.Value); ok {
			w.out = append(w.out, lockUse{key: key, node: x})
		}
	}
}

// waitsNot reports acquire(False), acquire(blocking=False) and
// acquire(timeout=0): they return at once.
func waitsNot(call *pyparse.Call) bool {
	for _, k := range call.Keywords {
		if truth, known := analyzer.ConstantTruth(k.Value); known && !truth && (k.Arg == "blocking" || k.Arg == "timeout") {
			return true
		}
	}
	if len(call.Args) > 0 {
		truth, known := analyzer.ConstantTruth(call.Args[0])
		return known && !truth
	}
	return false
}

// lockKey names a lock shared between threads: a module global or an
// extension attribute holding a threading lock (or named like one when
// its value is unknown).
func lockKey(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) (sharedVar, bool) {
	key, ok := stateKey(prog, fn, e)
	if !ok {
		return sharedVar{}, false
	}
	q := analyzer.TypeName(prog.Qualify(fn, e))
	switch q {
	case "threading.Lock", "threading.RLock", "threading.Condition", "threading.Semaphore", "threading.BoundedSemaphore":
		return key, true
	case "":
		if strings.Contains(strings.ToLower(key.what()), "lock") {
			return key, true
		}
	}
	return sharedVar{}, false
}

// slowLockHolds indexes, per lock, a worker's `with lock:` whose body does
// slow work: the first in function order. The workers' lock uses are
// found on all cores, and which functions are slow (a walk of every
// function) only once one holds a lock over a block.
func slowLockHolds(prog *analyzer.Program) map[sharedVar]lockHold {
	out := make(map[sharedVar]lockHold)
	var slow map[*analyzer.Function]string
	for _, w := range threadCodeOf(prog).workers {
		for _, acq := range w.locks {
			if acq.body.EndPos == 0 {
				continue // a bare acquire(): its extent is not known
			}
			if _, seen := out[acq.key]; seen {
				continue
			}
			if slow == nil {
				slow = slowFunctions(prog)
			}
			if node, what := slowIn(prog, w.fn, acq.body, slow); node != nil {
				out[acq.key] = lockHold{fn: w.fn, with: acq.node, slow: node, what: what}
			}
		}
	}
	return out
}

// slowIn finds slow work of fn inside span: a blocking call, a slow call,
// or a call of a project function that makes one.
func slowIn(prog *analyzer.Program, fn *analyzer.Function, span pyparse.Span, slow map[*analyzer.Function]string) (site pyparse.Node, what string) {
	in := func(n pyparse.Node) bool { return n.Pos() >= span.Start && n.End() <= span.EndPos }
	for _, b := range fn.Blocking {
		if in(b.Site) {
			return b.Site, "waits in `" + b.Name + "`"
		}
	}
	var found pyparse.Node
	analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
		call, ok := n.(*pyparse.Call)
		if found != nil || !ok || !in(call) {
			return found == nil
		}
		if name := slowCallName(prog, fn, call); name != "" {
			found, what = call, "runs `"+name+"`"
		}
		return found == nil
	})
	if found != nil {
		return found, what
	}
	for _, e := range fn.Calls {
		if w, ok := slow[e.Callee]; ok && in(e.Site) {
			return e.Site, "calls `" + e.Callee.Name + "`, which " + w
		}
	}
	return nil, ""
}

func slowCallName(prog *analyzer.Program, fn *analyzer.Function, call *pyparse.Call) string {
	q := analyzer.TypeName(prog.Qualify(fn, call.Func))
	for _, s := range analyzer.SlowCalls {
		if q == s || strings.HasPrefix(s, ".") && strings.HasSuffix(q, s) {
			return q
		}
	}
	if attr, ok := call.Func.(*pyparse.Attribute); ok && q == "" && slices.Contains(analyzer.SlowCalls, "."+attr.Attr) {
		return attr.Attr
	}
	return ""
}

// slowFunctions are the project functions whose own code blocks or makes
// a slow call, with what they do.
func slowFunctions(prog *analyzer.Program) map[*analyzer.Function]string {
	out := make(map[*analyzer.Function]string)
	for _, fn := range prog.Functions {
		if len(fn.Blocking) > 0 {
			out[fn] = "waits in `" + fn.Blocking[0].Name + "`"
			continue
		}
		analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
			if call, ok := n.(*pyparse.Call); ok {
				if name := slowCallName(prog, fn, call); name != "" {
					out[fn] = "runs `" + name + "`"
					return false
				}
			}
			_, done := out[fn]
			return !done
		})
	}
	return out
}
