package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// HookSignature reports TDTask hooks that cannot accept the arguments TD
// calls them with.
var HookSignature = &analyzer.Analyzer{
	Code:     "TD105",
	Name:     "hook-signature",
	Summary:  "a TDTask hook cannot accept the arguments TD passes it",
	Severity: analyzer.SeverityWarning,
	Doc: `# hook-signature (TD105)

## What it does
Checks the callables given as a TDTask's hooks against every way the ThreadManager is seen to call
them. TD does not document the arguments and sources disagree: TD's own ThreadManager example
writes ` + "`def on_refresh(task)`" + `, while working public code calls ` + "`RefreshHook`" + ` with nothing,
` + "`SuccessHook`" + ` with nothing or the target's result, and ` + "`ExceptHook`" + ` with the error. So a hook
is reported only when it fails under every convention: ` + "`SuccessHook`" + ` and ` + "`RefreshHook`" + ` with 0 or 1
positional argument, ` + "`ExceptHook`" + ` with 1 or 2. ` + "`*args`" + ` accepts anything.

## Why is this bad
The hook fails with a ` + "`TypeError`" + ` inside TD's main-thread dispatch, after the work is done: the result
is lost and the error surfaces far from its cause.

## Example
` + "```python\ndef on_done(result, task, extra):   # TD105: no convention passes three arguments\n    op('out').text = result\n\ntm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=on_done))\n```" + `

## Use instead
Accept what TD may pass:
` + "```python\ndef on_done(*args):\n    op('out').text = results.get_nowait()\n```" + `

## Options
` + "`hook-arities`" + ` replaces the conventions for a hook, e.g. ` + "`hook-arities = { SuccessHook = [1] }`" + ` when
your TD build is known to pass the result.

## What it does not see
A hook reached through a value the model cannot resolve (a callable taken from a dict, a
` + "`getattr`" + ` result), a hook wrapped in a decorator that changes its signature, and a hook that fails for
another reason once called (TD105 checks only how many positional arguments it takes).

## References
- [TouchDesigner docs: ThreadManager Ext](https://docs.derivative.ca/ThreadManager_Ext) (the hooks; their arguments are not documented)
- [What tdlint assumes about the hooks' arguments](https://github.com/tdlint/tdlint/blob/main/docs/td-threading.md#a-task-and-its-hooks)
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		for _, ws := range prog.StartsIn(pass.File) {
			if !ws.IsTDTask || ws.In == nil || ws.In.File != pass.File {
				continue
			}
			for _, k := range ws.Site.Keywords {
				conventions, isHook := prog.Tables.HookArities[k.Arg]
				if !isHook || len(conventions) == 0 {
					continue
				}
				hook := prog.FunctionOf(ws.In, k.Value)
				if hook == nil {
					continue
				}
				lo, hi := positionalArity(hook)
				fits := false
				for _, want := range conventions {
					if hi != -2 && want >= lo && (hi < 0 || want <= hi) {
						fits = true
					}
				}
				if !fits {
					report(pass, k.Value, nil, "%s `%s` must accept %s; %s", k.Arg, hook.Name, args(conventions), takes(lo, hi))
				}
			}
		}
		return nil
	},
}

// args says how TD may call a hook.
func args(conventions []int) string {
	var parts []string
	for _, n := range conventions {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, " or ") + " positional arguments, the ways TD's ThreadManager is seen to call it"
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
