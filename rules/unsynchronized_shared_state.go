package rules

import (
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// UnsynchronizedSharedState reports state a worker writes and main-thread
// code reads with neither a lock nor a queue between them.
var UnsynchronizedSharedState = &analyzer.Analyzer{
	Code:     "TD401",
	Name:     "unsynchronized-shared-state",
	Summary:  "a worker writes state that main-thread code reads, without a lock or queue",
	Severity: analyzer.SeverityWarning,
	Doc: `# unsynchronized-shared-state (TD401)

## What it does
Finds module globals and ` + "`self`" + ` attributes that code on a worker thread assigns or mutates
(` + "`append`, `update`, item assignment" + `) while main-thread code (a callback, a hook, an extension
method) reads them, when the write is not inside a ` + "`with lock:`" + ` block.

## Why is this bad
The main thread may see half-updated state: a list being extended while ` + "`onFrameStart`" + ` iterates
it, or a dict read between two related writes. These races are rare, silent and frame-dependent.

## Example
` + "```python\nlatest = {}\n\ndef poll():\n    while running:\n        latest['temp'] = read_sensor()      # TD401\n\ndef onFrameStart(frame):\n    op('temp').par.value0 = latest.get('temp', 0)\n```" + `

## Use instead
Send data through a queue (or the task's InfoQueue) and drain it on the main thread, or guard both
sides with the same lock:
` + "```python\nupdates = queue.Queue()\n\ndef poll():\n    while running:\n        updates.put(read_sensor())\n\ndef onFrameStart(frame):\n    while not updates.empty():\n        op('temp').par.value0 = updates.get_nowait()\n```" + `
`,
	Run: func(pass *analyzer.Pass) error {
		prog := pass.Program
		// The program-wide index of main-thread reads is built the first
		// time a file has a worker write to look up (most have none).
		var reads map[string]stateAccess
		for _, fn := range prog.FunctionsIn(pass.File) {
			if fn.Context&analyzer.WorkerThread == 0 {
				continue
			}
			if fn.Class != nil && fn.Node != nil && strings.HasSuffix(fn.Name, ".__init__") {
				continue // construction: the object is not shared yet
			}
			writes := sharedWrites(prog, fn)
			if len(writes) > 0 && reads == nil {
				reads, _ = prog.Memo("TD401.mainThreadReads", func() any { return mainThreadReads(prog) }).(map[string]stateAccess)
			}
			for _, w := range writes {
				read, ok := reads[w.key]
				if !ok || read.fn == fn {
					continue
				}
				pass.Report(analyzer.Diagnostic{
					Range:    analyzer.Range{File: pass.File, Start: w.node.Pos(), End: w.node.End()},
					Analyzer: pass.Analyzer, Severity: pass.Analyzer.Severity,
					Message: "`" + w.what + "` is written by " + startedBy(prog, fn) + " and read on the main thread without a lock; pass the data through a queue",
					Related: append(workerChain(prog, fn), analyzer.RelatedInformation{
						Range:   analyzer.Range{File: read.fn.File, Start: read.node.Pos(), End: read.node.End()},
						Message: "read on the main thread in `" + read.fn.Name + "`",
					}),
				})
			}
		}
		return nil
	},
}

type stateAccess struct {
	key  string // "global:<file>:<name>" or "attr:<class>:<name>"
	what string
	node pyparse.Node
	fn   *analyzer.Function
}

// stateKey names a shared variable: a module global or a self attribute.
func stateKey(prog *analyzer.Program, fn *analyzer.Function, e pyparse.Expr) (key, what string) {
	switch x := e.(type) {
	case *pyparse.Name:
		if prog.ModuleGlobal(fn, x.ID) {
			return "global:" + fn.File.Name + ":" + x.ID, x.ID
		}
	case *pyparse.Attribute:
		// An extension object is one long-lived instance the main thread
		// and workers share; other instances are usually per-call.
		if n, ok := x.Value.(*pyparse.Name); ok && fn.Class != nil && fn.Class.Extension && n.ID == "self" {
			return "attr:" + fn.Class.Name + ":" + x.Attr, "self." + x.Attr
		}
	}
	return "", ""
}

var mutators = map[string]bool{
	"append": true, "extend": true, "insert": true, "pop": true, "remove": true, "clear": true,
	"update": true, "setdefault": true, "add": true, "discard": true, "popitem": true,
}

// sharedWrites lists the writes fn makes to shared state outside locks.
func sharedWrites(prog *analyzer.Program, fn *analyzer.Function) []stateAccess {
	var out []stateAccess
	record := func(target pyparse.Expr, node pyparse.Node) {
		if key, what := stateKey(prog, fn, target); key != "" {
			if q := analyzer.TypeName(prog.Qualify(fn, target)); strings.HasPrefix(q, "queue.") || strings.HasPrefix(q, "threading.") {
				return
			}
			out = append(out, stateAccess{key: key, what: what, node: node, fn: fn})
		}
	}
	locked := lockedRegions(prog, fn)
	analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
		if inRegions(locked, n) {
			return false
		}
		switch x := n.(type) {
		case *pyparse.Assign:
			for _, t := range x.Targets {
				writeTarget(t, x, record)
			}
		case *pyparse.AugAssign:
			writeTarget(x.Target, x, record)
		case *pyparse.Call:
			if a, ok := x.Func.(*pyparse.Attribute); ok && mutators[a.Attr] {
				record(a.Value, x)
			}
		}
		return true
	})
	return out
}

