package analyzer

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// UnusedNoqaAnalyzer flags suppression comments that suppress nothing, as
// Ruff's RUF100 does. The driver runs it, since only the driver knows which
// suppressions were used.
var UnusedNoqaAnalyzer = &Analyzer{
	Code:     "TD900",
	Name:     "unused-noqa",
	Summary:  "a suppression comment suppresses nothing",
	Severity: SeverityWarning,
	Fix:      true,
	Doc: `# unused-noqa (TD900)

## What it does
Flags ` + "`# noqa: CODE`" + ` and ` + "`# tdlint: ignore[...]`" + ` comments, or codes in them,
that no longer suppress any finding, and codes that name no rule.

## Why is this bad
A stale suppression hides the next real bug on that line: after a refactor the
worker may touch TD again and nobody will hear of it.

## Example
` + "```python\nvalue = op('settings').par.Rate.eval()  # noqa: TD101\n```" + `

(in main-thread code, where TD101 never fires)

## Use instead
` + "```python\nvalue = op('settings').par.Rate.eval()\n```" + `

## Options
The fix (` + "`--fix`" + `) removes the unused codes, or the whole comment when none is left.
`,
}

var (
	noqaRE   = regexp.MustCompile(`(?i)#\s*noqa(?:\s*:\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*))?`)
	ignoreRE = regexp.MustCompile(`#\s*tdlint:\s*ignore\[([^\]]*)\]`)
	fileRE   = regexp.MustCompile(`^#\s*tdlint:\s*noqa(?:\s*:\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*))?\s*$`)
)

// suppression is one suppressing comment.
type suppression struct {
	comment   *pyparse.Comment
	line      int
	codes     []string // empty: everything
	fileLevel bool
	used      map[string]bool
	usedAny   bool
	// codesStart/codesEnd locate the code list in the file (for fixes).
	codesStart, codesEnd pyparse.Pos
}

func parseSuppressions(f *pyparse.File) []*suppression {
	var out []*suppression
	for _, c := range f.Comments {
		if !maySuppress(c.Text) {
			continue // most comments: no pattern to run
		}
		line := f.Position(c.Start).Line
		if m := fileRE.FindStringSubmatchIndex(c.Text); m != nil && strings.TrimSpace(f.Line(line)) == strings.TrimSpace(c.Text) {
			out = append(out, newSuppression(c, line, m, true))
			continue
		}
		if m := ignoreRE.FindStringSubmatchIndex(c.Text); m != nil {
			out = append(out, newSuppression(c, line, m, false))
			continue
		}
		if m := noqaRE.FindStringSubmatchIndex(c.Text); m != nil {
			out = append(out, newSuppression(c, line, m, false))
		}
	}
	return out
}

// maySuppress reports whether a comment's text could match a suppression
// pattern: each needs "tdlint", or "noqa" in any case.
func maySuppress(text string) bool {
	if strings.Contains(text, "tdlint") {
		return true
	}
	for i := 0; i+4 <= len(text); i++ {
		if c := text[i]; (c == 'n' || c == 'N') && strings.EqualFold(text[i:i+4], "noqa") {
			return true
		}
	}
	return false
}

func newSuppression(c *pyparse.Comment, line int, m []int, fileLevel bool) *suppression {
	s := &suppression{comment: c, line: line, fileLevel: fileLevel, used: make(map[string]bool)}
	if len(m) >= 4 && m[2] >= 0 {
		for _, code := range codeFields(c.Text[m[2]:m[3]]) {
			s.codes = append(s.codes, code.text)
		}
		s.codesStart, s.codesEnd = c.Start+pyparse.Pos(m[2]), c.Start+pyparse.Pos(m[3])
	}
	return s
}

// covers reports whether s suppresses a finding of a, marking it used.
func (s *suppression) covers(a *Analyzer) bool {
	if len(s.codes) == 0 {
		s.usedAny = true
		return true
	}
	for _, c := range s.codes {
		if Matches(a, []string{c}) {
			s.used[c] = true
			return true
		}
	}
	return false
}

