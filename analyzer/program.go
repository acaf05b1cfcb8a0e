package analyzer

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdlint/tdlint/pyparse"
)

// Program is the whole-program model built once per run from every
// SourceFile: scopes and bindings, what names and attributes resolve to, the
// call graph, the thread context of every function and where TD is touched.
// Rules read it; nothing writes it after BuildProgram returns.
type Program struct {
	Files     []*SourceFile
	Functions []*Function
	// WorkerStarts are the places that hand a callable to another thread.
	WorkerStarts []*WorkerStart
	Tables       *Tables

	byNode   map[pyparse.Node]*Function
	modules  map[*SourceFile]*Function
	classes  []*Class
	byFile   map[*SourceFile][]*Function
	startsIn map[*SourceFile][]*WorkerStart
	memoMu   sync.Mutex
	memo     map[string]*memoEntry
	// usesTD caches fileUsesTD.
	usesTD map[*SourceFile]bool
	// byModuleName finds a file's module by the name code imports it by
	// (nil when two files share the name); byOpPath a DAT's by its
	// operator path.
	byModuleName map[string]*Function
	byOpPath     map[string]*Function
	// tdFiles are the files that run in TD: DATs and modules that import
	// td (at top level, or under an if or try).
	tdFiles map[*SourceFile]bool
	// extensions finds a TD extension class by the name op(...).ext uses.
	extensions map[string]*Class
	// params are the values calls and thread starts pass to parameters
	// (values.go): few parameters get any, so they live beside the
	// bindings rather than in each.
	params map[*binding][]string
	// round numbers the rounds of the value model, between which what a
	// name may hold changes (0: none is under way, nothing is kept).
	round uint32
	// entries indexes Tables.WorkerEntries for startsAt.
	entries *entryIndex
	// paramCalls caches calledParams.
	paramCallsMu sync.Mutex
	paramCalls   map[*Function][]string
	// condDepth counts the `if` and `try` statements the collection of
	// a module's top level is inside (scopes.go's cond).
	condDepth int
	// exprs collects statements' expressions while a file's scopes are
	// built.
	exprs *exprCollector
	// bindings allocates the bindings in chunks; the files a worker
	// collects share its chunks.
	bindings *chunks[binding]
	// failed holds the files whose model could not be built (a panic in
	// tdlint), with what went wrong: they get an internal error, not rules.
	failMu sync.Mutex
	failed map[*SourceFile]string
}

// fail records that building f's model panicked.
func (p *Program) fail(f *SourceFile, what string, r any) {
	p.failMu.Lock()
	defer p.failMu.Unlock()
	if p.failed == nil {
		p.failed = make(map[*SourceFile]string)
	}
	if _, dup := p.failed[f]; !dup {
		p.failed[f] = fmt.Sprintf("internal error while %s: %v", what, r)
	}
}

// Failed reports whether building f's model panicked, and why.
func (p *Program) Failed(f *SourceFile) (string, bool) {
	msg, ok := p.failed[f]
	return msg, ok
}

// testHookCollect, if set, runs before a file's scopes are collected.
var testHookCollect func(*SourceFile)

// ThreadContext is where a function may run.
type ThreadContext uint8

// Thread contexts; a function reachable from both has both bits.
const (
	MainThread ThreadContext = 1 << iota
	WorkerThread
	// OutsideTD marks code that only runs when TD is absent (guards.go):
	// a fallback after `if callable(run): ...; return`. Only uses it.
	OutsideTD
)

// RunsOn reports whether code whose guard allows only (0: any thread)
// can run on thread t.
func (only ThreadContext) RunsOn(t ThreadContext) bool { return only == 0 || only&t != 0 }

