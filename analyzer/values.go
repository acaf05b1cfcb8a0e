package analyzer

// Values: what a name, an attribute or a parameter may hold.
//
// An abstract value is a string in the model's vocabulary:
//
//	"td.op", "td.op()", "td.op(/a/b)"  TD's APIs and objects
//	"td"                               TD's module
//	"def#12"                           a project function
//	"class#3", "class#3()"             a project class, an instance of it
//	"module#4"                         a project module
//	"time.sleep", "queue.Queue()"      a library name, an instance of one
//
// A binding may hold several: the union of every site that binds it (an
// import, a def, each assignment, the arguments calls pass to a
// parameter), with None and values that cannot be resolved left out. So
// `self.tm = None` in onDestroyTD does not hide `self.tm =
// op.TDResources.ThreadManager`. qualify wants one value and gets "" when
// the union has several that differ; the call graph takes every function
// value (callees).

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdlint/tdlint/pyparse"
)

// oneValue collects distinct values and remembers whether they agree.
type oneValue struct {
	v     string
	mixed bool
}

func (o *oneValue) add(v string) {
	switch {
	case v == "" || o.mixed:
	case o.v == "":
		o.v = v
	case o.v != v:
		o.mixed = true
	}
}

func (o *oneValue) value() string {
	if o.mixed {
		return ""
	}
	return o.v
}

// isNone reports a None literal: a placeholder, not a value the name holds
// when it is used.
func isNone(e pyparse.Expr) bool {
	c, ok := e.(*pyparse.Constant)
	return ok && c.Value.Kind == pyparse.ConstNone
}

// bindingValues calls add with every value binding b of name (in owner's
// scope) may hold.
func (p *Program) bindingValues(owner *Function, b *binding, name string, depth int, r *reach, add func(string)) {
	if b.has(bindImport) {
		if v := p.projectImport(b.qual, depth, r); v != "" {
			add(v)
		} else {
			add(b.qual)
		}
	}
	if b.has(bindDef) {
		add(b.fn.ref)
	}
	if b.has(bindClass) {
		add(b.class.ref)
	}
	if b.has(bindAssign) {
		for _, v := range b.values {
			if !isNone(v) {
				add(p.resolve(owner, v, depth+1, r))
			}
		}
	}
	if b.has(bindParam) {
		if owner.Class != nil && isSelfParam(owner, name) {
			add(owner.Class.instance)
		}
		for _, v := range p.params[b] {
			add(v)
		}
	}
}

// nameValue is the one value of a bound name, or "".
//
// While the bodies are analysed, each use of a name would qualify again
// every value bound to it, though nothing that value depends on changes
// within a round of the value model (scopes are complete; parameters
// gain values only between rounds). So the binding keeps the value last
// found, with its round and how deep the resolution went: the value holds
// at any depth from which the same resolution stays within
// maxResolveDepth, and one the limit cut short holds only at the depth it
// was found at. The bodies are analysed in parallel: the memo is replaced
// whole, atomically; two workers computing it at once store the same.
func (p *Program) nameValue(owner *Function, b *binding, name string, depth int, r *reach) string {
	round := p.round
	if b.kinds&(1<<bindAssign|1<<bindImport) == 0 {
		round = 0 // a def, a class, a parameter: read off, not resolved
	}
	if v, ok := memoGet(&b.memo, round, depth, r); ok {
		return v
	}
	sub := reach{deepest: depth}
	var o oneValue
	p.bindingValues(owner, b, name, depth, &sub, o.add)
	v := o.value()
	memoPut(&b.memo, round, depth, &sub, v, r)
	return v
}

// memoGet returns the value slot holds for round (0: none is kept), if
// it holds at depth, and records in r how deep its resolution went.
func memoGet(slot *atomic.Pointer[valueMemo], round uint32, depth int, r *reach) (string, bool) {
	if round == 0 || slot == nil {
		return "", false
	}
	m := slot.Load()
	if m == nil || m.round != round {
		return "", false
	}
	deepest := m.deepest - m.depth + depth
	if m.depth != depth && (m.cut || deepest > maxResolveDepth) {
		return "", false
	}
	r.add(deepest, m.cut)
	return m.v, true
}