// suppress drops the findings a comment suppresses and, when TD900 is
// selected, reports the suppressions that suppressed nothing.
func suppress(f *SourceFile, ds []Diagnostic, selected []*Analyzer) []Diagnostic {
	sups := parseSuppressions(f.AST)
	if len(sups) == 0 {
		return ds
	}
	byLine := make(map[int][]*suppression)
	var fileLevel []*suppression
	for _, s := range sups {
		if s.fileLevel {
			fileLevel = append(fileLevel, s)
		} else {
			byLine[s.line] = append(byLine[s.line], s)
		}
	}
	kept := ds[:0]
	for _, d := range ds {
		if d.Analyzer == InternalErrorAnalyzer || d.Analyzer == SyntaxErrorAnalyzer {
			kept = append(kept, d)
			continue
		}
		line := f.AST.Position(d.Range.Start).Line
		suppressed := false
		for _, s := range append(byLine[line], fileLevel...) {
			if s.covers(d.Analyzer) {
				suppressed = true
				break
			}
		}
		if !suppressed {
			kept = append(kept, d)
		}
	}
	if isSelected(selected, UnusedNoqaAnalyzer) {
		kept = append(kept, unusedSuppressions(f, sups, selected)...)
	}
	return kept
}

func unusedSuppressions(f *SourceFile, sups []*suppression, selected []*Analyzer) []Diagnostic {
	var out []Diagnostic
	for _, s := range sups {
		// A blanket noqa and other linters' codes (E501, C901) are shared
		// with Ruff, flake8 and friends: only tdlint's own are judged.
		var unused, keep []string
		for _, c := range s.codes {
			switch {
			case s.used[c] || !ownCode(c):
				keep = append(keep, c)
			case !knownCode(c, selected):
				unused = append(unused, c+" (unknown rule)")
			default:
				unused = append(unused, c)
			}
		}
		if len(unused) == 0 {
			continue
		}
		msg := "unused suppression: " + strings.Join(unused, ", ")
		if len(keep) == 0 {
			out = append(out, unusedDiagnostic(f, s, msg, s.comment.Start, s.comment.End(), ""))
		} else {
			out = append(out, unusedDiagnostic(f, s, msg, s.codesStart, s.codesEnd, strings.Join(keep, ", ")))
		}
	}
	return out
}

// ownCode reports whether a suppression code is tdlint's: TD plus digits, or
// a kebab-case rule name.
func ownCode(c string) bool {
	if len(c) > 2 && strings.EqualFold(c[:2], "TD") && strings.Trim(c[2:], "0123456789") == "" {
		return true
	}
	return strings.Contains(c, "-")
}

func knownCode(code string, selected []*Analyzer) bool {
	for _, a := range selected {
		if Matches(a, []string{code}) {
			return true
		}
	}
	return false
}

func unusedDiagnostic(f *SourceFile, s *suppression, msg string, start, end pyparse.Pos, replacement string) Diagnostic {
	editStart := start
	if replacement == "" {
		// Remove the whole comment and the spaces before it.
		for editStart > 0 && (f.AST.Src[editStart-1] == ' ' || f.AST.Src[editStart-1] == '\t') {
			editStart--
		}
	}
	return Diagnostic{
		Range:    Range{File: f, Start: s.comment.Start, End: s.comment.End()},
		Analyzer: UnusedNoqaAnalyzer,
		Severity: UnusedNoqaAnalyzer.Severity,
		Message:  msg,
		SuggestedFixes: []SuggestedFix{{
			Message:   "Remove unused suppression",
			Safe:      true,
			TextEdits: []TextEdit{{Range: Range{File: f, Start: editStart, End: end}, NewText: replacement}},
		}},
	}
}

// SuppressionCode is a rule code or name written in a suppression comment.
type SuppressionCode struct {
	Code       string
	Start, End pyparse.Pos
}

