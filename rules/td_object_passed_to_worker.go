package rules

import (
	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// TDObjectPassedToWorker reports TD objects handed to a worker as arguments.
var TDObjectPassedToWorker = &analyzer.Analyzer{
	Code:     "TD103",
	Name:     "td-object-passed-to-worker",
	Summary:  "TouchDesigner object passed to a worker thread",
	Severity: analyzer.SeverityError,
	Doc: `# td-object-passed-to-worker (TD103)

## What it does
Finds TouchDesigner objects — an OP or COMP (` + "`op('x')`, `me`, `parent()`, `self.ownerComp`" + `), a parameter,
a DAT — passed to a worker through ` + "`args`/`kwargs`" + ` of a ` + "`TDTask`" + `, a thread or an executor, or
captured by a closure or lambda that a worker runs.

## Why is this bad
The worker will use the object on its own thread: every attribute read is a THREAD CONFLICT. Only plain
values extracted on the main thread (` + "`.eval()`, `.text`, `.val`" + `) are safe to pass.

## Example
` + "```python\ntm.EnqueueTask(tm.TDTask(target=render, args=(op('table1'),)))   # TD103\n```" + `

## Use instead
` + "```python\nrows = [[c.val for c in r] for r in op('table1').rows()]\ntm.EnqueueTask(tm.TDTask(target=render, args=(rows,)))\n```" + `

## What it does not see
TD objects handed over inside containers or through attributes of other objects, and objects the
worker never uses after all (the runtime reports a handoff only when the worker touches it). Plain
values read on the main thread (` + "`.eval()`, `.text`" + `, a ` + "`numpyArray()`" + ` copy) are not TD objects.

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		for _, ws := range prog.StartsIn(pass.File) {
			if ws.File != pass.File || ws.In == nil {
				continue
			}
			for _, arg := range ws.PassedArgs {
				for _, e := range tdValues(prog, ws.In, arg) {
					report(pass, e, nil, "`%s` is a TouchDesigner object handed to a worker thread (%s); pass plain values extracted on the main thread", exprText(pass, e), ws.Kind)
				}
			}
		}
		// Closure captures: a worker function using a TD object that an
		// enclosing function created.
		forEachWorkerAccess(pass, func(fn *analyzer.Function, a analyzer.TDAccess) {
			if a.Captured && !a.ThreadManager {
				report(pass, a.Node, workerChain(prog, fn), "`%s` is a TouchDesigner object captured by a closure that runs on %s; capture plain values instead", a.What, startedBy(prog, fn))
			}
		})
		return nil
	},
}

// tdValues returns the sub-expressions of e (itself, or elements of a
// tuple/list/dict display) that evaluate to TD objects.
func tdValues(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) []pyparse.Expr {
	switch x := e.(type) {
	case *pyparse.Tuple:
		return tdValuesOf(prog, fn, x.Elts)
	case *pyparse.List:
		return tdValuesOf(prog, fn, x.Elts)
	case *pyparse.Dict:
		return tdValuesOf(prog, fn, x.Values)
	case *pyparse.Starred:
		return tdValues(prog, fn, x.Value)
	}
	if q := prog.Qualify(fn, e); analyzer.IsTDObject(q) {
		return []pyparse.Expr{e}
	}
	return nil
}

func tdValuesOf(prog *analyzer.Program, fn *analyzer.Function, es []pyparse.Expr) []pyparse.Expr {
	var out []pyparse.Expr
	for _, e := range es {
		if e != nil {
			out = append(out, tdValues(prog, fn, e)...)
		}
	}
	return out
}

func exprText(pass *analyzer.Pass, e pyparse.Expr) string {
	src := pass.File.AST.Src
	text := string(src[e.Pos():e.End()])
	if len(text) > 60 {
		text = text[:57] + "..."
	}
	return text
}
