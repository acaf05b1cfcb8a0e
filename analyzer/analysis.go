// Package analyzer loads a TouchDesigner project's Python, builds the
// whole-program model (scopes, imports, call graph, thread contexts) and runs
// the rules over it.
package analyzer

import (
	"github.com/tdlint/tdlint/pyparse"
)

// This file is the contract between the driver, the program model and the
// rules. It follows golang.org/x/tools/go/analysis: an Analyzer is data, a
// Pass hands it one file plus the whole-program model, and the driver owns
// ordering, suppression and output.

// Severity is a diagnostic's level.
type Severity int

// Severities, lowest first; --fail-level compares against these.
const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	default:
		return "error"
	}
}

// Analyzer is one rule: its identity, its documentation and its check.
type Analyzer struct {
	// Code is the stable short code users select and suppress ("TD101").
	Code string
	// Name is the kebab-case name ("td-access-in-worker"), also accepted
	// wherever a code is.
	Name string
	// Summary is one line, shown in listings.
	Summary string
	// Doc is the Markdown documentation printed by `tdlint rule CODE`, with
	// the sections What it does / Why is this bad / Example / Use instead
	// (and Options / References where they apply).
	Doc string
	// Severity is the default severity of its diagnostics.
	Severity Severity
	// Fix says whether the rule offers safe fixes applied by --fix.
	Fix bool
	// Run checks one file and reports through pass.Report.
	Run func(pass *Pass) error
}

// URL is where the rule's documentation lives; diagnostics link to it.
func (a *Analyzer) URL() string {
	return DocsBaseURL + a.Code
}

// DocsBaseURL is the prefix of every rule's documentation page.
const DocsBaseURL = "https://github.com/tdlint/tdlint/blob/main/docs/rules.md#"

// SourceFile is one unit of Python to lint: a .py file, a DAT of a toeexpand
// tree or of a TDN file, or stdin.
type SourceFile struct {
	// Name is how the file is shown to users: a path relative to the working
	// directory, or for a DAT "<tree path>:<operator path>".
	Name string
	// DiskPath is the file that holds the text on disk ("" for stdin).
	DiskPath string
	// OpPath is the TouchDesigner operator path for a DAT ("/project1/base1/text1"), else "".
	OpPath string
	// ModuleName is the name other code imports it by (a DAT's name, a
	// .py file's dotted module path).
	ModuleName string
	// AST is the parsed file; AST.Src is the text positions refer to.
	AST *pyparse.File
	// DiskLineOffset is added to AST line numbers to get the line in
	// DiskPath (non-zero when the text sits behind a header in the file).
	DiskLineOffset int
	// CallbacksOf says whose callbacks a DAT holds ("DAT:parexec",
	// "docked to webserver1"), "" when it holds none: TD calls its
	// top-level functions on the main thread whatever their names.
	CallbacksOf string
	// DiskLines, when set, places each line of the text in DiskPath
	// instead of DiskLineOffset: a DAT's text inside a .tdn file, a YAML
	// block scalar or a JSON string.
	DiskLines []DiskLine
	// ExtensionClasses are the classes of this DAT that a COMP's
	// extension parameter makes TD extensions.
	ExtensionClasses []string
	// Embedded is the DAT's own text in its toeexpand tree when this
	// file is the .py the DAT is synced to, nil otherwise.
	Embedded *EmbeddedCopy

	// What DiskPosition and DiskEdits map through: the bytes of the file
	// that held the text, where the text starts in them, the place of a
	// .tdn DAT, and why the file must not be edited ("" if it may).
	disk      []byte
	textStart int
	tdn       *tdnText
	noFix     string
}

// DiskLine is where one line of a text sits in the file that holds it:
// the line, and the 1-based column its first character is at. An
// escaped line (a JSON or quoted YAML string) does not hold the text
// character for character: every position on it is reported at Column.
type DiskLine struct {
	Line, Column int
	Escaped      bool
}

// Position is a resolved location for output: 1-based line, 1-based UTF-8
// column (as Ruff prints), and 0-based UTF-16 column (as LSP wants).
type Position struct {
	Line     int
	Column   int
	Column16 int
}

// Range is a span of a file.
type Range struct {
	File       *SourceFile
	Start, End pyparse.Pos
}

// RelatedInformation points at another place that explains a diagnostic:
// the enqueue site of a worker, a step of a call chain.
type RelatedInformation struct {
	Range   Range
	Message string
}

// TextEdit replaces [Start, End) of a file with NewText.
type TextEdit struct {
	Range   Range
	NewText string
}

// SuggestedFix is one way to fix a diagnostic; Safe fixes are applied by --fix.
type SuggestedFix struct {
	Message   string
	TextEdits []TextEdit
	Safe      bool
}

// Diagnostic is one finding.
type Diagnostic struct {
	Range    Range
	Analyzer *Analyzer
	Severity Severity
	Message  string
	// Related are secondary locations; for thread conflicts, the chain from
	// the worker entry point to the access, enqueue site first.
	Related        []RelatedInformation
	SuggestedFixes []SuggestedFix
	// Execution is what `check --confirm` saw when it ran the code on the
	// reference runtime: ExecConfirmed, ExecNotReached or ExecNotRun ("":
	// not confirmed by execution).
	Execution string
}

// The verdicts of `check --confirm` on a finding.
const (
	// ExecConfirmed: the runtime observed the finding's problem, of its
	// rule's cause, at its line (or caused there).
	ExecConfirmed = "confirmed"
	// ExecNotReached: the simulation ran, and never executed the line.
	ExecNotReached = "not-reached"
	// ExecNotRun: the line executed and the problem did not happen, or
	// the rule predicts nothing the runtime can observe, or the file
	// could not be simulated.
	ExecNotRun = "not-run"
)

// Pass is what an Analyzer's Run receives: one file, the program it belongs
// to, and a way to report.
type Pass struct {
	Analyzer *Analyzer
	File     *SourceFile
	// Program is the whole-program model (all files of the run), shared and
	// read-only during Run.
	Program *Program
	Report  func(Diagnostic)
}

// Reportf reports a diagnostic at [start, end) of the pass's file with the
// analyzer's default severity.
func (p *Pass) Reportf(start, end pyparse.Pos, format string, args ...any) {
	p.Report(Diagnostic{
		Range:    Range{File: p.File, Start: start, End: end},
		Analyzer: p.Analyzer,
		Severity: p.Analyzer.Severity,
		Message:  sprintf(format, args...),
	})
}
