package analyzer

// Propagation: which thread may run each function, through the call graph
// from the worker starts and TD's main-thread entry points.

import (
	"runtime"
	"slices"

	"github.com/tdlint/tdlint/pyparse"
)

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
			if !e.Only.RunsOn(WorkerThread) {
				continue // under a guard that excludes workers
			}
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
			if !e.Only.RunsOn(MainThread) {
				continue // under a guard that excludes the main thread
			}
			if e.Callee.Context&MainThread == 0 {
				e.Callee.Context |= MainThread
				work = append(work, e.Callee)
			}
		}
	}
	p.propagateUnattended()
}

// propagateUnattended marks the main-thread functions TD runs without a
// user's action (Function.Unattended): from the per-frame and event
// callbacks (UnattendedCallbacks) and RefreshHooks, through main-thread
// calls. A modal dialog is a freeze there, and the point of a button.
func (p *Program) propagateUnattended() {
	if !p.hasModalCall() {
		return // no rule asks
	}
	var work []*Function
	mark := func(fn *Function) {
		if fn != nil && !fn.Unattended && fn.Context&MainThread != 0 {
			fn.Unattended = true
			work = append(work, fn)
		}
	}
	for _, f := range p.Files {
		if mod := p.modules[f]; mod != nil && p.fileUsesTD(f) {
			for _, e := range mod.scope.names.list {
				if e.b.kind == bindDef && p.Tables.Unattended[e.name] {
					mark(e.b.fn)
				}
			}
		}
	}
	for _, ws := range p.WorkerStarts {
		if ws.IsTDTask {
			if e := argOrKeyword(ws.Site, -1, "RefreshHook"); e != nil {
				mark(p.FunctionOf(ws.In, e))
			}
		}
	}
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		for _, e := range fn.Calls {
			if e.Only.RunsOn(MainThread) {
				mark(e.Callee)
			}
		}
	}
}

// hasModalCall reports whether any function opens a modal dialog
// (Tables.Modal): only there is Unattended asked.
func (p *Program) hasModalCall() bool {
	for _, fn := range p.Functions {
		for _, b := range fn.Blocking {
			if p.Tables.Modal[b.Name] {
				return true
			}
		}
	}
	return false
}

// mainEntries are the functions TD runs on its main thread: module top
// level and callbacks of TD files, the functions of callbacks DATs,
// extension classes, TDTask hooks and run() targets.
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
	out = append(out, p.uncalledFunctions(targets)...)
	for _, f := range p.Files {
		// A callbacks DAT's functions are TD's callbacks by what the DAT
		// is, whatever they are named; one it hands to a worker is not.
		if mod := p.modules[f]; mod != nil && f.CallbacksOf != "" {
			for _, e := range mod.scope.names.list {
				if e.b.kind == bindDef && e.b.fn != nil && !targets[e.b.fn] {
					out = append(out, e.b.fn)
				}
			}
		}
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

// OutputCounts reports whether a print() in fn is TD output for the worker
// that reaches it: it is when fn's file uses TD, or when the thread was
// started by code in a file that does (a helper module that never touches
// TD still prints into TD's textport when TD code runs it on a worker).
func (p *Program) OutputCounts(fn *Function) bool {
	if p.usesTD[fn.File] {
		return true
	}
	start, _ := p.Chain(fn)
	if start == nil {
		return false
	}
	f := start.File
	if start.In != nil {
		f = start.In.File
	}
	return p.usesTD[f]
}

// UsesTD reports whether file f uses TD (see fileUsesTD).
func (p *Program) UsesTD(f *SourceFile) bool { return p.usesTD[f] }

// hasTDCallback reports whether a module defines one of TD's callbacks
// with the parameter TD passes it (`def onCook(scriptOp):`): a Script
// TOP/CHOP/DAT or execute DAT whose code only uses its parameters is
// still TD code, run on TD's main thread.
func (p *Program) hasTDCallback(mod *Function) bool {
	for _, e := range mod.scope.names.list {
		if e.b.kind != bindDef || !p.Tables.Callbacks[e.name] {
			continue
		}
		if names := paramNames(e.b.fn); len(names) > 0 && tdCallbackParams[names[0]] {
			return true
		}
	}
	return false
}

var tdCallbackParams = set(TDCallbackParams)

// uncalledFunctions are the top-level functions of TD files that no
// project code calls, starts or passes on: TD calls them (a button's
// mod('helpers').start(), a parameter expression, another DAT), and TD
// calls on its main thread.
func (p *Program) uncalledFunctions(targets map[*Function]bool) []*Function {
	called := make([]bool, len(p.Functions)) // by Function.ID, the index in p.Functions
	for _, fn := range p.Functions {
		for _, e := range fn.Calls {
			called[e.Callee.ID] = true
		}
	}
	// Each file's defs nothing calls are looked up in its code on its own
	// (a walk of the whole file), on all cores; results in file order.
	perFile := make([][]*Function, len(p.Files))
	parallel(len(p.Files), runtime.GOMAXPROCS(0), func(i int) {
		f := p.Files[i]
		mod := p.modules[f]
		if mod == nil || !p.fileUsesTD(f) || f.AST == nil {
			return
		}
		var uncalled []*Function
		var names []string
		for _, e := range mod.scope.names.list {
			fn := e.b.fn
			if e.b.kind != bindDef || fn == nil || called[fn.ID] || targets[fn] || p.Tables.Callbacks[e.name] {
				continue
			}
			uncalled = append(uncalled, fn)
			names = append(names, e.name)
		}
		if len(names) == 0 {
			return
		}
		values := valueNames(f.AST, names)
		for j, fn := range uncalled {
			if !values[names[j]] {
				perFile[i] = append(perFile[i], fn)
			}
		}
	})
	var out []*Function
	for _, fns := range perFile {
		out = append(out, fns...)
	}
	return out
}

// valueNames reports which of names a file loads other than to call them
// (a function handed on as a value may run on any thread).
func valueNames(f *pyparse.File, names []string) map[string]bool {
	out := make(map[string]bool)
	var callee *pyparse.Name // the Name a call was just seen calling: visited next
	pyparse.InspectBody(f.Body, func(n pyparse.Node) bool {
		switch x := n.(type) {
		case *pyparse.Call:
			callee, _ = x.Func.(*pyparse.Name)
		case *pyparse.Name:
			if x.Ctx == pyparse.Load && x != callee && slices.Contains(names, x.ID) {
				out[x.ID] = true
			}
		}
		return true
	})
	return out
}
