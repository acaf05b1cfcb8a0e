package runtime

import (
	"math/rand/v2"
	goruntime "runtime"
	"runtime/metrics"
	"time"
)

// ThreadKind says what started a thread.
type ThreadKind int

const (
	// MainThread is TouchDesigner's own thread: frames, hooks, run().
	MainThread ThreadKind = iota
	// PoolWorker is one of the ThreadManager's pool threads.
	PoolWorker
	// Standalone is a thread of EnqueueTask(task, standalone=True).
	Standalone
	// PythonThread is a plain threading.Thread.
	PythonThread
)

func (k ThreadKind) String() string {
	switch k {
	case MainThread:
		return "main"
	case PoolWorker:
		return "pool"
	case Standalone:
		return "standalone"
	default:
		return "thread"
	}
}

type threadState int

const (
	stateRunnable threadState = iota
	stateBlocked              // waiting for cond, or until deadline when cond is nil
	stateDone
)

// forever is a deadline that never comes.
const forever = time.Duration(1<<63 - 1)

// Thread is one simulated thread. Its methods must be called from the
// thread's own goroutine while it has the turn.
type Thread struct {
	rt   *Runtime
	ID   int
	Name string
	Kind ThreadKind

	state    threadState
	cond     func() bool // nil: a plain sleep until deadline
	deadline time.Duration
	timedOut bool
	resume   chan bool     // true: run on; false: the simulation is over, exit
	exited   chan struct{} // closed when the goroutine has ended

	// Where returns the current source location of the thread (for
	// Python threads, the line gpython executes); nil uses the Go caller.
	Where func() Site
	// Local is per-thread data for the language binding.
	Local any

	task      *Task  // the task a pool or standalone thread is running
	InfoQueue *Queue // pool and standalone threads: TD's per-thread InfoQueue
	done      bool
	aborted   bool
	body      func(*Thread)
}

// Site is a source location.
type Site struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Col is the 1-based column, where the engine knows it (CPython's
	// co_positions; gpython does not tell).
	Col int `json:"col,omitempty"`
}

func (s Site) String() string {
	if s.File == "" {
		return "-"
	}
	if s.Line == 0 {
		return s.File
	}
	return s.File + ":" + itoa(s.Line)
}

// IsMain reports whether t is the main thread.
func (t *Thread) IsMain() bool { return t.Kind == MainThread }

// Runtime returns the runtime t belongs to.
func (t *Thread) Runtime() *Runtime { return t.rt }

// Site returns where t is executing now.
func (t *Thread) Site() Site {
	if t.Where != nil {
		if s := t.Where(); s.File != "" {
			return s
		}
	}
	if t.rt.SiteFunc != nil {
		if s := t.rt.SiteFunc(t); s.File != "" {
			return s
		}
	}
	return goSite(2)
}

// goSite is the first caller outside this package.
func goSite(skip int) Site {
	pcs := make([]uintptr, 16)
	n := goruntime.Callers(skip+1, pcs)
	frames := goruntime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !isOwnFrame(f.Function) {
			return Site{File: f.File, Line: f.Line}
		}
		if !more {
			return Site{}
		}
	}
}

func isOwnFrame(fn string) bool {
	const pkg = "github.com/tdlint/tdlint/runtime."
	return len(fn) > len(pkg) && fn[:len(pkg)] == pkg && !isTestFunc(fn[len(pkg):])
}

func isTestFunc(s string) bool {
	return len(s) > 4 && s[:4] == "Test"
}

// newThread creates a runnable thread that will run body once the kernel
// gives it its first turn.
func (r *Runtime) newThread(kind ThreadKind, name string, body func(*Thread)) *Thread {
	t := &Thread{rt: r, ID: len(r.threads), Name: name, Kind: kind, resume: make(chan bool), exited: make(chan struct{}), body: body}
	if kind == PoolWorker || kind == Standalone {
		t.InfoQueue = NewQueue(0)
	}
	r.threads = append(r.threads, t)
	r.alive.Add(1)
	go t.main()
	return t
}

func (t *Thread) main() {
	defer t.rt.alive.Done()
	defer close(t.exited)
	if !<-t.resume {
		return
	}
	defer func() {
		if t.aborted {
			return
		}
		if p := recover(); p != nil {
			t.rt.panicked = p
		}
		t.state = stateDone
		t.done = true
		t.rt.back <- struct{}{}
	}()
	t.body(t)
}

// yield hands the turn back to the kernel and waits for the next one. When
// the simulation is over the goroutine ends here: nothing it would do can
// be observed any more.
func (t *Thread) yield() {
	t.rt.back <- struct{}{}
	if !<-t.resume {
		t.aborted = true
		goruntime.Goexit()
	}
}

// Point is a scheduling point: with probability Config.Preempt the thread
// lets another runnable thread go first. Every call into the runtime is one.
func (t *Thread) Point() {
	r := t.rt
	if r.gone.Load() {
		// The kernel abandoned this thread (a busy loop, the heap limit):
		// it must touch nothing of the simulation any more.
		t.aborted = true
		goruntime.Goexit()
	}
	r.steps++
	t.cover()
	if r.overHeap() {
		// Hand the turn back: the kernel stops there.
		t.state = stateRunnable
		t.yield()
		return
	}
	if r.cfg.Preempt > 0 && r.rng.Float64() < r.cfg.Preempt {
		t.state = stateRunnable
		t.yield()
	}
}

