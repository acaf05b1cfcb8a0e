package runtime

import (
	"errors"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-python/gpython/py"
)

// tdObject is every Go object a scenario sees: TD's objects (OPs, pars,
// the ThreadManager...) and the stand-ins for threading, queue and time.
// Attribute reads, writes and calls go to its functions.
type tdObject struct {
	typ *py.Type
	// desc names the object in the trace ("op('/project1/text1').par").
	desc string
	// td: every use is a TD access (a thread conflict off the main thread).
	td   bool
	sim  *sim
	get  func(name string) (py.Object, error)
	set  func(name string, v py.Object) error
	call func(args py.Tuple, kwargs py.StringDict) (py.Object, error)
	// data is the Go value behind the object.
	data any
	// cause is how a thread that uses the object reached it ("": directly);
	// origin is where it was handed to another thread (CausePassedIn).
	// TD objects reached from it inherit both.
	cause  Cause
	origin *Site
}

// via is the cause of a use of o's member name.
func (o *tdObject) via(name string) Cause {
	if o.cause != "" {
		return o.cause
	}
	if o.desc == "op" && name == "TDResources" {
		return CauseThreadManager
	}
	return CauseDirect
}

var (
	opType       = py.NewType("OP", "A TouchDesigner operator.")
	tdType       = py.NewType("td", "A TouchDesigner object.")
	parType      = py.NewType("Par", "A TouchDesigner parameter.")
	taskType     = py.NewType("TDTask", "A ThreadManager task.")
	threadType   = py.NewType("Thread", "A thread.")
	queueType    = py.NewType("Queue", "A thread-safe FIFO queue.")
	lockType     = py.NewType("lock", "A lock.")
	eventType    = py.NewType("Event", "An event flag.")
	runType      = py.NewType("Run", "A delayed script.")
	responseType = py.NewType("Response", "A simulated HTTP response.")
)

func (o *tdObject) Type() *py.Type { return o.typ }

func (o *tdObject) M__repr__() (py.Object, error) { return py.String("<" + o.desc + ">"), nil }

func (o *tdObject) M__str__() (py.Object, error) { return o.M__repr__() }

func (o *tdObject) M__getattribute__(name string) (py.Object, error) {
	if o.td {
		if err := o.sim.accessFrom(o.desc+"."+name, o.via(name), o.origin); err != nil {
			return nil, err
		}
	}
	if o.get != nil {
		v, err := o.get(name)
		if !errors.Is(err, errNoAttr) {
			return o.inherit(v, name), err
		}
	}
	if o.td && !strings.HasPrefix(name, "__") {
		// TD objects have far more members than we model: any other
		// member is another TD object.
		return o.inherit(o.sim.value(o.desc+"."+name), name), nil
	}
	return nil, py.ExceptionNewf(py.AttributeError, "'%s' object has no attribute '%s'", o.typ.Name, name)
}

// inherit passes how the object was reached on to a TD object reached
// from it through member name, on a copy: the network's objects are
// shared. A worker that reaches a TD object by itself (op('x') in the
// worker) gets it marked with where it did, so the later uses of that
// object are reported with that origin.
func (o *tdObject) inherit(v py.Object, name string) py.Object {
	c, ok := v.(*tdObject)
	if !ok || !c.td {
		return v
	}
	cause, origin := o.cause, o.origin
	if cause == "" {
		t := o.sim.cur()
		if t == nil || t.IsMain() {
			return v
		}
		site := t.Site()
		cause, origin = o.via(name), &site
	}
	if c.cause != "" && (c.origin != nil || origin == nil) {
		return v
	}
	cp := *c
	if cp.cause == "" {
		cp.cause = cause
	}
	cp.origin = origin
	return &cp
}

func (o *tdObject) M__setattr__(name string, v py.Object) (py.Object, error) {
	if o.td {
		if err := o.sim.accessFrom(o.desc+"."+name+" =", o.via(name), o.origin); err != nil {
			return nil, err
		}
	}
	if o.set == nil {
		return nil, py.ExceptionNewf(py.AttributeError, "'%s' object attribute '%s' is read-only", o.typ.Name, name)
	}
	return py.None, o.set(name, v)
}

