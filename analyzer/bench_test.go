package analyzer_test

import (
	"os"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// BenchmarkCheck lints the tree named by TDLINT_BENCH_DIR (a CPython
// standard library, a generated TD project) in process: parse, program,
// rules. Files are read once, outside the timing.
//
//	TDLINT_BENCH_DIR=$(python3.11 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])') \
//	  go test ./analyzer -run '^$' -bench Check -count 6 | benchstat -
func BenchmarkCheck(b *testing.B) {
	dir := os.Getenv("TDLINT_BENCH_DIR")
	if dir == "" {
		b.Skip("set TDLINT_BENCH_DIR to a directory of Python")
	}
	inputs, errs := analyzer.Load([]string{dir}, nil, "")
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	size := 0
	for i := range inputs {
		size += len(inputs[i].Src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	all := rules.All()
	for b.Loop() {
		analyzer.Run(inputs, all, analyzer.Options{})
	}
}
