package runtime

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Config sets up a simulation. The zero value is TouchDesigner's defaults
// with seed 0.
type Config struct {
	// FPS is the frame rate of the main thread's cook loop (default 60).
	FPS int
	// Frames is how many frames to simulate (default 120); frame indices
	// dropped by a stall count.
	Frames int
	// PoolSize is the ThreadManager pool's size (default 4); the pool has
	// min(PoolSize, CPUs) workers.
	PoolSize int
	// CPUs is the simulated machine's CPU count (default 8). It is not the
	// host's, so a trace does not depend on where it was recorded.
	CPUs int
	// Seed drives every scheduling decision.
	Seed uint64
	// Preempt is the probability that a call into the runtime lets another
	// runnable thread go first (default 0.25; negative: never).
	Preempt float64
	// MaxSteps bounds the calls into the runtime (default 1,000,000), so a
	// runaway scenario ends with a budget error.
	MaxSteps int
	// ConflictContinues lets a thread go on after a thread conflict. By
	// default the conflict is an error raised in the offending thread, as
	// the contract says; TouchDesigner itself shows a dialog.
	ConflictContinues bool
	// Hooks is what TD passes each TDTask hook (nil lists: DefaultHooks).
	// The runtime calls a hook with these arguments and observes whether
	// Python accepts them; it never judges a hook's signature itself.
	Hooks HookConvention
	// HookTask passes the task as the first argument of every hook (the
	// convention of the spec's seed example), on top of Hooks.
	HookTask bool
	// Latency is how long a simulated network call takes (default 250 ms).
	Latency time.Duration
	// WallLimit bounds the real time a simulation may take (default 20 s):
	// Python that loops without ever calling into the runtime cannot be
	// interrupted otherwise.
	WallLimit time.Duration
	// MaxRecursion bounds how deep Python calls nest on one thread
	// (default 1,000, CPython's limit): deeper, the call raises
	// RecursionError. Unbounded, gpython recursion overflows the Go stack,
	// which kills the process.
	MaxRecursion int
	// MaxMemory bounds the Go heap a simulation may grow (default 256 MiB,
	// a hundred times what the example scenarios take).
	// Python that allocates without calling into the runtime (`s = s + s`
	// in a loop) cannot be interrupted: past the limit the simulation is
	// abandoned with an error, as at WallLimit.
	MaxMemory int64
}

func (c Config) withDefaults() Config {
	if c.FPS <= 0 {
		c.FPS = 60
	}
	if c.Frames <= 0 {
		c.Frames = 120
	}
	if c.PoolSize <= 0 {
		c.PoolSize = 4
	}
	if c.CPUs <= 0 {
		c.CPUs = 8
	}
	if c.Preempt == 0 {
		c.Preempt = 0.25
	}
	if c.MaxSteps <= 0 {
		c.MaxSteps = 1_000_000
	}
	if c.Latency <= 0 {
		c.Latency = 250 * time.Millisecond
	}
	if c.WallLimit <= 0 {
		c.WallLimit = 20 * time.Second
	}
	if c.MaxRecursion <= 0 {
		c.MaxRecursion = 1000
	}
	if c.MaxMemory <= 0 {
		c.MaxMemory = 256 << 20
	}
	return c
}

// EventKind names what happened.
type EventKind string

// The events of a trace.
const (
	EvEnqueue   EventKind = "enqueue"    // EnqueueTask
	EvStart     EventKind = "start"      // a task's target or a thread starts
	EvFinish    EventKind = "finish"     // a target returned or raised
	EvHook      EventKind = "hook"       // a hook ran on the main thread
	EvRun       EventKind = "run"        // run(): scheduled, executed, killed, cancelled
	EvConflict  EventKind = "conflict"   // a TD object used off the main thread
	EvStall     EventKind = "stall"      // the main thread blocked
	EvFreeze    EventKind = "freeze"     // the main thread blocked for good
	EvStarve    EventKind = "starve"     // a task never started
	EvHold      EventKind = "hold"       // a pool task never finished
	EvError     EventKind = "error"      // an exception nothing handled
	EvRunError  EventKind = "run-error"  // run() could not run its script
	EvHookError EventKind = "hook-error" // a hook could not take its arguments
	EvPrint     EventKind = "print"      // text output
)

