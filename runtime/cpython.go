package runtime

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The CPython engine runs scenarios and real project code in a CPython 3.11
// child process (cpython/harness.py), with the kernel unchanged: each
// simulated thread is a Python thread in the child that runs only while
// its Go goroutine has the turn. The child asks the kernel for everything
// that takes time or touches TD (a request), and the goroutine of the
// requesting thread serves it — so blocking, preemption and the trace are
// the kernel's, exactly as with gpython.
//
// The protocol is a JSON object per line over two pipes (the child's fds
// 3 and 4, so the project's own prints to stdout cannot corrupt it).

//go:embed cpython/harness.py
var harnessSource string

// cpSite is a position as the child reports it (1-based column, 0: none).
type cpSite struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col,omitempty"`
	Func string `json:"func,omitempty"`
}

func (s *cpSite) site() Site {
	if s == nil {
		return Site{}
	}
	return Site{File: s.File, Line: s.Line, Col: s.Col}
}

// cpMsg is every message of the protocol; each kind uses some fields.
type cpMsg struct {
	Tid  int    `json:"tid"`
	Op   string `json:"op"`
	Kind string `json:"kind,omitempty"`
	Name string `json:"name,omitempty"`
	Args []any  `json:"args,omitempty"`

	Site   *cpSite  `json:"site,omitempty"`
	Stack  []cpSite `json:"stack,omitempty"`
	At     *cpSite  `json:"at,omitempty"`
	Origin *cpSite  `json:"origin,omitempty"`
	TSite  *cpSite  `json:"tsite,omitempty"`
	HSite  *cpSite  `json:"hsite,omitempty"`

	What       string  `json:"what,omitempty"`
	Cause      string  `json:"cause,omitempty"`
	Text       string  `json:"text,omitempty"`
	Detail     string  `json:"detail,omitempty"`
	Label      string  `json:"label,omitempty"`
	Group      string  `json:"group,omitempty"`
	Path       string  `json:"path,omitempty"`
	FromOP     *string `json:"fromOP,omitempty"`
	ID         int     `json:"id"`
	H          int     `json:"h,omitempty"`
	Task       int     `json:"task,omitempty"`
	Item       int     `json:"item,omitempty"`
	Maxsize    int     `json:"maxsize,omitempty"`
	Secs       float64 `json:"secs,omitempty"`
	Timeout    float64 `json:"timeout,omitempty"`
	DelayMs    float64 `json:"delayMs,omitempty"`
	DelayFr    int     `json:"delayFrames,omitempty"`
	Block      bool    `json:"block,omitempty"`
	Reentrant  bool    `json:"reentrant,omitempty"`
	Standalone bool    `json:"standalone,omitempty"`
	Present    bool    `json:"present,omitempty"`
	EndFrame   bool    `json:"endFrame,omitempty"`
	Value      any     `json:"value,omitempty"`

	// done
	Err     *cpError   `json:"err,omitempty"`
	Refused *cpRefusal `json:"refused,omitempty"`
	Missing bool       `json:"missing,omitempty"`
	// NoWait: a request the child sent without waiting for the reply
	// (see alone); Solo, in a reply: the requesting thread is the only one
	// that can run until its next waited-for request.
	NoWait bool `json:"nowait,omitempty"`
	Solo   bool `json:"solo,omitempty"`
	// loaded
	LoadErr  string `json:"loaderr,omitempty"`
	LoadLine int    `json:"line,omitempty"`
}

// cpError is an exception that ended a call in the child.
type cpError struct {
	Msg  string  `json:"msg"`
	Site *cpSite `json:"site"`
	Type string  `json:"type"`
}

// cpRefusal is a hook Python refused to call with TD's arguments.
type cpRefusal struct {
	Msg  string  `json:"msg"`
	Site *cpSite `json:"site"`
}

// CPython is the engine for real code: CPython 3.11 in a child process.
type CPython struct {
	// Exe is the interpreter; empty: FindCPython's.
	Exe string

	rt  *Runtime
	cmd *exec.Cmd
	toChild,
	fromChild *os.File
	wmu    sync.Mutex
	mu     sync.Mutex
	boxes  map[int]chan cpMsg
	dead   chan struct{}
	loaded chan cpMsg
	stderr strings.Builder

	// Served only by the thread with the turn.
	sites     map[int]Site
	stacks    map[int][]Frame
	queues    []*Queue
	queueIDs  map[*Queue]int
	locks     []*Lock
	flags     []*Flag
	tasks     []*Task
	runs      map[int]*Run
	destroyed map[string]bool
	closeOnce sync.Once
}

