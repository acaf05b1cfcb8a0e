package rules

import (
	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// RunStringSyntaxError reports run("...") scripts that do not parse.
var RunStringSyntaxError = &analyzer.Analyzer{
	Code:     "TD303",
	Name:     "run-string-syntax-error",
	Summary:  "the script string given to run() is not valid Python",
	Severity: analyzer.SeverityError,
	Doc: `# run-string-syntax-error (TD303)

## What it does
Parses the script string given to TouchDesigner's ` + "`run()`" + ` and reports a syntax error in it.

## Why is this bad
TD compiles the string only when the delay expires: the error surfaces frames or seconds later, far
from the line that caused it, or never in testing.

## Example
` + "```python\nrun(\"op('fader').par.Value0 = \", delayFrames=30)     # TD303\n```" + `

## Use instead
Pass a callable, which Python checks when the file loads:
` + "```python\nrun(lambda: setattr(op('fader').par, 'Value0', 0), delayFrames=30)\n```" + `

## What it does not see
Strings built at run time (f-strings, concatenation, ` + "`%`" + ` formatting) are not compiled; nor are
strings passed through a variable the model cannot resolve to one literal.

## References
- [TouchDesigner docs: td Module](https://docs.derivative.ca/Td_Module) (run())
- [TouchDesigner docs: Run Class](https://docs.derivative.ca/Run_Class)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachRunCall(pass, func(_ *analyzer.Function, call *pyparse.Call) {
			if len(call.Args) == 0 {
				return
			}
			c, ok := call.Args[0].(*pyparse.Constant)
			if !ok || c.Value.Kind != pyparse.ConstStr {
				return
			}
			script := pyparse.ParseFile("<run>", []byte(c.Value.Str), pyparse.Config{Version: pass.File.AST.Version()})
			if len(script.Errors) > 0 {
				e := script.Errors[0]
				report(pass, c, nil, "the script passed to run() does not parse: %s (script line %d)", e.Msg, e.Line)
			}
		})
		return nil
	},
}
