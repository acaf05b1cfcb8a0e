package runtime

import (
	"fmt"
	"strings"
)

// TaskState is where a task is in its life.
type TaskState int

// The states of a task.
const (
	TaskStandby TaskState = iota // created, not enqueued
	TaskQueued                   // waiting for a pool worker
	TaskRunning                  // its target runs
	TaskDone                     // the target returned
	TaskFailed                   // the target raised
)

func (s TaskState) String() string {
	return [...]string{"STANDBY", "QUEUED", "RUNNING", "DONE", "FAILED"}[s]
}

// Hook is a TDTask hook; err is the target's error for ExceptHook.
type Hook func(t *Thread, task *Task, err error) error

// Task is a TDTask.
type Task struct {
	ID   int
	Name string
	// Target runs on the worker.
	Target                   func(t *Thread) error
	Success, Except, Refresh Hook
	// Site is where the task was created; HookSites where its hooks are
	// defined (by hook name), for the trace.
	Site      Site
	HookSites map[string]Site
	// Data is the binding's own object for the task.
	Data any

	State       TaskState
	Standalone  bool
	EnqueueSite Site
	Thread      *Thread
	Err         error
	// Result is what the target returned (the binding's value).
	Result any
}

// SetHook gives the task its hook name (SuccessHook, ExceptHook or
// RefreshHook; nil: none).
func (k *Task) SetHook(name string, h Hook) {
	switch name {
	case "SuccessHook":
		k.Success = h
	case "ExceptHook":
		k.Except = h
	default:
		k.Refresh = h
	}
}

// HookSite is where the named hook is defined, or the task's site.
func (k *Task) HookSite(name string) Site {
	if s, ok := k.HookSites[name]; ok {
		return s
	}
	return k.Site
}

// EnqueueTask hands task to the ThreadManager from t. A pool task goes to
// an idle worker or, when all are busy, to the back of the FIFO queue;
// a standalone task gets a new thread. It returns the thread that will run
// the task, or nil when the pool is at capacity. The caller must have
// recorded the access to the ThreadManager (Thread.Access).
func (t *Thread) EnqueueTask(task *Task, standalone bool) (*Thread, error) {
	r := t.rt
	if task.State != TaskStandby {
		return nil, fmt.Errorf("task %d was already enqueued", task.ID)
	}
	t.Point()
	r.tasks = append(r.tasks, task)
	task.ID = len(r.tasks)
	task.EnqueueSite = t.Site()
	task.Standalone = standalone
	task.State = TaskQueued
	where := "for the pool"
	if standalone {
		where = "on a standalone thread"
	}
	r.event(t, EvEnqueue, task.EnqueueSite, fmt.Sprintf("task %d (%s) %s", task.ID, task.Name, where))
	if standalone {
		th := r.newThread(Standalone, "standalone-"+itoa(task.ID), func(th *Thread) { r.runTask(th, task) })
		task.Thread = th
		return th, nil
	}
	for _, w := range r.workers {
		if w.task == nil && w.state == stateBlocked {
			w.task = task
			task.Thread = w
			return w, nil
		}
	}
	r.queue = append(r.queue, task)
	return nil, nil //nolint:nilnil // no thread yet: the pool is at capacity, as TD reports it
}

func (r *Runtime) poolWorker(t *Thread) {
	for {
		t.block(func() bool { return t.task != nil || len(r.queue) > 0 }, forever)
		task := t.task
		if task == nil {
			task = r.queue[0]
			r.queue = r.queue[1:]
			t.task = task
			task.Thread = t
		}
		r.runTask(t, task)
		t.task = nil
	}
}

func (r *Runtime) runTask(t *Thread, task *Task) {
	t.task = task
	task.State = TaskRunning
	r.event(t, EvStart, task.HookSite("target"), fmt.Sprintf("task %d (%s)", task.ID, task.Name))
	err := task.Target(t)
	task.Err = err
	if err != nil {
		task.State = TaskFailed
		r.event(t, EvFinish, task.HookSite("target"), fmt.Sprintf("task %d raised: %v", task.ID, err))
	} else {
		task.State = TaskDone
		r.event(t, EvFinish, task.HookSite("target"), fmt.Sprintf("task %d returned", task.ID))
	}
	r.completed = append(r.completed, task)
}

