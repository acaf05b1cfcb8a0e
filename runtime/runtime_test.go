package runtime

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// log collects what the callbacks of a test saw, with the frame.
type log struct{ lines []string }

func (l *log) add(t *Thread, format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf("f%d %s: ", t.rt.frame, t.Name)+fmt.Sprintf(format, args...))
}

func kinds(res *Result, k EventKind) []Event {
	var out []Event
	for i := range res.Events {
		if e := &res.Events[i]; e.Kind == k {
			out = append(out, *e)
		}
	}
	return out
}

func TestFramePhasesInOrder(t *testing.T) {
	var l log
	// No preemption: the worker's first turn comes when the main thread
	// waits for frame 1.
	rt := New(Config{Frames: 4, Seed: 1, Preempt: -1})
	var task *Task
	rt.Setup(func(th *Thread) error {
		task = &Task{
			Name: "work",
			Target: func(w *Thread) error {
				w.Sleep(20 * time.Millisecond) // finishes during frame 1
				return nil
			},
			Success: func(m *Thread, _ *Task, _ error) error { l.add(m, "success"); return nil },
			Refresh: func(m *Thread, _ *Task, _ error) error { l.add(m, "refresh"); return nil },
		}
		if _, err := th.EnqueueTask(task, false); err != nil {
			return err
		}
		_, err := th.Schedule(RunSpec{DelayFrames: 2, Fn: func(m *Thread) error { l.add(m, "run delayFrames=2"); return nil }})
		if err != nil {
			return err
		}
		_, err = th.Schedule(RunSpec{EndFrame: true, Fn: func(m *Thread) error { l.add(m, "run endFrame"); return nil }})
		return err
	})
	rt.OnFrame(func(th *Thread, _ int) error { l.add(th, "cook"); return nil })
	res := rt.Run()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		"f0 main: cook",
		"f0 main: run endFrame",
		"f1 main: refresh",
		"f1 main: cook",
		"f2 main: run delayFrames=2",
		"f2 main: success",
		"f2 main: cook",
		"f3 main: cook",
	}
	if !slices.Equal(l.lines, want) {
		t.Errorf("phases:\n%s\nwant:\n%s", strings.Join(l.lines, "\n"), strings.Join(want, "\n"))
	}
	if res.Frames != 4 || res.Dropped != 0 {
		t.Errorf("frames %d dropped %d, want 4 and 0", res.Frames, res.Dropped)
	}
}

func TestPoolIsFIFOAndStarves(t *testing.T) {
	rt := New(Config{Frames: 10, PoolSize: 4, CPUs: 2, Seed: 7})
	var started []int
	block := &Flag{}
	rt.Setup(func(th *Thread) error {
		for i := range 4 {
			task := &Task{Name: fmt.Sprint("t", i+1), Target: func(w *Thread) error {
				started = append(started, i+1)
				block.Wait(w, -1)
				return nil
			}}
			if _, err := th.EnqueueTask(task, false); err != nil {
				return err
			}
		}
		return nil
	})
	res := rt.Run()
	// CPUs=2 caps the pool at two workers: tasks 1 and 2 run forever,
	// 3 and 4 never start.
	if !slices.Equal(started, []int{1, 2}) && !slices.Equal(started, []int{2, 1}) {
		t.Errorf("started %v, want tasks 1 and 2", started)
	}
	if got := len(kinds(res, EvHold)); got != 2 {
		t.Errorf("%d hold events, want 2", got)
	}
	starve := kinds(res, EvStarve)
	if len(starve) != 2 || !strings.Contains(starve[0].Detail, "task 3") || !strings.Contains(starve[1].Detail, "task 4") {
		t.Errorf("starve events %+v, want tasks 3 and 4", starve)
	}
}

