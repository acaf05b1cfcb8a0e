package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

// BenchmarkConfigPatterns matches 2,000 files against 100,000 exclude and
// per-file-ignores patterns of the shapes projects write: a folder and
// all below it, a file name at any depth, a literal path, a wildcard in
// one segment. Each op is one check's worth of matching.
func BenchmarkConfigPatterns(b *testing.B) {
	const patterns, files = 100_000, 2_000
	dir := b.TempDir()
	var toml strings.Builder
	var pfi strings.Builder
	toml.WriteString("exclude = [\n")
	pfi.WriteString("[per-file-ignores]\n")
	for i := range patterns {
		var p string
		switch i % 4 {
		case 0:
			p = fmt.Sprintf("gen_%d/**", i)
		case 1:
			p = fmt.Sprintf("**/vendor_%d.py", i)
		case 2:
			p = fmt.Sprintf("src/pkg_%d/file_%d.py", i%50, i)
		case 3:
			p = fmt.Sprintf("build_%d/*.py", i)
		}
		fmt.Fprintf(&toml, "  %q,\n", p)
		fmt.Fprintf(&pfi, "%q = [\"TD201\"]\n", p)
	}
	toml.WriteString("]\n")
	path := filepath.Join(dir, "tdlint.toml")
	if err := os.WriteFile(path, []byte(toml.String()+pfi.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, _, err := analyzer.LoadConfig(path)
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, files)
	for i := range names {
		names[i] = fmt.Sprintf("src/pkg_%d/file_%d.py", i%50, i)
	}
	b.Chdir(dir)
	b.ResetTimer()
	for b.Loop() {
		hits := 0
		for _, name := range names {
			if cfg.Excluded(name) {
				hits++
			}
			hits += len(cfg.IgnoredIn(name))
		}
		if hits == 0 {
			b.Fatal("no file matched")
		}
	}
}