// memoPut keeps v, found at depth by a resolution that went as sub says,
// in slot for round, and records sub in r.
func memoPut(slot *atomic.Pointer[valueMemo], round uint32, depth int, sub *reach, v string, r *reach) {
	if round != 0 && slot != nil {
		slot.Store(&valueMemo{round: round, depth: depth, deepest: sub.deepest, cut: sub.cut, v: v})
	}
	r.add(sub.deepest, sub.cut)
}

// valueMemo is a binding's value in one round of the value model, found
// at depth; the resolution went down to deepest, and cut says whether
// maxResolveDepth stopped it.
type valueMemo struct {
	round          uint32
	depth, deepest int
	cut            bool
	v              string
}

// reach records how deep a resolution went: the deepest depth it checked
// against maxResolveDepth, and whether a check stopped it.
type reach struct {
	deepest int
	cut     bool
}

// beyond reports whether depth is past maxResolveDepth, and records it.
func (r *reach) beyond(depth int) bool {
	over := depth > maxResolveDepth
	if r != nil {
		r.add(depth, over)
	}
	return over
}

// add records a part of the resolution that went down to deepest.
func (r *reach) add(deepest int, cut bool) {
	if r == nil {
		return
	}
	r.deepest = max(r.deepest, deepest)
	r.cut = r.cut || cut
}

// valuesOf is the one value of several assignments (None left out), or "".
func (p *Program) valuesOf(owner *Function, values []pyparse.Expr, depth int, r *reach) string {
	var o oneValue
	for _, v := range values {
		if !isNone(v) {
			o.add(p.resolve(owner, v, depth+1, r))
		}
	}
	return o.value()
}

// tdFallback reports whether a name keeps TD's meaning although the file
// binds it: a file that imports td (or is a DAT) and binds a TD global
// only under a module-level `if` or `try` is providing a stand-in for
// running outside TD (`if not IN_TD: def op(path): ...`); in TD, the
// name is TD's. It returns the TD value, or "".
func (p *Program) tdFallback(fn *Function, b *binding, owner *Function, name string) string {
	if b.uncond || owner.Node != nil || !p.tdFiles[fn.File] {
		return ""
	}
	if name == "td" {
		return "td"
	}
	if p.isTDGlobal(fn, name) {
		return "td." + name
	}
	return ""
}

// method finds a method of c or of its project base classes (depth first
// in base order, as Python's MRO does without diamonds).
func (p *Program) method(c *Class, name string) *Function { return p.methodIn(c, name, 0) }

func (p *Program) methodIn(c *Class, name string, depth int) *Function {
	if m := c.Methods[name]; m != nil {
		return m
	}
	if depth > maxResolveDepth {
		return nil
	}
	for _, base := range c.Bases {
		if bc, instance := p.classOf(base); bc != nil && !instance {
			if m := p.methodIn(bc, name, depth+1); m != nil {
				return m
			}
		}
	}
	return nil
}

// overrides lists the methods of c's project subclasses that override
// name: `self.name()` in c may run any of them.
func (c *Class) overrides(name string) []*Function {
	if len(c.subclasses) == 0 {
		return nil
	}
	// Memoised per class: a base class with thousands of subclasses
	// (unittest.TestCase in the stdlib) is asked once per method name,
	// not once per self.m() call in its methods. The lock is the class's
	// own: one lock for the program made the cores queue on every
	// self.m() call of a class with subclasses.
	h := &c.hierarchy
	h.mu.Lock()
	defer h.mu.Unlock()
	if fns, ok := h.overrides[name]; ok {
		return fns
	}
	if h.descendants == nil {
		h.descendants = descendants(c)
	}
	var fns []*Function
	for _, sub := range h.descendants {
		if m := sub.Methods[name]; m != nil {
			fns = append(fns, m)
		}
	}
	if h.overrides == nil {
		h.overrides = make(map[string][]*Function)
	}
	h.overrides[name] = fns
	return fns
}

// hierarchy is what overrides keeps of a class with subclasses.
type hierarchy struct {
	mu          sync.Mutex
	descendants []*Class
	overrides   map[string][]*Function // by method name
}

// descendants lists c's project subclasses, direct or not, breadth first.
func descendants(c *Class) []*Class {
	var out []*Class
	seen := map[*Class]bool{c: true}
	work := []*Class{c}
	for len(work) > 0 {
		cur := work[0]
		work = work[1:]
		for _, sub := range cur.subclasses {
			if seen[sub] {
				continue
			}
			seen[sub] = true
			out = append(out, sub)
			work = append(work, sub)
		}
	}
	return out
}