// Function is a def, a lambda, or a module's top level.
type Function struct {
	ID     int
	Name   string
	Node   pyparse.Node // *FunctionDef, *Lambda, or nil for module top level
	File   *SourceFile
	Parent *Function // lexically enclosing function (nil for the module)
	Class  *Class    // for methods
	Body   []pyparse.Stmt
	Expr   pyparse.Expr // a lambda's body

	Context ThreadContext
	// WorkerReach explains how a worker thread gets here: the start and the
	// call that reached this function (nil at the entry itself).
	WorkerReach *Reach
	Calls       []CallEdge
	Accesses    []TDAccess
	// Blocking are the calls of its own code that wait.
	Blocking []BlockingCall
	// Unattended is set on main-thread code TD runs without a user's
	// action: every frame, on a cook, on network or data events. It is
	// worked out only in programs that open a modal dialog (Tables.Modal):
	// the one question it answers.
	Unattended bool

	scope *scope
	// found holds what analyzeBody saw for later steps (nil when nothing,
	// as in most functions); they take it and clear it.
	found *bodyFacts
	// ref is the tag qualify gives this function ("def#12") or module
	// ("module#3"), made once its ID is final.
	ref string
	// firstParam is a def's first parameter (self in a method), asked at
	// every attribute of self; "" for a module, a lambda or no parameter.
	firstParam string
}

// bodyFacts are a function body's facts for the steps after the bodies:
// its worker starts (moved to WorkerStarts), and its print() and
// EnqueueTask() calls (prints become accesses if the file uses TD).
type bodyFacts struct {
	starts           []*WorkerStart
	prints, enqueues []*pyparse.Call
}

// facts returns fn's bodyFacts, made on first use.
func (fn *Function) facts() *bodyFacts {
	if fn.found == nil {
		fn.found = new(bodyFacts)
	}
	return fn.found
}

// Class is a class definition with its methods.
type Class struct {
	ID      int
	Name    string
	Node    *pyparse.ClassDef
	File    *SourceFile
	Methods map[string]*Function
	// fields are what the class's methods assign to self.<name>, by name.
	fields map[string]*classField
	Bases  []string // qualified base names
	// subclasses are the project classes naming this one as a base;
	// hierarchy memoises overrides of their methods.
	subclasses []*Class
	hierarchy  hierarchy
	Extension  bool // a TD extension: __init__(self, ownerComp)
	definedIn  *Function
	ref        string // "class#3", made once the ID is final
	instance   string // "class#3()", an instance of it: self's value in its methods
}

// classField is a field of a class's instances: the values its methods
// assign it, each with the method it is written in (a value resolves in
// that method's scope), and the value selfAttr last found for it
// (values.go's valueMemo).
type classField struct {
	values []pyparse.Expr
	owners []*Function
	memo   atomic.Pointer[valueMemo]
}

// CallEdge is a resolved call from one function to another.
type CallEdge struct {
	Site   *pyparse.Call
	Callee *Function
	// Passed is set when Callee is a function passed as an argument at
	// Site (`self._guard(_write)`): the function called runs it on this
	// thread, so the edge is the caller's, whoever else passes others.
	Passed bool
	// Only is the one thread that can make the call, when a guard says
	// so (guards.go); 0 when either may.
	Only ThreadContext
}

// Reach records one step of how a thread context reaches a function.
type Reach struct {
	Start *WorkerStart
	From  *Function
	Site  *pyparse.Call
}

// WorkerStart is a call that runs a callable on another thread.
type WorkerStart struct {
	Site       *pyparse.Call
	File       *SourceFile
	In         *Function
	Kind       string
	Target     *Function
	TargetExpr pyparse.Expr
	// Assign is the assignment that installs a library callback
	// (`client.on_message = f`) when Site is nil.
	Assign *pyparse.Assign
	// PassedArgs are the expressions handed to the target (args=, kwargs=).
	PassedArgs []pyparse.Expr
	// TDTask facts: whether it is a TDTask, and whether EnqueueTask was
	// called for it with standalone=True.
	IsTDTask   bool
	Enqueued   *pyparse.Call
	Standalone bool
}

// TDAccess is one place a function touches TD.
type TDAccess struct {
	Node pyparse.Node
	// What names what was touched ("op", "self.ownerComp", "print()").
	What string
	// ThreadManager is set when the access reaches TD's ThreadManager.
	ThreadManager bool
	// RunCall is set for a call of td.run.
	RunCall bool
	// Captured is set when the TD object comes from an enclosing function
	// (a closure capture) rather than being reached here.
	Captured bool
	// Output is set for print(): TD replaces sys.stdout with its textport,
	// so printing off the main thread touches TD. Prints are recorded in
	// every file; OutputCounts says whether one counts for a given start.
	Output bool
	// Passed is set when the TD object is a parameter's value, passed in
	// by a caller or a thread start (TD103 reports the handoff).
	Passed bool
	// Only is the one thread that can reach it, under a guard.
	Only ThreadContext
}