// NewCPython returns the CPython engine for the interpreter exe (empty:
// the one FindCPython finds).
func NewCPython(exe string) *CPython { return &CPython{Exe: exe} }

// ErrNoCPython is returned when no CPython 3.11 can be found.
var ErrNoCPython = errors.New("no CPython 3.11 found: install python3.11 (or pyenv's), or name one with --python-exe")

// FindCPython finds a CPython 3.11: $TDLINT_PYTHON, then pyenv's newest
// 3.11 (its interpreter itself: a pyenv shim answers only for the versions
// pyenv has selected), then python3.11 on PATH.
func FindCPython() (string, error) {
	if p := os.Getenv("TDLINT_PYTHON"); p != "" {
		return p, nil
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		home, _ := os.UserHomeDir()
		root = filepath.Join(home, ".pyenv")
	}
	matches, _ := filepath.Glob(filepath.Join(root, "versions", "3.11.*", "bin", "python3.11"))
	sort.Slice(matches, func(i, j int) bool { return versionLess(matches[i], matches[j]) })
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if filepath.Base(dir) == "shims" {
			continue
		}
		p := filepath.Join(dir, "python3.11")
		if info, err := os.Stat(p); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 { //nolint:gosec // a PATH entry
			return p, nil
		}
	}
	return "", ErrNoCPython
}

// versionLess orders pyenv paths by their patch number.
func versionLess(a, b string) bool {
	patch := func(p string) int {
		v := filepath.Base(filepath.Dir(filepath.Dir(p)))
		n, _ := strconv.Atoi(v[strings.LastIndexByte(v, '.')+1:])
		return n
	}
	return patch(a) < patch(b)
}

// Name implements Engine.
func (*CPython) Name() string { return "cpython" }

// Load implements Engine: it starts the child and compiles the scenario
// there (a *CompileError when CPython cannot).
func (e *CPython) Load(rt *Runtime, sc *Scenario) error {
	exe := e.Exe
	if exe == "" {
		var err error
		if exe, err = FindCPython(); err != nil {
			return err
		}
	}
	e.rt = rt
	e.boxes, e.sites, e.runs, e.destroyed = map[int]chan cpMsg{}, map[int]Site{}, map[int]*Run{}, map[string]bool{}
	e.stacks = map[int][]Frame{}
	e.queueIDs = map[*Queue]int{}
	e.tasks = []*Task{nil} // task 0 is none: ids go out with omitempty
	e.dead, e.loaded = make(chan struct{}), make(chan cpMsg, 1)
	// Two pipes: calls and replies in (child fd 3), requests and results
	// out (child fd 4).
	inR, inW, err := os.Pipe()
	if err != nil {
		return err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return err
	}
	//nolint:noctx // the child lives as long as the simulation; Close ends it
	cmd := exec.Command(exe, "-s", "-P", "-X", "utf8", "-c", harnessSource, "3", "4")
	cmd.Env = append(cleanEnv(), "PYTHONHASHSEED="+strconv.FormatUint(rt.Config().Seed%4294967296, 10), "PYTHONDONTWRITEBYTECODE=1")
	cmd.ExtraFiles = []*os.File{inR, outW}
	cmd.Stdout = io.Discard
	cmd.Stderr = &limitedWriter{b: &e.stderr, n: 64 << 10}
	if err := cmd.Start(); err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		return fmt.Errorf("starting %s: %w", exe, err)
	}
	inR.Close()
	outW.Close()
	e.cmd, e.toChild, e.fromChild = cmd, inW, outR
	go e.read()
	go func() { _ = cmd.Wait() }()

	mods := map[string]map[string]string{}
	for name, m := range sc.Modules {
		mods[name] = map[string]string{"name": m.Name, "src": m.Src}
	}
	load := map[string]any{"op": "load", "name": sc.Name, "src": sc.Src, "modules": mods, "main_tid": 0, "project": sc.project, "root": sc.Root}
	if err := e.send(load); err != nil {
		e.Close()
		return err
	}
	select {
	case m := <-e.loaded:
		if m.LoadErr != "" {
			e.Close()
			return &CompileError{Name: sc.Name, Engine: "CPython", Err: fmt.Errorf("line %d: %s", m.LoadLine, m.LoadErr)}
		}
	case <-e.dead:
		e.Close()
		return fmt.Errorf("%s exited while loading the scenario: %s", exe, strings.TrimSpace(e.stderr.String()))
	case <-time.After(30 * time.Second):
		e.Close()
		return fmt.Errorf("%s did not answer within 30 s", exe)
	}
	return nil
}