// classOf returns the project class of a "class#N" or "class#N()" value.
func (p *Program) classOf(v string) (c *Class, instance bool) {
	v, instance = strings.CutSuffix(v, "()")
	if id, ok := refID(v, "class#"); ok && id < len(p.classes) {
		return p.classes[id], instance
	}
	return nil, false
}

// callees are the project functions a call of fn may run: the one its
// callee resolves to, every function a parameter is passed, and, for
// `self.m()`, the overrides of m in subclasses.
func (p *Program) callees(fn *Function, call *pyparse.Call, q string, add func(*Function)) {
	if callee := p.functionOfQual(call.Func, q); callee != nil {
		add(callee)
	}
	if f, ok := call.Func.(*pyparse.Attribute); ok {
		if n, ok := f.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) {
			for _, m := range fn.Class.overrides(f.Attr) {
				add(m)
			}
		}
	}
}

// flows reports whether a value is worth passing into parameters: TD
// objects, project functions, classes, instances and modules, and tracked
// library instances. Other values (strings, numbers, most library
// objects, and plain values read off TD objects: a parameter's eval(), an
// OP's name) carry nothing a rule needs.
func (p *Program) flows(v string) bool {
	switch {
	case v == "":
		return false
	case IsTDObject(v), strings.HasPrefix(v, "def#"), strings.HasPrefix(v, "module#"):
		return true
	case strings.HasPrefix(v, "class#"):
		// An instance of a TD extension carries TD (its ownerComp, the
		// OPs and executors in its fields) wherever it is handed; other
		// project objects, and classes passed as factories, are not
		// followed: they would make most of a large program's
		// parameters worth a second look for nothing a rule reads.
		c, instance := p.classOf(v)
		return instance && c.Extension
	case strings.HasSuffix(v, "()"):
		return p.Tables.Constructors[typeName(v)]
	}
	return false
}

// functionArgs returns the parameters of a def or lambda, or nil.
func functionArgs(fn *Function) *pyparse.Arguments {
	switch n := fn.Node.(type) {
	case *pyparse.FunctionDef:
		return n.Args
	case *pyparse.Lambda:
		return n.Args
	}
	return nil
}

// paramNames returns the names of a function's positional parameters in
// order.
func paramNames(fn *Function) []string {
	a := functionArgs(fn)
	if a == nil {
		return nil
	}
	var out []string
	for _, arg := range a.PosOnlyArgs {
		out = append(out, arg.Arg)
	}
	for _, arg := range a.Args {
		out = append(out, arg.Arg)
	}
	return out
}

// positionalParam is the name of fn's i-th positional parameter, or "":
// paramNames(fn)[i] without making the list (asked for every argument
// of every call).
func positionalParam(fn *Function, i int) string {
	a := functionArgs(fn)
	if a == nil {
		return ""
	}
	if i < len(a.PosOnlyArgs) {
		return a.PosOnlyArgs[i].Arg
	}
	i -= len(a.PosOnlyArgs)
	if i < len(a.Args) {
		return a.Args[i].Arg
	}
	return ""
}

// pending is a value an argument passes to a parameter, found while the
// bodies are read in parallel and added once they all are.
type pending struct {
	callee *Function
	b      *binding
	v      string
}

// pass records that v is passed to callee's parameter b (named name),
// if it is a value that flows there.
func (p *Program) pass(out *[]pending, callee *Function, b *binding, name, v string) {
	if !p.flows(v) {
		return
	}
	if strings.HasPrefix(v, "def#") && !startsParam(callee, name) {
		// A function passed to be called is a passed-callee edge; one
		// passed on to a thread start must reach the start's target.
		return
	}
	*out = append(*out, pending{callee, b, v})
}

// add adds a pending value; it reports whether the parameter's values grew.
func (p *Program) add(pd pending) bool {
	vals := p.params[pd.b]
	if slices.Contains(vals, pd.v) || len(vals) >= maxParamValues {
		return false
	}
	if p.params == nil {
		p.params = make(map[*binding][]string)
	}
	p.params[pd.b] = append(vals, pd.v)
	return true
}

// maxParamValues bounds the values one parameter collects.
const maxParamValues = 8

