package lsp

import (
	"path/filepath"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// codeActions offers, for each finding under the cursor, its rule's fixes
// and "ignore on this line" (a `# noqa: CODE`), and for the document the
// fix-all of every safe fix.
func (s *server) codeActions(p *codeActionParams) []codeAction {
	path, err := uriToPath(p.TextDocument.URI)
	out := []codeAction{}
	if err != nil {
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.currentLint(path)
	if l == nil {
		return out
	}
	doc, enc := s.docs[path], s.enc
	// edit is a fix's edits as edits of the document: for a DAT of a
	// .tdn, the rewrite of its dat_content --fix would write; nil when
	// they cannot be written there.
	edit := func(f *analyzer.SourceFile, edits []analyzer.TextEdit) *workspaceEdit {
		mapped, err := analyzer.DiskEdits(f, edits)
		if err != nil || len(mapped) == 0 {
			return nil
		}
		tes := make([]textEdit, 0, len(mapped))
		for _, e := range mapped {
			tes = append(tes, textEdit{Range: lspRange{Start: docPosition(e.Start, enc), End: docPosition(e.End, enc)}, NewText: e.Text})
		}
		return &workspaceEdit{Changes: map[string][]textEdit{doc.uri: tes}}
	}
	for i := range l.findings {
		d, ld := &l.findings[i], l.lsp[i]
		f := d.Range.File
		if !overlaps(ld.Range, p.Range) {
			continue
		}
		if wanted(p.Context.Only, kindQuickFix) {
			for _, fix := range d.SuggestedFixes {
				if !sameFile(fix.TextEdits, f) {
					continue
				}
				if e := edit(f, fix.TextEdits); e != nil {
					out = append(out, codeAction{
						Title: fix.Message + " (" + d.Analyzer.Code + ")", Kind: kindQuickFix,
						Diagnostics: []diagnostic{ld}, IsPreferred: fix.Safe, Edit: e,
					})
				}
			}
			if d.Analyzer != analyzer.SyntaxErrorAnalyzer && d.Analyzer != analyzer.InternalErrorAnalyzer {
				if ne, ok := analyzer.NoqaEdit(f, d); ok {
					if e := edit(f, []analyzer.TextEdit{ne}); e != nil {
						out = append(out, codeAction{
							Title: "Ignore " + d.Analyzer.Code + " on this line", Kind: kindQuickFix,
							Diagnostics: []diagnostic{ld}, Edit: e,
						})
					}
				}
			}
		}
	}
	if wanted(p.Context.Only, kindFixAll) {
		var all []textEdit
		for _, f := range l.files {
			var tes []analyzer.TextEdit
			for _, e := range analyzer.SafeEdits(f, l.findings) {
				tes = append(tes, analyzer.TextEdit{Range: analyzer.Range{File: f, Start: e.Start, End: e.End}, NewText: e.Text})
			}
			if e := edit(f, tes); e != nil {
				all = append(all, e.Changes[doc.uri]...)
			}
		}
		if len(all) > 0 {
			out = append(out, codeAction{Title: "Fix all tdlint findings with safe fixes", Kind: kindFixAll, Edit: &workspaceEdit{Changes: map[string][]textEdit{doc.uri: all}}})
		}
	}
	return out
}

// wanted applies a request's "only" filter: a kind is wanted when it is, or
// is under, one of the kinds asked for (or when none is named).
func wanted(only []string, kind string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

func sameFile(edits []analyzer.TextEdit, f *analyzer.SourceFile) bool {
	for _, e := range edits {
		if e.Range.File != f {
			return false
		}
	}
	return len(edits) > 0
}

// overlaps reports whether two ranges share a line: the actions of a
// finding are offered anywhere on its lines, as its noqa is.
func overlaps(a, b lspRange) bool { return a.Start.Line <= b.End.Line && b.Start.Line <= a.End.Line }

// hover shows, over a code in a `# noqa:` or `# tdlint: ignore[...]`
// comment, the documentation of the rule it names.
func (s *server) hover(p *hoverParams) *hover {
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	doc, enc := s.docs[path], s.enc
	var f *pyparse.File
	switch {
	case doc == nil, s.tooLarge[path]:
		// An oversized document is not parsed, for hovers either.
	case analyzer.HoldsPython(path) && !strings.EqualFold(filepath.Ext(path), ".py"):
		// A .tdn, .text or .parm is not Python line for line.
	case doc.lint != nil && doc.lint.version == doc.version && len(doc.lint.files) == 1:
		f = doc.lint.files[0].AST
	default:
		// Hovering needs the comments only: parse, do not lint.
		f = pyparse.ParseFile(path, doc.text, pyparse.Config{Decoded: true})
	}
	s.mu.Unlock()
	if f == nil || s.opts.Lookup == nil {
		return nil
	}
	at := parsedOffset(f, p.Position, enc)
	for _, c := range analyzer.SuppressionCodes(f) {
		if at < c.Start || at > c.End {
			continue
		}
		a := s.opts.Lookup(c.Code)
		if a == nil {
			a = lookupFold(s.opts.Rules, c.Code)
		}
		if a == nil {
			return &hover{Contents: markupContent{Kind: "markdown", Value: "`" + c.Code + "` is not a tdlint rule."}}
		}
		r := lspRange{Start: lspPosition(f, c.Start, enc), End: lspPosition(f, c.End, enc)}
		return &hover{Contents: markupContent{Kind: "markdown", Value: a.Doc + "\n[Documentation](" + a.URL() + ")\n"}, Range: &r}
	}
	return nil
}

// lookupFold finds a rule by a code written in another case ("td101").
func lookupFold(all []*analyzer.Analyzer, code string) *analyzer.Analyzer {
	for _, a := range all {
		if strings.EqualFold(a.Code, code) {
			return a
		}
	}
	return nil
}
