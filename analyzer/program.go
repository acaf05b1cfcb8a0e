package analyzer

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

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
)

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

	scope *scope
	// found holds what analyzeBody saw for later steps (nil when nothing,
	// as in most functions); they take it and clear it.
	found *bodyFacts
	// ref is the tag qualify gives this function ("def#12") or module
	// ("module#3"), made once its ID is final.
	ref string
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
	// SelfAttrs are values assigned to self.<name> in the class's methods.
	SelfAttrs map[string][]pyparse.Expr
	attrScope map[string]*scope
	Bases     []string // qualified base names
	Extension bool     // a TD extension: __init__(self, ownerComp)
	definedIn *Function
	ref       string // "class#3", made once the ID is final
}

// CallEdge is a resolved call from one function to another.
type CallEdge struct {
	Site   *pyparse.Call
	Callee *Function
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
// Scopes and bindings

type bindingKind uint8

const (
	bindAssign bindingKind = iota
	bindParam
	bindImport
	bindDef
	bindClass
)

type binding struct {
	kind   bindingKind
	values []pyparse.Expr // assigned values (bindAssign)
	qual   string         // bindImport: the module or module.attr
	fn     *Function      // bindDef
	class  *Class         // bindClass
}

type scope struct {
	owner *Function
	names scopeNames
	// globals are the names of global and nonlocal statements (nil when
	// there are none, as in most functions).
	globals  map[string]bool
	bindings *chunks[binding]
	isModule bool
	// foreignStar is set by `from x import *` (x not td): any unbound
	// name may come from it, so none is known to be TD's.
	foreignStar bool
}

func (p *Program) newScope(owner *Function, module bool) *scope {
	return &scope{owner: owner, isModule: module, bindings: p.bindings}
}

func (s *scope) bind(name string) *binding {
	b := s.names.get(name)
	if b == nil {
		b = s.bindings.alloc()
		s.names.add(name, b)
	}
	return b
}

// scopeNames maps a scope's names to their bindings. Most scopes bind a
// handful of names: a slice searched in order costs a third of a map's
// memory and is as fast; past smallScope names, a map indexes the slice.
type scopeNames struct {
	list  []namedBinding
	index map[string]*binding
}

type namedBinding struct {
	name string
	b    *binding
}

const smallScope = 8

func (n *scopeNames) get(name string) *binding {
	if n.index != nil {
		return n.index[name]
	}
	for i := range n.list {
		if n.list[i].name == name {
			return n.list[i].b
		}
	}
	return nil
}

// add appends a name get does not find.
func (n *scopeNames) add(name string, b *binding) {
	if n.list == nil {
		// Room for the mean scope's names (3.6 in the stdlib) at once,
		// rather than growing through 1 and 2.
		n.list = make([]namedBinding, 0, 4)
	}
	n.list = append(n.list, namedBinding{name, b})
	switch {
	case n.index != nil:
		n.index[name] = b
	case len(n.list) > smallScope:
		n.index = make(map[string]*binding, 2*len(n.list))
		for _, e := range n.list {
			n.index[e.name] = e.b
		}
	}
}

// declareGlobal records a global or nonlocal statement's name.
func (s *scope) declareGlobal(name string) {
	if s.globals == nil {
		s.globals = make(map[string]bool)
	}
	s.globals[name] = true
}

// chunks hands out values from slices of growing size: one allocation
// per chunk instead of one per value, for the many small structs a
// program model is made of. A chunk lives as long as any of its values.
type chunks[T any] struct {
	chunk []T
}

func (c *chunks[T]) alloc() *T {
	if len(c.chunk) == cap(c.chunk) {
		c.chunk = make([]T, 0, min(max(2*cap(c.chunk), 4), 1024))
	}
	var zero T
	c.chunk = append(c.chunk, zero)
	return &c.chunk[len(c.chunk)-1]
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
	p := &Program{Files: files, Tables: tables, modules: make(map[*SourceFile]*Function, len(files))}
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
	// Base classes are resolved once every class has its final ID.
	for _, c := range p.classes {
		for _, base := range c.Node.Bases {
			c.Bases = append(c.Bases, p.qualify(c.definedIn, base, 0))
		}
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
	// Scopes are complete and read-only from here, and each body writes
	// only its own function: the bodies are analysed in parallel.
	phase("merge")
	parallel(len(p.Functions), runtime.GOMAXPROCS(0), func(i int) {
		fn := p.Functions[i]
		defer func() {
			if r := recover(); r != nil {
				p.fail(fn.File, "analysing "+fn.Name, r)
			}
		}()
		p.analyzeBody(fn)
	})
	phase("bodies")
	p.usesTD = make(map[*SourceFile]bool)
	for _, fn := range p.Functions {
		if len(fn.Accesses) > 0 {
			p.usesTD[fn.File] = true
		}
	}
	for _, f := range files {
		if f.OpPath != "" || (f.AST != nil && importsTD(f.AST)) {
			p.usesTD[f] = true
		}
	}
	for _, fn := range p.Functions {
		// TD sends print output to its textport, so printing from a
		// worker touches TD.
		if fn.found == nil {
			continue
		}
		if p.usesTD[fn.File] {
			for _, call := range fn.found.prints {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: call.Func, What: "print()"})
			}
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

func (p *Program) newFunction(name string, node pyparse.Node, f *SourceFile, parent *Function, class *Class) *Function {
	fn := &Function{ID: len(p.Functions), Name: name, Node: node, File: f, Parent: parent, Class: class}
	p.Functions = append(p.Functions, fn)
	if l, ok := node.(*pyparse.Lambda); ok {
		// While a file is collected, byNode holds its lambdas only: a
		// lambda can be reached twice (defineLambda). The program's
		// byNode, of every def and lambda, is made when parts merge.
		if p.byNode == nil {
			p.byNode = make(map[pyparse.Node]*Function)
		}
		p.byNode[l] = fn
	}
	return fn
}

// collect records the bindings of a body into fn's scope and creates the
// functions and classes it defines, recursively.
func (p *Program) collect(fn *Function, body []pyparse.Stmt) {
	for _, s := range body {
		p.collectStmt(fn, s)
	}
}

func qualName(fn *Function, name string) string {
	if fn.Node == nil {
		return name
	}
	return fn.Name + "." + name
}

func (p *Program) collectStmt(fn *Function, s pyparse.Stmt) {
	sc := fn.scope
	switch n := s.(type) {
	case *pyparse.FunctionDef:
		child := p.defineFunction(fn, n, nil)
		b := sc.bind(n.Name)
		b.kind, b.fn = bindDef, child
		p.collectExprs(fn, n.DecoratorList...)
		return
	case *pyparse.ClassDef:
		p.defineClass(fn, n)
		return
	case *pyparse.Import:
		for _, a := range n.Names {
			if a.AsName != "" {
				b := sc.bind(a.AsName)
				b.kind, b.qual = bindImport, a.Name
			} else {
				first, _, _ := strings.Cut(a.Name, ".")
				b := sc.bind(first)
				b.kind, b.qual = bindImport, first
			}
		}
	case *pyparse.ImportFrom:
		for _, a := range n.Names {
			if a.Name == "*" {
				if n.Module != "td" {
					sc.foreignStar = true
				}
				continue
			}
			name := a.Name
			if a.AsName != "" {
				name = a.AsName
			}
			b := sc.bind(name)
			b.kind, b.qual = bindImport, n.Module+"."+a.Name
			if n.Level > 0 {
				b.qual = "." + b.qual
			}
		}
	case *pyparse.Global:
		for _, name := range n.Names {
			sc.declareGlobal(name)
		}
	case *pyparse.Nonlocal:
		for _, name := range n.Names {
			sc.declareGlobal(name)
		}
	case *pyparse.Assign:
		for _, t := range n.Targets {
			p.bindTarget(fn, t, n.Value)
		}
	case *pyparse.AnnAssign:
		p.bindTarget(fn, n.Target, n.Value)
	case *pyparse.AugAssign:
		p.bindTarget(fn, n.Target, nil)
	case *pyparse.For:
		p.bindTarget(fn, n.Target, nil)
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
	case *pyparse.While:
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
	case *pyparse.If:
		p.collect(fn, n.Body)
		p.collect(fn, n.Orelse)
	case *pyparse.With:
		for _, it := range n.Items {
			if it.OptionalVars != nil {
				p.bindTarget(fn, it.OptionalVars, it.ContextExpr)
			}
		}
		p.collect(fn, n.Body)
	case *pyparse.Try:
		p.collect(fn, n.Body)
		for _, h := range n.Handlers {
			if h.HasName {
				sc.bind(h.Name)
			}
			p.collect(fn, h.Body)
		}
		p.collect(fn, n.Orelse)
		p.collect(fn, n.Finalbody)
	case *pyparse.Match:
		for _, c := range n.Cases {
			pyparse.Inspect(c.Pattern, func(node pyparse.Node) bool {
				switch pat := node.(type) {
				case *pyparse.MatchAs:
					if pat.HasName {
						sc.bind(pat.Name)
					}
				case *pyparse.MatchStar:
					if pat.HasName {
						sc.bind(pat.Name)
					}
				case *pyparse.MatchMapping:
					if pat.HasRest {
						sc.bind(pat.Rest)
					}
				}
				return true
			})
			p.collect(fn, c.Body)
		}
	}
	// Lambdas and walrus targets inside the statement's own expressions,
	// if the parser saw any there.
	if !fn.File.AST.HasBinderIn(s.Pos(), s.End()) {
		return
	}
	if p.exprs == nil {
		p.exprs = &exprCollector{p: p}
	}
	p.exprs.fn, p.exprs.top = fn, s
	pyparse.Walk(p.exprs, s)
}

// exprCollector finds the lambdas, walrus targets and comprehension
// variables of one statement's own expressions. The statements nested in
// it are not visited: collect reaches each of them itself, and walking them
// again from every enclosing statement made collecting quadratic in the
// nesting depth. One collector serves a whole file (it is never re-entered:
// defineLambda walks with its own).
type exprCollector struct {
	p   *Program
	fn  *Function
	top pyparse.Stmt
}

func (c *exprCollector) Visit(node pyparse.Node) pyparse.Visitor {
	switch x := node.(type) {
	case nil:
		return nil
	case *pyparse.Lambda:
		c.p.defineLambda(c.fn, x)
		return nil
	case *pyparse.NamedExpr:
		c.p.bindTarget(c.fn, x.Target, x.Value)
	case *pyparse.Comprehension:
		// Comprehension variables live in the comprehension's own
		// scope; binding them in the function is a safe
		// approximation: such a name is never TD's global.
		c.p.bindTarget(c.fn, x.Target, nil)
	case pyparse.Stmt:
		if node != c.top {
			return nil
		}
	}
	return c
}

func (p *Program) collectExprs(fn *Function, es ...pyparse.Expr) {
	for _, e := range es {
		if e == nil || !fn.File.AST.HasBinderIn(e.Pos(), e.End()) {
			continue
		}
		pyparse.Inspect(e, func(node pyparse.Node) bool {
			if l, ok := node.(*pyparse.Lambda); ok {
				p.defineLambda(fn, l)
				return false
			}
			return true
		})
	}
}

func (p *Program) bindTarget(fn *Function, target, value pyparse.Expr) {
	switch t := target.(type) {
	case *pyparse.Name:
		b := fn.scope.bind(t.ID)
		if fn.scope.globals[t.ID] && !fn.scope.isModule {
			// `global x; x = v` binds the module's x.
			mod := p.modules[fn.File]
			b = mod.scope.bind(t.ID)
		}
		b.kind = bindAssign
		if value != nil {
			b.values = append(b.values, value)
		}
	case *pyparse.Tuple:
		for _, e := range t.Elts {
			p.bindTarget(fn, e, nil)
		}
	case *pyparse.List:
		for _, e := range t.Elts {
			p.bindTarget(fn, e, nil)
		}
	case *pyparse.Starred:
		p.bindTarget(fn, t.Value, nil)
	case *pyparse.Attribute:
		// self.x = value inside a method: a class attribute fact.
		if n, ok := t.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) && value != nil {
			c := fn.Class
			if c.SelfAttrs == nil {
				c.SelfAttrs = make(map[string][]pyparse.Expr)
				c.attrScope = make(map[string]*scope)
			}
			c.SelfAttrs[t.Attr] = append(c.SelfAttrs[t.Attr], value)
			c.attrScope[t.Attr] = fn.scope
		}
	}
}

func isSelfParam(fn *Function, name string) bool {
	d, ok := fn.Node.(*pyparse.FunctionDef)
	if !ok || d.Args == nil {
		return false
	}
	if len(d.Args.PosOnlyArgs) > 0 {
		return d.Args.PosOnlyArgs[0].Arg == name
	}
	return len(d.Args.Args) > 0 && d.Args.Args[0].Arg == name
}

func (p *Program) defineFunction(parent *Function, d *pyparse.FunctionDef, class *Class) *Function {
	fn := p.newFunction(qualName(parent, d.Name), d, parent.File, parent, class)
	if class != nil {
		fn.Name = class.Name + "." + d.Name
	}
	fn.Body = d.Body
	fn.scope = p.newScope(fn, false)
	bindParams(fn, d.Args)
	p.collectExprs(parent, argDefaults(d.Args)...)
	p.collect(fn, d.Body)
	return fn
}

func argDefaults(a *pyparse.Arguments) []pyparse.Expr {
	if a == nil {
		return nil
	}
	return append(append([]pyparse.Expr(nil), a.Defaults...), a.KwDefaults...)
}

func bindParams(fn *Function, a *pyparse.Arguments) {
	if a == nil {
		return
	}
	for _, group := range [][]*pyparse.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg, a.Kwarg}} {
		for _, arg := range group {
			if arg != nil {
				fn.scope.bind(arg.Arg).kind = bindParam
			}
		}
	}
}