// Cause says how an observed problem came about: which path led the
// thread to the TD object, what the main thread waited for, which argument
// run() refused. It is what the runtime saw, not a rule's verdict; the
// agreement test maps each cause to the one rule that predicts it.
type Cause string

// The causes of problem events.
const (
	// Conflicts: how the worker reached the TD object.
	CauseDirect        Cause = "direct"         // through TD's globals (op(), me, parent()...) or the worker's own objects
	CauseThreadManager Cause = "thread-manager" // op.TDResources / the ThreadManager
	CauseRun           Cause = "run"            // run()
	CauseCaptured      Cause = "captured"       // a closure cell of the thread's target
	CausePassedIn      Cause = "passed-in"      // an argument of the task or thread (Event.Origin: where)
	CauseOutput        Cause = "output"         // print() or debug(): TD's textport
	// Stalls and freezes of the main thread.
	CauseBlocking   Cause = "blocking-call" // sleep, network, queue get, join, Event.wait...
	CauseWorkerLock Cause = "worker-lock"   // a lock another thread holds
	// Pool tasks that never end (hold) or never start (starve).
	CauseLongTask Cause = "long-lived-task"
	// A hook that Python refused to call with TD's arguments.
	CauseHookArgs Cause = "hook-error"
	// run() refusing its arguments or its script.
	CauseRunScriptType Cause = "run-script-type" // the script is neither a string nor a callable
	CauseRunKeyword    Cause = "run-keyword"     // an unknown keyword argument
	CauseRunSyntax     Cause = "run-syntax"      // the script string does not compile
)

// Event is one line of a trace.
type Event struct {
	Frame  int           `json:"frame"`
	Time   time.Duration `json:"time_ns"`
	Thread string        `json:"thread"`
	Kind   EventKind     `json:"event"`
	Site
	Detail string        `json:"detail,omitempty"`
	Dur    time.Duration `json:"duration_ns,omitempty"`
	// Cause is how the problem came about (problem events only).
	Cause Cause `json:"cause,omitempty"`
	// Origin is, for a conflict on a TD object passed to the thread, where
	// it was handed over; for a starved task, where the task holding the
	// pool was enqueued.
	Origin *Site `json:"origin,omitempty"`
	// Stack is, for a problem the thread ran into (a conflict, a stall, a
	// run() error), the chain of the project's calls that led there,
	// outermost first: the entry point TD or the thread called, down to
	// the line of the event.
	Stack []Frame `json:"stack,omitempty"`
}

// Frame is one call of a chain: where it is and the function it is in.
type Frame struct {
	Site
	Func string `json:"func,omitempty"`
}

// Access is one use of a TD object.
type Access struct {
	Thread string `json:"thread"`
	Main   bool   `json:"main"`
	What   string `json:"what"`
	Site
}

// Result is what a simulation observed.
type Result struct {
	Events   []Event
	Accesses []Access
	// Executed are the source lines that called into the runtime (with a
	// language binding that locates lines), the coverage the validation
	// needs to tell "not executed" from "executed, nothing happened".
	Executed []Site
	// Frames is the number of frames cooked, Dropped the frames skipped
	// by stalls.
	Frames, Dropped int
	// Deadlock: the main thread waited for something that never came.
	Deadlock bool
	// Err is set when the simulation could not finish: a step budget
	// exceeded or an internal panic.
	Err error
}

// ReportedError is an error with the event it should be reported as; language
// bindings use it to report Python exceptions at their source line.
type ReportedError struct {
	Kind  EventKind
	Cause Cause
	Site  Site
	Msg   string
	// Value is the binding's exception object, handed to ExceptHook.
	Value any
}

func (f *ReportedError) Error() string { return f.Msg }

