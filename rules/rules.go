// Package rules holds tdlint's rules, one per file; each file carries the
// rule's metadata, its documentation and its check.
package rules

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// All returns every rule, sorted by code.
func All() []*analyzer.Analyzer {
	all := []*analyzer.Analyzer{
		TDAccessInWorker, ThreadManagerInWorker, OutputFromWorker, TDObjectPassedToWorker, LongLivedTaskInPool, HookSignature,
		BlockingCallOnMainThread, MainThreadWaitsOnWorkerLock, RunCallResult, RunUnknownKeyword, RunStringSyntaxError, RunFromWorker,
		UnsynchronizedSharedState, SyncedFileDrift,
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Code < all[j].Code })
	return all
}

// Lookup finds a rule (or one of the driver's own) by code or name, in
// any case: td101 is TD101, as everywhere else a code is accepted.
func Lookup(codeOrName string) *analyzer.Analyzer {
	codeOrName = strings.TrimSpace(codeOrName)
	for _, a := range append(All(), analyzer.SyntaxErrorAnalyzer, analyzer.UnusedNoqaAnalyzer, analyzer.InternalErrorAnalyzer) {
		if strings.EqualFold(a.Code, codeOrName) || strings.EqualFold(a.Name, codeOrName) {
			return a
		}
	}
	return nil
}

// report emits a diagnostic at node n of the pass's file.
func report(pass *analyzer.Pass, n pyparse.Node, related []analyzer.RelatedInformation, format string, args ...any) {
	pass.Report(analyzer.Diagnostic{
		Range:    analyzer.Range{File: pass.File, Start: n.Pos(), End: n.End()},
		Analyzer: pass.Analyzer,
		Severity: pass.Analyzer.Severity,
		Message:  fmt.Sprintf(format, args...),
		Related:  related,
	})
}

// workerChain explains how a worker thread reaches fn: where the thread is
// started, then each call on the way.
func workerChain(prog *analyzer.Program, fn *analyzer.Function) []analyzer.RelatedInformation {
	start, steps := prog.Chain(fn)
	var out []analyzer.RelatedInformation
	if start != nil {
		target := "it"
		if start.Target != nil {
			target = "`" + start.Target.Name + "`"
		}
		if start.Site != nil {
			out = append(out, analyzer.RelatedInformation{
				Range:   analyzer.Range{File: start.File, Start: start.Site.Pos(), End: start.Site.End()},
				Message: fmt.Sprintf("worker thread starts here: %s runs %s", start.Kind, target),
			})
		} else if start.Assign != nil {
			out = append(out, analyzer.RelatedInformation{
				Range:   analyzer.Range{File: start.File, Start: start.Assign.Pos(), End: start.Assign.End()},
				Message: fmt.Sprintf("worker thread: %s runs %s", start.Kind, target),
			})
		} else if start.Target != nil && start.Target.Node != nil {
			out = append(out, analyzer.RelatedInformation{
				Range:   analyzer.Range{File: start.Target.File, Start: start.Target.Node.Pos(), End: start.Target.Node.Pos()},
				Message: "worker thread: " + start.Kind,
			})
		}
	}
	for _, s := range steps {
		callee := "…"
		if s.Site != nil {
			if f := prog.FuncOfCall(s.From, s.Site); f != nil {
				callee = "`" + f.Name + "`"
			}
			out = append(out, analyzer.RelatedInformation{
				Range:   analyzer.Range{File: s.From.File, Start: s.Site.Pos(), End: s.Site.End()},
				Message: "`" + s.From.Name + "` calls " + callee,
			})
		}
	}
	return out
}

// forEachWorkerAccess calls f for every TD access in the pass's file made
// by code a worker thread runs.
func forEachWorkerAccess(pass *analyzer.Pass, f func(fn *analyzer.Function, a analyzer.TDAccess)) {
	for _, fn := range pass.Program.FunctionsIn(pass.File) {
		if fn.Context&analyzer.WorkerThread == 0 {
			continue
		}
		for _, a := range fn.Accesses {
			if a.Only.RunsOn(analyzer.WorkerThread) {
				f(fn, a)
			}
		}
	}
}

// startedBy names the entry of a worker-reachable function for messages.
func startedBy(prog *analyzer.Program, fn *analyzer.Function) string {
	start, _ := prog.Chain(fn)
	if start == nil {
		return "a worker thread"
	}
	return "a worker thread (" + start.Kind + ")"
}

// threadCode is what the program-wide indexes of TD401 and TD202 read:
// the functions each thread runs, and what the workers' bodies do to
// shared state and locks, found in one walk of each worker (the walks
// are most of what those indexes cost, and most functions run on one
// thread only).
type threadCode struct {
	// workers are the functions a worker thread runs, in program order,
	// with what each one's body does.
	workers []workerBody
	// mains are the main-thread functions with code of their own (not
	// a module's top level) that are not constructors, in program order.
	mains []*analyzer.Function
}