func writeTarget(t pyparse.Expr, stmt pyparse.Node, record func(pyparse.Expr, pyparse.Node)) {
	switch x := t.(type) {
	case *pyparse.Name:
		if x.Ctx == pyparse.Store {
			record(x, stmt)
		}
	case *pyparse.Attribute:
		record(x, stmt)
	case *pyparse.Subscript:
		record(x.Value, stmt)
	case *pyparse.Tuple:
		for _, e := range x.Elts {
			writeTarget(e, stmt, record)
		}
	}
}

// mainThreadReads indexes the first main-thread read of each shared
// variable.
func mainThreadReads(prog *analyzer.Program) map[string]stateAccess {
	reads := make(map[string]stateAccess)
	for _, fn := range prog.Functions {
		if fn.Context&analyzer.MainThread == 0 || fn.Node == nil {
			continue
		}
		analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
			var e pyparse.Expr
			switch x := n.(type) {
			case *pyparse.Name:
				if x.Ctx == pyparse.Load {
					e = x
				}
			case *pyparse.Attribute:
				if x.Ctx == pyparse.Load {
					e = x
				}
			}
			if e != nil {
				if key, what := stateKey(prog, fn, e); key != "" {
					if _, seen := reads[key]; !seen {
						reads[key] = stateAccess{key: key, what: what, node: e, fn: fn}
					}
				}
			}
			return true
		})
	}
	return reads
}

// lockedRegions are the bodies of `with <lock>:` statements in fn.
func lockedRegions(prog *analyzer.Program, fn *analyzer.Function) []pyparse.Span {
	var out []pyparse.Span
	analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
		w, ok := n.(*pyparse.With)
		if !ok {
			return true
		}
		for _, it := range w.Items {
			q := analyzer.TypeName(prog.Qualify(fn, it.ContextExpr))
			text := strings.ToLower(string(fn.File.AST.Src[it.ContextExpr.Pos():it.ContextExpr.End()]))
			if strings.HasPrefix(q, "threading.") || strings.Contains(text, "lock") {
				out = append(out, pyparse.Span{Start: w.Pos(), EndPos: w.End()})
			}
		}
		return true
	})
	return out
}

func inRegions(regions []pyparse.Span, n pyparse.Node) bool {
	for _, r := range regions {
		if n.Pos() >= r.Start && n.End() <= r.EndPos {
			return true
		}
	}
	return false
}
