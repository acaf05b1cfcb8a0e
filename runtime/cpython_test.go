package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// needCPython skips a test when no CPython 3.11 is installed, and fails it
// under .ci/run, which installs one (TDLINT_REQUIRE_CPYTHON=1).
func needCPython(t *testing.T) string {
	t.Helper()
	exe, err := CPythonAvailable()
	if err != nil {
		if os.Getenv("TDLINT_REQUIRE_CPYTHON") == "1" {
			t.Fatalf("CPython 3.11 is required here: %v", err)
		}
		t.Skipf("the CPython engine's tests need CPython 3.11: %v", err)
	}
	return exe
}

// traceKey is what two engines must agree on for an event: which thread,
// when, what kind, where (file and line: gpython knows no columns) and why.
func traceKey(ev Event) string {
	return fmt.Sprintf("f%d t%d %s %s %s:%d %s", ev.Frame, ev.Time, ev.Thread, ev.Kind, filepath.Base(ev.File), ev.Line, ev.Cause)
}

func traceKeys(res *Result) []string {
	var out []string
	for _, ev := range res.Events {
		out = append(out, traceKey(ev))
	}
	return out
}

// TestEnginesAgreeOnScenarios runs every dialect scenario on both engines
// with the same seeds: the kernel sees the same calls, so the traces must
// be the same event for event.
func TestEnginesAgreeOnScenarios(t *testing.T) {
	exe := needCPython(t)
	files, err := filepath.Glob("../testdata/scenarios/*.py")
	if err != nil || len(files) == 0 {
		t.Fatal("no scenarios", err)
	}
	for _, file := range files {
		for _, cont := range []bool{false, true} {
			name := fmt.Sprintf("%s/continue=%v", filepath.Base(file), cont)
			t.Run(name, func(t *testing.T) {
				sc, err := LoadScenario(file)
				if err != nil {
					t.Fatal(err)
				}
				for seed := range uint64(3) {
					cfg := Config{Frames: 60, Seed: seed, ConflictContinues: cont}
					g, err := SimulateWith(NewGPython(), sc, cfg)
					if err != nil {
						t.Fatal(err)
					}
					c, err := SimulateWith(NewCPython(exe), sc, cfg)
					if err != nil {
						t.Fatal(err)
					}
					if c.Err != nil {
						t.Fatalf("seed %d: cpython: %v", seed, c.Err)
					}
					gk, ck := traceKeys(g), traceKeys(c)
					if !slices.Equal(gk, ck) {
						t.Errorf("seed %d: traces differ\ngpython:\n  %s\ncpython:\n  %s", seed, strings.Join(gk, "\n  "), strings.Join(ck, "\n  "))
					}
				}
			})
		}
	}
}
