package runtime

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-python/gpython/parser"
	"github.com/go-python/gpython/py"
	_ "github.com/go-python/gpython/stdlib" // py.NewContext and the builtins
	"github.com/go-python/gpython/vm"
)

// The Python side: scenarios run in gpython v0.2.0 (a Python 3.4
// dialect). Each simulation has its
// own py.Context; only the thread with the turn runs Python, so the
// interpreter is never entered by two goroutines at once.
//
// gpython does not tell a Go function which line called it. We learn it
// by running every Python frame ourselves: py.VmEvalCode is wrapped so that
// a function's code comes back as a suspended generator frame (a copy of
// its code object with CO_GENERATOR set), which we then run with
// vm.RunFrame while it sits on the calling thread's frame stack. The
// line is the frame's current instruction, the same one a traceback
// would show.

var (
	installOnce sync.Once
	sims        sync.Map // py.Context -> *sim
	origEval    func(ctx py.Context, code *py.Code, globals, locals py.StringDict, args []py.Object, kws py.StringDict, defs []py.Object, kwdefs py.StringDict, closure py.Tuple) (py.Object, error)
	origRun     func(*py.Frame) (py.Object, error)
)

func install() {
	installOnce.Do(func() {
		// A type made after gpython's init has no MRO until readied (and
		// NewType would copy the base's READY flag, making Ready a no-op):
		// `except RuntimeError` would not catch it.
		for _, t := range []*py.Type{RecursionError, ThreadConflict, tdError, queueEmpty, queueFull} {
			if err := t.Ready(); err != nil {
				panic(err)
			}
		}
		origEval, origRun = py.VmEvalCode, py.VmRunFrame
		py.VmEvalCode = func(ctx py.Context, code *py.Code, globals, locals py.StringDict, args []py.Object, kws py.StringDict, defs []py.Object, kwdefs py.StringDict, closure py.Tuple) (py.Object, error) {
			v, ok := sims.Load(ctx)
			if !ok || code.Flags&py.CO_GENERATOR != 0 {
				return origEval(ctx, code, globals, locals, args, kws, defs, kwdefs, closure)
			}
			s, _ := v.(*sim)
			obj, err := origEval(ctx, s.suspended(code), globals, locals, args, kws, defs, kwdefs, closure)
			if err != nil {
				return nil, err
			}
			gen, ok := obj.(*py.Generator)
			if !ok {
				return obj, nil
			}
			return s.runFrame(gen.Frame)
		}
		py.VmRunFrame = func(f *py.Frame) (py.Object, error) {
			if v, ok := sims.Load(f.Context); ok {
				if s, ok := v.(*sim); ok {
					return s.runFrame(f)
				}
			}
			return origRun(f)
		}
	})
}

// sim is one simulation of one scenario.
type sim struct {
	rt      *Runtime
	ctx     py.Context
	file    string
	code    *py.Code
	globals py.StringDict
	gen     map[*py.Code]*py.Code
	frames  map[*Thread][]*py.Frame
	nodes   map[string]*node
	me      *node
	tm      *tdObject
	pythons map[*Thread]*tdObject
	// outside is how deep Python calls nest while no simulated thread
	// has the turn.
	outside int
}

// recursionError is what a call past Config.MaxRecursion raises, as
// CPython does past sys.getrecursionlimit().
func recursionError() error {
	return py.ExceptionNewf(RecursionError, "maximum recursion depth exceeded")
}

func (s *sim) suspended(code *py.Code) *py.Code {
	if g, ok := s.gen[code]; ok {
		return g
	}
	g := *code
	g.Flags |= py.CO_GENERATOR
	s.gen[code] = &g
	return &g
}

func (s *sim) runFrame(f *py.Frame) (py.Object, error) {
	t := s.rt.Current()
	if t == nil {
		if s.outside >= s.rt.Config().MaxRecursion {
			return nil, recursionError()
		}
		s.outside++
		defer func() { s.outside-- }()
		return vm.RunFrame(f)
	}
	if len(s.frames[t]) >= s.rt.Config().MaxRecursion {
		return nil, recursionError()
	}
	s.frames[t] = append(s.frames[t], f)
	defer func() { s.frames[t] = s.frames[t][:len(s.frames[t])-1] }()
	return vm.RunFrame(f)
}

// stack is the chain of Python calls thread t is in, outermost first.
func (s *sim) stack(t *Thread) []Frame {
	frames := s.frames[t]
	out := make([]Frame, 0, len(frames))
	for _, f := range frames {
		out = append(out, Frame{Site: Site{File: f.Code.Filename, Line: int(f.Code.Addr2Line(max(f.Lasti-1, 0)))}, Func: f.Code.Name})
	}
	return out
}