func (o *tdObject) M__call__(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	if o.td {
		if err := o.sim.accessFrom(o.desc+"()", o.via(""), o.origin); err != nil {
			return nil, err
		}
	}
	if o.call == nil {
		if o.td {
			return o.inherit(o.sim.value(o.desc+"()"), ""), nil
		}
		return nil, py.ExceptionNewf(py.TypeError, "'%s' object is not callable", o.typ.Name)
	}
	v, err := o.call(args, kwargs)
	return o.inherit(v, ""), err
}

func (o *tdObject) M__enter__() (py.Object, error) {
	return py.Call(mustAttr(o, "__enter__"), nil, nil)
}

func mustAttr(o py.Object, name string) py.Object {
	v, err := py.GetAttrString(o, name)
	if err != nil {
		return py.None
	}
	return v
}

// errNoAttr is what a get function returns for an attribute it does not
// have.
var errNoAttr = errors.New("no such attribute")

// method returns a bound Go method.
func (s *sim) method(name string, fn func(args py.Tuple, kwargs py.StringDict) (py.Object, error)) py.Object {
	return s.fn(name, fn)
}

// value is a TD object we do not model further.
func (s *sim) value(desc string) *tdObject {
	return &tdObject{typ: tdType, desc: desc, td: true, sim: s}
}

// node is an operator of the fake network.
type node struct {
	path, family string
	text         string
	pars         map[string]py.Object
	storage      py.StringDict
	rows         [][]py.Object
	destroyed    bool
	obj          *tdObject
}

func (n *node) Valid() bool { return !n.destroyed }

// node returns the operator at an absolute path, creating it: scenarios do
// not declare their network, every path they name exists.
func (s *sim) node(p string) *node {
	p = path.Clean("/" + p)
	if n, ok := s.nodes[p]; ok {
		return n
	}
	n := &node{path: p, family: "COMP", pars: map[string]py.Object{}, storage: py.NewStringDict()}
	if base := path.Base(p); strings.HasPrefix(base, "text") || strings.HasPrefix(base, "table") || strings.HasSuffix(base, "DAT") {
		n.family = "DAT"
	}
	s.nodes[p] = n
	n.obj = s.opObject(n)
	return n
}

// resolve finds an operator relative to the scenario's DAT, as op() does
// in a DAT: relative paths start at its parent COMP.
func (s *sim) resolve(p string) *node {
	if !strings.HasPrefix(p, "/") {
		p = path.Dir(s.me.path) + "/" + p
	}
	n := s.node(p)
	if n.destroyed {
		return nil
	}
	return n
}

func (s *sim) opObject(n *node) *tdObject {
	o := &tdObject{typ: opType, desc: "op('" + n.path + "')", td: true, sim: s, data: n}
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "name":
			return py.String(path.Base(n.path)), nil
		case "path":
			return py.String(n.path), nil
		case "valid":
			return py.NewBool(!n.destroyed), nil
		case "family":
			return py.String(n.family), nil
		case "text":
			return py.String(n.text), nil
		case "par":
			return s.parCollection(n), nil
		case "storage":
			return n.storage, nil
		case "numRows":
			return py.Int(len(n.rows)), nil
		case "op":
			return s.method("op", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("op", args, kwargs, 1, "path")
				if err != nil {
					return nil, err
				}
				rel, ok := a[0].(py.String)
				if !ok {
					return nil, py.ExceptionNewf(py.TypeError, "op() takes a path string")
				}
				p := string(rel)
				if !strings.HasPrefix(p, "/") {
					p = n.path + "/" + p
				}
				return opOrNone(s.node(p)), nil
			}), nil
		case "parent":
			return s.method("parent", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				return s.parentOf(n, args, kwargs)
			}), nil
		case "destroy":
			return s.method("destroy", func(py.Tuple, py.StringDict) (py.Object, error) {
				n.destroyed = true
				return py.None, nil
			}), nil
		case "cook":
			return s.method("cook", func(py.Tuple, py.StringDict) (py.Object, error) { return py.None, nil }), nil
		case "clear":
			return s.method("clear", func(py.Tuple, py.StringDict) (py.Object, error) {
				n.rows, n.text = nil, ""
				return py.None, nil
			}), nil
		case "appendRow":
			return s.method("appendRow", func(args py.Tuple, _ py.StringDict) (py.Object, error) {
				var row []py.Object
				if len(args) > 0 {
					items, err := toTuple(args[0])
					if err != nil {
						return nil, err
					}
					row = items
				}
				n.rows = append(n.rows, row)
				return py.None, nil
			}), nil
		case "ThreadManager":
			if n.path == "/sys/TDResources" {
				return s.threadManager(), nil
			}
		}
		return nil, errNoAttr
	}
	o.set = func(name string, v py.Object) error {
		if name == "text" {
			str, err := py.StrAsString(v)
			if err != nil {
				return err
			}
			n.text = str
			return nil
		}
		return py.ExceptionNewf(py.AttributeError, "cannot set '%s' of %s", name, o.desc)
	}
	return o
}

