package lsp

import (
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
	edit := func(edits []analyzer.TextEdit) *workspaceEdit {
		var tes []textEdit
		for _, e := range edits {
			tes = append(tes, textEdit{
				Range:   lspRange{Start: lspPosition(l.file.AST, e.Range.Start, enc), End: lspPosition(l.file.AST, e.Range.End, enc)},
				NewText: e.NewText,
			})
		}
		return &workspaceEdit{Changes: map[string][]textEdit{doc.uri: tes}}
	}
	for i := range l.findings {
		d, ld := &l.findings[i], l.lsp[i]
		if !overlaps(ld.Range, p.Range) {
			continue
		}
		if wanted(p.Context.Only, kindQuickFix) {
			for _, fix := range d.SuggestedFixes {
				if !sameFile(fix.TextEdits, l.file) {
					continue
				}
				out = append(out, codeAction{
					Title: fix.Message + " (" + d.Analyzer.Code + ")", Kind: kindQuickFix,
					Diagnostics: []diagnostic{ld}, IsPreferred: fix.Safe, Edit: edit(fix.TextEdits),
				})
			}
			if d.Analyzer != analyzer.SyntaxErrorAnalyzer && d.Analyzer != analyzer.InternalErrorAnalyzer {
				if e, ok := analyzer.NoqaEdit(l.file, d); ok {
					out = append(out, codeAction{
						Title: "Ignore " + d.Analyzer.Code + " on this line", Kind: kindQuickFix,
						Diagnostics: []diagnostic{ld}, Edit: edit([]analyzer.TextEdit{e}),
					})
				}
			}
		}
	}
	if wanted(p.Context.Only, kindFixAll) {
		if edits := analyzer.SafeEdits(l.file, l.findings); len(edits) > 0 {
			var tes []analyzer.TextEdit
			for _, e := range edits {
				tes = append(tes, analyzer.TextEdit{Range: analyzer.Range{File: l.file, Start: e.Start, End: e.End}, NewText: e.Text})
			}
			out = append(out, codeAction{Title: "Fix all tdlint findings with safe fixes", Kind: kindFixAll, Edit: edit(tes)})
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
	case doc.lint != nil && doc.lint.version == doc.version:
		f = doc.lint.file.AST
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