// cleanEnv is the environment without what would change how the child's
// Python starts (its site, its hash seed).
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHON") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

type limitedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
	n  int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if room := w.n - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// read hands every message of the child to its thread's box.
func (e *CPython) read() {
	defer close(e.dead)
	r := bufio.NewReaderSize(e.fromChild, 1<<16)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		var m cpMsg
		if err := json.Unmarshal(line, &m); err != nil {
			return
		}
		if m.Op == "loaded" {
			e.loaded <- m
			continue
		}
		e.box(m.Tid) <- m
	}
}

func (e *CPython) box(tid int) chan cpMsg {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, ok := e.boxes[tid]
	if !ok {
		b = make(chan cpMsg, 16)
		e.boxes[tid] = b
	}
	return b
}

func (e *CPython) send(m any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	e.wmu.Lock()
	defer e.wmu.Unlock()
	_, err = e.toChild.Write(b)
	return err
}

// errChildGone ends a thread whose Python process has gone.
var errChildGone = errors.New("the CPython process ended")

// call runs a call on t's Python thread and serves its requests until it
// is done.
func (e *CPython) call(t *Thread, m cpMsg) (cpMsg, error) {
	m.Tid, m.Op = t.ID, "call"
	if err := e.send(m); err != nil {
		return cpMsg{}, fmt.Errorf("%w: %w (%s)", errChildGone, err, strings.TrimSpace(e.stderr.String()))
	}
	box := e.box(t.ID)
	for {
		var req cpMsg
		select {
		case req = <-box:
		case <-e.dead:
			// Drain what arrived before the end.
			select {
			case req = <-box:
			default:
				return cpMsg{}, fmt.Errorf("%w: %s", errChildGone, strings.TrimSpace(e.stderr.String()))
			}
		}
		if req.Op == "done" {
			return req, nil
		}
		reply := e.serve(t, req)
		if req.NoWait {
			continue
		}
		reply.Tid, reply.Op, reply.Solo = t.ID, "reply", e.alone(t)
		if err := e.send(reply); err != nil {
			return cpMsg{}, fmt.Errorf("%w: %w", errChildGone, err)
		}
	}
}

// alone reports whether t is the only thread that can run until it next
// blocks: every other thread has ended or waits for a condition that does
// not hold (or for a time, which does not pass while t runs). Then t's
// scheduling points cannot switch threads, and its main-thread TD
// accesses, prints and points cannot fail: the child sends those without
// waiting for the reply (a batch), which the kernel serves in order with
// the same effects, random draws included. The batch ends at the next
// request that needs its answer.
func (e *CPython) alone(t *Thread) bool {
	for _, o := range e.rt.threads {
		if o == t {
			continue
		}
		switch o.state {
		case stateRunnable:
			return false
		case stateBlocked:
			if o.cond != nil && o.cond() {
				return false
			}
		case stateDone:
		}
	}
	return true
}

// result turns a finished call into the error the kernel reports.
func (*CPython) result(t *Thread, m cpMsg, err error) error {
	if err != nil {
		return err
	}
	if m.Err == nil {
		return nil
	}
	site := m.Err.Site.site()
	if site.File == "" {
		site = t.Site()
	}
	return &ReportedError{Kind: EvError, Site: site, Msg: m.Err.Msg}
}

// Main implements Engine.
func (e *CPython) Main(t *Thread) error {
	m, err := e.call(t, cpMsg{Kind: "main"})
	return e.result(t, m, err)
}

// Call implements Engine.
func (e *CPython) Call(t *Thread, name string, args ...int) (bool, error) {
	pargs := make([]any, len(args))
	for i, a := range args {
		pargs[i] = a
	}
	m, err := e.call(t, cpMsg{Kind: "global", Name: name, Args: pargs})
	if err == nil && m.Missing {
		return false, nil
	}
	return true, e.result(t, m, err)
}

// Where implements Engine: where t's last request came from.
func (e *CPython) Where(t *Thread) Site {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sites[t.ID]
}

// Stack is the chain of the project's calls t's last request came from,
// outermost first.
func (e *CPython) Stack(t *Thread) []Frame {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stacks[t.ID]
}