// bound reports whether a call through call.Func passes the receiver as
// callee's first parameter: a method called on an instance or on self, or
// a class called to construct (its __init__).
func (p *Program) bound(caller *Function, f pyparse.Expr, callee *Function) bool {
	if callee.Class == nil {
		return false
	}
	d, _ := callee.Node.(*pyparse.FunctionDef)
	isInit := d != nil && d.Name == "__init__"
	attr, ok := f.(*pyparse.Attribute)
	if !ok {
		return isInit // Cls(...)
	}
	if n, ok := attr.Value.(*pyparse.Name); ok && caller.Class != nil && isSelfParam(caller, n.ID) {
		return true // self.method(...): self is an instance in the value model
	}
	// Cls.method(obj, ...) passes obj explicitly.
	if c, instance := p.classOf(p.qualify(caller, attr.Value)); c != nil && !instance {
		return isInit
	}
	return true
}

// flowArgs records the values a call's arguments pass into callee's
// parameters. For a call (site not nil) it also adds the edges for the
// functions the call passes to a parameter callee calls
// (`def _guard(self, write): ... write()`): the callee calls them for
// this caller, so they run on this caller's thread; calls that pass
// different functions to one parameter then stay apart, which a
// parameter's union of values would merge. recv is the callee expression
// (nil if no receiver can be bound): a method called on an object gets it
// as its first parameter. Each argument is qualified once, and only when
// it may flow into a parameter callee has.
func (p *Program) flowArgs(out *[]pending, caller *Function, site *pyparse.Call, args []pyparse.Expr, callee *Function, recv pyparse.Expr) {
	arg := func(name string, a pyparse.Expr) {
		b := callee.scope.names.get(name)
		if b == nil || !b.has(bindParam) {
			return
		}
		q := p.qualify(caller, a)
		p.pass(out, callee, b, name, q)
		if site == nil {
			return
		}
		if g := p.functionOfQual(a, q); g != nil && slices.Contains(p.calledParams(callee), name) {
			caller.addPassedEdge(site, g)
		}
	}
	shift := -1 // whether the receiver takes the first parameter, asked once an argument may flow
	for i, a := range args {
		if _, starred := a.(*pyparse.Starred); starred {
			break
		}
		if !mayFlow(a) {
			continue
		}
		if shift < 0 {
			shift = 0
			if recv != nil && p.bound(caller, recv, callee) {
				shift = 1
			}
		}
		if name := positionalParam(callee, i+shift); name != "" {
			arg(name, a)
		}
	}
	if site != nil {
		for _, k := range site.Keywords {
			if k.Arg != "" && mayFlow(k.Value) {
				arg(k.Arg, k.Value)
			}
		}
	}
}

// mayFlow reports the argument expressions whose value can be one that
// flows: names, attributes, calls and lambdas; literals, operators and
// displays never are.
func mayFlow(e pyparse.Expr) bool {
	switch e.(type) {
	case *pyparse.Name, *pyparse.Attribute, *pyparse.Call, *pyparse.Lambda, *pyparse.Subscript:
		return true
	}
	return false
}

// flowParams passes the values of arguments into parameters through the
// call graph and the thread starts, re-analysing the bodies whose names
// may now resolve further, until nothing grows (at most a few rounds).
func (p *Program) flowParams() {
	todo := p.Functions
	for range 3 {
		// The arguments of every function are read in parallel (each
		// writes only its own edges and pending values), then added.
		found := make([][]pending, len(todo))
		parallelRuns(len(todo), runtime.GOMAXPROCS(0), func(k int) {
			fn := todo[k]
			out := &found[k]
			n := len(fn.Calls)
			for i := range n {
				e := fn.Calls[i]
				if e.Passed {
					continue
				}
				p.flowArgs(out, fn, e.Site, e.Site.Args, e.Callee, e.Site.Func)
			}
			if fn.found == nil {
				return
			}
			for _, ws := range fn.found.starts {
				t := ws.Target
				if t == nil {
					continue
				}
				var recv pyparse.Expr
				if attr, ok := ws.TargetExpr.(*pyparse.Attribute); ok {
					recv = attr
				}
				p.flowArgs(out, fn, nil, ws.PassedArgs, t, recv)
			}
		})
		dirty := make([]bool, len(p.Functions)) // by Function.ID
		grew := false
		for _, pds := range found {
			for _, pd := range pds {
				if p.add(pd) {
					dirty[pd.callee.ID] = true
					grew = true
				}
			}
		}
		if !grew {
			return
		}
		p.round++ // parameters hold more values: names are resolved afresh
		p.spreadDirty(dirty)
		var redo []*Function
		for _, fn := range p.Functions {
			if dirty[fn.ID] {
				redo = append(redo, fn)
			}
		}
		parallelRuns(len(redo), runtime.GOMAXPROCS(0), func(i int) {
			fn := redo[i]
			defer func() {
				if r := recover(); r != nil {
					p.fail(fn.File, "analysing "+fn.Name, r)
				}
			}()
			fn.Calls, fn.Accesses, fn.Blocking, fn.found = nil, nil, nil, nil
			p.analyzeBody(fn)
		})
		todo = redo
	}
}