func (p *Program) defineLambda(parent *Function, l *pyparse.Lambda) {
	if p.byNode[l] != nil {
		return
	}
	fn := p.newFunction(qualName(parent, "<lambda>"), l, parent.File, parent, nil)
	fn.Expr = l.Body
	fn.scope = p.newScope(fn, false)
	bindParams(fn, l.Args)
	pyparse.Inspect(l.Body, func(node pyparse.Node) bool {
		switch x := node.(type) {
		case *pyparse.Lambda:
			if x != l {
				p.defineLambda(fn, x)
				return false
			}
		case *pyparse.Comprehension:
			p.bindTarget(fn, x.Target, nil)
		}
		return true
	})
}

func (p *Program) defineClass(parent *Function, d *pyparse.ClassDef) {
	c := &Class{
		ID: len(p.classes), Name: d.Name, Node: d, File: parent.File, // maps made on first write
	}
	p.classes = append(p.classes, c)
	b := parent.scope.bind(d.Name)
	b.kind, b.class = bindClass, c
	p.collectExprs(parent, d.Bases...)
	p.collectExprs(parent, d.DecoratorList...)
	for _, s := range d.Body {
		if m, ok := s.(*pyparse.FunctionDef); ok {
			fn := p.defineFunction(parent, m, c)
			if c.Methods == nil {
				c.Methods = make(map[string]*Function)
			}
			c.Methods[m.Name] = fn
			if m.Name == "__init__" && m.Args != nil && len(m.Args.Args) >= 2 && m.Args.Args[1].Arg == "ownerComp" {
				c.Extension = true
			}
		}
	}
	c.definedIn = parent
}