// SuppressionCodes lists the codes written in f's suppression comments,
// with their positions (the language server's hover shows their rules).
func SuppressionCodes(f *pyparse.File) []SuppressionCode {
	var out []SuppressionCode
	for _, s := range parseSuppressions(f) {
		for _, code := range codeFields(string(f.Src[s.codesStart:s.codesEnd])) {
			start := s.codesStart + pyparse.Pos(code.at)
			out = append(out, SuppressionCode{Code: code.text, Start: start, End: start + pyparse.Pos(len(code.text))})
		}
	}
	return out
}

// codeField is one code of a suppression's list, at its offset in it.
type codeField struct {
	text string
	at   int
}

// codeFields splits a suppression's code list at commas and blanks:
// `ignore[TD101 TD102]` names two rules, as `ignore[TD101, TD102]` does,
// not one called "TD101 TD102".
func codeFields(list string) []codeField {
	var out []codeField
	start := -1
	for i := 0; i <= len(list); i++ {
		sep := i == len(list) || list[i] == ',' || list[i] == ' ' || list[i] == '\t' || list[i] == '\v' || list[i] == '\f'
		switch {
		case sep && start >= 0:
			out = append(out, codeField{list[start:i], start})
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}

// NoqaEdit is the edit that suppresses d on its line: its code added to
// the line's `# noqa: ...` or `# tdlint: ignore[...]` list, or a new
// `# noqa: CODE` at the end of the line. There is none when the line ends
// inside a string, where a comment cannot go.
func NoqaEdit(f *SourceFile, d *Diagnostic) (TextEdit, bool) {
	if f == nil || f.AST == nil || d.Analyzer == nil {
		return TextEdit{}, false
	}
	line := f.AST.Position(d.Range.Start).Line
	for _, s := range parseSuppressions(f.AST) {
		if s.line == line && !s.fileLevel && len(s.codes) > 0 {
			return TextEdit{Range: Range{File: f, Start: s.codesEnd, End: s.codesEnd}, NewText: ", " + d.Analyzer.Code}, true
		}
	}
	end := f.AST.LineStart(line) + pyparse.Pos(len(strings.TrimRight(f.AST.Line(line), "\n")))
	inString := false
	pyparse.InspectBody(f.AST.Body, func(n pyparse.Node) bool {
		if inString || n.Pos() > end || n.End() <= end {
			return false // a node that does not span the line's end, nor do its children
		}
		switch c := n.(type) {
		case *pyparse.JoinedStr:
			inString = true
		case *pyparse.Constant:
			inString = c.Value.Kind == pyparse.ConstStr || c.Value.Kind == pyparse.ConstBytes
		}
		return !inString
	})
	if inString {
		return TextEdit{}, false
	}
	text := strings.TrimRight(f.AST.Line(line), " \t\n")
	if strings.HasSuffix(text, "\\") && !hasComment(f.AST, line) {
		// A backslash continues the line: nothing may follow it.
		return TextEdit{}, false
	}
	end = f.AST.LineStart(line) + pyparse.Pos(len(text))
	return TextEdit{Range: Range{File: f, Start: end, End: end}, NewText: "  # noqa: " + d.Analyzer.Code}, true
}

// hasComment reports whether a comment starts on line (the backslash at
// the end of `x = 1  # a \` is the comment's).
func hasComment(f *pyparse.File, line int) bool {
	start, end := f.LineStart(line), f.LineStart(line)+pyparse.Pos(len(f.Line(line)))
	i, _ := slices.BinarySearchFunc(f.Comments, start, func(c *pyparse.Comment, p pyparse.Pos) int { return int(c.Start) - int(p) })
	return i < len(f.Comments) && f.Comments[i].Start < end
}

// SafeEdits are the edits --fix would make to f for ds in one pass.
func SafeEdits(f *SourceFile, ds []Diagnostic) []pyparse.Edit {
	edits, _ := chooseEdits(f, ds, false)
	return edits
}