func TestFIFOOrderWhenWorkersFree(t *testing.T) {
	for seed := range uint64(20) {
		rt := New(Config{Frames: 30, PoolSize: 1, Seed: seed})
		var order []int
		rt.Setup(func(th *Thread) error {
			for i := range 5 {
				task := &Task{Name: strconv.Itoa(i), Target: func(w *Thread) error {
					order = append(order, i)
					w.Sleep(time.Millisecond)
					return nil
				}}
				if _, err := th.EnqueueTask(task, false); err != nil {
					return err
				}
			}
			return nil
		})
		if res := rt.Run(); res.Err != nil {
			t.Fatal(res.Err)
		}
		if !slices.Equal(order, []int{0, 1, 2, 3, 4}) {
			t.Fatalf("seed %d: one worker ran tasks in order %v, want FIFO", seed, order)
		}
	}
}

func TestStandaloneLeavesThePoolFree(t *testing.T) {
	rt := New(Config{Frames: 10, PoolSize: 1, Seed: 3})
	ran := false
	rt.Setup(func(th *Thread) error {
		server := &Task{Name: "server", Target: func(w *Thread) error {
			for {
				w.Sleep(5 * time.Millisecond)
			}
		}}
		if th, err := th.EnqueueTask(server, true); err != nil || th == nil || th.Kind != Standalone {
			return fmt.Errorf("standalone enqueue: %v %w", th, err)
		}
		_, err := th.EnqueueTask(&Task{Name: "short", Target: func(*Thread) error { ran = true; return nil }}, false)
		return err
	})
	res := rt.Run()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !ran || len(kinds(res, EvHold)) != 0 || len(kinds(res, EvStarve)) != 0 {
		t.Errorf("ran=%v hold=%v starve=%v; a standalone server must not hold the pool", ran, kinds(res, EvHold), kinds(res, EvStarve))
	}
}

func TestConflictIsAnErrorInTheWorker(t *testing.T) {
	rt := New(Config{Frames: 5, Seed: 1})
	var got error
	rt.Setup(func(th *Thread) error {
		if err := th.Access("op('x')"); err != nil {
			return fmt.Errorf("main-thread access must be fine: %w", err)
		}
		_, err := th.EnqueueTask(&Task{
			Name:   "bad",
			Target: func(w *Thread) error { return w.Access("op('x').par.Value") },
			Except: func(_ *Thread, _ *Task, err error) error { got = err; return nil },
		}, false)
		return err
	})
	res := rt.Run()
	conflicts := kinds(res, EvConflict)
	if len(conflicts) != 1 || !strings.HasPrefix(conflicts[0].Thread, "pool-") {
		t.Fatalf("conflicts %+v, want one on a pool thread", conflicts)
	}
	if !strings.HasSuffix(conflicts[0].File, "runtime_test.go") || conflicts[0].Line == 0 {
		t.Errorf("conflict site %v, want this test's line", conflicts[0].Site)
	}
	if _, ok := errors.AsType[*ConflictError](got); !ok {
		t.Errorf("ExceptHook got %v, want the ConflictError", got)
	}
	if len(res.Accesses) != 2 || !res.Accesses[0].Main || res.Accesses[1].Main {
		t.Errorf("accesses %+v", res.Accesses)
	}
}

func TestMainThreadBlockingStalls(t *testing.T) {
	rt := New(Config{Frames: 30, Seed: 1})
	rt.OnFrame(func(th *Thread, frame int) error {
		if frame == 2 {
			th.Sleep(100 * time.Millisecond)
		}
		return nil
	})
	res := rt.Run()
	stalls := kinds(res, EvStall)
	if len(stalls) != 1 || stalls[0].Dur != 100*time.Millisecond {
		t.Fatalf("stalls %+v, want one of 100ms", stalls)
	}
	// 100 ms at 60 fps: the frames starting within it are dropped.
	if res.Dropped != 6 || res.Frames != 30-6 {
		t.Errorf("dropped %d, cooked %d; want 6 and 24", res.Dropped, res.Frames)
	}
}

func TestWorkerBlockingDoesNotStall(t *testing.T) {
	rt := New(Config{Frames: 30, Seed: 1})
	rt.Setup(func(th *Thread) error {
		_, err := th.EnqueueTask(&Task{Name: "sleepy", Target: func(w *Thread) error { w.Sleep(time.Second); return nil }}, false)
		return err
	})
	res := rt.Run()
	if len(kinds(res, EvStall)) != 0 || res.Dropped != 0 {
		t.Errorf("a worker's sleep stalled the main thread: %+v", kinds(res, EvStall))
	}
}

