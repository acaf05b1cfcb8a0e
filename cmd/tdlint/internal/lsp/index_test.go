package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

// progressKinds are the kinds of the $/progress values received so far.
func (c *testClient) progressKinds() []string {
	var kinds []string
	for _, n := range c.notesNamed("$/progress") {
		var p struct {
			Value workDoneProgress `json:"value"`
		}
		if json.Unmarshal(n.Params, &p) == nil {
			kinds = append(kinds, p.Value.Kind)
		}
	}
	return kinds
}

// initialize answers at once: the workspace is read in the background,
// under a $/progress, and lints wait for it.
func TestInitializeAnswersBeforeTheIndexEnds(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"tasks.py":   tasksPy,
		"helpers.py": "def work():\n    return op('settings').par.Rate.eval()\n",
	})
	started, release := make(chan struct{}), make(chan struct{})
	c := startServer(t, Options{beforeIndex: func() {
		close(started)
		<-release
	}})
	c.initialize(dir, map[string]any{"window": map[string]any{"workDoneProgress": true}}, nil)
	<-started // the index is under way, held here, and initialize has been answered
	uri := c.open(filepath.Join(dir, "helpers.py"), "def work():\n    return op('settings').par.Rate.eval()\n")
	c.waitFor("the index's progress to begin", func() bool {
		for _, n := range c.notes {
			if n.Method == "$/progress" {
				return true
			}
		}
		return false
	})
	if got := strings.Join(c.progressKinds(), ","); got != "begin" {
		t.Errorf("progress before the index is released: %s", got)
	}
	if n := len(c.notesNamed("window/workDoneProgress/create")); n != 1 {
		t.Errorf("%d progress tokens created, want 1", n)
	}
	if n := len(c.notesNamed("textDocument/publishDiagnostics")); n != 0 {
		t.Errorf("%d publications before the index was complete", n)
	}
	close(release)
	seen := 0
	got := c.nextDiagnostics(uri, &seen)
	// The finding needs tasks.py, which only the index read.
	if codes(got.Diagnostics) != "1:11 TD101" {
		t.Errorf("after the index: %s", codes(got.Diagnostics))
	}
	if kinds := c.progressKinds(); len(kinds) < 2 || kinds[len(kinds)-1] != "end" {
		t.Errorf("progress: %v, want begin … end", kinds)
	}
}

// A document over the size limit is not linted, and the user is told;
// back under the limit it is.
func TestAnOversizedDocumentIsNotLinted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{Limits: analyzer.IndexLimits{MaxFileBytes: 200, MaxFiles: 100, MaxBytes: 1 << 20}})
	c.initialize(dir, map[string]any{}, nil)
	big := callbacks + "# " + strings.Repeat("x", 300) + "\n"
	uri := c.open(filepath.Join(dir, "cb.py"), big)
	c.waitFor("the oversized document's message", func() bool {
		for _, n := range c.notes {
			if n.Method == "window/showMessage" && strings.Contains(string(n.Params), "cb.py is not linted") {
				return true
			}
		}
		return false
	})
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": callbacks}},
	})
	seen := 0
	got := c.nextDiagnostics(uri, &seen)
	if got.Version == nil || *got.Version != 2 || codes(got.Diagnostics) != "5:4 TD201" {
		t.Errorf("first publication: version %v, %s; want version 2's TD201 only", got.Version, codes(got.Diagnostics))
	}
}
