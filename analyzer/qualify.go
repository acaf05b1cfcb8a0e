package analyzer

// Qualification: what a name, attribute or call resolves to.

import (
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

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

// BindingOwner returns the function (or module) whose scope holds the
// variable name as seen from fn, or nil for a builtin or unknown name.
func (p *Program) BindingOwner(fn *Function, name string) *Function {
	_, owner := p.lookup(fn, name)
	return owner
}

// qualify resolves an expression to a dotted name: "time.sleep" for a
// call target imported from time, "td.op" for TD's op, "td.op()" for what
// op(...) returns, "queue.Queue()" for an instance, "def#12" for a project
// function, "class#3" for a project class. It returns "" when the
// expression cannot be resolved: unknown stays unknown.
func (p *Program) qualify(fn *Function, e pyparse.Expr) string {
	return p.resolve(fn, e, 0, nil)
}

// resolve is qualify telling r how deep it went (r may be nil).
func (p *Program) resolve(fn *Function, e pyparse.Expr, depth int, r *reach) string {
	if r.beyond(depth) || e == nil {
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
		if v := p.tdFallback(fn, b, owner, x.ID); v != "" {
			return v
		}
		return p.nameValue(owner, b, x.ID, depth, r)
	case *pyparse.Attribute:
		if p.Tables.safeAttr(x.Attr) && p.Tables.ThreadSafe["."+x.Attr] {
			return safePrefix + x.Attr
		}
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && isSelfParam(fn, n.ID) {
			return p.selfAttrR(fn.Class, x.Attr, depth, r)
		}
		base := p.resolve(fn, x.Value, depth+1, r)
		if base == "" {
			return ""
		}
		if p.Tables.safeAttr(x.Attr) {
			if q := base + "." + x.Attr; IsTD(q) && p.Tables.threadSafe(x.Attr, q) {
				return safePrefix + strings.TrimPrefix(typeName(q), "td.")
			}
		}
		if mod := p.moduleRef(base); mod != nil {
			return p.memberOf(mod, x.Attr, depth, r)
		}
		if strings.HasSuffix(base, ".ext") && IsTDObject(base) {
			// op('comp').ext.Name: the COMP's extension object, an
			// instance of the project's class.
			if c := p.extensions[x.Attr]; c != nil {
				return c.instance
			}
		}
		if x.Attr == "module" && IsTDObject(base) {
			// op('path').module reaches the DAT's module.
			if path, ok := strings.CutPrefix(base, "td.op("); ok && strings.HasSuffix(path, ")") {
				if mod := p.datModule(strings.TrimSuffix(path, ")")); mod != nil {
					return mod.ref
				}
			}
			return pyModulePrefix + "?"
		}
		if base == "td.mod" {
			// TD's mod.<dat> reaches a DAT module by name.
			if mod := p.byModuleName[x.Attr]; mod != nil {
				return mod.ref
			}
			return pyModulePrefix + x.Attr
		}
		if c, instance := p.classOf(base); c != nil {
			if instance {
				// An instance's attribute: a method or a field its
				// methods assign (values through attributes).
				if v := p.selfAttrR(c, x.Attr, depth+1, r); v != "" {
					return v
				}
			} else if m := p.method(c, x.Attr); m != nil {
				// Cls.method: the function itself (target=Cls._loop).
				return m.ref
			}
			if lib := p.libraryBase(c); lib != "" && p.Tables.known(lib, x.Attr) {
				// A method the project class inherits from a library
				// class (MyServer(ThreadingHTTPServer).shutdown).
				if instance {
					return lib + "()." + x.Attr
				}
				return lib + "." + x.Attr
			}
		}
		return base + "." + x.Attr
	case *pyparse.Call:
		if name, ok := p.globalsGet(fn, x); ok {
			// globals().get('run'): the module's name run.
			return p.resolve(p.modules[fn.File], &pyparse.Name{ID: name, Ctx: pyparse.Load}, depth+1, r)
		}
		callee := p.resolve(fn, x.Func, depth+1, r)
		if callee == "" {
			return ""
		}
		if callee == "functools.partial" && len(x.Args) > 0 {
			return p.resolve(fn, x.Args[0], depth+1, r)
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
			return pyModulePrefix + "?"
		}
		if callee == "socket.socket" && p.datagramSocket(fn, x, depth, r) {
			// A UDP socket: connect() and send() do not wait.
			return "socket.UDPSocket()"
		}
		if callee == "td.op" && len(x.Args) == 1 {
			if s, ok := x.Args[0].(*pyparse.Constant); ok && s.Value.Kind == pyparse.ConstStr {
				return "td.op(" + s.Value.Str + ")"
			}
		}
		return callee + "()"
	case *pyparse.Lambda:
		if f := p.byNode[x]; f != nil {
			return f.ref
		}
		return ""
	case *pyparse.Subscript:
		if c, ok := x.Slice.(*pyparse.Constant); ok && c.Value.Kind == pyparse.ConstStr && p.isGlobalsCall(fn, x.Value) {
			return p.resolve(p.modules[fn.File], &pyparse.Name{ID: c.Value.Str, Ctx: pyparse.Load}, depth+1, r)
		}
		return ""
	}
	return ""
}

// isGlobalsCall reports a call of the builtin globals().
func (p *Program) isGlobalsCall(fn *Function, e pyparse.Expr) bool {
	c, ok := e.(*pyparse.Call)
	if !ok || len(c.Args) != 0 {
		return false
	}
	n, ok := c.Func.(*pyparse.Name)
	if !ok || n.ID != "globals" {
		return false
	}
	b, _ := p.lookup(fn, "globals")
	return b == nil
}

// globalsGet matches globals().get('name'[, default]) and returns name.
func (p *Program) globalsGet(fn *Function, call *pyparse.Call) (string, bool) {
	attr, ok := call.Func.(*pyparse.Attribute)
	if !ok || attr.Attr != "get" || len(call.Args) == 0 || !p.isGlobalsCall(fn, attr.Value) {
		return "", false
	}
	c, ok := call.Args[0].(*pyparse.Constant)
	if !ok || c.Value.Kind != pyparse.ConstStr {
		return "", false
	}
	return c.Value.Str, true
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
func (p *Program) projectImport(qual string, depth int, r *reach) string {
	qual = strings.TrimLeft(qual, ".")
	// The longest prefix of the dotted name that names a project module,
	// then its members; the parts are found by position, not split off.
	// Modules are known by their last part (an import through a sys.path
	// edit finds the project's unique file of that name), so a prefix of
	// several parts must also match the file's folders: in `from Foo
	// import Foo`, "Foo.Foo" is module Foo's class Foo, not the module
	// again. When no prefix fits its folders, the longest by name wins.
	var fallback *Function
	fallbackEnd := 0
	for end := len(qual); end > 0; end = strings.LastIndexByte(qual[:end], '.') {
		start := strings.LastIndexByte(qual[:end], '.') + 1
		mod := p.byModuleName[qual[start:end]]
		if mod == nil {
			continue
		}
		if start == 0 || modulePathFits(mod.File.Name, qual[:end]) {
			return p.membersOf(mod, qual[end:], depth, r)
		}
		if fallback == nil {
			fallback, fallbackEnd = mod, end
		}
	}
	if fallback != nil {
		return p.membersOf(fallback, qual[fallbackEnd:], depth, r)
	}
	return ""
}

// modulePathFits reports whether a file's path ends in the folders of a
// dotted module name: pkg/sub.py or pkg/sub/__init__.py for "pkg.sub".
func modulePathFits(path, dotted string) bool {
	path = strings.TrimSuffix(strings.TrimSuffix(path, ".py"), "/__init__")
	want := strings.ReplaceAll(dotted, ".", "/")
	return path == want || strings.HasSuffix(path, "/"+want)
}

// membersOf resolves ".a.b" as members of a module.
func (p *Program) membersOf(mod *Function, rest string, depth int, rc *reach) string {
	r := mod.ref
	for rest != "" {
		var attr string
		attr, rest, _ = strings.Cut(rest[1:], ".")
		if rest != "" {
			rest = "." + rest
		}
		m := p.moduleRef(r)
		if m == nil {
			return ""
		}
		r = p.memberOf(m, attr, depth, rc)
	}
	return r
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
func (p *Program) memberOf(mod *Function, attr string, depth int, r *reach) string {
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
		if r.beyond(depth) {
			return ""
		}
		if v := p.projectImport(b.qual, depth+1, r); v != "" {
			return v
		}
		return b.qual
	case bindAssign:
		return p.valuesOf(mod, b.values, depth, r)
	case bindParam:
	}
	return ""
}

// selfAttr resolves self.<attr> in c's methods: a method (c's or a base
// class's), TD's ownerComp of an extension, or the values c's methods (or
// its bases') assign to the field.
func (p *Program) selfAttr(c *Class, attr string, depth int) string {
	return p.selfAttrR(c, attr, depth, nil)
}

func (p *Program) selfAttrR(c *Class, attr string, depth int, r *reach) string {
	if m := p.method(c, attr); m != nil {
		return m.ref
	}
	for range maxResolveDepth {
		if attr == "ownerComp" && c.Extension {
			return "td.ownerComp"
		}
		if f := c.fields[attr]; f != nil {
			return p.fieldValue(f, depth, r)
		}
		var base *Class
		for _, b := range c.Bases {
			if bc, instance := p.classOf(b); bc != nil && !instance {
				base = bc
				break
			}
		}
		if base == nil {
			if lib := p.libraryBase(c); lib != "" && p.Tables.known(lib, attr) {
				return lib + "()." + attr // inherited from a library class
			}
			return ""
		}
		c = base
	}
	return ""
}

// fieldValue is the one value of a field of a class's instances (what
// the class's methods assign it), or ""; kept per round as nameValue
// keeps a name's.
func (p *Program) fieldValue(f *classField, depth int, r *reach) string {
	if v, ok := memoGet(&f.memo, p.round, depth, r); ok {
		return v
	}
	sub := reach{deepest: depth}
	var o oneValue
	for i, v := range f.values {
		if !isNone(v) {
			o.add(p.resolve(f.owners[i], v, depth+1, &sub))
		}
	}
	val := o.value()
	memoPut(&f.memo, p.round, depth, &sub, val, r)
	return val
}

// libraryBase returns the first base class of c, or of its project
// bases, that is not a project class: what c inherits from a library.
func (p *Program) libraryBase(c *Class) string {
	for range maxResolveDepth {
		var next *Class
		for _, b := range c.Bases {
			bc, instance := p.classOf(b)
			if bc == nil && b != "" && !instance && !strings.Contains(b, "#") && b != "object" {
				return b
			}
			if bc != nil && next == nil {
				next = bc
			}
		}
		if next == nil {
			return ""
		}
		c = next
	}
	return ""
}

// datagramSocket reports socket.socket(family, SOCK_DGRAM) (or type=).
func (p *Program) datagramSocket(fn *Function, call *pyparse.Call, depth int, r *reach) bool {
	kind := argOrKeyword(call, 1, "type")
	return kind != nil && p.resolve(fn, kind, depth+1, r) == "socket.SOCK_DGRAM"
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
	return p.functionOfQual(e, p.qualify(fn, e))
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
func (p *Program) Qualify(fn *Function, e pyparse.Expr) string { return p.qualify(fn, e) }

// ModuleGlobal reports whether name, as seen from fn, is a variable of
// fn's module (declared global, or unbound locally and bound at top level).
func (p *Program) ModuleGlobal(fn *Function, name string) bool {
	b, owner := p.lookup(fn, name)
	return b != nil && owner != nil && owner.Node == nil && (b.kind == bindAssign)
}

// safePrefix starts the value of a member documented as thread-safe
// (Tables.ThreadSafe): plain Python, whatever it was reached through.
const safePrefix = "safe:"

// pyModulePrefix starts the value of a DAT module the project does not
// hold (mod('x'), mod.x, op('x').module): a Python module, plain Python
// once fetched on the main thread. Calling mod itself is still TD access.
const pyModulePrefix = "pymodule:"

// plainSuffixes end the qualified names of plain Python values read off TD
// objects on the main thread: they are safe to hand to a worker.
var plainSuffixes = []string{".eval()", ".text", ".val", ".valid", ".name", ".path", ".id", ".numRows", ".numCols", ".rows()", ".col()", ".row()", ".digits", ".type", ".numpyArray()"}

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
