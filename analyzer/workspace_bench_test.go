package analyzer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// BenchmarkWorkspaceRelint is the language server's work per keystroke:
// one file of a workspace changes, and it is linted against the whole
// workspace. TDLINT_BENCH_FILE is the file edited (a space is typed and
// deleted again in its middle, so the length changes); TDLINT_BENCH_DIR,
// if set, the rest of the workspace.
func BenchmarkWorkspaceRelint(b *testing.B) {
	src, err := os.ReadFile(os.Getenv("TDLINT_BENCH_FILE"))
	if err != nil {
		b.Skip("set TDLINT_BENCH_FILE to a Python file (and TDLINT_BENCH_DIR to its workspace)")
	}
	root := os.Getenv("TDLINT_BENCH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	ws, errs := analyzer.NewWorkspace(root, rules.All())
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	path := filepath.Join(ws.Root(), "edited_by_benchmark.py")
	mid := bytes.Index(src[len(src)/2:], []byte(" = "))
	if mid < 0 {
		b.Skip("no assignment in the second half of the file")
	}
	mid += len(src) / 2
	alt := slices.Concat(src[:mid], []byte(" "), src[mid:])
	texts := [][]byte{src, alt}
	ws.Open(path, src)
	ws.Lint([]string{path})
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		ws.Open(path, texts[i%2])
		ws.Lint([]string{path})
	}
}
