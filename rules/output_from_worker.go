package rules

import "github.com/tdlint/tdlint/analyzer"

// OutputFromWorker reports print() from code that a worker thread runs.
var OutputFromWorker = &analyzer.Analyzer{
	Code:     "TD106",
	Name:     "output-from-worker",
	Summary:  "print() from a worker thread writes to TouchDesigner's textport",
	Severity: analyzer.SeverityWarning,
	Doc: `# output-from-worker (TD106)

## What it does
Finds ` + "`print()`" + ` calls in code that a worker thread runs (a ThreadManager ` + "`TDTask`" + ` target, a
` + "`threading.Thread`" + `, an executor, and everything they call), wherever the print is written: a
helper module that never touches TouchDesigner still prints into TD's textport when TD code
runs it on a worker. The finding carries the chain from the place the thread starts.

## Why is this bad
TouchDesigner replaces ` + "`sys.stdout`" + ` and ` + "`sys.stderr`" + ` with its textport, a TouchDesigner object. A
print from another thread writes into it off the main thread: usually it works, sometimes the
output is interleaved or lost, and under load it can raise a THREAD CONFLICT. It is the most
common thread mistake in real TD code, and the least harmful, so it is a warning of its own
(TD101 is for the TD objects a worker touches): a team can choose its level.

## Example
` + "```python\ndef load():\n    print('loading model')        # TD106\n    return onnxruntime.InferenceSession(path)\n\ntm = op.TDResources.ThreadManager\ntm.EnqueueTask(tm.TDTask(target=load, SuccessHook=done))\n```" + `

## Use instead
Log through a logger that is safe in threads (the Logger COMP's ` + "`SafeLogger`" + `, Python's
` + "`logging`" + ` to a file), or hand messages back through the task's ` + "`InfoQueue`" + ` or a ` + "`queue.Queue`" + `
and print them on the main thread (in ` + "`RefreshHook`" + ` or ` + "`SuccessHook`" + `):
` + "```python\ndef load(task):\n    task.InfoQueue.put('loading model')\n    return onnxruntime.InferenceSession(path)\n\ndef refresh(task):\n    while not task.InfoQueue.empty():\n        print(task.InfoQueue.get())   # main thread\n```" + `

## What it does not see
A ` + "`print`" + ` rebound to something else, ` + "`sys.stdout.write`" + `, and logging handlers that write to
the textport.

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: Textport and DATs](https://docs.derivative.ca/Textport_and_DATs)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachWorkerAccess(pass, func(fn *analyzer.Function, a analyzer.TDAccess) {
			if !a.Output || !pass.Program.OutputCounts(fn) {
				return
			}
			report(pass, a.Node, workerChain(pass.Program, fn), "`print()` writes to TouchDesigner's textport from %s; send messages back through a queue or a thread-safe logger", startedBy(pass.Program, fn))
		})
		return nil
	},
}