// FuncByNode returns the Function for a def or lambda node.
func (p *Program) FuncByNode(n pyparse.Node) *Function { return p.byNode[n] }

// Module returns the top-level pseudo-function of a file.
func (p *Program) Module(f *SourceFile) *Function { return p.modules[f] }

// FunctionsIn returns the functions defined in file f (its module first).
func (p *Program) FunctionsIn(f *SourceFile) []*Function { return p.byFile[f] }

// StartsIn returns the worker starts whose call is in file f.
func (p *Program) StartsIn(f *SourceFile) []*WorkerStart { return p.startsIn[f] }

type memoEntry struct {
	once  sync.Once
	value any
}

// Memo computes a whole-program fact once and shares it between the
// per-file runs of a rule (which run in parallel): rules that need a
// program-wide index must not rebuild it for every file.
func (p *Program) Memo(key string, compute func() any) any {
	p.memoMu.Lock()
	if p.memo == nil {
		p.memo = make(map[string]*memoEntry)
	}
	e := p.memo[key]
	if e == nil {
		e = &memoEntry{}
		p.memo[key] = e
	}
	p.memoMu.Unlock()
	e.once.Do(func() { e.value = compute() })
	return e.value
}

// ---------------------------------------------------------------------------
// Building

// BuildProgram builds the model for files with the default tables.
func BuildProgram(files []*SourceFile) *Program {
	return BuildProgramWith(files, DefaultTables())
}

// BuildProgramWith builds the model with the given tables.
func BuildProgramWith(files []*SourceFile, tables *Tables) *Program {
	return buildProgram(files, tables, nil)
}