// ---------------------------------------------------------------------------
// Resolution

const maxResolveDepth = 8

// lookup finds the binding of name as seen from fn (LEGB, skipping class
// scopes), and the function whose scope holds it.
func (p *Program) lookup(fn *Function, name string) (*binding, *Function) {
	for f := fn; f != nil; f = f.Parent {
		if f.scope.globals[name] && !f.scope.isModule {
			mod := p.modules[f.File]
			return mod.scope.names.get(name), mod
		}
		if b := f.scope.names.get(name); b != nil {
			return b, f
		}
	}
	return nil, nil
}

// qualify resolves an expression to a dotted name: "time.sleep" for a
// call target imported from time, "td.op" for TD's op, "td.op()" for what
// op(...) returns, "queue.Queue()" for an instance, "def#12" for a project
// function, "class#3" for a project class. It returns "" when the
// expression cannot be resolved: unknown stays unknown.
func (p *Program) qualify(fn *Function, e pyparse.Expr, depth int) string {
	if depth > maxResolveDepth || e == nil {
		return ""
	}
	switch x := e.(type) {
	case *pyparse.Name:
		b, owner := p.lookup(fn, x.ID)
		if b == nil {
			if p.isTDGlobal(fn, x.ID) {
				return "td." + x.ID
			}
			return ""
		}
		switch b.kind {
		case bindImport:
			if r := p.projectImport(b.qual, depth); r != "" {
				return r
			}
			return b.qual
		case bindDef:
			return b.fn.ref
		case bindClass:
			return b.class.ref
		case bindAssign:
			if len(b.values) == 1 {
				return p.qualify(owner, b.values[0], depth+1)
			}
			return p.agreeing(owner, b.values, depth)
		case bindParam:
			// A parameter's value is whatever the caller passes: unknown.
		}
		return ""
	case *pyparse.Attribute:
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) {
			return p.selfAttr(fn.Class, x.Attr, depth)
		}
		base := p.qualify(fn, x.Value, depth+1)
		if base == "" {
			return ""
		}
		if mod := p.moduleRef(base); mod != nil {
			return p.memberOf(mod, x.Attr, depth)
		}
		if path, ok := strings.CutPrefix(base, "td.op("); ok && x.Attr == "module" && strings.HasSuffix(path, ")") {
			// op('path').module reaches the DAT's module.
			if mod := p.datModule(strings.TrimSuffix(path, ")")); mod != nil {
				return mod.ref
			}
		}
		if base == "td.mod" {
			// TD's mod.<dat> reaches a DAT module by name.
			if mod := p.byModuleName[x.Attr]; mod != nil {
				return mod.ref
			}
		}
		if id, ok := refID(strings.TrimSuffix(base, "()"), "class#"); ok && strings.HasSuffix(base, "()") && id < len(p.classes) {
			if m := p.classes[id].Methods[x.Attr]; m != nil {
				return m.ref
			}
		}
		return base + "." + x.Attr
	case *pyparse.Call:
		callee := p.qualify(fn, x.Func, depth+1)
		if callee == "" {
			return ""
		}
		if callee == "functools.partial" && len(x.Args) > 0 {
			return p.qualify(fn, x.Args[0], depth+1)
		}
		if t := typeName(callee); t == "concurrent.futures.ThreadPoolExecutor.submit" || t == "concurrent.futures.ProcessPoolExecutor.submit" ||
			strings.HasSuffix(t, ".run_in_executor") {
			return "concurrent.futures.Future()"
		}
		if callee == "td.mod" && len(x.Args) == 1 {
			// mod('name') and mod('path/name') reach a DAT module.
			if s, ok := x.Args[0].(*pyparse.Constant); ok && s.Value.Kind == pyparse.ConstStr {
				if mod := p.datModule(s.Value.Str); mod != nil {
					return mod.ref
				}
			}
		}
		if callee == "td.op" && len(x.Args) == 1 {
			if s, ok := x.Args[0].(*pyparse.Constant); ok && s.Value.Kind == pyparse.ConstStr {
				return "td.op(" + s.Value.Str + ")"
			}
		}
		return callee + "()"
	case *pyparse.Subscript:
		return ""
	}
	return ""
}