func opOrNone(n *node) py.Object {
	if n == nil || n.destroyed {
		return py.None
	}
	return n.obj
}

func (s *sim) parentOf(n *node, args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	a, err := bind("parent", args, kwargs, 0, "n")
	if err != nil {
		return nil, err
	}
	up := 1
	if !isNone(a[0]) {
		if up, err = py.MakeGoInt(a[0]); err != nil {
			return nil, err
		}
	}
	p := n.path
	for range up {
		p = path.Dir(p)
	}
	return opOrNone(s.node(p)), nil
}

func (s *sim) parCollection(n *node) *tdObject {
	o := &tdObject{typ: tdType, desc: "op('" + n.path + "').par", td: true, sim: s}
	o.get = func(name string) (py.Object, error) {
		if strings.HasPrefix(name, "__") {
			return nil, errNoAttr
		}
		return s.par(n, name), nil
	}
	o.set = func(name string, v py.Object) error {
		n.pars[name] = v
		return nil
	}
	return o
}

func (s *sim) par(n *node, name string) *tdObject {
	o := &tdObject{typ: parType, desc: "op('" + n.path + "').par." + name, td: true, sim: s}
	val := func() py.Object {
		if v, ok := n.pars[name]; ok {
			return v
		}
		return py.Float(0)
	}
	o.get = func(attr string) (py.Object, error) {
		switch attr {
		case "eval":
			return s.method("eval", func(py.Tuple, py.StringDict) (py.Object, error) { return val(), nil }), nil
		case "val":
			return val(), nil
		case "name":
			return py.String(name), nil
		case "owner":
			return n.obj, nil
		}
		return nil, errNoAttr
	}
	o.set = func(attr string, v py.Object) error {
		if attr == "val" {
			n.pars[name] = v
			return nil
		}
		return py.ExceptionNewf(py.AttributeError, "cannot set '%s' of %s", attr, o.desc)
	}
	return o
}

