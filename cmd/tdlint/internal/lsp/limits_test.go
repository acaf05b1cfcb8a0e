package lsp

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDeepTextIsASyntaxErrorNotACrash opens, and then types into, text
// nested deeper than CPython compiles: a Go stack overflow cannot be
// recovered, so before the parser bounded the depth of such trees the
// server died on didOpen. Now each is TD001 and the server goes on.
func TestDeepTextIsASyntaxErrorNotACrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	seen := 0
	// Each under the 1 MiB past which an open document is not linted.
	deep := map[string]string{
		"attribute.py": "x = a" + strings.Repeat(".b", 400000) + "\n",
		"plus.py":      "x = a" + strings.Repeat("+a", 400000) + "\n",
		"elif.py":      "if a:\n pass\n" + strings.Repeat("elif a:\n pass\n", 50000),
	}
	for name, text := range deep {
		uri := c.open(filepath.Join(dir, name), text)
		got := c.nextDiagnostics(uri, &seen)
		if len(got.Diagnostics) == 0 || got.Diagnostics[0].Code != "TD001" || !strings.Contains(got.Diagnostics[0].Message, "too many nested expressions") {
			t.Errorf("%s: %+v", name, got.Diagnostics)
		}
	}
	// An edit that makes a shallow document deep goes through the
	// incremental reparse.
	uri := c.open(filepath.Join(dir, "typed.py"), "x = a\ny = 1\n")
	c.nextDiagnostics(uri, &seen)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{
			"range": map[string]any{"start": position{0, 5}, "end": position{0, 5}},
			"text":  strings.Repeat(".b", 400000),
		}},
	})
	got := c.nextDiagnostics(uri, &seen)
	if len(got.Diagnostics) == 0 || got.Diagnostics[0].Code != "TD001" {
		t.Errorf("after the edit: %+v", got.Diagnostics)
	}
	if m := c.call("shutdown", nil); m.Error != nil {
		t.Errorf("shutdown after the deep documents: %+v", m.Error)
	}
}