// datModule finds a DAT's module by operator path ("/project1/lib/fetch")
// or by name ("fetch", "lib/fetch" relative paths use the last part).
func (p *Program) datModule(ref string) *Function {
	if strings.HasPrefix(ref, "/") {
		if mod := p.byOpPath[ref]; mod != nil {
			return mod
		}
	}
	return p.byModuleName[ref[strings.LastIndex(ref, "/")+1:]]
}

// projectImport resolves an import of a project module ("net",
// "utils.net", "utils.net.download") to the module or its member.
func (p *Program) projectImport(qual string, depth int) string {
	qual = strings.TrimLeft(qual, ".")
	// The longest prefix of the dotted name that names a project module,
	// then its members; the parts are found by position, not split off.
	for end := len(qual); end > 0; end = strings.LastIndexByte(qual[:end], '.') {
		start := strings.LastIndexByte(qual[:end], '.') + 1
		mod := p.byModuleName[qual[start:end]]
		if mod == nil {
			continue
		}
		r := mod.ref
		for rest := qual[end:]; rest != ""; {
			var attr string
			attr, rest, _ = strings.Cut(rest[1:], ".")
			if rest != "" {
				rest = "." + rest
			}
			m := p.moduleRef(r)
			if m == nil {
				return ""
			}
			r = p.memberOf(m, attr, depth)
		}
		return r
	}
	return ""
}