// cover records the line calling into the runtime as executed.
func (t *Thread) cover() {
	r := t.rt
	if r.SiteFunc == nil {
		return
	}
	s := r.SiteFunc(t)
	if s.File == "" {
		return
	}
	s.Col = 0 // coverage is by line
	if r.executed == nil {
		r.executed = map[Site]bool{}
	}
	if !r.executed[s] {
		r.executed[s] = true
		r.res.Executed = append(r.res.Executed, s)
	}
}

// block waits until cond holds or the virtual clock reaches deadline;
// it reports whether cond held (false: timed out). cond is only evaluated
// by the kernel between turns.
func (t *Thread) block(cond func() bool, deadline time.Duration) bool {
	if cond != nil && cond() {
		t.Point()
		return true
	}
	t.state, t.cond, t.deadline, t.timedOut = stateBlocked, cond, deadline, false
	t.yield()
	t.cond = nil
	return !t.timedOut
}

// Sleep blocks t for d of virtual time.
func (t *Thread) Sleep(d time.Duration) {
	if d <= 0 {
		t.Point()
		return
	}
	t.wait("time.sleep", CauseBlocking, nil, t.rt.now+d)
}

// Busy blocks t for d in a call named what (network I/O, a subprocess):
// on the main thread it is a stall.
func (t *Thread) Busy(what string, d time.Duration) {
	t.wait(what, CauseBlocking, nil, t.rt.now+max(d, 1))
}

// runKernel hands turns out until the main thread has cooked every frame,
// the step budget runs out or nothing can ever run again.
func (r *Runtime) runKernel() {
	for !r.main.done {
		if r.panicked != nil {
			return
		}
		if r.cfg.MaxSteps > 0 && r.steps > r.cfg.MaxSteps {
			r.budgetExceeded = true
			return
		}
		if r.overHeap() {
			r.heapExceeded = true
			return
		}
		ready := r.ready[:0]
		for _, t := range r.threads {
			switch t.state {
			case stateRunnable:
				ready = append(ready, t)
			case stateBlocked:
				if t.cond != nil && t.cond() {
					t.state = stateRunnable
					ready = append(ready, t)
				}
			case stateDone:
			}
		}
		r.ready = ready
		if len(ready) == 0 {
			next := forever
			for _, t := range r.threads {
				if t.state == stateBlocked && t.deadline < next {
					next = t.deadline
				}
			}
			if next == forever {
				r.deadlocked = true
				return
			}
			r.now = next
			for _, t := range r.threads {
				if t.state == stateBlocked && t.deadline <= next {
					t.state, t.timedOut = stateRunnable, t.cond != nil
				}
			}
			continue
		}
		t := ready[0]
		if len(ready) > 1 {
			t = ready[r.rng.IntN(len(ready))]
		}
		t.state = stateRunnable
		r.current = t
		t.resume <- true
		if !r.waitTurn() {
			return
		}
		r.current = nil
	}
}

// waitTurn waits for the running thread to hand the turn back. Python that
// never calls into the runtime (a busy loop) cannot be interrupted; after
// Config.WallLimit of real time, or once the heap passes Config.MaxMemory,
// the simulation is abandoned with an error, leaving that goroutine behind.
func (r *Runtime) waitTurn() bool {
	if r.watchdog == nil {
		r.watchdog = time.NewTimer(r.cfg.WallLimit)
	}
	select {
	case <-r.back:
		return true
	case <-r.watchdog.C:
		r.abandoned = true
		r.gone.Store(true)
		return false
	case <-r.heapOver:
		r.abandoned, r.heapExceeded = true, true
		r.gone.Store(true)
		return false
	}
}

// heapPollEvery is how often the heap is looked at: a string doubling in
// a loop passes the limit within a second.
const heapPollEvery = 5 * time.Millisecond

// watchHeap closes r.heapOver once the heap passes Config.MaxMemory, until
// the returned stop is called. Looking takes microseconds: too long to do
// at every call into the runtime, which only looks at the channel.
func (r *Runtime) watchHeap() (stop func()) {
	r.heapOver = make(chan struct{})
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(heapPollEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if heapBytes() > uint64(r.cfg.MaxMemory) {
					close(r.heapOver)
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// overHeap reports, once the heap watch has fired, that the simulation
// must stop.
func (r *Runtime) overHeap() bool {
	// It writes nothing: a thread asks it at its scheduling points while
	// the kernel may be abandoning it (see Point).
	select {
	case <-r.heapOver:
		return true
	default:
		return false
	}
}

// heapBytes is the memory the heap's objects take, live or not yet swept;
// reading it does not stop the world, unlike runtime.ReadMemStats.
func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// stop ends every goroutine still parked in yield, one at a time: a
// goroutine told to exit unwinds its Go frames (runtime.Goexit runs their
// deferred calls, which update the binding's shared state, such as the
// Python frame stacks), so the next one is resumed only once it has ended.
// Resuming them all at once let two of them write the same map (a data
// race, and "concurrent map writes" now and then).
func (r *Runtime) stop() {
	if r.abandoned {
		return
	}
	for _, t := range r.threads {
		if !t.done {
			t.resume <- false
			<-t.exited
		}
	}
	r.alive.Wait()
}

func newRand(seed uint64) *rand.Rand {
	//nolint:gosec // scheduling must be reproducible from a seed, not secret
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
