package pyparse

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchSources loads a few large, varied stdlib files (or skips).
func benchSources(b *testing.B) [][]byte {
	b.Helper()
	python := findPython(Py311)
	if python == "" {
		b.Skip("no CPython 3.11 stdlib to benchmark on")
	}
	out, err := exec.CommandContext(b.Context(), python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").Output()
	if err != nil {
		b.Skip(err)
	}
	root := strings.TrimSpace(string(out))
	var srcs [][]byte
	for _, name := range []string{"typing.py", "argparse.py", "_pydecimal.py", "test/test_fstring.py", "asyncio/base_events.py"} {
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			b.Skip(err)
		}
		srcs = append(srcs, src)
	}
	return srcs
}

func totalSize(srcs [][]byte) int64 {
	var n int64
	for _, s := range srcs {
		n += int64(len(s))
	}
	return n
}

func BenchmarkScan(b *testing.B) {
	srcs := benchSources(b)
	b.SetBytes(totalSize(srcs))
	b.ReportAllocs()
	var buf []Token
	for b.Loop() {
		for _, src := range srcs {
			sc := newScanner(src, Py311, buf)
			sc.scanAll()
			buf = sc.tokens
		}
	}
}

func BenchmarkParse(b *testing.B) {
	srcs := benchSources(b)
	b.SetBytes(totalSize(srcs))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			ParseFile("bench.py", src, Config{Version: Py311})
		}
	}
}
