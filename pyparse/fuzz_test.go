package pyparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseFile checks the parser's promises on arbitrary bytes: it
// terminates, never panics (ParseFile turns a panic into an "internal
// parser error", which counts as a failure here), keeps every node span
// inside the source, and leaves an AST the dumper can walk.
func FuzzParseFile(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "pyparse", "golden", "*.py"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("f'{x:{y!r:{z}}}' 'a' f\"\"\"{\n}\"\"\"\n"))
	f.Add([]byte("match x:\n case {**r}: pass\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, v := range []Version{Py311, Py313} {
			file := ParseFile("fuzz.py", src, Config{Version: v})
			for _, e := range file.Errors {
				if strings.HasPrefix(e.Msg, "internal parser error") {
					t.Fatalf("%s: %s", v, e.Msg)
				}
			}
			n := Pos(len(file.Src))
			InspectBody(file.Body, func(node Node) bool {
				if node.Pos() < 0 || node.End() > n || node.Pos() > node.End() {
					t.Fatalf("%s: %T span [%d, %d) outside source of %d bytes", v, node, node.Pos(), node.End(), n)
				}
				return true
			})
			_ = Dump(file, v)
		}
	})
}