func (p *Program) moduleRef(q string) *Function {
	if id, ok := refID(q, "module#"); ok && id < len(p.Functions) {
		return p.Functions[id]
	}
	return nil
}

// refID parses a reference tag ("def#12") made by qualify; anything more
// ("def#12()", "def#12.x") is not a reference to the thing itself.
func refID(q, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(q, prefix)
	if !ok || rest == "" {
		return 0, false
	}
	id := 0
	for i := range len(rest) {
		c := rest[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		id = id*10 + int(c-'0')
	}
	return id, true
}

// memberOf resolves attr of a project module.
func (p *Program) memberOf(mod *Function, attr string, depth int) string {
	b := mod.scope.names.get(attr)
	if b == nil {
		return ""
	}
	switch b.kind {
	case bindDef:
		return b.fn.ref
	case bindClass:
		return b.class.ref
	case bindImport:
		if depth > maxResolveDepth {
			return ""
		}
		if r := p.projectImport(b.qual, depth+1); r != "" {
			return r
		}
		return b.qual
	case bindAssign:
		if len(b.values) == 1 {
			return p.qualify(mod, b.values[0], depth+1)
		}
	case bindParam:
	}
	return ""
}

// agreeing resolves a name with several assignments when they all agree.
func (p *Program) agreeing(owner *Function, values []pyparse.Expr, depth int) string {
	q := ""
	for _, v := range values {
		r := p.qualify(owner, v, depth+1)
		if r == "" || (q != "" && r != q) {
			return ""
		}
		q = r
	}
	return q
}

func (p *Program) selfAttr(c *Class, attr string, depth int) string {
	if m := c.Methods[attr]; m != nil {
		return m.ref
	}
	if attr == "ownerComp" && c.Extension {
		return "td.ownerComp"
	}
	values := c.SelfAttrs[attr]
	sc := c.attrScope[attr]
	if len(values) == 0 || sc == nil {
		return ""
	}
	return p.agreeing(sc.owner, values, depth)
}

// FuncOfCall returns the project function a call site of fn resolves to.
func (*Program) FuncOfCall(fn *Function, call *pyparse.Call) *Function {
	for _, e := range fn.Calls {
		if e.Site == call {
			return e.Callee
		}
	}
	return nil
}

// WalkOwn visits the nodes of fn's own code (not nested functions').
func WalkOwn(fn *Function, visit func(pyparse.Node) bool) { walkOwn(fn, visit) }

// TypeName strips instance markers from a qualified name.
func TypeName(q string) string { return typeName(q) }

// FunctionOf returns the project function an expression refers to, if any.
func (p *Program) FunctionOf(fn *Function, e pyparse.Expr) *Function {
	if l, ok := e.(*pyparse.Lambda); ok {
		return p.byNode[l]
	}
	return p.functionOfQual(e, p.qualify(fn, e, 0))
}

// functionOfQual is FunctionOf for an expression already qualified as q.
func (p *Program) functionOfQual(e pyparse.Expr, q string) *Function {
	if l, ok := e.(*pyparse.Lambda); ok {
		return p.byNode[l]
	}
	if id, ok := refID(q, "def#"); ok && id < len(p.Functions) {
		return p.Functions[id]
	}
	if id, ok := refID(q, "class#"); ok && id < len(p.classes) {
		// Calling a class runs its __init__.
		return p.classes[id].Methods["__init__"]
	}
	return nil
}

// Qualify exposes resolution to rules: the dotted name of e as seen from fn.
func (p *Program) Qualify(fn *Function, e pyparse.Expr) string { return p.qualify(fn, e, 0) }

// ModuleGlobal reports whether name, as seen from fn, is a variable of
// fn's module (declared global, or unbound locally and bound at top level).
func (p *Program) ModuleGlobal(fn *Function, name string) bool {
	b, owner := p.lookup(fn, name)
	return b != nil && owner != nil && owner.Node == nil && (b.kind == bindAssign)
}

// plainSuffixes end the qualified names of plain Python values read off TD
// objects on the main thread: they are safe to hand to a worker.
var plainSuffixes = []string{".eval()", ".text", ".val", ".valid", ".name", ".path", ".id", ".numRows", ".numCols", ".rows()", ".col()", ".row()", ".digits", ".type"}

// IsTDObject reports whether a qualified name is a TD object (not a plain
// value extracted from one).
func IsTDObject(q string) bool {
	if !IsTD(q) {
		return false
	}
	for _, plain := range plainSuffixes {
		if strings.HasSuffix(q, plain) {
			return false
		}
	}
	return true
}

// IsTD reports whether a qualified name is a TD object or API.
func IsTD(q string) bool { return strings.HasPrefix(q, "td.") }

// typeName strips instance markers: "queue.Queue().get" → "queue.Queue.get".
func typeName(q string) string { return strings.ReplaceAll(q, "()", "") }

// ---------------------------------------------------------------------------
// Bodies: calls, TD accesses, thread starts

// walkOwn visits the nodes of fn's own code, not of nested defs, classes or
// lambdas (they are functions of their own).
func walkOwn(fn *Function, visit func(pyparse.Node) bool) {
	f := func(n pyparse.Node) bool {
		switch n.(type) {
		case *pyparse.FunctionDef, *pyparse.ClassDef:
			// Decorators and defaults run in the enclosing function; the
			// body does not.
			return false
		case *pyparse.Lambda:
			return false
		}
		return visit(n)
	}
	if fn.Expr != nil {
		pyparse.Inspect(fn.Expr, f)
		return
	}
	for _, s := range fn.Body {
		switch d := s.(type) {
		case *pyparse.FunctionDef:
			for _, e := range d.DecoratorList {
				pyparse.Inspect(e, f)
			}
			for _, e := range argDefaults(d.Args) {
				pyparse.Inspect(e, f)
			}
			continue
		case *pyparse.ClassDef:
			for _, e := range d.Bases {
				pyparse.Inspect(e, f)
			}
			continue
		}
		pyparse.Inspect(s, f)
	}
}

// noteCall records the calls later steps need without walking the
// bodies again: print() (an access in files that use TD) and
// EnqueueTask().
func (p *Program) noteCall(fn *Function, call *pyparse.Call) {
	switch f := call.Func.(type) {
	case *pyparse.Name:
		if f.ID == "print" {
			if b, _ := p.lookup(fn, "print"); b == nil {
				fn.facts().prints = append(fn.facts().prints, call)
			}
		}
	case *pyparse.Attribute:
		if f.Attr == "EnqueueTask" && len(call.Args) > 0 {
			fn.facts().enqueues = append(fn.facts().enqueues, call)
		}
	}
}

func (p *Program) analyzeBody(fn *Function) {
	walkOwn(fn, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Call:
			p.noteCall(fn, x)
			q := p.qualify(fn, x.Func, 0)
			if callee := p.functionOfQual(x.Func, q); callee != nil {
				fn.Calls = append(fn.Calls, CallEdge{Site: x, Callee: callee})
			}
			p.startsAt(fn, x, q)
			p.noteBlocking(fn, x, q)
			if q == "td.run" {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "run()", RunCall: true})
				// The call's own Name `run` is the same access.
				for _, a := range x.Args {
					p.scanAccess(fn, a)
					p.scanCalls(fn, a)
				}
				for _, k := range x.Keywords {
					p.scanAccess(fn, k.Value)
					p.scanCalls(fn, k.Value)
				}
				return false
			}
		case *pyparse.Name:
			if x.Ctx == pyparse.Load {
				p.nameAccess(fn, x)
			}
		case *pyparse.Attribute:
			if recv, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, recv.ID) {
				if q := p.selfAttr(fn.Class, x.Attr, 0); IsTD(q) && x.Ctx == pyparse.Load {
					fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "self." + x.Attr, ThreadManager: p.isThreadManager(q)})
					return false
				}
			}
			if x.Attr != "ThreadManager" {
				return true
			}
			if q := p.qualify(fn, x, 0); p.isThreadManager(q) {
				fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "ThreadManager", ThreadManager: true})
				p.scanCalls(fn, x.Value)
				return false
			}
		}
		return true
	})
}