// tdGlobals are the names TD gives every DAT (and the td module).
func (s *sim) tdGlobals() py.StringDict {
	g := py.NewStringDict()
	op := &tdObject{typ: tdType, desc: "op", td: true, sim: s}
	op.call = func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		a, err := bind("op", args, kwargs, 1, "path")
		if err != nil {
			return nil, err
		}
		p, ok := a[0].(py.String)
		if !ok {
			return nil, py.ExceptionNewf(py.TypeError, "op() takes a path string")
		}
		return opOrNone(s.resolve(string(p))), nil
	}
	op.get = func(name string) (py.Object, error) {
		if name == "TDResources" {
			return s.node("/sys/TDResources").obj, nil
		}
		return nil, errNoAttr
	}
	g["op"] = op
	ops := &tdObject{typ: tdType, desc: "ops", td: true, sim: s}
	ops.call = func(args py.Tuple, _ py.StringDict) (py.Object, error) {
		var out []py.Object
		var paths []string
		for p, n := range s.nodes {
			if n.destroyed {
				continue
			}
			for _, a := range args {
				pat, ok := a.(py.String)
				if !ok {
					continue
				}
				q := string(pat)
				if !strings.HasPrefix(q, "/") {
					q = path.Dir(s.me.path) + "/" + q
				}
				if ok, _ := path.Match(q, p); ok {
					paths = append(paths, p)
					break
				}
			}
		}
		sort.Strings(paths)
		for _, p := range paths {
			out = append(out, s.nodes[p].obj)
		}
		return py.NewListFromItems(out), nil
	}
	g["ops"] = ops
	parent := &tdObject{typ: tdType, desc: "parent", td: true, sim: s}
	parent.call = func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		return s.parentOf(s.me, args, kwargs)
	}
	g["parent"] = parent
	g["me"] = s.me.obj
	g["root"] = s.node("/").obj
	g["run"] = s.runFunction()
	s.node("/sys/TDResources").obj.cause = CauseThreadManager
	for _, name := range []string{"project", "ui", "app", "sysinfo", "mod", "ext", "families", "licenses", "monitors", "tdu", "iop", "ipar", "runs"} {
		g[name] = s.value(name)
	}
	abs := s.value("absTime")
	abs.get = func(name string) (py.Object, error) {
		switch name {
		case "frame":
			return py.Int(s.rt.frame), nil
		case "seconds":
			return py.Float(s.rt.now.Seconds()), nil
		}
		return nil, errNoAttr
	}
	g["absTime"] = abs
	g["debug"] = &tdObject{typ: tdType, desc: "debug", td: true, sim: s, call: s.print, cause: CauseOutput}
	g["tdError"] = tdError
	g["ThreadConflict"] = ThreadConflict
	return g
}

// threadManager is op.TDResources.ThreadManager.
func (s *sim) threadManager() *tdObject {
	if s.tm != nil {
		return s.tm
	}
	tm := &tdObject{typ: tdType, desc: "op.TDResources.ThreadManager", td: true, sim: s, cause: CauseThreadManager}
	tm.get = func(name string) (py.Object, error) {
		switch name {
		case "TDTask":
			return s.method("TDTask", s.newTask), nil
		case "EnqueueTask":
			return s.method("EnqueueTask", s.enqueue), nil
		}
		return nil, errNoAttr
	}
	s.tm = tm
	return tm
}

// handoff returns the arguments handed to another thread with their TD
// objects marked with where they crossed. Nothing is reported here: the
// hand-over is a problem only if the thread uses the object, and that use
// is reported as a conflict with cause CausePassedIn and this origin.
func (s *sim) handoff(args py.Tuple, kwargs py.StringDict) (py.Tuple, py.StringDict) {
	site := s.cur().Site()
	outArgs := make(py.Tuple, len(args))
	for i, a := range args {
		outArgs[i] = mark(a, CausePassedIn, &site)
	}
	outKw := py.NewStringDict()
	for k, v := range kwargs {
		outKw[k] = mark(v, CausePassedIn, &site)
	}
	return outArgs, outKw
}

// mark returns v, when it is a TD object, as a copy marked with how a
// thread reaches it.
func mark(v py.Object, cause Cause, origin *Site) py.Object {
	o, ok := v.(*tdObject)
	if !ok || !o.td {
		return v
	}
	cp := *o
	cp.cause, cp.origin = cause, origin
	return &cp
}

// captured returns the function a new thread runs, with the TD objects in
// its closure cells marked as captured (CauseCaptured), on a copy of the
// function whose other cells are the original's. A cell holding a TD object
// is copied, so a nonlocal rebinding of it in the thread is not seen by the
// creator: a limit of the marking, which scenarios do not rely on.
func captured(target py.Object) py.Object {
	f, ok := target.(*py.Function)
	if !ok || len(f.Closure) == 0 {
		return target
	}
	var cells py.Tuple
	for i, c := range f.Closure {
		cell, ok := c.(*py.Cell)
		if !ok {
			continue
		}
		v := cell.Get()
		if o, ok := v.(*tdObject); !ok || !o.td {
			continue
		}
		if cells == nil {
			cells = append(py.Tuple{}, f.Closure...)
		}
		cells[i] = py.NewCell(mark(v, CauseCaptured, nil))
	}
	if cells == nil {
		return target
	}
	cp := *f
	cp.Closure = cells
	return &cp
}