// addPassedEdge adds the edge from fn to g, a function that fn's call site
// passes to a parameter its callee calls, unless the site has it already.
func (fn *Function) addPassedEdge(site *pyparse.Call, g *Function) {
	for _, old := range fn.Calls {
		if old.Site == site && old.Callee == g {
			return
		}
	}
	fn.Calls = append(fn.Calls, CallEdge{Site: site, Callee: g, Passed: true})
}

// calledParams lists the parameters fn's own code calls
// (`def _guard(self, write): ... write()`): a function passed there runs
// during the call, on the caller's thread. A parameter only handed on (to
// a thread, a queue, a field) is not called here.
func (p *Program) calledParams(fn *Function) []string {
	p.paramCallsMu.Lock()
	v, ok := p.paramCalls[fn]
	p.paramCallsMu.Unlock()
	if ok {
		return v
	}
	var out []string
	if names := paramNames(fn); len(names) > 0 {
		walkOwn(fn, func(n pyparse.Node) bool {
			if c, ok := n.(*pyparse.Call); ok {
				if f, ok := c.Func.(*pyparse.Name); ok && slices.Contains(names, f.ID) && !slices.Contains(out, f.ID) {
					out = append(out, f.ID)
				}
			}
			return true
		})
	}
	p.paramCallsMu.Lock()
	defer p.paramCallsMu.Unlock()
	if p.paramCalls == nil {
		p.paramCalls = make(map[*Function][]string)
	}
	p.paramCalls[fn] = out
	return out
}

// spreadDirty widens the functions whose parameters grew to the code that
// may resolve differently for it: a method's whole class (its fields may
// hold the new values: `self.ext = ext` in __init__) and subclasses, and
// the functions nested in any of them (closures over the parameter).
func (p *Program) spreadDirty(dirty []bool) {
	// A method's new parameter values reach its class's other methods
	// (and its subclasses') only through the fields it assigns.
	var classes []*Class
	for _, fn := range p.Functions {
		if dirty[fn.ID] && fn.Class != nil && writesFields(fn) {
			classes = append(classes, fn.Class)
		}
	}
	seen := make(map[*Class]bool)
	for len(classes) > 0 {
		c := classes[len(classes)-1]
		classes = classes[:len(classes)-1]
		if seen[c] {
			continue
		}
		seen[c] = true
		for _, m := range c.Methods {
			dirty[m.ID] = true
		}
		classes = append(classes, c.subclasses...)
	}
	// Functions are numbered parents first.
	for _, fn := range p.Functions {
		if fn.Parent != nil && dirty[fn.Parent.ID] {
			dirty[fn.ID] = true
		}
	}
}

// startsParam reports whether fn starts a thread (or defers with run())
// on its parameter name: `def spawn(fn): threading.Thread(target=fn)`.
func startsParam(fn *Function, name string) bool {
	if fn.found != nil {
		for _, ws := range fn.found.starts {
			if n, ok := ws.TargetExpr.(*pyparse.Name); ok && n.ID == name {
				return true
			}
		}
	}
	for _, a := range fn.Accesses {
		if call, ok := a.Node.(*pyparse.Call); ok && a.RunCall && len(call.Args) > 0 {
			if n, ok := call.Args[0].(*pyparse.Name); ok && n.ID == name {
				return true
			}
		}
	}
	return false
}

// writesFields reports whether method fn assigns a field of its class.
func writesFields(fn *Function) bool {
	for _, f := range fn.Class.fields {
		if slices.Contains(f.owners, fn) {
			return true
		}
	}
	return false
}