func (s *sim) where(t *Thread) Site {
	stack := s.frames[t]
	if len(stack) == 0 {
		return Site{}
	}
	f := stack[len(stack)-1]
	return Site{File: f.Code.Filename, Line: int(f.Code.Addr2Line(max(f.Lasti-1, 0)))}
}

// cur is the thread running Python now.
func (s *sim) cur() *Thread { return s.rt.Current() }

// Scenario is a Python program to simulate.
type Scenario struct {
	// Name is the file name shown in the trace.
	Name string
	Src  string
	// Modules are the other modules it may import, by module name, as TD
	// finds module DATs by name (see LoadScenario).
	Modules map[string]Module
	// project: no scenario of its own; a Project's driver calls into
	// the modules (CPython engine).
	project bool
	// Root is the project's folder (TD's project.folder), if known.
	Root string
}

// Module is an importable Python module of a scenario's project.
type Module struct {
	Name string // file name shown in the trace
	Src  string
}

// LoadScenario reads a scenario file; every other .py file in its
// directory tree is importable by its base name.
func LoadScenario(file string) (*Scenario, error) {
	src, err := readSource(file)
	if err != nil {
		return nil, err
	}
	sc := &Scenario{Name: filepath.ToSlash(file), Src: string(src), Modules: map[string]Module{}}
	root := filepath.Dir(file)
	self := filepath.Base(file)
	tree := os.DirFS(root)
	err = fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || path.Ext(p) != ".py" || p == self {
			// A FIFO named x.py would block the read forever.
			return nil
		}
		name := strings.TrimSuffix(d.Name(), ".py")
		if _, dup := sc.Modules[name]; dup {
			return nil
		}
		b, err := readSource(filepath.Join(root, p))
		if err != nil {
			return err
		}
		sc.Modules[name] = Module{Name: filepath.ToSlash(filepath.Join(root, p)), Src: string(b)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// maxSourceSize bounds one scenario or module file, as tdlint check's
// default --max-file-size does.
const maxSourceSize = 10 << 20

// readSource reads a regular file of at most maxSourceSize bytes: a FIFO
// would block the read forever, /dev/zero would never end it.
func readSource(file string) ([]byte, error) {
	info, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", file)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxSourceSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxSourceSize {
		return nil, fmt.Errorf("%s: file larger than the limit of %d MiB", file, maxSourceSize>>20)
	}
	return src, nil
}

// CompileError is a scenario gpython cannot compile.
type CompileError struct {
	Name string
	// Engine is the engine that refused it ("": gpython).
	Engine string
	Err    error
}

func (e *CompileError) Error() string {
	if e.Engine != "" {
		return fmt.Sprintf("%s: %s cannot compile this scenario: %v", e.Name, e.Engine, e.Err)
	}
	return fmt.Sprintf("%s: gpython v0.2.0 cannot compile this scenario (scenarios are written in its Python 3.4 dialect: no f-strings, annotations, walrus or async): %v", e.Name, e.Err)
}

func (e *CompileError) Unwrap() error { return e.Err }

// maxNesting bounds how deep a scenario's syntax tree may nest: gpython's
// compiler recurses without a bound and overflows the Go stack (which
// kills the process) on 100,000 nested lambdas, say. CPython stops near
// 3,000 levels with RecursionError; gpython's tree has a level or two more
// per construct.
const maxNesting = 4000

func compile(name, src string) (code *py.Code, err error) {
	if mod, perr := parser.Parse(strings.NewReader(src), name, py.ExecMode); perr == nil && treeDeeper(mod, maxNesting) {
		return nil, &CompileError{Name: name, Err: fmt.Errorf("nested more than %d levels deep (CPython raises RecursionError)", maxNesting)}
	}
	defer func() {
		if r := recover(); r != nil {
			err = &CompileError{Name: name, Err: fmt.Errorf("%v", r)}
		}
	}()
	code, err = py.Compile(src, name, py.ExecMode, 0, true)
	if err != nil {
		return nil, &CompileError{Name: name, Err: err}
	}
	return code, nil
}

// Check reports whether gpython can compile the scenario.
func (sc *Scenario) Check() error {
	_, err := compile(sc.Name, sc.Src)
	return err
}

// Simulate runs the scenario on the embedded gpython engine: its top
// level on the main thread before the first frame, then its
// onFrameStart(frame) function, if it has one, in the cook phase of every
// frame.
func Simulate(sc *Scenario, cfg Config) (*Result, error) {
	return SimulateWith(NewGPython(), sc, cfg)
}

// NewGPython returns the embedded engine: gpython v0.2.0, which runs the
// scenarios' Python 3.4 dialect.
func NewGPython() Engine { return &sim{} }

// Name implements Engine.
func (*sim) Name() string { return "gpython" }

// Load implements Engine: it compiles the scenario and gives it a Python
// context of its own with TD's modules and the stand-ins.
func (s *sim) Load(rt *Runtime, sc *Scenario) error {
	install()
	code, err := compile(sc.Name, sc.Src)
	if err != nil {
		return err
	}
	s.rt, s.file, s.code = rt, sc.Name, code
	s.gen, s.frames = map[*py.Code]*py.Code{}, map[*Thread][]*py.Frame{}
	s.nodes, s.pythons = map[string]*node{}, map[*Thread]*tdObject{}
	s.ctx = py.NewContext(py.DefaultContextOpts())
	sims.Store(s.ctx, s)
	s.globals, err = s.install(sc)
	if err != nil {
		s.Close()
		return err
	}
	return nil
}

// Main implements Engine.
func (s *sim) Main(t *Thread) error {
	_, err := py.VmEvalCode(s.ctx, s.code, s.globals, s.globals, nil, nil, nil, nil, nil)
	return s.report(t, err)
}

// Call implements Engine.
func (s *sim) Call(t *Thread, name string, args ...int) (bool, error) {
	fn, ok := s.globals[name]
	if !ok {
		return false, nil
	}
	pargs := make(py.Tuple, len(args))
	for i, a := range args {
		pargs[i] = py.Int(a)
	}
	_, err := py.Call(fn, pargs, nil)
	return true, s.report(t, err)
}

// Where implements Engine: the line of the innermost Python frame of t.
func (s *sim) Where(t *Thread) Site { return s.where(t) }

// Stack is the chain of Python calls t is in, outermost first.
func (s *sim) Stack(t *Thread) []Frame { return s.stack(t) }

// Close implements Engine.
func (s *sim) Close() {
	sims.Delete(s.ctx)
	_ = s.ctx.Close()
}

// report turns a Python exception that reached Go into an error event at
// its innermost line.
func (s *sim) report(t *Thread, err error) error {
	if err == nil {
		return nil
	}
	site, msg := s.describe(t, err)
	return &ReportedError{Kind: EvError, Site: site, Msg: msg, Value: err}
}

// describe locates and formats a Python exception.
func (*sim) describe(t *Thread, err error) (site Site, msg string) {
	info, ok := errors.AsType[py.ExceptionInfo](err)
	if !ok {
		return t.Site(), err.Error()
	}
	site = t.Site()
	for tb := info.Traceback; tb != nil; tb = tb.Next {
		site = Site{File: tb.Frame.Code.Filename, Line: int(tb.Lineno)}
	}
	return site, pyMessage(info)
}

// errText is the one-line message of a Python error.
func errText(err error) string {
	if info, ok := errors.AsType[py.ExceptionInfo](err); ok {
		return pyMessage(info)
	}
	if e, ok := errors.AsType[*py.Exception](err); ok {
		return pyMessage(py.ExceptionInfo{Type: e.Base, Value: e})
	}
	msg, _, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
	return msg
}

// pyMessage formats an exception as Python's last traceback line does.
func pyMessage(info py.ExceptionInfo) string {
	msg := info.Type.Name
	if exc, ok := info.Value.(*py.Exception); ok {
		if args, ok := exc.Args.(py.Tuple); ok && len(args) == 1 {
			if str, ok := args[0].(py.String); ok {
				if str != "" {
					msg += ": " + string(str)
				}
				return msg
			}
		}
	}
	if info.Value != nil {
		if str, e := py.StrAsString(info.Value); e == nil && str != "" {
			msg += ": " + str
		}
	}
	return msg
}

// exception is the Python exception object of err, for ExceptHook.
func exception(err error) py.Object {
	if r, ok := errors.AsType[*ReportedError](err); ok {
		if o, ok := r.Value.(py.Object); ok {
			return o
		}
	}
	if info, ok := errors.AsType[py.ExceptionInfo](err); ok {
		return info.Value
	}
	if c, ok := errors.AsType[*ConflictError](err); ok {
		return py.ExceptionNewf(ThreadConflict, "%s", c.Error())
	}
	return py.ExceptionNewf(py.RuntimeError, "%s", err.Error())
}

// ThreadConflict is raised in a thread that uses a TD object (unless
// Config.ConflictContinues); queue.Empty and queue.Full are queue's.
var (
	ThreadConflict = newException("ThreadConflict", "A TouchDesigner object was used off the main thread.")
	tdError        = newException("tdError", "A TouchDesigner error.")
	queueEmpty     = newException("Empty", "Exception raised by Queue.get(block=0)/get_nowait().")
	queueFull      = newException("Full", "Exception raised by Queue.put(block=0)/put_nowait().")
	// RecursionError is Python's, which gpython v0.2.0 lacks: a
	// RuntimeError, as in CPython.
	RecursionError = py.RuntimeError.NewTypeFlags("RecursionError", "Recursion limit exceeded.", nil, nil, py.RuntimeError.Flags&^py.TPFLAGS_READY)
)

// newException is an Exception subclass that `except Exception` catches:
// made unready, so that Ready (in install) gives it its MRO.
func newException(name, doc string) *py.Type {
	return py.ExceptionType.NewTypeFlags(name, doc, nil, nil, py.ExceptionType.Flags&^py.TPFLAGS_READY)
}

// accessFrom records a TD access by the running thread and turns a
// conflict into the ThreadConflict exception.
func (s *sim) accessFrom(what string, cause Cause, origin *Site) error {
	if err := s.cur().AccessVia(what, cause, origin); err != nil {
		return py.ExceptionNewf(ThreadConflict, "%s", err.Error())
	}
	return nil
}

// install creates the scenario's modules and globals.
func (s *sim) install(sc *Scenario) (py.StringDict, error) {
	base := sc.Name[strings.LastIndexAny(sc.Name, `/\`)+1:]
	base = strings.TrimSuffix(base, ".py")
	project := s.node("/project1")
	s.me = s.node("/project1/" + base)
	s.me.family = "DAT"
	_ = project
	td := s.tdGlobals()
	store := s.ctx.Store()
	mods := map[string]py.StringDict{
		"td":        td,
		"threading": s.threadingModule(),
		"queue":     s.queueModule(),
		"time":      s.timeModule(),
		"requests":  s.requestsModule(),
		"json":      s.jsonModule(),
		"socket":    s.socketModule(),
	}
	for name, g := range mods {
		if _, err := store.NewModule(s.ctx, &py.ModuleImpl{Info: py.ModuleInfo{Name: name}, Globals: g}); err != nil {
			return nil, err
		}
	}
	urllib, err := store.NewModule(s.ctx, &py.ModuleImpl{Info: py.ModuleInfo{Name: "urllib"}})
	if err != nil {
		return nil, err
	}
	request, err := store.NewModule(s.ctx, &py.ModuleImpl{Info: py.ModuleInfo{Name: "urllib.request"}, Globals: s.urllibModule()})
	if err != nil {
		return nil, err
	}
	urllib.Globals["request"] = request
	if store.Builtins != nil {
		store.Builtins.Globals["print"] = s.fn("print", s.print)
		if repr, ok := store.Builtins.Globals["repr"]; ok {
			store.Builtins.Globals["repr"] = s.fn("repr", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				if len(args) == 1 {
					if err := checkReprDepth(args[0], s.rt.Config().MaxRecursion); err != nil {
						return nil, err
					}
				}
				return py.Call(repr, args, kwargs)
			})
		}
		store.Builtins.Globals["__import__"] = s.fn("__import__", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
			return s.importModule(sc, args, kwargs)
		})
	}
	globals := maps.Clone(td)
	globals["__name__"] = py.String(base)
	globals["__file__"] = py.String(sc.Name)
	return globals, nil
}

// importModule is __import__: the scenario's own modules are compiled and
// run like the scenario (so their lines are tracked); the rest is
// gpython's.
func (s *sim) importModule(sc *Scenario, args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	if len(args) == 0 {
		return nil, py.ExceptionNewf(py.TypeError, "__import__() missing required argument 'name'")
	}
	name, ok := args[0].(py.String)
	if !ok {
		return nil, py.ExceptionNewf(py.TypeError, "__import__() argument 1 must be str")
	}
	store := s.ctx.Store()
	full := string(name)
	if m, err := store.GetModule(full); err == nil {
		if top, _, dotted := strings.Cut(full, "."); dotted && (len(args) < 4 || isEmpty(args[3])) {
			return store.GetModule(top)
		}
		return m, nil
	}
	mod, ok := sc.Modules[full]
	if !ok {
		var globals py.StringDict
		if len(args) > 1 {
			globals, _ = args[1].(py.StringDict)
		}
		return py.BuiltinImport(s.ctx, nil, args, kwargs, globals)
	}
	code, err := compile(mod.Name, mod.Src)
	if err != nil {
		return nil, py.ExceptionNewf(py.ImportError, "%s", err.Error())
	}
	g := maps.Clone(s.ctxGlobals())
	m, err := store.NewModule(s.ctx, &py.ModuleImpl{Info: py.ModuleInfo{Name: full, FileDesc: mod.Name}, Globals: g})
	if err != nil {
		return nil, err
	}
	if _, err := py.VmEvalCode(s.ctx, code, m.Globals, m.Globals, nil, nil, nil, nil, nil); err != nil {
		return nil, err
	}
	return m, nil
}

func isEmpty(o py.Object) bool {
	if isNone(o) {
		return true
	}
	t, ok := o.(py.Tuple)
	return ok && len(t) == 0
}

func (s *sim) print(args py.Tuple, _ py.StringDict) (py.Object, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		if err := checkReprDepth(a, s.rt.Config().MaxRecursion); err != nil {
			return nil, err
		}
		str, err := py.StrAsString(a)
		if err != nil {
			return nil, err
		}
		parts[i] = str
	}
	if err := s.cur().Print(strings.Join(parts, " ")); err != nil {
		return nil, py.ExceptionNewf(ThreadConflict, "%s", err.Error())
	}
	return py.None, nil
}

// goFunc is a Go function callable from Python.
type goFunc struct {
	name string
	fn   func(args py.Tuple, kwargs py.StringDict) (py.Object, error)
}

var goFuncType = py.NewType("builtin_function_or_method", "A Go function.")

func (*goFunc) Type() *py.Type { return goFuncType }

func (f *goFunc) M__call__(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	return f.fn(args, kwargs)
}

func (f *goFunc) M__repr__() (py.Object, error) {
	return py.String("<built-in function " + f.name + ">"), nil
}

func (*sim) fn(name string, fn func(args py.Tuple, kwargs py.StringDict) (py.Object, error)) *goFunc {
	return &goFunc{name: name, fn: fn}
}

// args binds positional and keyword arguments to names, Python-style;
// names after a "*" are keyword-only. Missing optional arguments are nil.
func bind(fname string, args py.Tuple, kwargs py.StringDict, required int, names ...string) ([]py.Object, error) {
	out := make([]py.Object, len(names))
	kwOnly := len(names)
	for i, n := range names {
		if n == "*" {
			kwOnly = i
		}
	}
	if len(args) > kwOnly {
		return nil, py.ExceptionNewf(py.TypeError, "%s() takes at most %d positional arguments (%d given)", fname, kwOnly, len(args))
	}
	copy(out, args)
	for k, v := range kwargs {
		i := -1
		for j, n := range names {
			if n == k {
				i = j
			}
		}
		if i < 0 {
			return nil, py.ExceptionNewf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, k)
		}
		if out[i] != nil {
			return nil, py.ExceptionNewf(py.TypeError, "%s() got multiple values for argument '%s'", fname, k)
		}
		out[i] = v
	}
	for i, n := range names[:min(required, len(names))] {
		if out[i] == nil {
			return nil, py.ExceptionNewf(py.TypeError, "%s() missing required argument '%s'", fname, n)
		}
	}
	return out, nil
}

func isNone(o py.Object) bool { return o == nil || o == py.None }

func toFloat(o py.Object, def float64) (float64, error) {
	if isNone(o) {
		return def, nil
	}
	return py.FloatAsFloat64(o)
}

func toBool(o py.Object, def bool) (bool, error) {
	if isNone(o) {
		return def, nil
	}
	b, err := py.MakeBool(o)
	if err != nil {
		return false, err
	}
	return b == py.True, nil
}

func toTuple(o py.Object) (py.Tuple, error) {
	if isNone(o) {
		return py.Tuple{}, nil
	}
	var out py.Tuple
	err := py.Iterate(o, func(item py.Object) bool {
		out = append(out, item)
		return false
	})
	return out, err
}

func toKwargs(o py.Object) (py.StringDict, error) {
	if isNone(o) {
		return py.NewStringDict(), nil
	}
	d, ok := o.(py.StringDict)
	if !ok {
		return nil, py.ExceptionNewf(py.TypeError, "kwargs must be a dict with string keys")
	}
	return d, nil
}

// funcInfo names a Python callable and says where it is defined (no
// file for callables that are not Python functions).
func funcInfo(o py.Object) (name string, site Site) {
	if bm, ok := o.(*py.BoundMethod); ok {
		o = bm.Method
	}
	f, ok := o.(*py.Function)
	if !ok {
		if g, ok := o.(*goFunc); ok {
			return g.name, Site{}
		}
		return o.Type().Name, Site{}
	}
	// gpython's Firstlineno is not reliable; the first instruction's
	// line is the function's first statement.
	return f.Name, Site{File: f.Code.Filename, Line: int(f.Code.Addr2Line(0))}
}