func (s *sim) newTask(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	a, err := bind("TDTask", args, kwargs, 1, "target", "SuccessHook", "ExceptHook", "RefreshHook", "args", "kwargs")
	if err != nil {
		return nil, err
	}
	targs, err := toTuple(a[4])
	if err != nil {
		return nil, err
	}
	tkw, err := toKwargs(a[5])
	if err != nil {
		return nil, err
	}
	target := a[0]
	name, tsite := funcInfo(target)
	task := &Task{Name: name, Site: s.cur().Site(), HookSites: map[string]Site{"target": tsite}}
	// given is where each hook was handed to the task: the TDTask call, or
	// a later assignment of task.SuccessHook...
	given := map[string]Site{"SuccessHook": task.Site, "ExceptHook": task.Site, "RefreshHook": task.Site}
	hooks := map[string]py.Object{"SuccessHook": a[1], "ExceptHook": a[2], "RefreshHook": a[3]}
	obj := &tdObject{typ: taskType, desc: "TDTask(" + name + ")", sim: s, data: task}
	task.Data = obj
	targs, tkw = s.handoff(targs, tkw)
	target = captured(target)
	task.Target = func(*Thread) error {
		v, err := py.Call(target, targs, tkw)
		task.Result = v
		if info, ok := errors.AsType[py.ExceptionInfo](err); ok {
			// keep the exception for ExceptHook, with a readable message
			return &ReportedError{Kind: EvError, Msg: pyMessage(info), Value: info.Value}
		}
		return err
	}
	hook := func(hname string) Hook {
		h := hooks[hname]
		if isNone(h) {
			return nil
		}
		if _, site := funcInfo(h); site.File != "" {
			task.HookSites[hname] = site
		}
		return func(t *Thread, k *Task, err error) error {
			return s.callHook(t, k, hname, hooks[hname], given[hname], err)
		}
	}
	task.Success, task.Except, task.Refresh = hook("SuccessHook"), hook("ExceptHook"), hook("RefreshHook")
	obj.get = func(name string) (py.Object, error) {
		switch name {
		case "target":
			return target, nil
		case "args":
			return targs, nil
		case "kwargs":
			return tkw, nil
		case "SuccessHook", "ExceptHook", "RefreshHook":
			return hooks[name], nil
		case "State":
			return py.String(task.State.String()), nil
		case "thread", "RanBy":
			if task.Thread == nil {
				return py.None, nil
			}
			return s.threadObject(task.Thread), nil
		case "Manager":
			if err := s.accessFrom("TDTask.Manager", CauseThreadManager, nil); err != nil {
				return nil, err
			}
			return s.threadManager(), nil
		}
		return nil, errNoAttr
	}
	obj.set = func(name string, v py.Object) error {
		switch name {
		case "SuccessHook", "ExceptHook", "RefreshHook":
			hooks[name] = v
			given[name] = s.cur().Site()
			task.SetHook(name, hook(name))
			return nil
		}
		return py.ExceptionNewf(py.AttributeError, "cannot set '%s' of a TDTask", name)
	}
	return obj, nil
}

