package rules

import (
	"fmt"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// hookArity is how many positional arguments TD passes each TDTask hook
// (shared/spec/td-threading.md, observed in working public code).
var hookArity = map[string]int{"SuccessHook": 0, "ExceptHook": 1, "RefreshHook": 0}

// HookSignature reports TDTask hooks that cannot accept the arguments TD
// calls them with.
var HookSignature = &analyzer.Analyzer{
	Code:     "TD105",
	Name:     "hook-signature",
	Summary:  "a TDTask hook cannot accept the arguments TD passes it",
	Severity: analyzer.SeverityWarning,
	Doc: `# hook-signature (TD105)

## What it does
Checks the callables given as a TDTask's hooks against how the ThreadManager calls them: ` + "`SuccessHook`" + `
and ` + "`RefreshHook`" + ` with no arguments, ` + "`ExceptHook`" + ` with one (the error). A hook that requires more
parameters, or accepts fewer, is reported; ` + "`*args`" + ` accepts anything.

## Why is this bad
The hook fails with a ` + "`TypeError`" + ` inside TD's main-thread dispatch, after the work is done: the result
is lost and the error surfaces far from its cause.

## Example
` + "```python\ndef on_done(result):            # TD105: SuccessHook is called with no arguments\n    op('out').text = result\n\ntm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=on_done))\n```" + `

## Use instead
Return results through state the hook reads, or accept what TD passes:
` + "```python\ndef on_done(*args):\n    op('out').text = results.get_nowait()\n```" + `

## References
- shared/spec/td-threading.md (hook arguments)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		for _, ws := range prog.StartsIn(pass.File) {
			if !ws.IsTDTask || ws.In == nil || ws.In.File != pass.File {
				continue
			}
			for _, k := range ws.Site.Keywords {
				want, isHook := hookArity[k.Arg]
				if !isHook {
					continue
				}
				hook := prog.FunctionOf(ws.In, k.Value)
				if hook == nil {
					continue
				}
				lo, hi := positionalArity(hook)
				if hi == -2 || want < lo || (hi >= 0 && want > hi) {
					report(pass, k.Value, nil, "%s `%s` must accept %s; %s", k.Arg, hook.Name, args(want), takes(lo, hi))
				}
			}
		}
		return nil
	},
}

// args says how TD calls a hook.
func args(n int) string {
	if n == 0 {
		return "no arguments, TD's ThreadManager calls it with none"
	}
	return fmt.Sprintf("%d positional argument%s, TD's ThreadManager passes %d", n, plural(n), n)
}

// takes says what a hook's signature asks for.
func takes(lo, hi int) string {
	switch {
	case hi == -2:
		return "it takes keyword-only arguments without defaults"
	case lo == hi || hi == -1:
		if lo == 0 {
			return "it takes none"
		}
		return fmt.Sprintf("it requires %d", lo)
	default:
		return fmt.Sprintf("it takes %d to %d", lo, hi)
	}
}

// positionalArity returns how many positional arguments fn requires and
// accepts (-1: any), not counting a bound method's self.
func positionalArity(fn *analyzer.Function) (required, accepted int) {
	var args *pyparse.Arguments
	switch n := fn.Node.(type) {
	case *pyparse.FunctionDef:
		args = n.Args
	case *pyparse.Lambda:
		args = n.Args
	}
	if args == nil {
		return 0, 0
	}
	params := len(args.PosOnlyArgs) + len(args.Args)
	required = params - len(args.Defaults)
	if fn.Class != nil && params > 0 {
		params--
		required--
	}
	accepted = params
	if args.Vararg != nil {
		accepted = -1
	}
	for i, d := range args.KwDefaults {
		if d == nil && i < len(args.KwOnlyArgs) {
			return required, -2 // a required keyword-only parameter: never satisfiable
		}
	}
	return max(required, 0), accepted
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
