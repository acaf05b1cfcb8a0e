package rules

import (
	"slices"
	"strings"

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

A parameter expression (a toeexpand ` + "`.parm`" + ` row, a TDN ` + "`=expr`" + ` or ` + "`~bind`" + `) that calls code
which waits is reported at the parameter too, with the wait as related information: TD evaluates the
expression on the main thread every cook that needs it, and the parameter is what to change.

Arguments count: ` + "`get(block=False)`, `get(timeout=0)`, `join(timeout=0)`, `wait(0)`, `shutdown(wait=False)`" + `
return at once and are not reported; nor are a UDP socket's ` + "`connect`/`sendto`" + `, nor calls on a socket the
program sets non-blocking (` + "`setblocking(False)`, `settimeout(0)`" + `). ` + "`socketserver`/`http.server`" + `
servers' ` + "`shutdown()`" + ` (it waits for ` + "`serve_forever`" + ` and the request being handled) and an
opener's ` + "`open()`" + ` are. A modal dialog (` + "`ui.messageBox`" + `, ` + "`ui.chooseFile`" + `) is reported only in code
TD runs on its own — per frame, on a cook, on network or data events, in a RefreshHook — not in code a
user's click runs (parameter and pulse callbacks, extension methods), where waiting for the answer is
the point.

## Why is this bad
TD cooks every frame on its main thread. While a call waits there, TD renders nothing and the UI
freezes: a 200 ms HTTP request drops twelve frames at 60 fps.

## Example
` + "```python\ndef onPulse(par):\n    data = requests.get(URL).json()      # TD201\n    op('out').text = data['text']\n```" + `

## Use instead
Run the wait in a ` + "`TDTask`" + ` and touch TD in its ` + "`SuccessHook`" + `; drain queues with
` + "`get_nowait()`" + ` or ` + "`get(block=False)`" + `:
` + "```python\ndef onPulse(par):\n    tm = op.TDResources.ThreadManager\n    tm.EnqueueTask(tm.TDTask(target=lambda: requests.get(URL).json(), SuccessHook=show))\n```" + `

## What it does not see
A wait inside a library the project does not hold (a client library that sleeps inside its own
call), a socket whose type is decided at run time, and a call whose receiver the model cannot type
(a value read from a container, a factory function's result) are not reported. Tables of blocking
calls are extendable with the ` + "`blocking-calls`" + ` configuration key.

## References
- [TouchDesigner docs: Thread Manager](https://docs.derivative.ca/Thread_Manager)
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext)
`,
	Run: func(pass *analyzer.Pass) error {
		if pass.File.HoldsParameterExpressions() {
			parameterExpressionsWait(pass)
		}
		// The bodies phase found each function's blocking calls.
		for _, fn := range pass.Program.FunctionsIn(pass.File) {
			if fn.Context&analyzer.MainThread == 0 {
				continue
			}
			for _, b := range fn.Blocking {
				if !b.Only.RunsOn(analyzer.MainThread) {
					continue // under a guard the main thread does not pass
				}
				if strings.HasPrefix(b.Name, "socket.") && nonBlockingSocket(pass.Program, fn, b.Site) {
					continue
				}
				if pass.Program.Tables.Modal[b.Name] {
					if fn.Unattended {
						report(pass, b.Site, nil, "`%s` opens a modal dialog in code TD runs on its own (every frame, a cook or an event): the main thread freezes until someone clicks; show the state in the UI instead", b.Name)
					}
					continue
				}
				report(pass, b.Site, nil, "`%s` blocks TouchDesigner's main thread and freezes every frame while it waits; run it in a TDTask", b.Name)
			}
		}
		return nil
	},
}

// parameterExpressionsWait reports, at the parameter's own line, each
// call a parameter expression makes (TD evaluates it on the main thread,
// every cook that needs it) into code that waits: the wait itself is
// reported where it is, but the parameter is what to change.
func parameterExpressionsWait(pass *analyzer.Pass) {
	seen := map[*analyzer.Function]*waitSite{}
	for _, fn := range pass.Program.FunctionsIn(pass.File) {
		for _, e := range fn.Calls {
			if e.Callee == nil || !e.Only.RunsOn(analyzer.MainThread) {
				continue
			}
			w := waitsIn(pass.Program, e.Callee, seen)
			if w == nil {
				continue
			}
			related := []analyzer.RelatedInformation{{Range: analyzer.Range{File: w.fn.File, Start: w.call.Pos(), End: w.call.End()}, Message: "it waits here, in `" + w.fn.Name + "`"}}
			report(pass, e.Site, related, "this parameter expression calls `%s`, which waits (`%s`): TD evaluates it on the main thread, and every frame that cooks it freezes; compute the value in a TDTask and let the expression read the result", e.Callee.Name, w.name)
		}
	}
}

// waitSite is a blocking call a function makes or reaches.
type waitSite struct {
	fn   *analyzer.Function
	call *pyparse.Call
	name string
}

// noWait marks a function known not to wait (and one being looked at, so
// recursion ends).
var noWait = &waitSite{}

// waitsIn finds a blocking call fn makes on the main thread, or one of the
// functions it calls does; nil for none.
func waitsIn(prog *analyzer.Program, fn *analyzer.Function, seen map[*analyzer.Function]*waitSite) *waitSite {
	if w, ok := seen[fn]; ok {
		if w == noWait {
			return nil
		}
		return w
	}
	seen[fn] = noWait
	for _, b := range fn.Blocking {
		quiet := strings.HasPrefix(b.Name, "socket.") && nonBlockingSocket(prog, fn, b.Site)
		if b.Only.RunsOn(analyzer.MainThread) && !prog.Tables.Modal[b.Name] && !quiet {
			w := &waitSite{fn: fn, call: b.Site, name: b.Name}
			seen[fn] = w
			return w
		}
	}
	for _, e := range fn.Calls {
		if e.Callee == nil || !e.Only.RunsOn(analyzer.MainThread) {
			continue
		}
		if w := waitsIn(prog, e.Callee, seen); w != nil {
			seen[fn] = w
			return w
		}
	}
	return nil
}

// nonBlockingSocket reports a socket call whose receiver the program sets
// non-blocking somewhere (setblocking(False), settimeout(0)): the same
// variable, a global or an attribute of the same class.
func nonBlockingSocket(prog *analyzer.Program, fn *analyzer.Function, site *pyparse.Call) bool {
	attr, ok := site.Func.(*pyparse.Attribute)
	if !ok {
		return false
	}
	keys, _ := prog.Memo("TD201.nonBlockingSockets", func() any { return nonBlockingSockets(prog) }).(map[string]bool)
	return keys[receiverKey(prog, fn, attr.Value)]
}

// receiverKey names a receiver the same way wherever it is used: self.x
// by its class, another name by the function that holds the variable.
func receiverKey(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) string {
	switch x := e.(type) {
	case *pyparse.Name:
		if owner := prog.BindingOwner(fn, x.ID); owner != nil {
			return owner.File.Name + ":" + owner.Name + ":" + x.ID
		}
	case *pyparse.Attribute:
		if n, ok := x.Value.(*pyparse.Name); ok && n.ID == "self" && fn.Class != nil {
			return fn.File.Name + ":class " + fn.Class.Name + ":" + x.Attr
		}
	}
	return ""
}

func nonBlockingSockets(prog *analyzer.Program) map[string]bool {
	keys := make(map[string]bool)
	for _, fn := range prog.Functions {
		analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
			call, ok := n.(*pyparse.Call)
			if !ok || len(call.Args) != 1 {
				return true
			}
			attr, ok := call.Func.(*pyparse.Attribute)
			if !ok || !slices.Contains(analyzer.NonBlockingSocketSetters, attr.Attr) {
				return true
			}
			if analyzer.FalseOrZero(call.Args[0]) {
				if k := receiverKey(prog, fn, attr.Value); k != "" {
					keys[k] = true
				}
			}
			return true
		})
	}
	return keys
}