// callHook calls a hook on the main thread with the arguments TD passes
// (Config.Hooks) and observes what Python makes of the call: a TypeError
// raised by the call itself, before the hook's first line runs, is a hook
// that cannot take those arguments, reported where it was handed to the
// task (given); any other exception is the hook's own error.
func (s *sim) callHook(t *Thread, task *Task, name string, h py.Object, given Site, err error) error {
	var args py.Tuple
	if s.rt.cfg.HookTask {
		args = append(args, s.taskArg(task))
	}
	for _, a := range s.rt.cfg.Hooks.Args(name) {
		switch a {
		case HookArgTask:
			args = append(args, s.taskArg(task))
		case HookArgError:
			args = append(args, exception(err))
		case HookArgResult:
			v, _ := task.Result.(py.Object)
			if v == nil {
				v = py.None
			}
			args = append(args, v)
		}
	}
	_, callErr := py.Call(h, args, nil)
	if callErr == nil {
		return nil
	}
	if refusedCall(callErr) {
		fname, _ := funcInfo(h)
		msg := name + " `" + fname + "` called with " + itoa(len(args)) + " argument" + plural(len(args)) + ": " + errText(callErr)
		return &ReportedError{Kind: EvHookError, Cause: CauseHookArgs, Site: given, Msg: msg}
	}
	return s.report(t, callErr)
}

func (*sim) taskArg(task *Task) py.Object {
	if o, ok := task.Data.(*tdObject); ok {
		return o
	}
	return py.None
}

// refusedCall reports whether err is a TypeError raised by a call itself
// (binding its arguments) rather than by the code it ran: such an error
// has no traceback entry, since no Python frame was entered.
func refusedCall(err error) bool {
	if info, ok := errors.AsType[py.ExceptionInfo](err); ok {
		return info.Traceback == nil && isTypeError(info.Type)
	}
	if e, ok := errors.AsType[*py.Exception](err); ok {
		return isTypeError(e.Base)
	}
	return false
}

func isTypeError(t *py.Type) bool { return t != nil && t.IsSubtype(py.TypeError) }

func (s *sim) enqueue(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	a, err := bind("EnqueueTask", args, kwargs, 1, "task", "force", "standalone")
	if err != nil {
		return nil, err
	}
	obj, ok := a[0].(*tdObject)
	task, isTask := obj.data.(*Task)
	if !ok || !isTask {
		return nil, py.ExceptionNewf(py.TypeError, "EnqueueTask() takes a TDTask")
	}
	standalone, err := toBool(a[2], false)
	if err != nil {
		return nil, err
	}
	th, err := s.cur().EnqueueTask(task, standalone)
	if err != nil {
		return nil, py.ExceptionNewf(py.RuntimeError, "%s", err.Error())
	}
	if th == nil {
		return py.None, nil
	}
	return s.threadObject(th), nil
}

// runKeywords are the keyword-only parameters of TD's run(), in the order
// of its signature:
//
//	run(script, *args, endFrame=False, fromOP=None, asParameter=False,
//	    group=None, delayFrames=0, delayMilliSeconds=0, wallTime=False,
//	    delayRef=None)
//
// This is TouchDesigner's own signature, written from its documentation;
// it is deliberately not the analyzer's table of it, so that a mistake in
// one is caught by the other.
var runKeywords = []string{"endFrame", "fromOP", "asParameter", "group", "delayFrames", "delayMilliSeconds", "wallTime", "delayRef"}

// bindRun binds run()'s arguments as Python binds a call to a function of
// that signature, with CPython's messages.
func bindRun(args py.Tuple, kwargs py.StringDict) (script py.Object, rest py.Tuple, kw map[string]py.Object, err error) {
	kw = map[string]py.Object{}
	names := make([]string, 0, len(kwargs))
	for k := range kwargs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "script" && len(args) == 0 {
			script = kwargs[k]
			continue
		}
		if k == "script" {
			return nil, nil, nil, py.ExceptionNewf(py.TypeError, "run() got multiple values for argument 'script'")
		}
		if !slices.Contains(runKeywords, k) {
			return nil, nil, nil, py.ExceptionNewf(py.TypeError, "run() got an unexpected keyword argument '%s'", k)
		}
		kw[k] = kwargs[k]
	}
	if script == nil {
		if len(args) == 0 {
			return nil, nil, nil, py.ExceptionNewf(py.TypeError, "run() missing 1 required positional argument: 'script'")
		}
		script, rest = args[0], args[1:]
	}
	return script, rest, kw, nil
}

