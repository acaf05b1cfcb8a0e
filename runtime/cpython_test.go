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
func traceKey(ev *Event) string {
	var key strings.Builder
	fmt.Fprintf(&key, "f%d t%d %s %s %s:%d %s", ev.Frame, ev.Time, ev.Thread, ev.Kind, filepath.Base(ev.File), ev.Line, ev.Cause)
	for _, f := range ev.Stack {
		fmt.Fprintf(&key, " <- %s:%d %s", filepath.Base(f.File), f.Line, f.Func)
	}
	return key.String()
}

func traceKeys(res *Result) []string {
	var out []string
	for i := range res.Events {
		out = append(out, traceKey(&res.Events[i]))
	}
	return out
}

// sameOnBothEngines simulates sc on gpython and on CPython with cfg, fails
// t unless the traces agree event for event, and returns both results.
func sameOnBothEngines(t *testing.T, exe string, sc *Scenario, cfg Config) (g, c *Result) {
	t.Helper()
	g, err := SimulateWith(NewGPython(), sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err = SimulateWith(NewCPython(exe), sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Err != nil {
		t.Fatalf("seed %d: cpython: %v", cfg.Seed, c.Err)
	}
	if gk, ck := traceKeys(g), traceKeys(c); !slices.Equal(gk, ck) {
		t.Errorf("seed %d, continue=%v: traces differ\ngpython:\n  %s\ncpython:\n  %s", cfg.Seed, cfg.ConflictContinues, strings.Join(gk, "\n  "), strings.Join(ck, "\n  "))
	}
	return g, c
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
					sameOnBothEngines(t, exe, sc, Config{Frames: 60, Seed: seed, ConflictContinues: cont})
				}
			})
		}
	}
}

