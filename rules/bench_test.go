//go:build unix

package rules_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// BenchmarkRulesPhase checks the tree named by TDLINT_BENCH_DIR and
// reports the rules phase alone: its wall time, the CPU time the process
// spent in it and the bytes it allocated. With TDLINT_RULES_PROFILE=PREFIX
// each iteration's rules phase is CPU-profiled to PREFIX.N.
//
//	TDLINT_BENCH_DIR=/tmp/td16 GOGC=1000 go test ./rules -run '^$' -bench RulesPhase -count 6
//
// (GOGC=1000 is what tdlint check sets.)
func BenchmarkRulesPhase(b *testing.B) {
	dir := os.Getenv("TDLINT_BENCH_DIR")
	if dir == "" {
		b.Skip("set TDLINT_BENCH_DIR to a directory of Python")
	}
	inputs, errs := analyzer.Load([]string{dir}, nil, "")
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	all := rules.All()
	prof := os.Getenv("TDLINT_RULES_PROFILE")
	var wall, cpu time.Duration
	var allocated uint64
	n := 0
	for b.Loop() {
		// Each phase's end is the next one's start: the rules phase
		// starts where the last phase before it ended.
		var cpuStart time.Duration
		var allocStart uint64
		opts := analyzer.Options{Phase: func(name string, d time.Duration) {
			if name != "rules" {
				if prof != "" && name == "contexts" { // the last phase of the program's build
					if f, err := os.Create(fmt.Sprintf("%s.%d", prof, n)); err == nil {
						_ = pprof.StartCPUProfile(f)
					}
				}
				cpuStart, allocStart = cpuTime(), totalAlloc()
				return
			}
			wall += d
			cpu += cpuTime() - cpuStart
			allocated += totalAlloc() - allocStart
			if prof != "" {
				pprof.StopCPUProfile()
			}
			n++
		}}
		analyzer.Run(inputs, all, opts)
	}
	b.ReportMetric(float64(wall.Microseconds())/float64(n)/1000, "rules-wall-ms/op")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n)/1000, "rules-cpu-ms/op")
	b.ReportMetric(float64(allocated)/float64(n)/1e6, "rules-MB/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}
