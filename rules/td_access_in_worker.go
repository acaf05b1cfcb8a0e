package rules

import "github.com/tdlint/tdlint/analyzer"

// TDAccessInWorker reports TouchDesigner objects touched from code that a
// worker thread runs.
var TDAccessInWorker = &analyzer.Analyzer{
	Code:     "TD101",
	Name:     "td-access-in-worker",
	Summary:  "TouchDesigner object used from a worker thread",
	Severity: analyzer.SeverityError,
	Doc: `# td-access-in-worker (TD101)

## What it does
Finds uses of TouchDesigner objects — ` + "`op()`, `me`, `parent()`, `ext`, `mod`, `root`, `project`, parameters, `self.ownerComp`" + ` —
in code that runs on a worker thread: a ThreadManager ` + "`TDTask`" + ` target, a ` + "`threading.Thread`" + ` or
` + "`Timer`" + `, an executor, and everything they call. The finding carries the chain from the
place the thread starts to the access.

## Why is this bad
TouchDesigner's objects live on its main thread. Touching one from another thread — even reading a
parameter — is a THREAD CONFLICT: TD shows a modal error, and the state it reads or writes can be torn.

## Example
` + "```python\ndef fetch():\n    url = op('settings').par.Url.eval()   # TD101: worker reads a parameter\n    return requests.get(url).json()\n\nop.TDResources.ThreadManager.EnqueueTask(\n    op.TDResources.ThreadManager.TDTask(target=fetch, SuccessHook=on_done))\n```" + `

## Use instead
Read what the worker needs on the main thread and pass plain values; send results back through
the hook or a queue:
` + "```python\ndef fetch(url):\n    return requests.get(url).json()\n\nurl = op('settings').par.Url.eval()\ntm = op.TDResources.ThreadManager\ntm.EnqueueTask(tm.TDTask(target=fetch, args=(url,), SuccessHook=on_done))\n```" + `

## What it does not see
Values that reach a worker through containers (a dict or list of OPs), through ` + "`getattr`" + ` with a
computed name, or through objects of classes the project does not hold; functions called only by
library code the tables do not name (add worker entry points with ` + "`worker-entry-points`" + `). Members TD
documents as thread-safe (the ThreadManager's ` + "`*Safe`" + ` methods, ` + "`InfoQueue`, `SafeLogger`" + `,
` + "`td.isMainThread`" + `, tdu's pure utilities such as ` + "`tdu.rand`" + `) and reference tests
(` + "`comp is not None`" + `) are not TD access; code under a thread guard (` + "`td.isMainThread()`" + `,
` + "`threading.current_thread() is threading.main_thread()`" + `) runs only on the thread it names.

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
- [What tdlint assumes about TouchDesigner's threads](https://github.com/tdlint/tdlint/blob/main/docs/td-threading.md)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachWorkerAccess(pass, func(fn *analyzer.Function, a analyzer.TDAccess) {
			if a.ThreadManager || a.RunCall || a.Captured || a.Output || a.Passed {
				return // TD102, TD304, TD103 and TD106 report these
			}
			report(pass, a.Node, workerChain(pass.Program, fn), "`%s` touches TouchDesigner from %s; pass plain values in and results out through a hook or queue", a.What, startedBy(pass.Program, fn))
		})
		return nil
	},
}
