package analyzer

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextStyle is how the human formats (full, concise) look.
type TextStyle struct {
	// Color adds ANSI colours: severity, code, location, gutter, help.
	Color bool
}

// ANSI SGR sequences the human formats use.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrRed    = "\x1b[1;31m"
	sgrYellow = "\x1b[1;33m"
	sgrCyan   = "\x1b[1;36m"
	sgrBlue   = "\x1b[1;34m"
	sgrGreen  = "\x1b[1;32m"
	sgrDim    = "\x1b[2m"
)

func (s TextStyle) paint(sgr, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return sgr + text + sgrReset
}

func severityColor(sev Severity) string {
	switch sev {
	case SeverityInfo:
		return sgrCyan
	case SeverityWarning:
		return sgrYellow
	default:
		return sgrRed
	}
}

// Terminal escapes what a file may hold but a terminal must not receive:
// control characters (ESC could move the cursor, retitle the window or
// rewrite what was printed), bidirectional overrides (which make the
// shown line differ from the code, "Trojan Source") and invalid UTF-8.
// Each becomes a visible \xNN or \uNNNN; a tab stays a tab.
func Terminal(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteRune(r)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++ // printable ASCII, nearly every byte of a report: no table lookups
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || r != '\t' && unsafeRune(r) {
			return true
		}
		i += n
	}
	return false
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// writeNotes prints the notes (files whose Python could not be read, and
// why) after the findings.
func writeNotes(b *bufio.Writer, notes []Note) {
	for _, n := range notes {
		fmt.Fprintf(b, "%s: note: %s\n", Terminal(n.Path), Terminal(n.Message))
	}
}

// execTag is check --confirm's verdict on a finding, as a tag after its
// message ("" without --confirm).
func execTag(d Diagnostic, style TextStyle) string {
	if d.Execution == "" {
		return ""
	}
	return " " + style.paint(sgrDim, "["+d.Execution+"]")
}

// summary is the closing line of the human formats, as Ruff prints it.
func summary(b *bufio.Writer, ds []Diagnostic, style TextStyle) {
	if len(ds) == 0 {
		_, _ = b.WriteString(style.paint(sgrGreen, "All checks passed!") + "\n")
		return
	}
	_, _ = b.WriteString(style.paint(sgrBold, fmt.Sprintf("Found %d finding%s.", len(ds), plural(len(ds)))) + "\n")
	if n := fixable(ds); n > 0 {
		fmt.Fprintf(b, "%d fixable with --fix (see them first with --diff).\n", n)
	}
}

// The report writers write through a bufio.Writer, whose errors are
// sticky: Flush returns the first, so single writes are not checked.
func writeConcise(w io.Writer, ds []Diagnostic, notes []Note, style TextStyle) error {
	b := bufio.NewWriterSize(w, 64<<10)
	for _, d := range ds {
		p := Location(d.Range.File, d.Range.Start)
		sgr := severityColor(d.Severity)
		fmt.Fprintf(b, "%s: %s %s %s%s\n", style.paint(sgrBold, fmt.Sprintf("%s:%d:%d", Terminal(fileName(d.Range.File)), p.Line, p.Column)),
			style.paint(sgr, d.Analyzer.Code), style.paint(sgr, d.Severity.String()+":"), Terminal(d.Message), execTag(d, style))
	}
	writeNotes(b, notes)
	summary(b, ds, style)
	return b.Flush()
}

// writeFull prints each finding Ruff-style with its severity, its source
// line, a caret under the range, the chain of related locations, the fixes
// and the rule's documentation link.
func writeFull(w io.Writer, ds []Diagnostic, notes []Note, style TextStyle) error {
	b := bufio.NewWriterSize(w, 64<<10)
	for _, d := range ds {
		f := d.Range.File
		p := Location(f, d.Range.Start)
		sgr := severityColor(d.Severity)
		fmt.Fprintf(b, "%s: %s [%s] %s %s%s\n", style.paint(sgrBold, fmt.Sprintf("%s:%d:%d", Terminal(fileName(f)), p.Line, p.Column)),
			style.paint(sgr, d.Analyzer.Code), d.Analyzer.Name, style.paint(sgr, d.Severity.String()+":"), Terminal(d.Message), execTag(d, style))
		if f != nil && f.AST != nil {
			snippet(b, f, d, p.Line, sgr, style)
		}
		for _, r := range d.Related {
			rp := Location(r.Range.File, r.Range.Start)
			fmt.Fprintf(b, "  = %s:%d:%d: %s\n", Terminal(fileName(r.Range.File)), rp.Line, rp.Column, Terminal(r.Message))
		}
		for _, fix := range d.SuggestedFixes {
			safety := "unsafe fix"
			if fix.Safe {
				safety = "safe fix"
			}
			fmt.Fprintf(b, "  %s %s (%s)\n", style.paint(sgrCyan, "help:"), Terminal(fix.Message), safety)
		}
		if d.Analyzer.Code != "" {
			fmt.Fprintf(b, "  %s %s\n", style.paint(sgrCyan, "docs:"), style.paint(sgrDim, d.Analyzer.URL()))
		}
		_, _ = b.WriteString("\n")
	}
	if len(notes) > 0 {
		writeNotes(b, notes)
		_, _ = b.WriteString("\n")
	}
	summary(b, ds, style)
	return b.Flush()
}

// snippet prints the finding's source line under a gutter with a caret
// under its range. The line is escaped for the terminal, and the caret is
// placed and sized in the escaped text.
func snippet(b *bufio.Writer, f *SourceFile, d Diagnostic, diskLine int, sgr string, style TextStyle) {
	pos := f.AST.Position(d.Range.Start)
	src := f.AST.Line(pos.Line)
	start := min(max(pos.Col, 0), len(src))
	end := start
	if d.Range.End > d.Range.Start {
		endPos := f.AST.Position(d.Range.End)
		end = len(src)
		if endPos.Line == pos.Line {
			end = min(max(endPos.Col, start), len(src))
		}
	}
	show := func(s string) string { return Terminal(strings.ReplaceAll(s, "\t", " ")) }
	before, marked := show(src[:start]), show(src[start:end])
	width := max(utf8.RuneCountInString(marked), 1)
	gutter := strconv.Itoa(diskLine)
	pad := strings.Repeat(" ", len(gutter))
	bar := style.paint(sgrBlue, "|")
	fmt.Fprintf(b, "%s %s\n%s %s %s\n%s %s %s%s\n", pad, bar, style.paint(sgrBlue, gutter), bar, show(src),
		pad, bar, strings.Repeat(" ", utf8.RuneCountInString(before)), style.paint(sgr, strings.Repeat("^", width)))
}
