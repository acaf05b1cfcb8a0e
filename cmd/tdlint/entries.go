package main

import (
	"slices"
	"strings"
	"unicode"

	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/runtime"
)

// findEntries finds the entry points of a DAT's source: its top-level TD
// callbacks (functions named on<Upper>...), its public top-level functions
// nothing in the project calls (TD calls them: a button's script, another
// DAT's mod.name.f(), as the analyzer takes them to be main-thread code;
// calls is what the project calls, nil: not known) and its
// extension classes (a class whose __init__ takes the owner COMP, named
// ownerComp by TD's template, or a class named ...Ext).
func findEntries(f *pyparse.File, calls *callGraph) []runtime.Entry {
	name := f.Name
	var out []runtime.Entry
	for _, st := range f.Body {
		switch d := st.(type) {
		case *pyparse.FunctionDef:
			if !isCallbackName(d.Name) && (calls == nil || calls.called(name, d.Name) || strings.HasPrefix(d.Name, "_")) {
				continue
			}
			kind := runtime.EntryCallback
			if d.Name == "onFrameStart" || d.Name == "onFrameEnd" {
				kind = runtime.EntryFrame
			}
			out = append(out, runtime.Entry{Kind: kind, Name: d.Name, Line: f.Position(d.Pos()).Line})
		case *pyparse.ClassDef:
			if e, ok := extension(f, d); ok {
				out = append(out, e)
			}
		}
	}
	return out
}

func isCallbackName(n string) bool {
	return len(n) > 2 && strings.HasPrefix(n, "on") && unicode.IsUpper(rune(n[2]))
}

func extension(f *pyparse.File, d *pyparse.ClassDef) (runtime.Entry, bool) {
	e := runtime.Entry{Kind: runtime.EntryExtension, Name: d.Name, Line: f.Position(d.Pos()).Line}
	isExt := strings.HasSuffix(d.Name, "Ext")
	for _, st := range d.Body {
		fn, ok := st.(*pyparse.FunctionDef)
		if !ok {
			continue
		}
		if fn.Name == "__init__" && fn.Args != nil {
			for _, a := range fn.Args.Args {
				if a.Arg == "ownerComp" {
					isExt = true
				}
			}
			continue
		}
		if !strings.HasPrefix(fn.Name, "_") && !hasDecorator(fn, "property", "staticmethod") {
			e.Methods = append(e.Methods, fn.Name)
		}
	}
	return e, isExt
}

func hasDecorator(fn *pyparse.FunctionDef, names ...string) bool {
	for _, d := range fn.DecoratorList {
		if n, ok := d.(*pyparse.Name); ok && slices.Contains(names, n.ID) {
			return true
		}
	}
	return false
}

// callGraph is what a project calls, as far as names tell: a function is
// called when its own file calls it by name, or any file calls it as an
// attribute (mod.name.f(), self.f(), ext.f()) or imports it by name.
type callGraph struct {
	local    map[string]map[string]bool // file -> names it calls
	anywhere map[string]bool
}

func newCallGraph() *callGraph {
	return &callGraph{local: map[string]map[string]bool{}, anywhere: map[string]bool{}}
}

// add reads the calls and imports of file name.
func (g *callGraph) add(name string, f *pyparse.File) {
	local := map[string]bool{}
	g.local[name] = local
	pyparse.InspectBody(f.Body, func(n pyparse.Node) bool {
		switch n := n.(type) {
		case *pyparse.Call:
			switch fn := n.Func.(type) {
			case *pyparse.Name:
				local[fn.ID] = true
			case *pyparse.Attribute:
				g.anywhere[fn.Attr] = true
			}
			// A function handed to a call (target=listen, run(f), a
			// callback) is the callee's to run, not TD's.
			args := n.Args
			for _, k := range n.Keywords {
				args = append(slices.Clip(args), k.Value)
			}
			for _, a := range args {
				switch a := a.(type) {
				case *pyparse.Name:
					local[a.ID] = true
				case *pyparse.Attribute:
					g.anywhere[a.Attr] = true
				}
			}
		case *pyparse.ImportFrom:
			for _, a := range n.Names {
				g.anywhere[a.Name] = true
			}
		}
		return true
	})
}

// called reports whether the project calls function fn of file.
func (g *callGraph) called(file, fn string) bool {
	return g.local[file][fn] || g.anywhere[fn]
}
