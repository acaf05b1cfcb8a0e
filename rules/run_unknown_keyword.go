package rules

import (
	"slices"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// RunUnknownKeyword reports misspelt keywords of run().
var RunUnknownKeyword = &analyzer.Analyzer{
	Code:     "TD302",
	Name:     "run-unknown-keyword",
	Summary:  "run() called with a keyword it does not accept",
	Severity: analyzer.SeverityError,
	Fix:      true,
	Doc: `# run-unknown-keyword (TD302)

## What it does
Finds keyword arguments of TouchDesigner's ` + "`run()`" + ` that it does not accept, such as the common
` + "`delayMilliseconds`" + ` for ` + "`delayMilliSeconds`" + `. Accepted: ` + "`" + `delayFrames, delayMilliSeconds, delayRef,
endFrame, fromOP, asParameter, group, wallTime` + "`" + `.

## Why is this bad
` + "`run()`" + ` passes unknown keywords on or rejects them; either way the intended delay does not happen.

## Example
` + "```python\nrun(fade_out, delayMilliseconds=500)     # TD302\n```" + `

## Use instead
` + "```python\nrun(fade_out, delayMilliSeconds=500)\n```" + `

## What it does not see
Keywords passed with ` + "`**kwargs`" + ` and calls of ` + "`run`" + ` through a value the model cannot resolve.

## Options
A safe fix renames the keyword when the intended one is unambiguous.

## References
- [TouchDesigner docs: td Module](https://docs.derivative.ca/Td_Module) (run())
- [TouchDesigner docs: Run Class](https://docs.derivative.ca/Run_Class)
`,
	Run: func(pass *analyzer.Pass) error {
		forEachRunCall(pass, func(_ *analyzer.Function, call *pyparse.Call) {
			for _, k := range call.Keywords {
				if k.Arg == "" || known(k.Arg) {
					continue
				}
				d := analyzer.Diagnostic{
					Range:    analyzer.Range{File: pass.File, Start: k.Pos(), End: k.Pos() + pyparse.Pos(len(k.Arg))},
					Analyzer: pass.Analyzer, Severity: pass.Analyzer.Severity,
					Message: "run() has no keyword `" + k.Arg + "`",
				}
				if s := closestKeyword(k.Arg); s != "" {
					d.Message += "; did you mean `" + s + "`?"
					d.SuggestedFixes = []analyzer.SuggestedFix{{
						Message: "Rename to `" + s + "`", Safe: true,
						TextEdits: []analyzer.TextEdit{{Range: d.Range, NewText: s}},
					}}
				}
				pass.Report(d)
			}
		})
		return nil
	},
}

func known(kw string) bool { return slices.Contains(analyzer.RunKeywords, kw) }

// closestKeyword finds the accepted keyword within two edits (ignoring case).
func closestKeyword(kw string) string {
	best, bestDist := "", 3
	for _, k := range analyzer.RunKeywords {
		if d := editDistance(strings.ToLower(kw), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