// runFunction is TD's run().
func (s *sim) runFunction() *tdObject {
	o := &tdObject{typ: tdType, desc: "run", td: true, sim: s, cause: CauseRun}
	o.call = func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		t := s.cur()
		site := t.Site()
		refuse := func(cause Cause, err error) (py.Object, error) {
			t.Event(EvRunError, site, errText(err)).Cause = cause
			return nil, err
		}
		script, rest, kw, err := bindRun(args, kwargs)
		if err != nil {
			return refuse(CauseRunKeyword, err)
		}
		spec := RunSpec{}
		for _, k := range runKeywords {
			v, ok := kw[k]
			if !ok {
				continue
			}
			var err error
			switch k {
			case "delayFrames":
				spec.DelayFrames, err = py.MakeGoInt(v)
			case "delayMilliSeconds":
				var ms float64
				ms, err = toFloat(v, 0)
				spec.Delay = time.Duration(ms * float64(time.Millisecond))
			case "endFrame":
				spec.EndFrame, err = toBool(v, false)
			case "fromOP":
				if op, ok := v.(*tdObject); ok {
					if n, ok := op.data.(*node); ok {
						spec.FromOP = n
					}
				}
			case "group":
				if g, ok := v.(py.String); ok {
					spec.Group = string(g)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		switch sc := script.(type) {
		case py.String:
			spec.Label = strings.TrimSpace(string(sc))
			src := string(sc)
			spec.Fn = func(t *Thread) error {
				code, err := compile(s.file+":run", src)
				if err != nil {
					msg := err.Error()
					if ce, ok := errors.AsType[*CompileError](err); ok {
						msg = errText(ce.Err)
					}
					t.Event(EvRunError, site, "the script given to run() does not compile: "+msg).Cause = CauseRunSyntax
					return nil
				}
				g := maps.Clone(s.ctxGlobals())
				g["args"] = rest
				_, err = py.VmEvalCode(s.ctx, code, g, g, nil, nil, nil, nil, nil)
				return s.report(t, err)
			}
		default:
			if _, ok := script.(py.I__call__); !ok {
				return refuse(CauseRunScriptType, py.ExceptionNewf(py.TypeError, "run() argument 'script' must be a str or a callable, not '%s'", script.Type().Name))
			}
			name, _ := funcInfo(script)
			spec.Label = name + "()"
			spec.Fn = func(t *Thread) error {
				_, err := py.Call(script, rest, nil)
				return s.report(t, err)
			}
		}
		run, err := t.Schedule(spec)
		if err != nil {
			return nil, err
		}
		return s.runObject(run), nil
	}
	return o
}

func (s *sim) ctxGlobals() py.StringDict {
	m, err := s.ctx.GetModule("td")
	if err != nil {
		return py.NewStringDict()
	}
	return m.Globals
}

func (s *sim) runObject(run *Run) *tdObject {
	o := &tdObject{typ: runType, desc: "Run " + itoa(run.ID), td: true, sim: s, data: run, cause: CauseRun}
	gone := func() error {
		if run.Done {
			return py.ExceptionNewf(tdError, "the Run has already executed or been killed")
		}
		return nil
	}
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "kill":
			return s.method("kill", func(py.Tuple, py.StringDict) (py.Object, error) {
				if err := gone(); err != nil {
					return nil, err
				}
				run.Kill(s.cur())
				return py.None, nil
			}), nil
		case "active":
			if err := gone(); err != nil {
				return nil, err
			}
			return py.NewBool(run.Active), nil
		case "remainingFrames":
			if err := gone(); err != nil {
				return nil, err
			}
			return py.Int(run.RemainingFrames()), nil
		case "group":
			return py.String(run.Spec.Group), nil
		}
		return nil, errNoAttr
	}
	o.set = func(name string, v py.Object) error {
		if err := gone(); err != nil {
			return err
		}
		if name == "active" {
			b, err := toBool(v, true)
			run.Active = b
			return err
		}
		return py.ExceptionNewf(py.AttributeError, "cannot set '%s' of a Run", name)
	}
	return o
}
