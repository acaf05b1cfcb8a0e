package runtime

// Engine is a Python implementation driven by the kernel. The kernel owns
// time, frames, threads and scheduling; the engine runs the scenario's
// code on the thread that has the turn and reports what that code does
// through the thread's methods: TD accesses (Thread.AccessVia), blocking
// calls (Thread.Sleep, Busy, the Queue, Lock and Flag methods), tasks
// (EnqueueTask), threads (Go), run() (Schedule) and hook calls. An engine
// must never run Python on a thread that does not have the turn.
//
// The embedded engine is gpython (NewGPython); an engine over CPython
// 3.11 would implement the same interface.
type Engine interface {
	// Name identifies the engine ("gpython").
	Name() string
	// Load prepares the scenario to run on rt: compiles it (a
	// *CompileError when it cannot) and installs TD's modules and the
	// stand-ins for the standard library.
	Load(rt *Runtime, sc *Scenario) error
	// Main runs the scenario's top level on t, the main thread, before
	// the first frame.
	Main(t *Thread) error
	// Call calls the scenario's global function name with args on t;
	// found is false when the scenario has no such function.
	Call(t *Thread, name string, args ...int) (found bool, err error)
	// Where is the source position thread t executes now (the zero Site
	// when it runs no scenario code).
	Where(t *Thread) Site
	// Close releases the engine. It is not called when the simulation
	// abandoned a thread that may still run in the engine.
	Close()
}

// stacker is an Engine that knows the chain of calls a thread is in
// (both engines do): problem events then carry it.
type stacker interface {
	Stack(t *Thread) []Frame
}

// SimulateWith runs the scenario on engine e: its top level on the main
// thread before the first frame, then its onFrameStart(frame), if it has
// one, in the cook phase of every frame.
func SimulateWith(e Engine, sc *Scenario, cfg Config) (*Result, error) {
	rt := New(cfg)
	if err := e.Load(rt, sc); err != nil {
		return nil, err
	}
	defer func() {
		if !rt.Abandoned() {
			e.Close()
		}
	}()
	rt.SiteFunc = e.Where
	if st, ok := e.(stacker); ok {
		rt.StackFunc = st.Stack
	}
	rt.Setup(e.Main)
	rt.OnFrame(func(t *Thread, frame int) error {
		_, err := e.Call(t, "onFrameStart", frame)
		return err
	})
	return rt.Run(), nil
}