type workerBody struct {
	fn *analyzer.Function
	// writes are its writes, updates and resizes of shared state outside
	// `with <lock>:` (TD401), none in a constructor: the object is not
	// shared yet.
	writes []stateUse
	// locks are its waits for a lock (TD202).
	locks []lockUse
}

// threadCodeOf returns the program's threadCode, made once.
func threadCodeOf(prog *analyzer.Program) *threadCode {
	tc, _ := prog.Memo("rules.threadCode", func() any {
		tc := &threadCode{}
		var workers []*analyzer.Function
		for _, fn := range prog.Functions {
			if fn.Context&analyzer.WorkerThread != 0 {
				workers = append(workers, fn)
			}
			if fn.Context&analyzer.MainThread != 0 && fn.Node != nil && !isConstructor(fn) {
				tc.mains = append(tc.mains, fn)
			}
		}
		tc.workers = perFunction(workers, func(fn *analyzer.Function) workerBody {
			return walkWorker(prog, fn)
		})
		return tc
	}).(*threadCode)
	return tc
}

// walkWorker reads a worker function's body for TD401 and TD202 in one
// walk: what sharedUsesOf(writesOnly) and lockAcquisitions find.
func walkWorker(prog *analyzer.Program, fn *analyzer.Function) workerBody {
	var state *stateWalk
	if !isConstructor(fn) {
		state = &stateWalk{prog: prog, fn: fn, writesOnly: true}
	}
	locks := lockWalk{prog: prog, fn: fn}
	visit := func(n pyparse.Node) bool {
		locks.visit(n)
		if state != nil {
			state.visit(n)
		}
		return true
	}
	if fn.Expr == nil && !callsByName(fn, workerCallNames) {
		// Without a resizing call or an acquire() in its code (most
		// workers), what both walks find is in fn's statements: its
		// expressions, most of its nodes, need no visit.
		ownStatements(fn.Body, visit)
	} else {
		analyzer.WalkOwn(fn, visit)
	}
	wb := workerBody{fn: fn, locks: locks.out}
	if state != nil {
		wb.writes = state.out
	}
	return wb
}

// workerCallNames are the methods whose calls the workers' walk records
// wherever they are: the resizers of TD401 and TD202's acquire.
var workerCallNames = func() map[string]bool {
	names := map[string]bool{"acquire": true}
	for name := range resizers {
		names[name] = true
	}
	return names
}()

// callsByName reports whether fn's source text may call a method named
// in names: a call of one is a dot, blanks, and the name (a comment after
// the dot is taken to be one).
func callsByName(fn *analyzer.Function, names map[string]bool) bool {
	src := fn.File.AST.Src
	if fn.Node != nil {
		src = src[fn.Node.Pos():fn.Node.End()]
	}
	for {
		dot := bytes.IndexByte(src, '.')
		if dot < 0 {
			return false
		}
		src = src[dot+1:]
		start := 0
		for start < len(src) && (src[start] == ' ' || src[start] == '\t' || src[start] == '\n' || src[start] == '\r' || src[start] == '\f' || src[start] == '\\') {
			start++
		}
		if start < len(src) && src[start] == '#' {
			return true
		}
		end := start
		ascii := true
		for end < len(src) && (src[end] == '_' || src[end] >= utf8.RuneSelf || 'a' <= src[end] && src[end] <= 'z' || 'A' <= src[end] && src[end] <= 'Z' || '0' <= src[end] && src[end] <= '9') {
			ascii = ascii && src[end] < utf8.RuneSelf
			end++
		}
		if !ascii || names[string(src[start:end])] {
			// A name with letters beyond ASCII may be one of names once
			// NFKC-normalized (the parser's ａcquire is acquire).
			return true
		}
		src = src[end:]
	}
}

// ownStatements visits the statements of body and of the statements
// they hold, not those of nested functions and classes, in the order
// analyzer.WalkOwn visits them; it visits no expression.
func ownStatements(body []pyparse.Stmt, visit func(pyparse.Node) bool) {
	for _, s := range body {
		switch s.(type) {
		case *pyparse.FunctionDef, *pyparse.ClassDef:
			continue
		}
		visit(s)
		switch x := s.(type) {
		case *pyparse.For:
			ownStatements(x.Body, visit)
			ownStatements(x.Orelse, visit)
		case *pyparse.While:
			ownStatements(x.Body, visit)
			ownStatements(x.Orelse, visit)
		case *pyparse.If:
			ownStatements(x.Body, visit)
			ownStatements(x.Orelse, visit)
		case *pyparse.With:
			ownStatements(x.Body, visit)
		case *pyparse.Match:
			for _, c := range x.Cases {
				ownStatements(c.Body, visit)
			}
		case *pyparse.Try:
			ownStatements(x.Body, visit)
			for _, h := range x.Handlers {
				ownStatements(h.Body, visit)
			}
			ownStatements(x.Orelse, visit)
			ownStatements(x.Finalbody, visit)
		}
	}
}
