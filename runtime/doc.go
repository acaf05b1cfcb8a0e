// Package runtime is tdlint's reference runtime: a deterministic model of
// TouchDesigner's main thread, frame loop, ThreadManager pool, standalone
// threads, InfoQueue and run() scheduling, written from
// docs/td-threading.md. It executes the same Python scenarios the
// rules analyse (through an Engine: gpython, see python.go) and records every thread
// conflict, stalled frame and starved task, so the static findings can be
// checked against what really happens.
//
// # Observing, not judging
//
// The runtime reports what happens, never what a rule would predict: a
// TDTask hook is called with the arguments of Config.Hooks and a hook
// error is the TypeError Python raises for that call; run() binds its
// arguments to TD's own signature; a TD object passed to a thread, or
// captured by its target's closure, is a problem only when the thread uses
// it. Every problem event carries its Cause (how the thread reached the TD
// object, what the main thread waited for, what run() refused), which the
// agreement test maps to the one rule that predicts it.
//
// # Threads and the scheduler
//
// Every simulated thread (the main thread, each pool worker, each
// standalone or plain Python thread) is a goroutine, but only one of them
// runs at a time: the kernel (Runtime.Run) grants the turn to one thread
// and waits until that thread hands it back. A thread hands the turn back
// only at a scheduling point: a blocking call (sleep, a queue get, a lock,
// a join, waiting for the next frame), its end, or, with the probability
// Config.Preempt, any call into the runtime (a TD access, a queue put...).
// That is the GIL of this runtime, and it makes Python execution safe for
// gpython, whose interpreter must never be entered by two goroutines at
// once. Which runnable thread gets the next turn is drawn from a generator
// seeded with Config.Seed, so a scenario and a seed always give the same
// trace and different seeds explore different interleavings.
//
// # Time
//
// Time is virtual. Python code takes no time; only blocking calls do
// (time.sleep, waiting for a queue, a lock, an event or a thread, the
// simulated network calls). The clock jumps to the next wake-up when no
// thread can run.
//
// # Frames
//
// The main thread cooks frame N at N/FPS seconds. A frame runs these phases
// in this order:
//
//  1. runs: run() calls that are due (delayFrames reached, delayMilliSeconds
//     elapsed), in the order they were scheduled;
//  2. completions: for every task whose target finished since the previous
//     frame, in the order they finished, its SuccessHook (target returned)
//     or ExceptHook (target raised);
//  3. refresh: the RefreshHook of every task still running, in start order;
//  4. cook: the frame callbacks (the scenario's onFrameStart);
//  5. end of frame: run(..., endFrame=True) calls made during this frame.
//
// Then the main thread waits for the next frame. When the main thread
// blocks (a sleep, a blocking get...) the frame overruns: the wait is a
// stall, and the frames whose start passed meanwhile are dropped, as in
// TouchDesigner's real-time mode (absTime.frame jumps).
//
// # Tasks
//
// EnqueueTask puts a pool task on a FIFO queue served by
// min(PoolSize, CPUs) workers; standalone tasks get a thread of their own.
// Hooks only ever run on the main thread. A pool task still running when
// the simulation ends holds its worker for good ("hold"), and a task still
// queued then never started ("starve").
package runtime