// Close implements Engine: it ends the child.
func (e *CPython) Close() {
	e.closeOnce.Do(func() {
		if e.cmd == nil {
			return
		}
		_ = e.send(map[string]any{"op": "quit"})
		e.toChild.Close()
		if e.cmd.Process != nil {
			select {
			case <-e.dead:
			case <-time.After(2 * time.Second):
			}
			_ = e.cmd.Process.Kill()
		}
		e.fromChild.Close()
	})
}

// serve answers one request of t's Python thread, on t's goroutine (which
// may block in the kernel meanwhile).
func (e *CPython) serve(t *Thread, m cpMsg) cpMsg {
	e.mu.Lock()
	if m.Site == nil {
		// From no code of the project's (a stand-in, the harness): no chain.
		delete(e.stacks, t.ID)
	} else {
		e.sites[t.ID] = m.Site.site()
		if m.Stack != nil {
			stack := make([]Frame, len(m.Stack))
			for i := range m.Stack {
				stack[i] = Frame{Site: m.Stack[i].site(), Func: m.Stack[i].Func}
			}
			e.stacks[t.ID] = stack
		} else {
			delete(e.stacks, t.ID)
		}
	}
	e.mu.Unlock()
	rt := e.rt
	var out cpMsg
	switch m.Op {
	case "access":
		var origin *Site
		if m.Origin != nil {
			o := m.Origin.site()
			origin = &o
		}
		if err := t.AccessVia(m.What, Cause(m.Cause), origin); err != nil {
			out.Err = &cpError{Msg: err.Error()}
		}
	case "print":
		if err := t.Print(m.Text); err != nil {
			out.Err = &cpError{Msg: err.Error()}
		}
	case "point":
		t.Point()
	case "sleep":
		t.Sleep(time.Duration(m.Secs * float64(time.Second)))
	case "busy":
		t.Busy(m.What, rt.cfg.Latency)
	case "never":
		t.wait(m.What, CauseBlocking, func() bool { return false }, forever)
	case "now":
		t.Point()
		out.Value = rt.now.Seconds()
	case "frame":
		out.Value = rt.frame
	case "event":
		t.Event(EventKind(m.Kind), m.At.site(), m.Detail).Cause = Cause(m.Cause)
	case "destroyed":
		e.destroyed[m.Path] = true
	case "queue":
		out.ID = e.queueID(NewQueue(m.Maxsize))
	case "put":
		out.Value = e.queues[m.ID].Put(t, m.Item, m.Block, m.Timeout)
	case "get":
		v, ok := e.queues[m.ID].Get(t, m.Block, m.Timeout)
		out.Value = ok
		out.Item, _ = v.(int)
	case "qlen":
		out.Value = e.queues[m.ID].Len()
	case "qfull":
		out.Value = e.queues[m.ID].full()
	case "lock":
		e.locks = append(e.locks, NewLock(m.Reentrant))
		out.ID = len(e.locks) - 1
	case "acquire":
		out.Value = e.locks[m.ID].Acquire(t, m.Block, m.Timeout)
	case "release":
		out.Value = e.locks[m.ID].Release(t)
	case "locked":
		out.Value = e.locks[m.ID].Locked()
	case "flag":
		e.flags = append(e.flags, &Flag{})
		out.ID = len(e.flags) - 1
	case "flagset":
		e.flags[m.ID].Set()
		t.Point()
	case "flagclear":
		e.flags[m.ID].Clear()
	case "flagis":
		out.Value = e.flags[m.ID].IsSet()
	case "flagwait":
		out.Value = e.flags[m.ID].Wait(t, m.Timeout)
	case "go":
		h := m.H
		th := t.Go(m.Name, func(nt *Thread) error {
			r, err := e.call(nt, cpMsg{Kind: "handle", H: h})
			return e.result(nt, r, err)
		})
		out.ID = th.ID
	case "thread":
		th := rt.threads[m.ID]
		kind := "python"
		switch th.Kind {
		case PythonThread:
		case PoolWorker:
			kind = "pool"
		case MainThread:
			kind = "main"
		case Standalone:
			kind = "standalone"
		}
		infoq := -1
		if th.InfoQueue != nil {
			infoq = e.queueID(th.InfoQueue)
		}
		out.Value = map[string]any{"name": th.Name, "kind": kind, "infoq": infoq}
	case "alive":
		out.Value = rt.threads[m.ID].Alive()
	case "join":
		t.Join(rt.threads[m.ID], m.Timeout)
	case "current":
		out.ID = t.ID
	case "newtask":
		task := &Task{Name: m.Name, Site: t.Site(), HookSites: map[string]Site{"target": m.TSite.site()}}
		e.tasks = append(e.tasks, task)
		id := len(e.tasks) - 1
		task.Data = id
		task.Target = func(w *Thread) error {
			r, err := e.call(w, cpMsg{Kind: "target", Task: id})
			if err != nil {
				return err
			}
			if r.Err != nil {
				return &ReportedError{Kind: EvError, Msg: r.Err.Msg}
			}
			return nil
		}
		out.ID = id
	case "sethook":
		e.setHook(e.tasks[m.Task], m.Task, m.Name, m.Present, m.HSite.site())
	case "enqueue":
		th, err := t.EnqueueTask(e.tasks[m.Task], m.Standalone)
		out.ID = -1
		switch {
		case err != nil:
			out.Err = &cpError{Msg: err.Error()}
		case th != nil:
			out.ID = th.ID
		}
	case "taskstate":
		out.Value = e.tasks[m.Task].State.String()
	case "taskthread":
		out.ID = -1
		if th := e.tasks[m.Task].Thread; th != nil {
			out.ID = th.ID
		}
	case "schedule":
		spec := RunSpec{DelayFrames: m.DelayFr, Delay: time.Duration(m.DelayMs * float64(time.Millisecond)), EndFrame: m.EndFrame, Group: m.Group, Label: m.Label}
		if m.FromOP != nil {
			spec.FromOP = cpOwner{e: e, path: *m.FromOP}
		}
		h := m.H
		spec.Fn = func(th *Thread) error {
			r, err := e.call(th, cpMsg{Kind: "run", H: h})
			return e.result(th, r, err)
		}
		run, err := t.Schedule(spec)
		if run != nil {
			e.runs[run.ID] = run
			out.ID = run.ID
		}
		if err != nil {
			out.Err = &cpError{Msg: err.Error()}
		}
	case "runop":
		run := e.runs[m.ID]
		if run == nil || run.Done {
			out.Kind = "gone"
			break
		}
		switch m.What {
		case "kill":
			run.Kill(t)
		case "active":
			out.Value = run.Active
		case "setactive":
			run.Active, _ = m.Value.(bool)
		case "remainingFrames":
			out.Value = run.RemainingFrames()
		}
	}
	return out
}

