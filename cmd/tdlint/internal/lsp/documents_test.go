package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// openAs opens a document the way an editor that does not call it Python
// would.
func (c *testClient) openAs(path, languageID, text string) string {
	uri := pathToURI(path)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": languageID, "version": 1, "text": text,
	}})
	return uri
}

func (c *testClient) codeActions(t *testing.T, uri string, line int) map[string]codeAction {
	t.Helper()
	m := c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        lspRange{Start: position{line, 0}, End: position{line, 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	var as []codeAction
	if m.Error != nil || json.Unmarshal(m.Result, &as) != nil {
		t.Fatalf("codeAction: %+v %s", m.Error, m.Result)
	}
	out := make(map[string]codeAction)
	for _, a := range as {
		out[a.Title] = a
	}
	return out
}

// A .tdn document is linted from the editor's text, its findings at its
// own lines and columns (in a DAT's block scalar, in a parameter
// expression), and a fix's code action edits the .tdn's block as --fix
// would; applied, the finding goes.
func TestTDNDocumentIsLinted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	text := "format: tdn\nnetwork_path: /project1\noperators:\n- name: label\n  type: textTOP\n  parameters:\n    text: =me.par.Title +\n- name: exec1\n  type: executeDAT\n  dat_content: |\n    import time\n\n    def onFrameStart(frame):\n        run(tick, delayMilliseconds=5)\n        time.sleep(1)\n  dat_content_format: text\n"
	seen := 0
	uri := c.openAs(filepath.Join(dir, "net.tdn"), "yaml", text)
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "6:25 TD001, 13:18 TD302, 14:8 TD201" {
		t.Fatalf("diagnostics: %s", codes(got.Diagnostics))
	}
	fix := c.codeActions(t, uri, 13)["Rename to `delayMilliSeconds` (TD302)"]
	e := fix.Edit.Changes[uri]
	if fix.Edit == nil || len(e) != 1 || e[0].Range != (lspRange{position{13, 0}, position{14, 0}}) || e[0].NewText != "        run(tick, delayMilliSeconds=5)\n" {
		t.Fatalf("fix: %+v", fix)
	}
	// The expression's finding has no fix to write, and no noqa (a
	// parameter expression has no comment).
	for title, a := range c.codeActions(t, uri, 6) {
		if a.Kind == kindQuickFix {
			t.Errorf("a quick fix on the expression: %s", title)
		}
	}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"range": e[0].Range, "text": e[0].NewText}},
	})
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "6:25 TD001, 14:8 TD201" {
		t.Errorf("after the fix: %s", codes(got.Diagnostics))
	}
	noqa := c.codeActions(t, uri, 14)["Ignore TD201 on this line"].Edit
	if noqa == nil || len(noqa.Changes[uri]) != 1 || noqa.Changes[uri][0].NewText != "        time.sleep(1)  # noqa: TD201\n" {
		t.Errorf("noqa: %+v", noqa)
	}
	// Half-typed YAML: no DAT reads, and the old findings go.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"range": lspRange{position{3, 0}, position{3, 0}}, "text": "- [\n"}},
	})
	if got := c.nextDiagnostics(uri, &seen); len(got.Diagnostics) != 0 || *got.Version != 3 {
		t.Errorf("broken YAML: %s", codes(got.Diagnostics))
	}
}

// A DAT's .text (behind its binary header, which the editor shows as
// characters) and an operator's .parm in a toeexpand tree are linted from
// the editor's text, at the document's lines: the text's first line goes
// on after the header on the header's last line.
func TestToeexpandDocumentsAreLinted(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"p.toe.dir/exec1.n": "DAT:execute\n",
		"p.toe.dir/label.n": "TOP:text\n",
	})
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	body := "run(tick, delayMilliseconds=5)\ndef onFrameStart(frame):\n    time.sleep(1)\nimport time\n"
	header := "2\n*" + strings.Repeat("\x00\x00\x00\x01", 4) + "\x00\x00\x00\x02" + "\x00\x00\x00" + string(rune(len(body)))
	seen := 0
	uri := c.openAs(filepath.Join(dir, "p.toe.dir", "exec1.text"), "plaintext", header+body)
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "1:35 TD302, 3:4 TD201" {
		t.Fatalf("diagnostics: %s", codes(got.Diagnostics))
	}
	fix := c.codeActions(t, uri, 1)["Rename to `delayMilliSeconds` (TD302)"].Edit
	if fix == nil || len(fix.Changes[uri]) != 1 || fix.Changes[uri][0].Range != (lspRange{position{1, 35}, position{1, 52}}) {
		t.Errorf("fix: %+v", fix)
	}
	seenParm := 0
	parm := c.openAs(filepath.Join(dir, "p.toe.dir", "label.parm"), "plaintext", "?\ntext 17 \"\" me.par.Title +\nfontsize 49 10 \"me.par.Size\"\n")
	if got := c.nextDiagnostics(parm, &seenParm); codes(got.Diagnostics) != "1:25 TD001" {
		t.Errorf("parm diagnostics: %s", codes(got.Diagnostics))
	}
}