func TestBlockingGetOnMainFreezes(t *testing.T) {
	rt := New(Config{Frames: 10, Seed: 1})
	q := NewQueue(0)
	rt.OnFrame(func(th *Thread, _ int) error {
		q.Get(th, true, -1)
		return nil
	})
	res := rt.Run()
	if !res.Deadlock || len(kinds(res, EvFreeze)) != 1 {
		t.Errorf("deadlock=%v freeze=%v, want a freeze", res.Deadlock, kinds(res, EvFreeze))
	}
}

func TestInfoQueueDrainedInRefreshHook(t *testing.T) {
	rt := New(Config{Frames: 20, Seed: 2})
	var got []any
	rt.Setup(func(th *Thread) error {
		task := &Task{Name: "progress"}
		task.Target = func(w *Thread) error {
			for i := range 3 {
				w.InfoQueue.Put(w, i, true, -1)
				w.Sleep(30 * time.Millisecond)
			}
			return nil
		}
		drain := func(m *Thread, k *Task, _ error) error {
			for {
				v, ok := k.Thread.InfoQueue.Get(m, false, -1)
				if !ok {
					return nil
				}
				got = append(got, v)
			}
		}
		task.Refresh, task.Success = drain, drain
		_, err := th.EnqueueTask(task, false)
		return err
	})
	res := rt.Run()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !slices.Equal(got, []any{0, 1, 2}) {
		t.Errorf("drained %v, want [0 1 2]", got)
	}
	if len(kinds(res, EvStall)) != 0 {
		t.Errorf("non-blocking gets stalled: %+v", kinds(res, EvStall))
	}
}

type fakeOP struct{ valid bool }

func (o *fakeOP) Valid() bool { return o.valid }

func TestRunDelaysKillAndFromOP(t *testing.T) {
	var l log
	rt := New(Config{Frames: 12, Seed: 1})
	owner := &fakeOP{valid: true}
	rt.Setup(func(th *Thread) error {
		note := func(s string) func(*Thread) error {
			return func(m *Thread) error { l.add(m, "%s", s); return nil }
		}
		if _, err := th.Schedule(RunSpec{Fn: note("now")}); err != nil {
			return err
		}
		if _, err := th.Schedule(RunSpec{Delay: 50 * time.Millisecond, Fn: note("50ms")}); err != nil {
			return err
		}
		killed, _ := th.Schedule(RunSpec{DelayFrames: 5, Fn: note("killed")})
		if _, err := th.Schedule(RunSpec{DelayFrames: 1, Fn: func(m *Thread) error { killed.Kill(m); return nil }}); err != nil {
			return err
		}
		if _, err := th.Schedule(RunSpec{DelayFrames: 4, FromOP: owner, Fn: note("owner gone")}); err != nil {
			return err
		}
		_, err := th.Schedule(RunSpec{DelayFrames: 2, Fn: func(*Thread) error { owner.valid = false; return nil }})
		return err
	})
	res := rt.Run()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	// 50 ms is three frames at 60 fps.
	want := []string{"f0 main: now", "f3 main: 50ms"}
	if !slices.Equal(l.lines, want) {
		t.Errorf("runs %q, want %q", l.lines, want)
	}
	var details []string
	for _, e := range kinds(res, EvRun) {
		details = append(details, e.Detail)
	}
	joined := strings.Join(details, "\n")
	for _, w := range []string{"run 3 killed", "run 5 cancelled: its fromOP was deleted"} {
		if !strings.Contains(joined, w) {
			t.Errorf("run events lack %q:\n%s", w, joined)
		}
	}
}

func trace(res *Result) string {
	var b strings.Builder
	for i := range res.Events {
		e := &res.Events[i]
		fmt.Fprintf(&b, "%d %s %s %s %s\n", e.Frame, e.Thread, e.Kind, e.Detail, e.Time)
	}
	return b.String()
}

