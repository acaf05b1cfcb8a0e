package rules

import (
	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// BlockingCallOnMainThread reports calls that wait, made on TD's main thread.
var BlockingCallOnMainThread = &analyzer.Analyzer{
	Code:     "TD201",
	Name:     "blocking-call-on-main-thread",
	Summary:  "blocking call on TouchDesigner's main thread",
	Severity: analyzer.SeverityError,
	Doc: `# blocking-call-on-main-thread (TD201)

## What it does
Finds calls that wait — ` + "`time.sleep`, `requests.get`, `urllib.request.urlopen`" + `, socket reads and
accepts, ` + "`subprocess.run`" + `, ` + "`Thread.join()`, `Event.wait()`" + `, a blocking ` + "`Queue.get()`" + ` or
` + "`InfoQueue.get()`, `Future.result()`" + ` — in code that runs on TouchDesigner's main thread: callbacks
(` + "`onFrameStart`, `onValueChange`, …" + `), extension methods, a DAT's top level, TDTask hooks and
` + "`run()`" + ` targets, and what they call.

## Why is this bad
TD cooks every frame on its main thread. While a call waits there, TD renders nothing and the UI
freezes: a 200 ms HTTP request drops twelve frames at 60 fps.

## Example
` + "```python\ndef onPulse(par):\n    data = requests.get(URL).json()      # TD201\n    op('out').text = data['text']\n```" + `

## Use instead
Run the wait in a ` + "`TDTask`" + ` and touch TD in its ` + "`SuccessHook`" + `; drain queues with
` + "`get_nowait()`" + ` or ` + "`get(block=False)`" + `:
` + "```python\ndef onPulse(par):\n    tm = op.TDResources.ThreadManager\n    tm.EnqueueTask(tm.TDTask(target=lambda: requests.get(URL).json(), SuccessHook=show))\n```" + `
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		for _, fn := range prog.FunctionsIn(pass.File) {
			if fn.Context&analyzer.MainThread == 0 {
				continue
			}
			analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
				call, ok := n.(*pyparse.Call)
				if !ok {
					return true
				}
				if name := blockingName(prog, fn, call); name != "" {
					report(pass, call, nil, "`%s` blocks TouchDesigner's main thread and freezes every frame while it waits; run it in a TDTask", name)
				}
				return true
			})
		}
		return nil
	},
}

// blockingName returns the blocking API a call makes, or "".
func blockingName(prog *analyzer.Program, fn *analyzer.Function, call *pyparse.Call) string {
	attr, isAttr := call.Func.(*pyparse.Attribute)
	if isAttr && attr.Attr == "get" {
		if inner, ok := attr.Value.(*pyparse.Attribute); ok && inner.Attr == "InfoQueue" {
			if nonBlockingGet(call) {
				return ""
			}
			return "InfoQueue.get()"
		}
	}
	q := analyzer.TypeName(prog.Qualify(fn, call.Func))
	if q == "" || !prog.Tables.Blocking[q] {
		return ""
	}
	if q == "queue.Queue.get" && nonBlockingGet(call) {
		return ""
	}
	return q
}

// nonBlockingGet reports get(False), get(block=False) and get(timeout=0).
func nonBlockingGet(call *pyparse.Call) bool {
	isFalse := func(e pyparse.Expr) bool {
		c, ok := e.(*pyparse.Constant)
		if !ok {
			return false
		}
		if c.Value.Kind == pyparse.ConstFalse {
			return true
		}
		v, ok := c.Value.IntValue()
		return ok && v == 0
	}
	if len(call.Args) > 0 && isFalse(call.Args[0]) {
		return true
	}
	for _, k := range call.Keywords {
		if (k.Arg == "block" || k.Arg == "timeout") && isFalse(k.Value) {
			return true
		}
	}
	return false
}
