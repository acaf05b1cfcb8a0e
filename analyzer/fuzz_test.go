package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// checkNoInternalError runs the whole check (every rule, the program
// model, suppression) on files: a panic in any of it becomes TD999, which
// is the failure here; a Go stack overflow kills the fuzzer, which is one
// too.
func checkNoInternalError(t *testing.T, inputs []analyzer.Input) {
	t.Helper()
	res := analyzer.Run(inputs, rules.All(), analyzer.Options{})
	for _, d := range res.Diagnostics {
		if d.Analyzer == analyzer.InternalErrorAnalyzer {
			t.Fatalf("%s: %s", d.Range.File.Name, d.Message)
		}
	}
}

// FuzzCheckSource runs the whole check on arbitrary source, next to a
// module that imports it and hands its functions to worker threads, so
// the cross-file analyses see whatever the fuzzer makes.
func FuzzCheckSource(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*", "*.py"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkNoInternalError(t, []analyzer.Input{
			{Name: "fuzzed.py", Module: "fuzzed", Src: src},
			{Name: "starter.py", Module: "starter", Src: []byte(starter)},
		})
	})
}

// starter runs fuzzed's likely names on every kind of thread.
const starter = `import threading
import fuzzed
from fuzzed import *

tm = op.TDResources.ThreadManager
for name in dir(fuzzed):
    threading.Thread(target=getattr(fuzzed, name)).start()
tm.EnqueueTask(tm.TDTask(target=fuzzed.f, SuccessHook=fuzzed.g))
tm.EnqueueTask(tm.TDTask(target=f, ExceptHook=g, RefreshHook=h))
run(fuzzed.f, delayFrames=1)
run("fuzzed.g()", delayMilliSeconds=5)
`

// FuzzCheckGenerated builds Python from the fuzzer's bytes, each byte a
// choice of the generator below: nested statements and expressions of
// the shapes the analyses follow (TD objects, threads, tasks, run(),
// calls between functions), down to depths past the parser's bound, so
// that deep trees reach every recursive walk.
func FuzzCheckGenerated(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{5, 5, 5, 5, 5, 5, 5, 5, 200, 201, 202, 203})
	f.Add([]byte{250, 250, 1, 250, 250, 2, 250, 250, 3, 249, 248, 247})
	f.Add([]byte("\x0b\xff\xff\x0c\xff\xff\x0d\xff\xff\x0e\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &generator{data: data}
		src := g.module()
		checkNoInternalError(t, []analyzer.Input{
			{Name: "gen.py", Module: "gen", Src: []byte(src)},
			{Name: "starter.py", Module: "starter", Src: []byte(strings.ReplaceAll(starter, "fuzzed", "gen"))},
		})
	})
}

// generator turns bytes into Python source; when the bytes run out every
// choice is 0, which ends each construct.
type generator struct {
	data  []byte
	i     int
	b     strings.Builder
	depth int
}

func (g *generator) next() int {
	if g.i >= len(g.data) {
		return 0
	}
	g.i++
	return int(g.data[g.i-1])
}

var (
	genNames = []string{"f", "g", "h", "work", "x", "self", "op", "me", "parent", "run", "tm", "threading", "queue", "time"}
	genAttrs = []string{"par", "text", "value0", "eval", "cook", "EnqueueTask", "TDTask", "Thread", "start", "join", "sleep", "put", "get", "f", "g"}
)

func (g *generator) module() string {
	for g.i < len(g.data) {
		g.stmt(0)
	}
	return g.b.String()
}

func (g *generator) line(indent int, s string) {
	g.b.WriteString(strings.Repeat(" ", indent))
	g.b.WriteString(s)
	g.b.WriteByte('\n')
}

func (g *generator) block(indent int) {
	n := 1 + g.next()%3
	for range n {
		g.stmt(indent + 1)
	}
}

func (g *generator) stmt(indent int) {
	// Indentation deeper than CPython's 100 levels is a syntax error
	// already; stay under it so the bodies reach the analyzer.
	if indent > 90 {
		g.line(indent, "pass")
		return
	}
	switch c := g.next(); c % 13 {
	case 0:
		g.line(indent, "pass")
	case 1:
		g.line(indent, "def "+g.name()+"("+g.params()+"):")
		g.block(indent)
	case 2:
		g.line(indent, "class "+strings.ToUpper(g.name())+":")
		g.block(indent)
	case 3:
		g.line(indent, "if "+g.expr()+":")
		g.block(indent)
		for g.next()%2 == 1 {
			g.line(indent, "elif "+g.expr()+":")
			g.block(indent)
		}
		if g.next()%2 == 1 {
			g.line(indent, "else:")
			g.block(indent)
		}
	case 4:
		g.line(indent, "for "+g.name()+" in "+g.expr()+":")
		g.block(indent)
	case 5:
		g.line(indent, "while "+g.expr()+":")
		g.block(indent)
	case 6:
		g.line(indent, "with "+g.expr()+" as "+g.name()+":")
		g.block(indent)
	case 7:
		g.line(indent, "try:")
		g.block(indent)
		g.line(indent, "except Exception as e:")
		g.block(indent)
	case 8:
		g.line(indent, "return "+g.expr())
	case 9:
		g.line(indent, g.name()+" = "+g.expr())
	case 10:
		g.line(indent, g.name()+"."+g.attr()+" = "+g.expr())
	case 11:
		// A long chain of one shape, up to 3,000 levels and past the
		// parser's bound of 3,000: the parser builds these in loops.
		n := 1 + g.next()*15
		shapes := []string{".b", "()", "[0]", "+a", "**a"}
		g.line(indent, "x = a"+strings.Repeat(shapes[g.next()%len(shapes)], n))
	case 12:
		if g.next()%2 == 0 {
			g.line(indent, "global "+g.name())
		} else {
			g.line(indent, g.expr())
		}
	}
}

func (g *generator) name() string { return genNames[g.next()%len(genNames)] }
func (g *generator) attr() string { return genAttrs[g.next()%len(genAttrs)] }

func (g *generator) params() string {
	switch g.next() % 4 {
	case 0:
		return ""
	case 1:
		return "self"
	case 2:
		return "self, " + g.name() + "=" + g.expr()
	}
	return "*args, **kwargs"
}

func (g *generator) expr() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 200 {
		return g.name()
	}
	switch c := g.next(); c % 14 {
	case 0:
		return g.name()
	case 1:
		return g.expr() + "." + g.attr()
	case 2:
		return g.expr() + "(" + g.args() + ")"
	case 3:
		return g.expr() + "[" + g.expr() + "]"
	case 4:
		return "op('" + g.name() + "')"
	case 5:
		return "(" + g.expr() + " + " + g.expr() + ")"
	case 6:
		return "lambda: " + g.expr()
	case 7:
		return "[" + g.expr() + " for " + g.name() + " in " + g.expr() + "]"
	case 8:
		return "(" + g.expr() + " if " + g.expr() + " else " + g.expr() + ")"
	case 9:
		return "threading.Thread(target=" + g.expr() + ")"
	case 10:
		return "tm.TDTask(target=" + g.expr() + ", SuccessHook=" + g.expr() + ")"
	case 11:
		return "run(" + g.expr() + ", delayFrames=1)"
	case 12:
		return "'" + g.name() + "'"
	}
	return "not " + g.expr()
}

func (g *generator) args() string {
	n := g.next() % 3
	parts := make([]string, 0, n)
	for range n {
		if g.next()%2 == 0 {
			parts = append(parts, g.expr())
		} else {
			parts = append(parts, g.attr()+"="+g.expr())
		}
	}
	return strings.Join(parts, ", ")
}