// racy enqueues two tasks that append to a shared list between sleeps;
// the interleaving depends on the seed.
func racy(seed uint64) (res *Result, order []string) {
	rt := New(Config{Frames: 20, Seed: seed})
	rt.Setup(func(th *Thread) error {
		for _, name := range []string{"a", "b", "c"} {
			_, err := th.EnqueueTask(&Task{Name: name, Target: func(w *Thread) error {
				for i := range 3 {
					order = append(order, fmt.Sprint(name, i))
					w.Point()
				}
				return nil
			}}, false)
			if err != nil {
				return err
			}
		}
		return nil
	})
	res = rt.Run()
	return res, order
}

func TestDeterministicPerSeed(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(12) {
		r1, o1 := racy(seed)
		r2, o2 := racy(seed)
		if trace(r1) != trace(r2) || !slices.Equal(o1, o2) {
			t.Fatalf("seed %d gave two traces:\n%s\n%s", seed, trace(r1), trace(r2))
		}
		seen[strings.Join(o1, ",")] = true
	}
	if len(seen) < 3 {
		t.Errorf("12 seeds explored %d interleavings, want several", len(seen))
	}
}

func TestStepBudget(t *testing.T) {
	rt := New(Config{Frames: 10, MaxSteps: 1000, Seed: 1})
	rt.Setup(func(th *Thread) error {
		_, err := th.EnqueueTask(&Task{Name: "spin", Target: func(w *Thread) error {
			for {
				w.Point()
			}
		}}, false)
		return err
	})
	res := rt.Run()
	if res.Err == nil || !strings.Contains(res.Err.Error(), "budget") {
		t.Errorf("err = %v, want a budget error", res.Err)
	}
}

func TestJoinAndLocks(t *testing.T) {
	rt := New(Config{Frames: 5, Seed: 4})
	lock := NewLock(false)
	counter := 0
	rt.Setup(func(th *Thread) error {
		var ts []*Thread
		for i := range 3 {
			ts = append(ts, th.Go(fmt.Sprint("w", i), func(w *Thread) error {
				for range 5 {
					lock.Acquire(w, true, -1)
					v := counter
					w.Sleep(time.Millisecond)
					counter = v + 1
					lock.Release(w)
				}
				return nil
			}))
		}
		for _, w := range ts {
			w0 := w
			if !th.Join(w0, -1) {
				return errors.New("join timed out")
			}
		}
		return nil
	})
	res := rt.Run()
	if counter != 15 {
		t.Errorf("counter %d, want 15 (the lock serialises)", counter)
	}
	if len(kinds(res, EvStall)) == 0 {
		t.Errorf("joining on the main thread is a stall: %+v", kinds(res, EvStall))
	}
}

// TestStopUnwindsOneThreadAtATime: at the end of a simulation the threads
// still blocked are told to exit, and their goroutines unwind, running the
// deferred calls of their frames (the Python binding's bookkeeping). Those
// calls share state with no lock, as everything else in a simulation does,
// so they must run one thread at a time, and all before Run returns.
// Unwinding them at once was a data race (go test -race reports it here)
// and, now and then, "fatal error: concurrent map writes".
func TestStopUnwindsOneThreadAtATime(t *testing.T) {
	for seed := range uint64(20) {
		rt := New(Config{Frames: 3, Seed: seed})
		shared := map[string]int{}
		unwinding, overlaps, unwound := 0, 0, 0
		park := func(th *Thread) error {
			defer func() {
				unwinding++
				for range 50 {
					goruntime.Gosched()
				}
				shared[th.Name]++ // what the binding's frame stacks do
				if unwinding != 1 {
					overlaps++
				}
				unwinding--
				unwound++
			}()
			th.wait("never", CauseBlocking, func() bool { return false }, forever)
			return nil
		}
		rt.Setup(func(th *Thread) error {
			for i := range 6 {
				th.Go("parked-"+strconv.Itoa(i), park)
			}
			return nil
		})
		res := rt.Run()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if unwound != 6 || overlaps != 0 || len(shared) != 6 {
			t.Fatalf("seed %d: %d of 6 threads unwound before Run returned, %d while another was unwinding", seed, unwound, overlaps)
		}
	}
}
