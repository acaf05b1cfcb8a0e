package analyzer_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// The index leaves out what is not the project's: tools' folders, virtual
// environments whatever their name, and files over the size limit.
func TestIndexSkipsFoldersAndFilesNotTheProjects(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for name, text := range map[string]string{
		"main.py":                         "x = 1\n",
		"lib/util.py":                     "y = 2\n",
		".git/hooks/pre.py":               "a = 1\n",
		"env/pyvenv.cfg":                  "home = /usr/bin\n",
		"env/lib/python3.11/x.py":         "a = 1\n",
		"node_modules/pkg/x.py":           "a = 1\n",
		"lib/__pycache__/x.py":            "a = 1\n",
		"vendor/site-packages/pkg/x.py":   "a = 1\n",
		"big.py":                          "# " + strings.Repeat("x", 300) + "\n",
		"deep/nested/pyvenv.cfg":          "",
		"deep/nested/lib/site.py":         "a = 1\n",
		"deep/ok.py":                      "z = 3\n",
		"tdlint.toml":                     "exclude = [\"lib/util.py\", \"data\"]\n",
		"data/huge.py":                    "# " + strings.Repeat("x", 300) + "\n",
		"data/small.py":                   "a = 1\n",
		"notes/readme.txt":                "not python\n",
		"deep/nested/lib/__init__.pyc":    "",
		"another/.hidden/secret_tool.py":  "a = 1\n",
		"another/visible.py":              "b = 1\n",
		"another/.tdlint_cache/cached.py": "a = 1\n",
	} {
		write(t, filepath.Join(root, name), text)
	}
	ws, err := analyzer.OpenWorkspace(root, rules.All(), analyzer.IndexLimits{MaxFileBytes: 200, MaxFiles: 100, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	errs := ws.Index(context.Background(), nil)
	var got []string
	for _, p := range ws.Files() {
		rel, _ := filepath.Rel(root, p)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"another/visible.py", "deep/ok.py", "main.py"}
	if !slices.Equal(got, want) {
		t.Errorf("indexed %v, want %v", got, want)
	}
	tooLarge := false
	for _, err := range errs {
		if le, ok := errors.AsType[*analyzer.LoadError](err); ok && strings.HasSuffix(le.Path, "big.py") && strings.Contains(err.Error(), "over the 200-byte limit") {
			tooLarge = true
		}
	}
	if !tooLarge {
		t.Errorf("the oversized file was not reported: %v", errs)
	}
	for _, err := range errs {
		if strings.Contains(err.Error(), "huge.py") {
			t.Errorf("the excluded folder was walked: %v", err)
		}
	}
}

func TestIndexStopsAtItsLimitsAndOnCancel(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, name := range []string{"a.py", "b.py", "c.py", "d.py"} {
		write(t, filepath.Join(root, name), "x = 1\n")
	}
	ws, err := analyzer.OpenWorkspace(root, rules.All(), analyzer.IndexLimits{MaxFileBytes: 100, MaxFiles: 2, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	errs := ws.Index(context.Background(), nil)
	if n := len(ws.Files()); n != 2 || !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, analyzer.ErrIndexTruncated) }) {
		t.Errorf("MaxFiles 2: %d files indexed, errors %v", n, errs)
	}
	ws, _ = analyzer.OpenWorkspace(root, rules.All(), analyzer.IndexLimits{MaxFileBytes: 100, MaxFiles: 100, MaxBytes: 13})
	if errs := ws.Index(context.Background(), nil); len(ws.Files()) != 2 || len(errs) != 1 {
		t.Errorf("MaxBytes 13 (two 6-byte files): %d files, errors %v", len(ws.Files()), errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if errs := ws.Index(ctx, nil); len(ws.Files()) != 2 || !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, context.Canceled) }) {
		t.Errorf("a cancelled index changed the workspace: %d files, %v", len(ws.Files()), errs)
	}
}

// An editor's text over the size limit is neither held nor linted, and a
// change of the file on disk does not slip the disk's text in instead.
func TestAnOversizedBufferIsNotLinted(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	path := filepath.Join(root, "cb.py")
	small := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	write(t, path, small)
	ws, err := analyzer.OpenWorkspace(root, rules.All(), analyzer.IndexLimits{MaxFileBytes: 100, MaxFiles: 10, MaxBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ws.Index(context.Background(), nil)
	if ws.Open(path, []byte(small+"#"+strings.Repeat("x", 100)+"\n")) {
		t.Error("an oversized buffer was taken")
	}
	ws.DiskChanged(path)
	if res := ws.Lint([]string{path}); len(res.Diagnostics) != 0 || len(ws.Files()) != 0 {
		t.Errorf("the oversized buffer's file was linted: %v, files %v", res.Diagnostics, ws.Files())
	}
	if !ws.Open(path, []byte(small)) || len(ws.Lint([]string{path}).Diagnostics) != 1 {
		t.Error("the buffer back under the limit is not linted")
	}
}
