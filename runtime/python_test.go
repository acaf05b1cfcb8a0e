package runtime

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func simulate(t *testing.T, src string, cfg Config) *Result {
	t.Helper()
	res, err := Simulate(&Scenario{Name: "s.py", Src: src}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	return res
}

func sites(res *Result, k EventKind) []string {
	var out []string
	evs := kinds(res, k)
	for i := range evs {
		out = append(out, evs[i].String())
	}
	return out
}

func TestPythonConflictLines(t *testing.T) {
	res := simulate(t, `tm = op.TDResources.ThreadManager

def work():
    x = 1
    y = op('geo').par.tx
    return x

def ok():
    op('status').text = 'ok'

def failed(err):
    op('status').text = str(err)

tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=ok, ExceptHook=failed))
`, Config{Frames: 5, Seed: 1})
	if got := sites(res, EvConflict); len(got) != 1 || got[0] != "s.py:5" {
		t.Errorf("conflicts at %v, want s.py:5", got)
	}
	hooks := kinds(res, EvHook)
	if len(hooks) != 1 || !strings.HasPrefix(hooks[0].Detail, "ExceptHook") || hooks[0].Line != 12 {
		t.Errorf("hooks %+v, want the ExceptHook defined at line 12", hooks)
	}
	if len(res.Accesses) == 0 || !res.Accesses[len(res.Accesses)-1].Main {
		t.Errorf("the ExceptHook's access must be on the main thread: %+v", res.Accesses)
	}
}

func TestPythonConflictContinues(t *testing.T) {
	res := simulate(t, `def work():
    op('a').par.x
    op('b').par.y

op.TDResources.ThreadManager.EnqueueTask(op.TDResources.ThreadManager.TDTask(target=work))
`, Config{Frames: 3, Seed: 1, ConflictContinues: true})
	if got := sites(res, EvConflict); len(got) < 2 || got[0] != "s.py:2" || got[len(got)-1] != "s.py:3" {
		t.Errorf("conflicts at %v, want lines 2 and 3 both (the thread goes on)", got)
	}
}

func TestPythonHookArguments(t *testing.T) {
	src := `tm = op.TDResources.ThreadManager
def work():
    return 1
def done(task):
    op('x').text = 'done'
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=done))
`
	if got := sites(simulate(t, src, Config{Frames: 3, Seed: 1}), EvHookError); len(got) != 1 || got[0] != "s.py:6" {
		t.Errorf("hook errors %v, want one at the TDTask (TD passes no argument)", got)
	}
	if got := kinds(simulate(t, src, Config{Frames: 3, Seed: 1, HookTask: true}), EvHookError); len(got) != 0 {
		t.Errorf("with HookTask the hook takes the task: %+v", got)
	}
}

func TestPythonInfoQueueAndLocks(t *testing.T) {
	res := simulate(t, `import threading
import time
tm = op.TDResources.ThreadManager
lock = threading.Lock()
seen = []

def work():
    q = threading.current_thread().InfoQueue
    for i in range(3):
        with lock:
            q.put(i)
        time.sleep(0.02)

def refresh():
    q = task.thread.InfoQueue
    while not q.empty():
        seen.append(q.get_nowait())

def done():
    refresh()
    op('out').text = str(seen)
    print(seen)

task = tm.TDTask(target=work, RefreshHook=refresh, SuccessHook=done)
tm.EnqueueTask(task)
`, Config{Frames: 20, Seed: 3})
	prints := kinds(res, EvPrint)
	if len(prints) != 1 || prints[0].Detail != "[0, 1, 2]" {
		t.Errorf("prints %+v, want [0, 1, 2]", prints)
	}
	if res.HasProblems() {
		t.Errorf("the recommended pattern has problems:\n%s", trace(res))
	}
}

func TestPythonTraceIsDeterministic(t *testing.T) {
	src := `import threading
order = []
def work(name):
    for i in range(3):
        order.append(name)
        op('x')
threads = [threading.Thread(target=work, args=(n,)) for n in 'abc']
for th in threads:
    th.start()
def onFrameStart(frame):
    if frame == 1:
        text = ''
        for name in order:
            text = text + name
        print(text)
`
	outs := map[string]bool{}
	for seed := range uint64(8) {
		a := simulate(t, src, Config{Frames: 3, Seed: seed, ConflictContinues: true})
		b := simulate(t, src, Config{Frames: 3, Seed: seed, ConflictContinues: true})
		if trace(a) != trace(b) {
			t.Fatalf("seed %d gave two traces", seed)
		}
		outs[kinds(a, EvPrint)[0].Detail] = true
	}
	if len(outs) < 2 {
		t.Errorf("8 seeds gave %d interleavings, want several", len(outs))
	}
}

func TestPythonCompileErrorIsClear(t *testing.T) {
	_, err := Simulate(&Scenario{Name: "bad.py", Src: "x = f'{1}'\n"}, Config{})
	if _, ok := errors.AsType[*CompileError](err); !ok || !strings.Contains(err.Error(), "bad.py") || !strings.Contains(err.Error(), "dialect") {
		t.Errorf("err = %v, want a CompileError naming the file and the dialect", err)
	}
}

func TestPythonImportsProjectModules(t *testing.T) {
	sc := &Scenario{Name: "main.py", Src: "import helper\nhelper.go()\n", Modules: map[string]Module{
		"helper": {Name: "lib/helper.py", Src: "import time\n\ndef go():\n    time.sleep(0.5)\n"},
	}}
	res, err := Simulate(sc, Config{Frames: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := sites(res, EvStall); len(got) != 1 || got[0] != "lib/helper.py:4" {
		t.Errorf("stalls at %v, want lib/helper.py:4", got)
	}
}

func TestPythonDeletedOPCancelsRun(t *testing.T) {
	res := simulate(t, `def later():
    op('x').text = 'late'
r = run(later, delayFrames=2, fromOP=op('owner'))
op('owner').destroy()
`, Config{Frames: 5, Seed: 1})
	found := false
	for _, e := range kinds(res, EvRun) {
		found = found || strings.Contains(e.Detail, "cancelled")
	}
	if !found {
		t.Errorf("run not cancelled:\n%s", trace(res))
	}
}

func ExampleSimulate() {
	res, err := Simulate(&Scenario{Name: "example.py", Src: `import time
def work():
    time.sleep(0.1)
    return op('level').par.Value.eval()
op.TDResources.ThreadManager.EnqueueTask(op.TDResources.ThreadManager.TDTask(target=work))
`}, Config{Frames: 10, Seed: 1})
	if err != nil {
		panic(err)
	}
	for i := range res.Events {
		e := &res.Events[i]
		fmt.Println(e.Frame, e.Thread, e.Kind, e.Site)
	}
	// Output:
	// 0 main enqueue example.py:5
	// 0 pool-1 start example.py:3
	// 6 pool-1 conflict example.py:4
	// 6 pool-1 finish example.py:3
}

func TestPythonBusyLoopIsAbandoned(t *testing.T) {
	// The loop never calls into the runtime, so nothing can interrupt it;
	// it is long enough to outlast the wall limit and short enough to end
	// on its own soon after.
	res, err := Simulate(&Scenario{Name: "busy.py", Src: `def spin():
    n = 0
    for i in range(300000):
        n = n + i
    return n
op.TDResources.ThreadManager.EnqueueTask(op.TDResources.ThreadManager.TDTask(target=spin))
`}, Config{Frames: 5, Seed: 1, WallLimit: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || !strings.Contains(res.Err.Error(), "busy loop") {
		t.Errorf("err = %v, want the simulation abandoned", res.Err)
	}
}

// TestPythonHookErrorIsObserved: the runtime calls a hook with the
// convention's arguments and reports a hook error only when Python refuses
// the call; a TypeError the hook's own body raises is that hook's error.
func TestPythonHookErrorIsObserved(t *testing.T) {
	src := `tm = op.TDResources.ThreadManager
def work():
    return 7
def takes_result(result):
    op('x').text = str(result + 1)
def raises_inside():
    return 1 + 'a'
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=takes_result))
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=raises_inside))
`
	res := simulate(t, src, Config{Frames: 3, Seed: 1})
	if got := sites(res, EvHookError); len(got) != 1 || got[0] != "s.py:8" {
		t.Errorf("hook errors %v, want one, where takes_result is handed over (no argument passed)", got)
	}
	if got := sites(res, EvError); len(got) != 1 || got[0] != "s.py:7" {
		t.Errorf("errors %v, want the TypeError inside raises_inside at s.py:7", got)
	}
	conv, err := ParseHookConvention("SuccessHook(result) ExceptHook(task, error)")
	if err != nil {
		t.Fatal(err)
	}
	res = simulate(t, src, Config{Frames: 3, Seed: 1, Hooks: conv})
	if got := sites(res, EvHookError); len(got) != 1 || got[0] != "s.py:9" {
		t.Errorf("with SuccessHook(result) only raises_inside refuses its argument: %v", got)
	}
	if got := kinds(res, EvError); len(got) != 0 {
		t.Errorf("with SuccessHook(result), takes_result gets 7: errors %+v", got)
	}
	for _, bad := range []string{"SuccessHook(value)", "Hook()", "SuccessHook("} {
		if _, err := ParseHookConvention(bad); err == nil {
			t.Errorf("ParseHookConvention(%q) accepted", bad)
		}
	}
}

// TestPythonConflictCauses: each conflict says how the worker reached the
// TD object, and passing one to a worker is reported only if it is used.
func TestPythonConflictCauses(t *testing.T) {
	src := `import threading
tm = op.TDResources.ThreadManager
def direct():
    n = op('a')
    n.par.x
def manager():
    op.TDResources.ThreadManager
def runs():
    run('pass', delayFrames=1)
def output():
    print('hi')
def passed(node):
    node.par.x
def unused(node):
    return 1
def closure():
    target = op('c')
    def work():
        target.par.x
    threading.Thread(target=work).start()
for f in (direct, manager, runs, output):
    tm.EnqueueTask(tm.TDTask(target=f))
tm.EnqueueTask(tm.TDTask(target=passed, args=(op('b'),)))
tm.EnqueueTask(tm.TDTask(target=unused, args=(op('b'),)))
closure()
`
	res := simulate(t, src, Config{Frames: 3, Seed: 1, ConflictContinues: true})
	got := map[string]bool{}
	for _, e := range kinds(res, EvConflict) {
		key := fmt.Sprintf("%d %s", e.Line, e.Cause)
		if e.Origin != nil {
			key += " from " + e.Origin.String()
		}
		got[key] = true
	}
	// A TD object the worker reached itself carries where it did.
	want := []string{"4 direct", "5 direct from s.py:4", "7 thread-manager", "7 thread-manager from s.py:7", "9 run", "11 output", "13 passed-in from s.py:23", "19 captured"}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no conflict %q in %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("conflicts %v, want exactly %v (an unused hand-over is no conflict)", got, want)
	}
}

// TestPythonRunSignature: run() binds its arguments as TD's signature does.
func TestPythonRunSignature(t *testing.T) {
	src := `def f(a, b):
    op('x').text = a + b
def onFrameStart(frame):
    if frame == 1:
        run(f, 'a', 'b', delayFrames=1, group='g', wallTime=False, asParameter=False, delayRef=None, fromOP=me)
    if frame == 2:
        run(f, 'a', 'b', delayFrame=1)
    if frame == 3:
        run(None)
    if frame == 4:
        run()
`
	res := simulate(t, src, Config{Frames: 6, Seed: 1})
	var got []string
	for _, e := range kinds(res, EvRunError) {
		got = append(got, fmt.Sprintf("%d %s: %s", e.Line, e.Cause, e.Detail))
	}
	want := []string{
		"7 run-keyword: TypeError: run() got an unexpected keyword argument 'delayFrame'",
		"9 run-script-type: TypeError: run() argument 'script' must be a str or a callable, not 'NoneType'",
		"11 run-keyword: TypeError: run() missing 1 required positional argument: 'script'",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("run errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(kinds(res, EvError)); n != 3 {
		t.Errorf("%d errors, want the 3 TypeErrors unhandled in onFrameStart", n)
	}
}

// TestPythonRecursionLimit: unbounded Python recursion overflowed the Go
// stack (gpython has no limit), which kills the process; now the call
// past Config.MaxRecursion raises RecursionError, a RuntimeError as in
// CPython, on the main thread as in a worker.
func TestPythonRecursionLimit(t *testing.T) {
	res := simulate(t, `def f(n):
    return f(n + 1)

def g(n):
    return g(n + 1)

def caught():
    try:
        f(0)
    except RuntimeError:
        print('caught')

caught()
op.TDResources.ThreadManager.EnqueueTask(op.TDResources.ThreadManager.TDTask(target=g, args=(0,)))
f(0)
`, Config{Frames: 3, Seed: 1, MaxRecursion: 200})
	errs := kinds(res, EvError)
	if len(errs) != 1 || errs[0].Line != 2 || errs[0].Detail != "RecursionError: maximum recursion depth exceeded" {
		t.Errorf("errors: %v", sites(res, EvError))
	}
	if p := kinds(res, EvPrint); len(p) != 1 || p[0].Detail != "caught" {
		t.Errorf("prints: %v", sites(res, EvPrint))
	}
	var workerErr strings.Builder
	for _, e := range kinds(res, EvFinish) {
		workerErr.WriteString(e.Detail)
	}
	if !strings.Contains(workerErr.String(), "RecursionError") {
		t.Errorf("the worker's recursion: %v", sites(res, EvFinish))
	}
}

// TestPythonMemoryLimit: a value that grows without bound stops the
// simulation with an error once the heap passes Config.MaxMemory. This
// loop calls into the runtime, so it stops cleanly at such a call; one
// that never does is abandoned (see cmd/tdlint's TestSimulateLimits).
func TestPythonMemoryLimit(t *testing.T) {
	res, err := Simulate(&Scenario{Name: "grow.py", Src: `chunks = []
while True:
    chunks.append('x' * 100000)
    op('status')
`}, Config{Frames: 3, Seed: 1, MaxMemory: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || !strings.Contains(res.Err.Error(), "memory limit of 64 MiB") {
		t.Errorf("err = %v, want the memory limit", res.Err)
	}
}

// TestPythonTooDeepIsACompileError: gpython's compiler recursed into
// 100,000 nested lambdas until the Go stack overflowed; nesting deeper
// than CPython compiles is now the scenario's CompileError.
func TestPythonTooDeepIsACompileError(t *testing.T) {
	for _, src := range []string{
		"x = " + strings.Repeat("lambda: ", 100000) + "0\n",
		"x = a" + strings.Repeat(".b", 100000) + "\n",
	} {
		_, err := Simulate(&Scenario{Name: "deep.py", Src: src}, Config{Frames: 1})
		if _, ok := errors.AsType[*CompileError](err); !ok || !strings.Contains(err.Error(), "nested more than 4000 levels deep") {
			t.Errorf("%.20s…: err = %v, want a CompileError", src, err)
		}
	}
}

// TestPythonPrintGuardsTheGoStack: gpython's repr recursed into a list
// that contains itself until the Go stack overflowed; print() and repr()
// raise RecursionError there instead, and on nesting past MaxRecursion.
func TestPythonPrintGuardsTheGoStack(t *testing.T) {
	res := simulate(t, `l = [1]
l.append(l)
n = []
for i in range(5000):
    n = [n]
try:
    print(n)
except RuntimeError:
    print('deep')
try:
    repr({'a': (l,)})
except RuntimeError:
    print('cyclic')
print(repr([1, (2, {'a': 3})]))
print(l)
`, Config{Frames: 1, Seed: 1})
	var got []string
	for _, e := range kinds(res, EvPrint) {
		got = append(got, e.Detail)
	}
	if want := "deep cyclic [1, (2, {'a': 3})]"; strings.Join(got, " ") != want {
		t.Errorf("prints %q, want %q", got, want)
	}
	if errs := kinds(res, EvError); len(errs) != 1 || errs[0].Line != 15 || !strings.HasPrefix(errs[0].Detail, "RecursionError:") {
		t.Errorf("errors: %v", sites(res, EvError))
	}
}

// TestRuntimeExceptionsAreExceptions: `except Exception` catches the
// runtime's own exception types (ThreadConflict, queue.Empty), as in
// CPython; gpython left types made after its start without an MRO.
func TestRuntimeExceptionsAreExceptions(t *testing.T) {
	res := simulate(t, `import threading
import queue

def work():
    try:
        op('x').par.y
    except Exception:
        pass
    try:
        queue.Queue().get_nowait()
    except Exception:
        pass
    try:
        raise tdError('x')
    except Exception:
        pass

threading.Thread(target=work).start()
`, Config{Frames: 3, Seed: 1})
	if errs := kinds(res, EvError); len(errs) != 0 {
		t.Errorf("an exception escaped `except Exception`: %+v", errs)
	}
	if len(kinds(res, EvConflict)) != 1 {
		t.Errorf("want the conflict observed: %+v", res.Events)
	}
}

// TestProblemEventsCarryTheirChain: a conflict says which calls led to
// it, from the thread's target down; events that are not problems do not.
func TestProblemEventsCarryTheirChain(t *testing.T) {
	res := simulate(t, `import threading

def touch():
    op('x').par.y = 1

def work():
    touch()

threading.Thread(target=work).start()
`, Config{Frames: 2, Seed: 1})
	c := kinds(res, EvConflict)
	if len(c) == 0 {
		t.Fatal("no conflict")
	}
	want := []Frame{{Site: Site{File: "s.py", Line: 7}, Func: "work"}, {Site: Site{File: "s.py", Line: 4}, Func: "touch"}}
	if !slices.Equal(c[0].Stack, want) {
		t.Errorf("chain %+v, want %+v", c[0].Stack, want)
	}
	for _, ev := range kinds(res, EvStart) {
		if ev.Stack != nil {
			t.Errorf("a start event has a chain: %+v", ev)
		}
	}
	var b strings.Builder
	if err := WriteText(&b, res, Config{Frames: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<- s.py:7") || !strings.Contains(b.String(), "in work()") {
		t.Errorf("the text trace does not show the chain:\n%s", b.String())
	}
}
