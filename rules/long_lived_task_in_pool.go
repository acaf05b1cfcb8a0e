package rules

import (
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// LongLivedTaskInPool reports never-ending targets enqueued in the pool.
var LongLivedTaskInPool = &analyzer.Analyzer{
	Code:     "TD104",
	Name:     "long-lived-task-in-pool",
	Summary:  "long-lived TDTask enqueued in the worker pool without standalone=True",
	Severity: analyzer.SeverityWarning,
	Doc: `# long-lived-task-in-pool (TD104)

## What it does
Finds ` + "`EnqueueTask(task)`" + ` calls whose task target never returns — an infinite loop
(` + "`while True:`" + ` without a ` + "`break`/`return`" + `), ` + "`serve_forever()`, `run_forever()`" + ` — without
` + "`standalone=True`" + `.

## Why is this bad
The ThreadManager's pool has a few workers (four by default). A task that never returns holds one
forever; a handful of them starve the pool and every later task waits without end.

## Example
` + "```python\ndef listen():\n    while True:\n        handle(sock.recv(1024))\n\ntm.EnqueueTask(tm.TDTask(target=listen))            # TD104\n```" + `

## Use instead
` + "```python\ntm.EnqueueTask(tm.TDTask(target=listen), standalone=True)\n```" + `

## What it does not see
A target whose loop ends on a condition the model cannot evaluate is taken as long-lived only when
it calls a long-lived API (` + "`serve_forever`, `run_forever`" + `) or loops with ` + "`while True`" + `; a task that is
merely slow (a long download) is not reported, nor is a pool exhausted by many short tasks.

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		for _, ws := range prog.StartsIn(pass.File) {
			if !ws.IsTDTask || ws.Enqueued == nil || ws.Standalone || ws.Target == nil {
				continue
			}
			if ws.In == nil || ws.In.File != pass.File {
				continue
			}
			if why := longLived(prog, ws.Target); why != "" {
				report(pass, ws.Enqueued, []analyzer.RelatedInformation{{
					Range:   analyzer.Range{File: ws.Target.File, Start: ws.Target.Node.Pos(), End: ws.Target.Node.Pos()},
					Message: "`" + ws.Target.Name + "` " + why,
				}}, "`%s` never returns (%s) and would hold a pool worker forever; enqueue it with standalone=True", ws.Target.Name, why)
			}
		}
		return nil
	},
}

// longLived says why fn never returns, or "".
func longLived(prog *analyzer.Program, fn *analyzer.Function) string {
	why := ""
	analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
		if why != "" {
			return false
		}
		switch x := n.(type) {
		case *pyparse.While:
			if isTrue(x.Test) && !exits(x.Body) {
				why = "loops forever"
			}
		case *pyparse.Call:
			if attr, ok := x.Func.(*pyparse.Attribute); ok && (attr.Attr == "serve_forever" || attr.Attr == "run_forever") {
				why = "calls " + attr.Attr + "()"
			}
			q := analyzer.TypeName(prog.Qualify(fn, x.Func))
			if prog.Tables.LongLived[q] && !strings.HasPrefix(q, ".") {
				why = "calls " + q
			}
		}
		return true
	})
	return why
}

func isTrue(e pyparse.Expr) bool {
	truth, known := analyzer.ConstantTruth(e)
	return known && truth
}

// exits reports whether a loop body can leave the loop: a break of this
// loop, a return, or a raise.
func exits(body []pyparse.Stmt) bool {
	found := false
	for _, s := range body {
		pyparse.Inspect(s, func(n pyparse.Node) bool {
			switch n.(type) {
			case *pyparse.Break, *pyparse.Return, *pyparse.Raise:
				found = true
			case *pyparse.While, *pyparse.For, *pyparse.FunctionDef, *pyparse.Lambda, *pyparse.ClassDef:
				// A break in a nested loop leaves that loop only; returns
				// in nested loops still count.
				if _, isLoop := n.(*pyparse.While); isLoop || isFor(n) {
					found = found || hasReturn(n)
					return false
				}
				return false
			}
			return !found
		})
	}
	return found
}

func isFor(n pyparse.Node) bool { _, ok := n.(*pyparse.For); return ok }

func hasReturn(n pyparse.Node) bool {
	found := false
	pyparse.Inspect(n, func(m pyparse.Node) bool {
		switch m.(type) {
		case *pyparse.Return, *pyparse.Raise:
			found = true
		case *pyparse.FunctionDef, *pyparse.Lambda, *pyparse.ClassDef:
			return false
		}
		return !found
	})
	return found
}
