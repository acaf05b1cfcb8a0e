package main

import (
	"slices"
	"strings"
	"unicode"

	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/runtime"
)

// findEntries finds the entry points of a DAT's source: its top-level TD
// callbacks (functions named on<Upper>...) and its extension classes (a
// class whose __init__ takes the owner COMP, named ownerComp by TD's
// template, or a class named ...Ext).
func findEntries(name, src string) []runtime.Entry {
	f := pyparse.ParseFile(name, []byte(src), pyparse.Config{})
	var out []runtime.Entry
	for _, st := range f.Body {
		switch d := st.(type) {
		case *pyparse.FunctionDef:
			if !isCallbackName(d.Name) {
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