// ConflictError is raised in a thread that used a TD object.
type ConflictError struct {
	What string
	Site Site
}

func (e *ConflictError) Error() string {
	return "THREAD CONFLICT: " + e.What + " used off the main thread"
}

// Runtime is one simulation. Build it with New, register the setup and
// frame callbacks, then call Run once.
type Runtime struct {
	cfg Config
	rng *rand.Rand

	now     time.Duration
	frame   int
	phase   string
	threads []*Thread
	main    *Thread
	current *Thread
	ready   []*Thread
	back    chan struct{}
	alive   sync.WaitGroup
	steps   int

	panicked       any
	abandoned      bool
	watchdog       *time.Timer
	mainBlock      blockInfo
	deadlocked     bool
	budgetExceeded bool
	heapExceeded   bool
	// gone is set when the kernel abandons the running thread; that
	// goroutine reads it (Point) and stops touching the simulation.
	gone     atomic.Bool
	heapOver chan struct{}

	setup   func(*Thread) error
	onFrame []func(*Thread, int) error

	workers   []*Thread
	queue     []*Task
	tasks     []*Task
	completed []*Task

	runs     []*Run
	nextRun  int
	executed map[Site]bool

	res Result
	ran bool

	// SiteFunc locates a thread's current source line when the thread has
	// no Where of its own (a language binding sets it).
	SiteFunc func(*Thread) Site
	// StackFunc gives the chain of calls a thread is in, outermost first
	// (a binding sets it; nil: no chains).
	StackFunc func(*Thread) []Frame
}

// New returns a runtime for cfg.
func New(cfg Config) *Runtime {
	cfg = cfg.withDefaults()
	return &Runtime{cfg: cfg, rng: newRand(cfg.Seed), back: make(chan struct{})}
}

// Abandoned reports whether Run gave up on a thread that never handed the
// turn back; that thread may still be running.
func (r *Runtime) Abandoned() bool { return r.abandoned }

// Config returns the configuration with defaults filled in.
func (r *Runtime) Config() Config { return r.cfg }

// Now is the virtual time.
func (r *Runtime) Now() time.Duration { return r.now }

// Frame is the index of the frame being cooked.
func (r *Runtime) Frame() int { return r.frame }

// Current is the thread that has the turn (nil between turns).
func (r *Runtime) Current() *Thread { return r.current }

// FrameDuration is one frame at the configured rate.
func (r *Runtime) FrameDuration() time.Duration { return time.Second / time.Duration(r.cfg.FPS) }

func (r *Runtime) frameStart(n int) time.Duration { return time.Duration(n) * r.FrameDuration() }

// Setup registers what the main thread runs before the first frame's
// phases (a scenario's top level).
func (r *Runtime) Setup(f func(*Thread) error) { r.setup = f }

// OnFrame registers a cook callback, called in phase 4 of every frame.
func (r *Runtime) OnFrame(f func(t *Thread, frame int) error) { r.onFrame = append(r.onFrame, f) }

// Run simulates until Config.Frames frames have passed, and returns what
// happened. It may be called once.
func (r *Runtime) Run() *Result {
	if r.ran {
		panic("runtime: Run called twice")
	}
	r.ran = true
	r.main = r.newThread(MainThread, "main", r.mainLoop)
	for i := range min(r.cfg.PoolSize, r.cfg.CPUs) {
		w := r.newThread(PoolWorker, "pool-"+itoa(i+1), r.poolWorker)
		w.state = stateBlocked
		w.cond, w.deadline = func() bool { return w.task != nil || len(r.queue) > 0 }, forever
		r.workers = append(r.workers, w)
	}
	// Pool workers wait for their first task before their goroutine's
	// first turn; give them that turn lazily.
	stopWatch := r.watchHeap()
	r.runKernel()
	stopWatch()
	if !r.abandoned {
		r.finish()
	}
	r.stop()
	if r.watchdog != nil {
		r.watchdog.Stop()
	}
	if r.heapExceeded {
		r.res.Err = fmt.Errorf("runtime: stopped at frame %d: the heap passed the memory limit of %d MiB (a value that grows without bound?)", r.frame, r.cfg.MaxMemory>>20)
	} else if r.abandoned {
		r.res.Err = fmt.Errorf("runtime: abandoned after %s of real time at frame %d: a thread runs Python that never calls into the runtime (a busy loop?)", r.cfg.WallLimit, r.frame)
	} else if r.panicked != nil {
		r.res.Err = fmt.Errorf("runtime: internal error: %v", r.panicked)
	} else if r.budgetExceeded {
		r.res.Err = fmt.Errorf("runtime: step budget of %d calls exceeded at frame %d (a loop that never blocks?)", r.cfg.MaxSteps, r.frame)
	}
	return &r.res
}

