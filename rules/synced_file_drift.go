package rules

import (
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// SyncedFileDrift reports a .py a DAT is synced to whose text differs
// from the DAT's copy in its toeexpand tree.
var SyncedFileDrift = &analyzer.Analyzer{
	Code:     "TD002",
	Name:     "synced-file-drift",
	Summary:  "a DAT synced to this file holds a different text in the network",
	Severity: analyzer.SeverityWarning,
	Doc: `# synced-file-drift (TD002)

## What it does
In a toeexpand tree, a Text or Execute DAT whose ` + "`file`" + ` parameter names a ` + "`.py`" + ` (with Sync to
File or Load on Start on) runs that file's text: tdlint lints the ` + "`.py`" + ` as the DAT, with the
DAT's thread context. When the tree also holds the DAT's own copy of its text (its ` + "`.text`" + `)
and that copy differs from the file, this rule reports it at the first line that differs.

## Why is this bad
The network and the repository disagree about the DAT's code: the ` + "`.toe`" + ` was saved with one
text, and the file under review is another. Whichever TD loads last wins — the file, when
the DAT syncs or loads on start; the saved copy, until then or when the file is missing on
another machine. Either the review reads code TD does not run, or the project runs code
nobody reviewed.

## Example
` + "```text\nproject.toe.dir/project1/parexec1.parm   file 48 \"\" f'scripts/{me.name}.py'  (loadonstart on)\nproject.toe.dir/project1/parexec1.text   def onValueChange(par, prev): ... (an old version)\nscripts/parexec1.py                      def onValueChange(par, prev): ... # TD002\n```" + `

## Use instead
Save the project in TouchDesigner after the file changed (its copy then matches), or re-run
` + "`toeexpand`" + ` on the saved ` + "`.toe`" + `, so that both hold the text the DAT runs.

## What it does not see
A ` + "`file`" + ` parameter tdlint cannot evaluate (an expression other than string constants, f-strings
and ` + "`+`" + ` of ` + "`me.name`" + ` or ` + "`me.parent().name`" + `), a file outside the project's folder, and an empty
copy (TD 2025.30280 and later save none for an untouched DAT). Line endings are not
compared.

## References
- [TouchDesigner docs: Text DAT](https://docs.derivative.ca/Text_DAT) (File, Sync to File, Load on Start)
`,
	Run: func(pass *analyzer.Pass) error {
		f := pass.File
		if f.Embedded == nil || f.AST == nil {
			return nil
		}
		file := strings.ReplaceAll(string(f.AST.Src), "\r\n", "\n")
		copied := strings.ReplaceAll(string(f.Embedded.Text), "\r\n", "\n")
		if file == copied {
			return nil
		}
		line := firstDifferentLine(file, copied)
		what := "differs from line " + strconv.Itoa(line) + " on"
		if strings.HasPrefix(copied, file) {
			// The file ends where the copy goes on: its last line.
			line = strings.Count(strings.TrimRight(file, "\n"), "\n") + 1
			what = "goes on after this file's last line"
		}
		start, end := f.AST.LineStart(line), f.AST.LineStart(line)+pyparse.Pos(len(f.AST.Line(line)))
		pass.Report(analyzer.Diagnostic{
			Range:    analyzer.Range{File: f, Start: start, End: end},
			Analyzer: pass.Analyzer,
			Severity: pass.Analyzer.Severity,
			Message:  "DAT " + f.OpPath + " runs this file, and its copy in the network (" + f.Embedded.Path + ") " + what + "; save the project or re-expand it so that both hold the text TD runs",
		})
		return nil
	},
}

// firstDifferentLine is the 1-based line where two texts first differ.
func firstDifferentLine(a, b string) int {
	line := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			line++
		}
	}
	return line
}