// scanCalls records what analyzeBody records of a call (print and
// EnqueueTask calls, worker starts, blocking calls) for the calls inside an
// expression of fn that its walk does not descend into; not inside
// lambdas, which are functions of their own.
func (p *Program) scanCalls(fn *Function, e pyparse.Expr) {
	pyparse.Inspect(e, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Lambda:
			return false
		case *pyparse.Call:
			q := p.qualify(fn, x.Func, 0)
			p.noteCall(fn, x)
			p.startsAt(fn, x, q)
			p.noteBlocking(fn, x, q)
		}
		return true
	})
}

// scanAccess records TD accesses inside an expression of fn.
func (p *Program) scanAccess(fn *Function, e pyparse.Expr) {
	pyparse.Inspect(e, func(n pyparse.Node) bool {
		if x, ok := n.(*pyparse.Name); ok && x.Ctx == pyparse.Load {
			p.nameAccess(fn, x)
		}
		_, isLambda := n.(*pyparse.Lambda)
		return !isLambda
	})
}

func (p *Program) nameAccess(fn *Function, x *pyparse.Name) {
	b, owner := p.lookup(fn, x.ID)
	switch {
	case b == nil && p.isTDGlobal(fn, x.ID):
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID})
	case b != nil && b.kind == bindImport && IsTD(b.qual):
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID})
	case b != nil && b.kind == bindImport && b.qual == "td":
		fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: "td"})
	case b != nil && b.kind == bindAssign && owner != fn:
		// A closure over a TD object created elsewhere.
		if q := p.qualify(fn, x, 0); IsTDObject(q) {
			fn.Accesses = append(fn.Accesses, TDAccess{Node: x, What: x.ID, ThreadManager: p.isThreadManager(q), Captured: owner.Node != nil})
		}
	}
}

// isTDGlobal reports whether an unbound name is TD's global of that name.
func (p *Program) isTDGlobal(fn *Function, name string) bool {
	if !p.Tables.TDGlobals[name] {
		return false
	}
	mod := p.modules[fn.File]
	return mod == nil || !mod.scope.foreignStar
}