func (e *CPython) queueID(q *Queue) int {
	if id, ok := e.queueIDs[q]; ok {
		return id
	}
	e.queues = append(e.queues, q)
	e.queueIDs[q] = len(e.queues) - 1
	return len(e.queues) - 1
}

// setHook gives task its hook name (or none) as the child's TDTask has it.
func (e *CPython) setHook(task *Task, id int, name string, present bool, def Site) {
	var h Hook
	if present {
		if def.File != "" {
			task.HookSites[name] = def
		}
		h = func(t *Thread, _ *Task, err error) error {
			kinds := []any{}
			if e.rt.cfg.HookTask {
				kinds = append(kinds, string(HookArgTask))
			}
			for _, a := range e.rt.cfg.Hooks.Args(name) {
				kinds = append(kinds, string(a))
			}
			msg := cpMsg{Kind: "hook", Task: id, Name: name, Args: kinds}
			if err != nil {
				msg.Detail = err.Error()
			}
			r, cerr := e.call(t, msg)
			if cerr == nil && r.Refused != nil {
				return &ReportedError{Kind: EvHookError, Cause: CauseHookArgs, Site: r.Refused.Site.site(), Msg: r.Refused.Msg}
			}
			return e.result(t, r, cerr)
		}
	}
	task.SetHook(name, h)
}

// cpOwner is a run's fromOP: valid until the child destroys its node.
type cpOwner struct {
	e    *CPython
	path string
}

func (o cpOwner) Valid() bool { return !o.e.destroyed[o.path] }

// CPythonAvailable reports whether the CPython engine can run here, and
// why not.
func CPythonAvailable() (string, error) {
	exe, err := FindCPython()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, exe, "-c", "import sys; print(sys.version_info[:2] == (3, 11))").Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w", exe, err)
	}
	if strings.TrimSpace(string(out)) != "True" {
		return "", fmt.Errorf("%s is not CPython 3.11", exe)
	}
	return exe, nil
}