// buildProgram builds the model, telling phase how long each step took.
func buildProgram(files []*SourceFile, tables *Tables, phase func(string)) *Program {
	if phase == nil {
		phase = func(string) {}
	}
	p := &Program{Files: files, Tables: tables, modules: make(map[*SourceFile]*Function, len(files)), entries: newEntryIndex(tables.WorkerEntries)}
	// Each file's scopes, functions and classes are collected on its own,
	// in parallel, then numbered in file order: the IDs, and so every
	// qualified name, do not depend on the schedule.
	parts := make([]*Program, len(files))
	workers := runtime.GOMAXPROCS(0)
	bindings := make([]chunks[binding], workers)
	parallelWorkers(len(files), workers, func(w, i int) {
		f := files[i]
		if f.AST == nil {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				// The file is left out of the program; the others are not
				// affected (a part writes only its own objects).
				parts[i] = nil
				p.fail(f, "building its scopes", r)
			}
		}()
		if testHookCollect != nil {
			testHookCollect(f)
		}
		part := &Program{Files: files, Tables: tables, modules: make(map[*SourceFile]*Function, 1), bindings: &bindings[w]}
		mod := part.newFunction("<module>", nil, f, nil, nil)
		mod.Body = f.AST.Body
		mod.scope = part.newScope(mod, true)
		part.modules[f] = mod
		part.collect(mod, f.AST.Body)
		parts[i] = part
	})
	phase("scopes")
	// Numbering: each part's functions and classes get the IDs after the
	// previous parts' (one pass to count, one in parallel to number), and
	// a file's functions stay one run of p.Functions.
	nFuncs, nClasses := 0, 0
	funcBase, classBase := make([]int, len(parts)), make([]int, len(parts))
	for i, part := range parts {
		if part != nil {
			funcBase[i], classBase[i] = nFuncs, nClasses
			nFuncs += len(part.Functions)
			nClasses += len(part.classes)
		}
	}
	p.Functions = make([]*Function, nFuncs)
	p.classes = make([]*Class, nClasses)
	p.byFile = make(map[*SourceFile][]*Function, len(files))
	parallel(len(parts), workers, func(i int) {
		part := parts[i]
		if part == nil {
			return
		}
		for j, fn := range part.Functions {
			fn.ID = funcBase[i] + j
			if fn.Node == nil {
				fn.ref = "module#" + strconv.Itoa(fn.ID)
			} else {
				fn.ref = "def#" + strconv.Itoa(fn.ID)
			}
			p.Functions[fn.ID] = fn
		}
		for j, c := range part.classes {
			c.ID = classBase[i] + j
			c.ref = "class#" + strconv.Itoa(c.ID)
			c.instance = c.ref + "()"
			p.classes[c.ID] = c
		}
	})
	p.byNode = make(map[pyparse.Node]*Function, nFuncs)
	for i, part := range parts {
		if part == nil {
			continue
		}
		for _, fn := range part.Functions {
			if fn.Node != nil {
				p.byNode[fn.Node] = fn
			}
		}
		start := funcBase[i]
		p.byFile[files[i]] = p.Functions[start : start+len(part.Functions) : start+len(part.Functions)]
		p.modules[files[i]] = part.modules[files[i]]
	}
	p.byModuleName = make(map[string]*Function)
	p.byOpPath = make(map[string]*Function)
	for f, mod := range p.modules {
		if f.OpPath != "" {
			p.byOpPath[f.OpPath] = mod
		}
		if f.ModuleName == "" {
			continue
		}
		if _, dup := p.byModuleName[f.ModuleName]; dup {
			p.byModuleName[f.ModuleName] = nil
			continue
		}
		p.byModuleName[f.ModuleName] = mod
	}
	p.tdFiles = make(map[*SourceFile]bool)
	for _, f := range files {
		if f.AST != nil && (f.OpPath != "" || importsTD(f.AST)) {
			p.tdFiles[f] = true
		}
	}
	// Base classes are resolved once every class has its final ID.
	for _, c := range p.classes {
		for _, base := range c.Node.Bases {
			q := p.qualify(c.definedIn, base)
			c.Bases = append(c.Bases, q)
			if bc, instance := p.classOf(q); bc != nil && !instance && bc != c {
				bc.subclasses = append(bc.subclasses, c)
			}
		}
	}
	// TD names an extension by its class (op.X.ext.EmbodyExt) or by the
	// class name without "Ext" (op.X.ext.Embody); a name two classes
	// share is ambiguous and left out.
	p.extensions = make(map[string]*Class)
	for _, c := range p.classes {
		if !c.Extension {
			continue
		}
		for _, name := range []string{c.Name, strings.TrimSuffix(c.Name, "Ext")} {
			if other, dup := p.extensions[name]; dup && other != c {
				p.extensions[name] = nil
			} else {
				p.extensions[name] = c
			}
		}
	}
	// Scopes are complete and read-only from here, and each body writes
	// only its own function: the bodies are analysed in parallel.
	phase("merge")
	p.round = 1
	parallelRuns(len(p.Functions), runtime.GOMAXPROCS(0), func(i int) {
		fn := p.Functions[i]
		defer func() {
			if r := recover(); r != nil {
				p.fail(fn.File, "analysing "+fn.Name, r)
			}
		}()
		p.analyzeBody(fn)
	})
	phase("bodies")
	p.flowParams()
	p.round = 0
	phase("params")
	p.usesTD = make(map[*SourceFile]bool)
	for _, fn := range p.Functions {
		if len(fn.Accesses) > 0 {
			p.usesTD[fn.File] = true
		}
	}
	for f := range p.tdFiles {
		p.usesTD[f] = true
	}
	for f, mod := range p.modules {
		if !p.usesTD[f] && p.hasTDCallback(mod) {
			p.usesTD[f] = true
		}
	}
	for _, fn := range p.Functions {
		// TD sends print output to its textport, so printing from a
		// worker touches TD, wherever the print is written.
		if fn.found == nil {
			continue
		}
		for _, call := range fn.found.prints {
			fn.Accesses = append(fn.Accesses, TDAccess{Node: call.Func, What: "print()", Output: true})
		}
		fn.found.prints = nil
	}
	phase("uses-td")
	p.resolveStarts()
	phase("starts")
	p.startsIn = make(map[*SourceFile][]*WorkerStart)
	for _, ws := range p.WorkerStarts {
		if ws.In != nil {
			p.startsIn[ws.In.File] = append(p.startsIn[ws.In.File], ws)
		}
	}
	p.propagate()
	phase("contexts")
	return p
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
