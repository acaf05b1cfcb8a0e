package rules

import "github.com/tdlint/tdlint/analyzer"

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
		// The bodies phase found each function's blocking calls.
		for _, fn := range pass.Program.FunctionsIn(pass.File) {
			if fn.Context&analyzer.MainThread == 0 {
				continue
			}
			for _, b := range fn.Blocking {
				if !b.Only.RunsOn(analyzer.MainThread) {
					continue // under a guard the main thread does not pass
				}
				report(pass, b.Site, nil, "`%s` blocks TouchDesigner's main thread and freezes every frame while it waits; run it in a TDTask", b.Name)
			}
		}
		return nil
	},
}
