package lsp

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/tdlint/tdlint/analyzer"
)

// docLint is the lint of one version of an open document.
type docLint struct {
	version  int
	resultID string
	// files are the document's units: one for a .py or a DAT's .text,
	// the DATs and parameter expressions of a .tdn.
	files    []*analyzer.SourceFile
	findings []analyzer.Diagnostic
	lsp      []diagnostic
}

// lintLoop lints the open documents whenever something changed. Changes
// that arrive during a lint are merged into the next one, so a burst of
// keystrokes costs one lint after the one in progress, never a queue.
func (s *server) lintLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		wait := s.debounce
		s.mu.Unlock()
		if wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			select {
			case <-s.wake:
			default:
			}
		}
		if !s.awaitIndex(ctx) {
			return
		}
		s.lintOpen(ctx)
	}
}

// lintOpen lints every open document against the whole workspace (an edit
// to one module changes the findings of the files whose chains run through
// it) and tells the client about the documents whose findings changed.
func (s *server) lintOpen(ctx context.Context) {
	s.mu.Lock()
	if s.ws == nil {
		s.mu.Unlock()
		return
	}
	paths := make([]string, 0, len(s.docs))
	for p := range s.docs {
		paths = append(paths, p)
	}
	lints := s.lintLocked(paths)
	type publication struct {
		uri     string
		version int
		items   []diagnostic
	}
	var out []publication
	for path, l := range lints {
		doc := s.docs[path]
		if l.resultID == doc.published {
			continue
		}
		doc.published = l.resultID
		out = append(out, publication{doc.uri, doc.version, l.lsp})
	}
	pull, refresh := s.pull, s.refresh
	s.mu.Unlock()
	if pull {
		if len(out) > 0 && refresh {
			go func() { _ = s.conn.Call(ctx, "workspace/diagnostic/refresh", nil, nil) }()
		}
		return
	}
	for _, p := range out {
		version := p.version
		_ = s.conn.Notify(ctx, "textDocument/publishDiagnostics", publishDiagnosticsParams{URI: p.uri, Version: &version, Diagnostics: p.items})
	}
}

// lintLocked lints the documents at paths as they are now and records the
// result on each; s.mu is held, except while the analysis runs, for which
// it is released: the snapshot is what the lint sees, and a change made
// meanwhile leaves a result for an older version, which is not recorded.
func (s *server) lintLocked(paths []string) map[string]*docLint {
	versions := make(map[string]int, len(paths))
	for _, p := range paths {
		versions[p] = s.docs[p].version
	}
	snap := s.ws.Snapshot(paths)
	enc := s.enc
	s.mu.Unlock()
	res := snap.Lint()
	byPath := make(map[string][]analyzer.Diagnostic)
	files := make(map[string][]*analyzer.SourceFile)
	for _, f := range res.Files {
		if f != nil {
			files[f.DiskPath] = append(files[f.DiskPath], f)
		}
	}
	for _, d := range res.Diagnostics {
		if d.Range.File != nil {
			byPath[d.Range.File.DiskPath] = append(byPath[d.Range.File.DiskPath], d)
		}
	}
	s.mu.Lock()
	out := make(map[string]*docLint, len(paths))
	for _, p := range paths {
		doc := s.docs[p]
		// A document with no unit (a .tdn that does not read as YAML
		// while it is typed, a .text that is not Python) has no findings:
		// those of its last good text go. One over the size limit is not
		// linted at all (the user was told).
		if doc == nil || doc.version != versions[p] || files[p] == nil && s.tooLarge[p] {
			continue
		}
		l := &docLint{version: doc.version, files: files[p], findings: byPath[p], lsp: []diagnostic{}}
		for i := range l.findings {
			l.lsp = append(l.lsp, s.toLSP(&l.findings[i], enc))
		}
		l.resultID = resultID(l.lsp)
		doc.lint = l
		out[p] = l
	}
	return out
}

// currentLint returns the lint of the document's present version, linting
// it now if there is none yet (a pull or a code action can come before the
// loop gets to it). s.mu is held.
func (s *server) currentLint(path string) *docLint {
	doc := s.docs[path]
	if doc == nil {
		return nil
	}
	if doc.lint != nil && doc.lint.version == doc.version {
		return doc.lint
	}
	return s.lintLocked([]string{path})[path]
}

func (s *server) pullDiagnostics(ctx context.Context, id jsonrpc2.ID, p *documentDiagnosticParams) {
	path, err := uriToPath(p.TextDocument.URI)
	report := documentDiagnosticReport{Kind: "full", Items: []diagnostic{}}
	if !s.awaitIndex(ctx) {
		return
	}
	if err == nil {
		s.mu.Lock()
		if l := s.currentLint(path); l != nil {
			report.ResultID, report.Items = l.resultID, l.lsp
			if p.PreviousResultID == l.resultID {
				report = documentDiagnosticReport{Kind: "unchanged", ResultID: l.resultID}
			}
		}
		s.mu.Unlock()
	}
	_ = s.conn.Reply(ctx, id, report)
}

// toLSP converts a finding: its range in the negotiated encoding, the
// rule's code and documentation link, and the chain (worker entry → call
// → access) as related information.
func (s *server) toLSP(d *analyzer.Diagnostic, enc string) diagnostic {
	out := diagnostic{
		Range:    docRange(d.Range, enc),
		Severity: severityError,
		Code:     d.Analyzer.Code,
		Source:   "tdlint",
		Message:  d.Message,
	}
	switch d.Severity {
	case analyzer.SeverityWarning:
		out.Severity = severityWarning
	case analyzer.SeverityInfo:
		out.Severity = severityInformation
	case analyzer.SeverityError:
	}
	if d.Analyzer != analyzer.InternalErrorAnalyzer {
		out.CodeDescription = &codeDescription{Href: d.Analyzer.URL()}
	}
	for _, r := range d.Related {
		rf := r.Range.File
		if rf == nil || rf.DiskPath == "" || rf.AST == nil {
			continue
		}
		uri := pathToURI(rf.DiskPath)
		if doc := s.docs[rf.DiskPath]; doc != nil {
			uri = doc.uri
		}
		out.RelatedInformation = append(out.RelatedInformation, diagnosticRelatedInformation{
			Location: location{URI: uri, Range: docRange(r.Range, enc)}, Message: r.Message,
		})
	}
	return out
}

// docRange is a range of a file's text in the document (or file on disk)
// that holds it: a .tdn's own lines for one of its DATs, a .text's past
// its header.
func docRange(r analyzer.Range, enc string) lspRange {
	return lspRange{Start: docPosition(analyzer.DiskPosition(r.File, r.Start), enc), End: docPosition(analyzer.DiskPosition(r.File, r.End), enc)}
}

func docPosition(p analyzer.DiskPoint, enc string) position {
	return position{Line: p.Line, Character: units(p.Before, enc)}
}

// resultID names a set of findings by its content, so that a pull whose
// findings did not change is answered "unchanged", whatever was edited.
func resultID(ds []diagnostic) string {
	data, err := json.Marshal(ds)
	if err != nil {
		return ""
	}
	h := fnv.New64a()
	_, _ = h.Write(data)
	return strconv.FormatUint(h.Sum64(), 36)
}