func (p *Program) isThreadManager(q string) bool {
	return p.Tables.ThreadManagers[typeName(q)]
}

// fileUsesTD reports whether a file uses TD at all: some function of it
// touches a TD global (as scoping resolves it) or it imports td. Only such
// files get TD's main-thread conventions (callbacks, module top level) and
// print() counted as TD output.
func (p *Program) fileUsesTD(f *SourceFile) bool { return p.usesTD[f] }

func importsTD(f *pyparse.File) bool {
	for _, s := range f.Body {
		switch x := s.(type) {
		case *pyparse.Import:
			for _, a := range x.Names {
				if a.Name == "td" {
					return true
				}
			}
		case *pyparse.ImportFrom:
			if x.Module == "td" {
				return true
			}
		}
	}
	return false
}

// resolveStarts finds every call that starts a thread and the TDTask hooks.
func (p *Program) resolveStarts() {
	// analyzeBody found each function's starts while it qualified its
	// calls; they are merged in function order.
	for _, fn := range p.Functions {
		if fn.found != nil {
			p.WorkerStarts = append(p.WorkerStarts, fn.found.starts...)
			fn.found.starts = nil
		}
	}
	// Thread subclasses: their run method is a worker entry; request
	// handler classes: their handle/do_* methods are.
	handlerBases := set(RequestHandlerBases)
	for _, c := range p.classes {
		for _, base := range c.Bases {
			switch tb := typeName(base); {
			case tb == "threading.Thread":
				if run := c.Methods["run"]; run != nil {
					p.WorkerStarts = append(p.WorkerStarts, &WorkerStart{Site: nil, File: c.File, Kind: "threading.Thread subclass run()", Target: run})
				}
			case handlerBases[tb]:
				for name, m := range c.Methods {
					if name == "handle" || name == "setup" || name == "finish" || strings.HasPrefix(name, "do_") {
						p.WorkerStarts = append(p.WorkerStarts, &WorkerStart{Site: nil, File: c.File, Kind: tb + " handler", Target: m})
					}
				}
			}
		}
	}
	p.matchEnqueues()
}

// startsAt records the worker starts a call of fn makes (q is the call's
// qualified callee).
func (p *Program) startsAt(fn *Function, call *pyparse.Call, q string) {
	q = typeName(q)
	for _, entry := range p.Tables.WorkerEntries {
		if !p.matchesEntry(fn, call, q, entry) {
			continue
		}
		target := argOrKeyword(call, entry.Arg, entry.Keyword)
		if target == nil {
			continue
		}
		ws := &WorkerStart{
			Site: call, File: fn.File, In: fn, Kind: entry.Kind, TargetExpr: target,
			Target: p.FunctionOf(fn, target), IsTDTask: strings.HasSuffix(entry.Callee, "TDTask"),
		}
		if passed := argOrKeyword(call, entry.ArgsArg, entry.ArgsKeyword); passed != nil && entry.ArgsKeyword != "" {
			ws.PassedArgs = append(ws.PassedArgs, elements(passed)...)
		}
		if kw := argOrKeyword(call, -1, "kwargs"); kw != nil && ws.IsTDTask {
			ws.PassedArgs = append(ws.PassedArgs, kw)
		}
		if entry.Callee == ".submit" || entry.Callee == ".map" || entry.Callee == ".run_in_executor" || entry.Callee == "asyncio.to_thread" {
			start := entry.Arg + 1
			if start < len(call.Args) {
				ws.PassedArgs = append(ws.PassedArgs, call.Args[start:]...)
			}
		}
		fn.facts().starts = append(fn.facts().starts, ws)
	}
}

func (p *Program) matchesEntry(fn *Function, call *pyparse.Call, q string, entry WorkerEntry) bool {
	if !strings.HasPrefix(entry.Callee, ".") {
		return q == entry.Callee || (strings.HasSuffix(entry.Callee, ".TDTask") && strings.HasSuffix(q, ".TDTask") && p.isThreadManager(strings.TrimSuffix(q, ".TDTask")))
	}
	attr, ok := call.Func.(*pyparse.Attribute)
	if !ok || attr.Attr != entry.Callee[1:] {
		return false
	}
	if entry.Callee == ".submit" || entry.Callee == ".map" {
		recv := typeName(p.qualify(fn, attr.Value, 0))
		return recv == "concurrent.futures.ThreadPoolExecutor" || recv == "concurrent.futures.thread.ThreadPoolExecutor"
	}
	return true
}

// matchEnqueues links TDTask creations to their EnqueueTask calls.
func (p *Program) matchEnqueues() {
	byCall := make(map[*pyparse.Call]*WorkerStart)
	for _, ws := range p.WorkerStarts {
		if ws.IsTDTask {
			byCall[ws.Site] = ws
		}
	}
	if len(byCall) == 0 {
		return
	}
	for _, fn := range p.Functions {
		if fn.found == nil {
			continue
		}
		for _, call := range fn.found.enqueues {
			ws := byCall[p.taskCall(fn, call.Args[0], 0)]
			if ws == nil {
				continue
			}
			ws.Enqueued = call
			for _, k := range call.Keywords {
				if k.Arg == "standalone" {
					if c, ok := k.Value.(*pyparse.Constant); !ok || c.Value.Kind != pyparse.ConstFalse {
						ws.Standalone = true
					}
				}
			}
			if len(call.Args) >= 3 {
				ws.Standalone = true
			}
		}
		fn.found = nil
	}
}

