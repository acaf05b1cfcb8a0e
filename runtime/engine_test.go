package runtime

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// goEngine is an engine whose "Python" is Go: it proves the kernel needs
// nothing of gpython's, and shows what an engine must report.
type goEngine struct {
	rt     *Runtime
	line   map[*Thread]int
	frames []int
	closed bool
}

func (*goEngine) Name() string { return "go" }

func (e *goEngine) Load(rt *Runtime, _ *Scenario) error {
	e.rt, e.line = rt, map[*Thread]int{}
	return nil
}

func (e *goEngine) Main(t *Thread) error {
	e.line[t] = 3
	_, err := t.EnqueueTask(&Task{Name: "work", Target: func(w *Thread) error {
		e.line[w] = 7
		return w.AccessVia("op('x').par.y", CauseDirect, nil)
	}}, false)
	return err
}

func (e *goEngine) Call(t *Thread, name string, args ...int) (bool, error) {
	if name != "onFrameStart" {
		return false, nil
	}
	e.frames = append(e.frames, args[0])
	e.line[t] = 12
	t.Sleep(e.rt.FrameDuration() * 2)
	return true, nil
}

func (e *goEngine) Where(t *Thread) Site { return Site{File: "go.py", Line: e.line[t]} }

func (e *goEngine) Close() { e.closed = true }

func TestSimulateWithAnyEngine(t *testing.T) {
	e := &goEngine{}
	res, err := SimulateWith(e, &Scenario{Name: "go.py"}, Config{Frames: 6, Seed: 1, ConflictContinues: true})
	if err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	c := kinds(res, EvConflict)
	if len(c) != 1 || c[0].Site != (Site{File: "go.py", Line: 7}) || c[0].Cause != CauseDirect || c[0].Thread != "pool-1" {
		t.Errorf("conflicts %+v, want one at go.py:7 on pool-1, cause direct", c)
	}
	stalls := kinds(res, EvStall)
	if len(stalls) == 0 || stalls[0].Line != 12 || stalls[0].Cause != CauseBlocking {
		t.Errorf("stalls %+v, want the main thread's sleep at go.py:12", stalls)
	}
	// Each sleep of two frames drops the next frame.
	if !slices.Equal(e.frames, []int{0, 2, 4}) {
		t.Errorf("onFrameStart called for frames %v, want [0 2 4]", e.frames)
	}
	if !e.closed {
		t.Error("the engine was not closed")
	}
}

// BenchmarkSimulateExample simulates the example project (seed i for the
// i-th run), the check of bench/simulate -in-process: run it with -race
// and -benchtime=10000x; a race fails it, a crash ends it, and a
// simulation that cannot finish is counted.
func BenchmarkSimulateExample(b *testing.B) {
	sc, err := LoadScenario("../testdata/example/scenario.py")
	if err != nil {
		b.Fatal(err)
	}
	failed := 0
	seed := uint64(0)
	for b.Loop() {
		seed++
		res, err := Simulate(sc, Config{Seed: seed, ConflictContinues: seed%2 == 0})
		if err != nil {
			b.Fatal(err)
		}
		if res.Err != nil {
			failed++
			b.Logf("seed %d: %v", seed, res.Err)
		}
	}
	b.ReportMetric(float64(failed), "failed")
	if failed > 0 {
		b.Errorf("%d of %d simulations did not finish", failed, seed)
	}
}

// TestRuntimeSharesNothingWithTheRules: the runtime is the rules' oracle,
// so it must not reuse their tables or judgements (run()'s keywords, the
// hook signatures, the blocking calls): it imports no package of tdlint's.
func TestRuntimeSharesNothingWithTheRules(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, "github.com/tdlint/tdlint/") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