func (r *Runtime) mainLoop(t *Thread) {
	r.phase = "setup"
	if r.setup != nil {
		r.fail(t, r.setup(t))
	}
	for {
		r.cookFrame(t)
		r.res.Frames++
		next := r.frame + 1
		if s := r.frameStart(next); r.now > s {
			skip := int((r.now + r.FrameDuration() - 1) / r.FrameDuration())
			r.res.Dropped += skip - next
			next = skip
		}
		if next >= r.cfg.Frames {
			return
		}
		r.phase = "idle"
		t.block(nil, r.frameStart(next))
		r.frame = next
	}
}

func (r *Runtime) cookFrame(t *Thread) {
	r.phase = "runs"
	r.runDue(t, false)
	r.phase = "completions"
	done := r.completed
	r.completed = nil
	for _, task := range done {
		if task.Err == nil {
			r.hook(t, task, "SuccessHook", task.Success, nil)
		} else {
			r.hook(t, task, "ExceptHook", task.Except, task.Err)
		}
	}
	r.phase = "refresh"
	for _, task := range r.tasks {
		if task.State == TaskRunning && task.Refresh != nil {
			r.hook(t, task, "RefreshHook", task.Refresh, nil)
		}
	}
	r.phase = "cook"
	for _, f := range r.onFrame {
		r.fail(t, f(t, r.frame))
	}
	r.phase = "end"
	r.runDue(t, true)
}

func (r *Runtime) hook(t *Thread, task *Task, name string, h Hook, err error) {
	if h == nil {
		return
	}
	r.event(t, EvHook, task.HookSite(name), name+" of task "+itoa(task.ID)+" ("+task.Name+")")
	r.fail(t, h(t, task, err))
}

// fail records an error nothing handled.
func (r *Runtime) fail(t *Thread, err error) {
	if err == nil {
		return
	}
	if f, ok := errors.AsType[*ReportedError](err); ok {
		r.event(t, f.Kind, f.Site, f.Msg).Cause = f.Cause
		return
	}
	if c, ok := errors.AsType[*ConflictError](err); ok {
		r.event(t, EvError, c.Site, c.Error())
		return
	}
	r.event(t, EvError, t.Site(), err.Error())
}

// event appends to the trace.
func (r *Runtime) event(t *Thread, kind EventKind, site Site, detail string) *Event {
	name := "kernel"
	if t != nil {
		name = t.Name
	}
	ev := Event{Frame: r.frame, Time: r.now, Thread: name, Kind: kind, Site: site, Detail: detail}
	if t != nil && r.StackFunc != nil && chained[kind] {
		ev.Stack = r.StackFunc(t)
	}
	r.res.Events = append(r.res.Events, ev)
	return &r.res.Events[len(r.res.Events)-1]
}

// chained are the events that carry the chain of calls that led to them.
var chained = map[EventKind]bool{EvConflict: true, EvStall: true, EvFreeze: true, EvRunError: true}

// Event records an event of the binding's at site; the caller may set
// its cause and origin.
func (t *Thread) Event(kind EventKind, site Site, detail string) *Event {
	return t.rt.event(t, kind, site, detail)
}

// Access records a direct use of a TD object by t. Off the main thread it
// is a thread conflict, returned as a *ConflictError unless
// Config.ConflictContinues is set.
func (t *Thread) Access(what string) error {
	return t.AccessVia(what, CauseDirect, nil)
}