// TestCPythonRefusesRealIO: code the stand-ins do not cover gets no real
// network, process or file writes; the refusal is the thread's error.
func TestCPythonRefusesRealIO(t *testing.T) {
	exe := needCPython(t)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	src := "import os\nimport http.client\n" +
		"def onFrameStart(frame):\n" +
		"    if frame == 1:\n" +
		"        open(" + fmt.Sprintf("%q", victim) + ", 'w').write('x')\n" +
		"    if frame == 2:\n" +
		"        http.client.HTTPConnection('127.0.0.1', 9).connect()\n" +
		"    if frame == 3:\n" +
		"        os.system('true')\n"
	res, err := SimulateWith(NewCPython(exe), &Scenario{Name: "io.py", Src: src}, Config{Frames: 40, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(victim); !os.IsNotExist(err) {
		t.Errorf("the simulated code wrote %s", victim)
	}
	var lines []int
	for _, ev := range kinds(res, EvError) {
		if strings.Contains(ev.Detail, "PermissionError") {
			lines = append(lines, ev.Line)
		}
	}
	// The write on line 5 went to memory (open's stand-in); http.client,
	// which no stand-in covers, is refused on line 7; os.system on line 9
	// is a stand-in that takes time (a stall on the main thread).
	if !slices.Equal(lines, []int{7}) {
		t.Errorf("refusals at lines %v, want [7]: %+v", lines, res.Events)
	}
	if st := kinds(res, EvStall); len(st) != 1 || st[0].Line != 9 {
		t.Errorf("stalls %+v, want os.system's at line 9", st)
	}
}

// TestCPythonRunsRealDAT is issue 14's acceptance case: a 3.11 callbacks
// DAT with a dataclass, f-strings, super() and the walrus, whose TDTask
// target touches TD, has its conflict at that line and none in the hook.
func TestCPythonRunsRealDAT(t *testing.T) {
	exe := needCPython(t)
	sc, err := LoadScenario("../testdata/cpython/fetch_callbacks.py")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Check() == nil {
		t.Log("note: gpython compiles this file too")
	}
	for seed := range uint64(4) {
		res, err := SimulateWith(NewCPython(exe), sc, Config{Frames: 40, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		c := kinds(res, EvConflict)
		if len(c) != 1 || c[0].Line != 33 || c[0].Col != 9 || c[0].Thread != "pool-1" || c[0].Cause != CauseDirect {
			t.Fatalf("seed %d: conflicts %+v, want one at line 33 col 9 on pool-1", seed, c)
		}
		var hook *Access
		for i, a := range res.Accesses {
			if a.Line == 38 {
				hook = &res.Accesses[i]
			}
		}
		if hook != nil {
			t.Errorf("seed %d: the SuccessHook ran although the target raised: %+v", seed, hook)
		}
	}
	// With TD's continue-after-conflict the target returns and the
	// SuccessHook runs, on the main thread: no conflict there.
	res, err := SimulateWith(NewCPython(exe), sc, Config{Frames: 40, Seed: 1, ConflictContinues: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range kinds(res, EvConflict) {
		if c.Line != 33 {
			t.Errorf("conflict off line 33: %+v", c)
		}
	}
	hooks := 0
	for _, a := range res.Accesses {
		if a.Line == 38 {
			hooks++
			if !a.Main {
				t.Errorf("the SuccessHook touched TD off the main thread: %+v", a)
			}
		}
	}
	if hooks == 0 || len(kinds(res, EvConflict)) == 0 {
		t.Errorf("want the hook's accesses and the conflicts: %+v", res.Events)
	}
}

// TestSimulateProject drives a project with no scenario: the extension is
// built with its owner COMP and its public methods called, the callback
// is called with TD-like arguments, modules import each other by name.
func TestSimulateProject(t *testing.T) {
	exe := needCPython(t)
	dir := "../testdata/cpython/project"
	proj := &Project{Name: dir}
	entries := map[string][]Entry{
		"StatusExt.py":       {{Kind: EntryExtension, Name: "StatusExt", Line: 8, Methods: []string{"Refresh", "Reset"}}},
		"fetcher.py":         nil,
		"panel_callbacks.py": {{Kind: EntryCallback, Name: "onValueChange", Line: 6}},
	}
	for _, name := range []string{"StatusExt.py", "fetcher.py", "panel_callbacks.py"} {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		proj.Files = append(proj.Files, ProjectFile{Name: name, Module: strings.TrimSuffix(name, ".py"), Src: string(src), Entries: entries[name]})
	}
	if got := proj.EntryCount(); got[EntryExtension] != 1 || got["method"] != 2 || got[EntryCallback] != 1 {
		t.Fatalf("entries %v, want the extension with Refresh and Reset, and onValueChange", got)
	}
	for seed := range uint64(3) {
		res, err := SimulateProject(NewCPython(exe), proj, Config{Seed: seed, ConflictContinues: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range kinds(res, EvError) {
			t.Errorf("seed %d: %s %s", seed, ev.Site, ev.Detail)
		}
		c := kinds(res, EvConflict)
		if len(c) == 0 || c[0].File != "StatusExt.py" || c[0].Line != 19 {
			t.Errorf("seed %d: conflicts %+v, want StatusExt.py:19", seed, c)
		}
		for _, ev := range c {
			if ev.Line == 22 {
				t.Errorf("seed %d: Reset runs on the main thread: %+v", seed, ev)
			}
		}
		stalls := kinds(res, EvStall)
		if len(stalls) != 1 || stalls[0].File != "fetcher.py" || stalls[0].Line != 6 {
			t.Fatalf("seed %d: stalls %+v, want the callback's fetch at fetcher.py:6", seed, stalls)
		}
		// The chain: TD called onValueChange, which called fetch_state.
		want := []Frame{{Site: Site{File: "panel_callbacks.py", Line: 7}, Func: "onValueChange"}, {Site: Site{File: "fetcher.py", Line: 6}, Func: "fetch_state"}}
		if !slices.Equal(stalls[0].Stack, want) {
			t.Errorf("seed %d: the stall's chain is %+v, want %+v", seed, stalls[0].Stack, want)
		}
	}
}

// TestEnginesAgreeOnExceptions: the same handlers catch the same runtime
// exceptions on both engines.
func TestEnginesAgreeOnExceptions(t *testing.T) {
	exe := needCPython(t)
	sc := &Scenario{Name: "exc.py", Src: "import threading\nimport queue\n\ndef work():\n    try:\n        op('x').par.y\n    except Exception:\n        print('caught')\n    try:\n        queue.Queue().get_nowait()\n    except queue.Empty:\n        pass\n\nthreading.Thread(target=work).start()\n"}
	for _, cont := range []bool{false, true} {
		sameOnBothEngines(t, exe, sc, Config{Frames: 5, Seed: 1, ConflictContinues: cont})
	}
}

// TestBatchedRequestsKeepTheTrace: while the main thread is the only one
// that can run, the child batches its TD accesses (no reply awaited); the
// trace must still be gpython's, event for event and access for access,
// with workers that wake on the main thread's puts and preemption high.
func TestBatchedRequestsKeepTheTrace(t *testing.T) {
	exe := needCPython(t)
	src := `import queue
import threading

jobs = queue.Queue()

def work():
    while True:
        n = jobs.get()
        op('w').par.v = n

for i in range(2):
    threading.Thread(target=work).start()

def onFrameStart(frame):
    for i in range(30):
        op('x').par.y = i
        if i % 7 == 0:
            jobs.put(i)
`
	sc := &Scenario{Name: "batch.py", Src: src}
	for seed := range uint64(4) {
		g, c := sameOnBothEngines(t, exe, sc, Config{Frames: 6, Seed: seed, Preempt: 0.5, ConflictContinues: true})
		ga, ca := accessKeys(g), accessKeys(c)
		if len(ga) < 100 || !slices.Equal(ga, ca) {
			t.Errorf("seed %d: accesses differ (%d gpython, %d cpython)", seed, len(ga), len(ca))
		}
	}
}

func accessKeys(res *Result) []string {
	var out []string
	for _, a := range res.Accesses {
		out = append(out, fmt.Sprintf("%s %v %s %d", a.Thread, a.Main, a.What, a.Line))
	}
	return out
}