// taskCall follows a name to the TDTask(...) call assigned to it.
func (p *Program) taskCall(fn *Function, e pyparse.Expr, depth int) *pyparse.Call {
	if depth > maxResolveDepth {
		return nil
	}
	switch x := e.(type) {
	case *pyparse.Call:
		return x
	case *pyparse.Name:
		b, owner := p.lookup(fn, x.ID)
		if b != nil && b.kind == bindAssign && len(b.values) == 1 {
			return p.taskCall(owner, b.values[0], depth+1)
		}
	case *pyparse.Attribute:
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) {
			if vals := fn.Class.SelfAttrs[x.Attr]; len(vals) == 1 {
				return p.taskCall(fn.Class.attrScope[x.Attr].owner, vals[0], depth+1)
			}
		}
	}
	return nil
}

func argOrKeyword(call *pyparse.Call, pos int, keyword string) pyparse.Expr {
	if keyword != "" {
		for _, k := range call.Keywords {
			if k.Arg == keyword {
				return k.Value
			}
		}
	}
	if pos >= 0 && pos < len(call.Args) {
		if _, starred := call.Args[pos].(*pyparse.Starred); !starred {
			return call.Args[pos]
		}
	}
	return nil
}

func elements(e pyparse.Expr) []pyparse.Expr {
	switch x := e.(type) {
	case *pyparse.Tuple:
		return x.Elts
	case *pyparse.List:
		return x.Elts
	case *pyparse.Dict:
		return x.Values
	}
	return []pyparse.Expr{e}
}

// ---------------------------------------------------------------------------
// Thread contexts

// propagate marks worker-reachable and main-thread functions through the
// call graph with a worklist, remembering one way each was reached.
func (p *Program) propagate() {
	var work []*Function
	for _, ws := range p.WorkerStarts {
		if t := ws.Target; t != nil && t.Context&WorkerThread == 0 {
			t.Context |= WorkerThread
			t.WorkerReach = &Reach{Start: ws}
			work = append(work, t)
		}
	}
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		for _, e := range fn.Calls {
			if e.Callee.Context&WorkerThread == 0 {
				e.Callee.Context |= WorkerThread
				e.Callee.WorkerReach = &Reach{Start: fn.WorkerReach.Start, From: fn, Site: e.Site}
				work = append(work, e.Callee)
			}
		}
	}
	for _, fn := range p.mainEntries() {
		if fn.Context&MainThread == 0 {
			fn.Context |= MainThread
			work = append(work, fn)
		}
	}
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		for _, e := range fn.Calls {
			if e.Callee.Context&MainThread == 0 {
				e.Callee.Context |= MainThread
				work = append(work, e.Callee)
			}
		}
	}
}

// mainEntries are the functions TD runs on its main thread: module top
// level and callbacks of TD files, extension classes, TDTask hooks and
// run() targets.
func (p *Program) mainEntries() []*Function {
	var out []*Function
	for _, f := range p.Files {
		mod := p.modules[f]
		if mod == nil || !p.fileUsesTD(f) {
			continue
		}
		out = append(out, mod)
		for _, e := range mod.scope.names.list {
			if e.b.kind == bindDef && p.Tables.Callbacks[e.name] {
				out = append(out, e.b.fn)
			}
		}
	}
	targets := make(map[*Function]bool)
	for _, ws := range p.WorkerStarts {
		targets[ws.Target] = true
	}
	for _, c := range p.classes {
		if c.Extension {
			// TD calls an extension's methods on its main thread, except
			// the ones the extension hands to a worker; a main-thread call
			// of those still reaches them through the call graph.
			for _, m := range c.Methods {
				if !targets[m] {
					out = append(out, m)
				}
			}
		}
	}
	for _, ws := range p.WorkerStarts {
		if !ws.IsTDTask {
			continue
		}
		for _, hook := range MainThreadHooks {
			if e := argOrKeyword(ws.Site, -1, hook); e != nil {
				if fn := p.FunctionOf(ws.In, e); fn != nil {
					out = append(out, fn)
				}
			}
		}
	}
	for _, fn := range p.Functions {
		for _, a := range fn.Accesses {
			if a.RunCall {
				if call, ok := a.Node.(*pyparse.Call); ok && len(call.Args) > 0 {
					if t := p.FunctionOf(fn, call.Args[0]); t != nil {
						out = append(out, t)
					}
				}
			}
		}
	}
	return out
}

// Chain lists how a worker reaches fn: the start, then each call site.
func (*Program) Chain(fn *Function) (start *WorkerStart, steps []*Reach) {
	seen := make(map[*Function]bool)
	for f := fn; f != nil && f.WorkerReach != nil && !seen[f]; f = f.WorkerReach.From {
		seen[f] = true
		if f.WorkerReach.From != nil {
			steps = append([]*Reach{f.WorkerReach}, steps...)
		}
		start = f.WorkerReach.Start
	}
	return start, steps
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