// Go starts a plain Python thread (threading.Thread) running body.
func (t *Thread) Go(name string, body func(*Thread) error) *Thread {
	r := t.rt
	t.Point()
	if name == "" {
		name = "Thread-" + itoa(len(r.threads))
	}
	th := r.newThread(PythonThread, name, func(th *Thread) {
		r.fail(th, body(th))
	})
	r.event(t, EvStart, t.Site(), "thread "+th.Name)
	return th
}

// Join waits until other has ended or timeout passes (negative: no
// timeout); it reports whether other ended.
func (t *Thread) Join(other *Thread, timeout float64) bool {
	return t.waitFor("join", CauseBlocking, func() bool { return other.done }, true, timeout)
}

// Alive reports whether t has started and not ended.
func (t *Thread) Alive() bool { return !t.done }

// Task is the task t is running, if any.
func (t *Thread) Task() *Task { return t.task }

// HookArg is one argument TD passes a TDTask hook.
type HookArg string

// The arguments a hook may get.
const (
	HookArgTask   HookArg = "task"   // the TDTask
	HookArgError  HookArg = "error"  // the exception the target raised (ExceptHook)
	HookArgResult HookArg = "result" // the value the target returned (SuccessHook)
)

// HookConvention is what TD passes each hook, in order. TD's documentation
// does not pin it down and public code is written for several conventions
// (tdlint's TD105 accepts SuccessHook and RefreshHook with 0 or 1
// arguments, ExceptHook with 1 or 2); the runtime calls hooks with one
// convention and reports the hooks Python refuses to call with it.
type HookConvention struct {
	Success, Refresh, Except []HookArg
	// Set: the lists are given, even when empty (the zero value is
	// DefaultHooks).
	Set bool
}

// DefaultHooks: SuccessHook() and RefreshHook() get nothing, ExceptHook
// the error, as working public code expects.
var DefaultHooks = HookConvention{Except: []HookArg{HookArgError}, Set: true}

// Args returns the arguments of the named hook ("SuccessHook"...).
func (c HookConvention) Args(hook string) []HookArg {
	if !c.Set {
		c = DefaultHooks
	}
	switch hook {
	case "SuccessHook":
		return c.Success
	case "RefreshHook":
		return c.Refresh
	default:
		return c.Except
	}
}

// ParseHookConvention reads a convention written as the calls TD makes,
// e.g. "SuccessHook(task, result) ExceptHook(error) RefreshHook()"; a hook
// left out keeps its DefaultHooks arguments.
func ParseHookConvention(s string) (HookConvention, error) {
	c := HookConvention{
		Success: DefaultHooks.Success, Refresh: DefaultHooks.Refresh,
		Except: DefaultHooks.Except, Set: true,
	}
	rest := strings.TrimSpace(s)
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		end := strings.IndexByte(rest, ')')
		if open < 0 || end < open {
			return c, fmt.Errorf("hook convention %q: want calls such as SuccessHook(result) ExceptHook(task, error)", s)
		}
		name := strings.TrimSpace(rest[:open])
		var args []HookArg
		for a := range strings.SplitSeq(rest[open+1:end], ",") {
			a = strings.TrimSpace(a)
			switch HookArg(a) {
			case HookArgTask, HookArgError, HookArgResult:
				args = append(args, HookArg(a))
			case "":
			default:
				return c, fmt.Errorf("hook convention %q: unknown argument %q (want task, error or result)", s, a)
			}
		}
		switch name {
		case "SuccessHook":
			c.Success = args
		case "RefreshHook":
			c.Refresh = args
		case "ExceptHook":
			c.Except = args
		default:
			return c, fmt.Errorf("hook convention %q: unknown hook %q", s, name)
		}
		rest = strings.TrimLeft(rest[end+1:], " ,;")
	}
	return c, nil
}