// AccessVia is Access for a TD object the thread reached through cause;
// origin is where it was handed over (CausePassedIn), or nil.
func (t *Thread) AccessVia(what string, cause Cause, origin *Site) error {
	t.Point()
	site := t.Site()
	r := t.rt
	r.res.Accesses = append(r.res.Accesses, Access{Thread: t.Name, Main: t.IsMain(), What: what, Site: site})
	if t.IsMain() {
		return nil
	}
	from := t.Kind.String() + " thread " + t.Name
	if t.Kind == PythonThread {
		from = "thread " + t.Name
	}
	ev := r.event(t, EvConflict, site, what+" used from "+from)
	ev.Cause = cause
	if origin != nil {
		ev.Origin = origin
		ev.Detail += " (handed over at " + origin.String() + ")"
	}
	if r.cfg.ConflictContinues {
		return nil
	}
	return &ConflictError{What: what, Site: site}
}

// Print records output; off the main thread it is a conflict too (TD
// replaces sys.stdout with its textport).
func (t *Thread) Print(text string) error {
	if err := t.AccessVia("print", CauseOutput, nil); err != nil {
		return err
	}
	t.rt.event(t, EvPrint, t.Site(), text)
	return nil
}

// wait blocks t on cond (nil: only the deadline) and accounts for the time
// as a stall when t is the main thread.
func (t *Thread) wait(what string, cause Cause, cond func() bool, deadline time.Duration) bool {
	t.cover()
	start, site := t.rt.now, t.Site()
	if t.IsMain() {
		t.rt.mainBlock = blockInfo{site: site, what: what, cause: cause}
	}
	ok := t.block(cond, deadline)
	if t.IsMain() {
		t.rt.mainBlock = blockInfo{}
	}
	t.rt.mainWaited(t, start, site, what, cause)
	return ok
}

type blockInfo struct {
	site  Site
	what  string
	cause Cause
}

func (r *Runtime) mainWaited(t *Thread, start time.Duration, site Site, what string, cause Cause) {
	if !t.IsMain() || r.now <= start {
		return
	}
	d := r.now - start
	dropped := int(r.now/r.FrameDuration()) - int(start/r.FrameDuration())
	ev := r.event(t, EvStall, site, fmt.Sprintf("%s blocked the main thread for %s (%d frame%s dropped)", what, fmtDur(d), dropped, plural(dropped)))
	ev.Dur, ev.Cause = d, cause
}

// finish reports what the end of the simulation leaves behind.
func (r *Runtime) finish() {
	if r.deadlocked && r.mainBlock.what != "" {
		r.res.Deadlock = true
		r.event(r.main, EvFreeze, r.mainBlock.site, r.mainBlock.what+" waits for something that never comes: TouchDesigner freezes").Cause = r.mainBlock.cause
	}
	var holder *Task
	for _, task := range r.tasks {
		if task.State == TaskRunning && !task.Standalone {
			holder = task
			break
		}
	}
	for _, task := range r.tasks {
		switch {
		case task.State == TaskQueued:
			ev := r.event(nil, EvStarve, task.EnqueueSite, fmt.Sprintf("task %d (%s) never started: every pool worker is busy", task.ID, task.Name))
			ev.Cause = CauseLongTask
			if holder != nil {
				site := holder.EnqueueSite
				ev.Origin = &site
				ev.Detail += fmt.Sprintf(", task %d (%s) enqueued at %s among them", holder.ID, holder.Name, site)
			}
		case task.State == TaskRunning && !task.Standalone:
			r.event(nil, EvHold, task.EnqueueSite, fmt.Sprintf("task %d (%s) still holds pool worker %s", task.ID, task.Name, task.Thread.Name)).Cause = CauseLongTask
		}
	}
}

func fmtDur(d time.Duration) string {
	if d%time.Millisecond == 0 {
		return d.String()
	}
	return d.Round(10 * time.Microsecond).String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
