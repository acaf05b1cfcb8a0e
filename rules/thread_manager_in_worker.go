package rules

import "github.com/tdlint/tdlint/analyzer"

// ThreadManagerInWorker reports the ThreadManager used from a worker.
var ThreadManagerInWorker = &analyzer.Analyzer{
	Code:     "TD102",
	Name:     "thread-manager-in-worker",
	Summary:  "op.TDResources.ThreadManager used from a worker thread",
	Severity: analyzer.SeverityError,
	Doc: `# thread-manager-in-worker (TD102)

## What it does
Finds ` + "`op.TDResources.ThreadManager`" + ` (however it is reached or aliased) used in code that runs
on a worker thread — typically a task that tries to enqueue sub-tasks.

## Why is this bad
The ThreadManager is a COMP: reaching it from a worker is a THREAD CONFLICT like any other TD access,
and its queue is managed from the main thread.

## Example
` + "```python\ndef crawl(urls):\n    tm = op.TDResources.ThreadManager        # TD102\n    for u in urls:\n        tm.EnqueueTask(tm.TDTask(target=fetch, args=(u,)))\n```" + `

## Use instead
Start sub-tasks with plain Python threads inside the worker, or enqueue them from a main-thread hook:
` + "```python\ndef crawl(urls):\n    threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]\n    for t in threads: t.start()\n    for t in threads: t.join()\n```" + `

## What it does not see
The ThreadManager reached through a value the model cannot resolve (a dict, a ` + "`getattr`" + ` with a
computed name), or through a COMP path other than ` + "`op.TDResources.ThreadManager`" + ` (add it to the tables).

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachWorkerAccess(pass, func(fn *analyzer.Function, a analyzer.TDAccess) {
			if a.ThreadManager {
				report(pass, a.Node, workerChain(pass.Program, fn), "the ThreadManager is a TouchDesigner COMP and is used here from %s; start sub-tasks with threading.Thread", startedBy(pass.Program, fn))
			}
		})
		return nil
	},
}
