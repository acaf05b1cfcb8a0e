package rules

import (
	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// RunCallResult reports run(f(), ...): the function runs now, not later.
var RunCallResult = &analyzer.Analyzer{
	Code:     "TD301",
	Name:     "run-call-result",
	Summary:  "run() is given the result of a call instead of the callable",
	Severity: analyzer.SeverityError,
	Doc: `# run-call-result (TD301)

## What it does
Finds ` + "`run(f(), ...)`" + `: the first argument of TouchDesigner's ` + "`run()`" + ` is a call.

## Why is this bad
Python evaluates ` + "`f()`" + ` immediately, on this frame; ` + "`run()`" + ` then receives its return value
(usually ` + "`None`" + `) and the intended delay does nothing.

## Example
` + "```python\nrun(reset_sim(), delayFrames=10)      # TD301: resets now\n```" + `

## Use instead
` + "```python\nrun(reset_sim, delayFrames=10)\nrun(set_level, 0.5, delayFrames=10)   # arguments follow the callable\n```" + `

## What it does not see
` + "`run()`" + ` reached under another name the model cannot resolve (a callable from a container), and
a call whose result happens to be callable (a factory that returns a function) — the latter is not
reported, by design.

## References
- [TouchDesigner docs: td Module](https://docs.derivative.ca/Td_Module) (run())
- [TouchDesigner docs: Run Class](https://docs.derivative.ca/Run_Class)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachRunCall(pass, func(fn *analyzer.Function, call *pyparse.Call) {
			if len(call.Args) == 0 {
				return
			}
			inner, ok := call.Args[0].(*pyparse.Call)
			if !ok || returnsCallableOrString(pass.Program, fn, inner) {
				return
			}
			report(pass, inner, nil, "`%s` runs now and run() receives its result; pass the callable and its arguments: run(f, arg, delayFrames=...)", exprText(pass, inner))
		})
		return nil
	},
}

// returnsCallableOrString excludes calls whose result is meant for run():
// functools.partial, and string building for run's script form.
func returnsCallableOrString(prog *analyzer.Program, fn *analyzer.Function, call *pyparse.Call) bool {
	switch q := analyzer.TypeName(prog.Qualify(fn, call.Func)); q {
	case "functools.partial", "str", "repr":
		return true
	}
	switch f := call.Func.(type) {
	case *pyparse.Name:
		return f.ID == "partial" || f.ID == "str" || f.ID == "repr"
	case *pyparse.Attribute:
		switch f.Attr {
		case "format", "join", "replace", "strip", "format_map":
			return true
		}
	}
	return false
}

// forEachRunCall calls f for every call of TD's run() in the pass's file.
func forEachRunCall(pass *analyzer.Pass, f func(*analyzer.Function, *pyparse.Call)) {
	for _, fn := range pass.Program.FunctionsIn(pass.File) {
		for _, a := range fn.Accesses {
			if call, ok := a.Node.(*pyparse.Call); ok && a.RunCall {
				f(fn, call)
			}
		}
	}
}
