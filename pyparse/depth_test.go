package pyparse

import (
	"strings"
	"testing"
)

// deepShapes builds, for a nesting depth n, each way Python source nests a
// tree: the chains the parser builds in a loop (trailers, binary operators,
// elif) as well as the ones it builds by recursion.
var deepShapes = map[string]func(n int) string{
	"attribute": func(n int) string { return "x = a" + strings.Repeat(".b", n) },
	"call":      func(n int) string { return "x = f" + strings.Repeat("()", n) },
	"subscript": func(n int) string { return "x = a" + strings.Repeat("[0]", n) },
	"plus":      func(n int) string { return "x = a" + strings.Repeat("+a", n) },
	"power":     func(n int) string { return "x = a" + strings.Repeat("**a", n) },
	"not":       func(n int) string { return "x = " + strings.Repeat("not ", n) + "a" },
	"minus":     func(n int) string { return "x = " + strings.Repeat("-", n) + "a" },
	"lambda":    func(n int) string { return "x = " + strings.Repeat("lambda: ", n) + "0" },
	"ifexp":     func(n int) string { return "x = " + strings.Repeat("a if b else ", n) + "c" },
	"elif":      func(n int) string { return "if a:\n pass\n" + strings.Repeat("elif a:\n pass\n", n) },
}

// treeDepth is the height of the tree under n; Walk recurses, which is
// what the depth bound makes safe.
func treeDepth(body []Stmt) int {
	d := &depthVisitor{}
	for _, s := range body {
		Walk(d, s)
	}
	return d.max
}

type depthVisitor struct{ cur, max int }

func (d *depthVisitor) Visit(n Node) Visitor {
	if n == nil {
		d.cur--
		return nil
	}
	d.cur++
	d.max = max(d.max, d.cur)
	return d
}

// TestDeepNesting checks the model taken from CPython 3.11: nesting it
// compiles (2,900 levels of any shape) parses, nesting it rejects with a
// RecursionError (4,000 levels, and the 100,000 of a generated file) is a
// syntax error, and no accepted tree is deeper than the parser's bound.
func TestDeepNesting(t *testing.T) {
	for name, shape := range deepShapes {
		for _, n := range []int{2900, 4000, 100000} {
			f := ParseFile("deep.py", []byte(shape(n)+"\n"), Config{})
			if n <= 2900 && len(f.Errors) > 0 {
				t.Errorf("%s %d: CPython accepts it, got %v", name, n, f.Errors[0])
			}
			if n > 2900 && (len(f.Errors) == 0 || f.Errors[0].Msg != "too many nested expressions") {
				t.Errorf("%s %d: want the syntax error \"too many nested expressions\", got %v", name, n, f.Errors)
			}
			if d := treeDepth(f.Body); d > 2*maxNesting {
				t.Errorf("%s %d: tree %d levels deep, want at most %d", name, n, d, 2*maxNesting)
			}
		}
	}
}
