package rules

import "github.com/tdlint/tdlint/analyzer"

// RunFromWorker reports td.run() called from a worker thread.
var RunFromWorker = &analyzer.Analyzer{
	Code:     "TD304",
	Name:     "run-from-worker",
	Summary:  "run() called from a worker thread",
	Severity: analyzer.SeverityError,
	Doc: `# run-from-worker (TD304)

## What it does
Finds calls of TouchDesigner's ` + "`run()`" + ` in code that runs on a worker thread.

## Why is this bad
` + "`run()`" + ` schedules work on TD's main-thread run queue; calling it from another thread touches TD
(a THREAD CONFLICT) and has been seen to corrupt the queue silently.

## Example
` + "```python\ndef work(q):\n    data = compute()\n    run(lambda: show(data), delayFrames=1)   # TD304\n```" + `

## Use instead
Return the result and handle it in the task's ` + "`SuccessHook`" + `, or put it on a queue that a
main-thread ` + "`RefreshHook`" + ` or ` + "`onFrameStart`" + ` drains.

## What it does not see
` + "`run`" + ` reached through a value the model cannot resolve (` + "`getattr(td, 'run')`" + `, a dict of
callables), and workers started by library code the tables do not name. Code after
` + "`if callable(run): ...; return`" + ` is taken as an outside-TD fallback and not reported.

## References
- [TouchDesigner docs: td Module](https://docs.derivative.ca/Td_Module) (run())
- [TouchDesigner docs: Run Class](https://docs.derivative.ca/Run_Class)
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachWorkerAccess(pass, func(fn *analyzer.Function, a analyzer.TDAccess) {
			if a.RunCall {
				report(pass, a.Node, workerChain(pass.Program, fn), "run() is TouchDesigner's main-thread scheduler and is called here from %s", startedBy(pass.Program, fn))
			}
		})
		return nil
	},
}
