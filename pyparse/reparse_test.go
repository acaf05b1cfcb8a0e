package pyparse

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// reparseCorpus is the golden files, and some large stdlib modules when
// CPython is installed.
func reparseCorpus(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("../testdata/pyparse/golden/*.py")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	if python := findPython(Py311); python != "" {
		out, err := exec.CommandContext(t.Context(), python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").Output()
		if err == nil {
			root := strings.TrimSpace(string(out))
			for _, name := range []string{"dataclasses.py", "asyncio/tasks.py", "test/test_grammar.py"} {
				files = append(files, filepath.Join(root, name))
			}
		}
	}
	corpus := make(map[string][]byte)
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		corpus[filepath.Base(name)] = src
	}
	return corpus
}

// snippets are what an edit inserts: code that makes and breaks
// statements, brackets, strings, indentation and decorators.
var snippets = []string{
	"x", "1", " ", "    ", "\t", "\n", "\n\n", "(", ")", "[", "]", "{", "}", ":", ";", ",", ".",
	"'", "\"", "\"\"\"", "#", "# c\n", "\\\n", "@", "@dec\n", "def f():\n    pass\n",
	"class C:\n    x = 1\n", "if x:\n", "    return y\n", "else:\n", "import os\n",
	"f'{x}'", "lambda: 0", "match x:\n    case 1: pass\n", "x = 1; y = 2\n", "é", "async ", "await ", "\r\n",
}

// TestReparseIsParseFile makes thousands of random edits to real files,
// one after another as a user would, and checks that every Reparse is a
// ParseFile of the new text: the same dump (nodes, positions, end
// positions) and the same comments, or the same errors. Most edits must
// have reused statements: a Reparse that always parsed the whole file
// would pass the comparison and miss the point.
func TestReparseIsParseFile(t *testing.T) {
	corpus := reparseCorpus(t)
	seed := uint64(7)
	if s := os.Getenv("TDLINT_REPARSE_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	edits, eligible, reused := 0, 0, 0
	names := slices.Sorted(maps.Keys(corpus))
	for _, name := range names {
		src := corpus[name]
		cfg := Config{Version: Py312, Decoded: true}
		cur := ParseFile(name, src, cfg)
		valid := cur
		steps := 120
		if testing.Short() {
			steps = 30
		}
		for step := range steps {
			if len(cur.Errors) > 0 && rng.IntN(2) == 0 {
				cur = valid // a broken text is soon mended
			}
			text := cur.Src
			i := rng.IntN(len(text) + 1)
			j := min(len(text), i+rng.IntN(3)*rng.IntN(8))
			ins := ""
			if rng.IntN(4) > 0 {
				ins = snippets[rng.IntN(len(snippets))]
			}
			next := append(append(append([]byte{}, text[:i]...), ins...), text[j:]...)
			if len(cur.Errors) == 0 {
				if r := reparseText(cur, normalizeNewlines(next)); r != nil {
					reused++
				}
			}
			got := Reparse(cur, next, cfg)
			want := ParseFile(name, next, cfg)
			edits++
			if len(cur.Errors) == 0 && len(want.Errors) == 0 {
				eligible++
			}
			if d := compareFiles(got, want); d != "" {
				t.Fatalf("%s, edit %d: [%d:%d] -> %q: %s", name, step, i, j, ins, d)
			}
			// Mostly keep the file valid, so that edits keep reusing.
			if len(want.Errors) == 0 {
				cur, valid = got, got
			} else if rng.IntN(3) == 0 {
				cur = got
			}
		}
	}
	t.Logf("%d edits, %d from and to a valid text, %d reparsed in part", edits, eligible, reused)
	if reused < eligible/2 {
		t.Fatalf("only %d of %d edits between valid texts reused the old parse", reused, eligible)
	}
}

// compareFiles describes how two parses differ ("" when they do not).
func compareFiles(got, want *File) string {
	if !bytes.Equal(got.Src, want.Src) {
		return "different texts"
	}
	if g, w := fmt.Sprint(got.Errors), fmt.Sprint(want.Errors); g != w {
		return fmt.Sprintf("errors %s, want %s", g, w)
	}
	if g, w := Dump(got, got.Version()), Dump(want, want.Version()); g != w {
		return "dumps differ:\n" + firstDifference(g, w)
	}
	if g, w := spans(got), spans(want); g != w {
		return "node offsets differ:\n" + firstDifference(g, w)
	}
	if len(got.Comments) != len(want.Comments) {
		return fmt.Sprintf("%d comments, want %d", len(got.Comments), len(want.Comments))
	}
	for k, c := range got.Comments {
		if *c != *want.Comments[k] {
			return fmt.Sprintf("comment %d is %+v, want %+v", k, *c, *want.Comments[k])
		}
	}
	if !slices.Equal(got.binders, want.binders) {
		return fmt.Sprintf("binders at %v, want %v", got.binders, want.binders)
	}
	if got.LineCount() != want.LineCount() {
		return "different line tables"
	}
	return ""
}

// spans lists every node's type and byte offsets, those of its Pos
// fields too (NamePos, AttrPos), which the dump does not show.
func spans(f *File) string {
	var b strings.Builder
	posType := reflect.TypeFor[Pos]()
	for _, s := range f.Body {
		Inspect(s, func(n Node) bool {
			fmt.Fprintf(&b, "%T %d %d", n, n.Pos(), n.End())
			v := reflect.ValueOf(n).Elem()
			for i := range v.NumField() {
				if v.Field(i).Type() == posType {
					fmt.Fprintf(&b, " %s=%d", v.Type().Field(i).Name, v.Field(i).Int())
				}
			}
			b.WriteByte('\n')
			return true
		})
	}
	return b.String()
}

// TestReparseLeavesOldAlone checks that the old parse is untouched after
// an edit that moves the statements after it (a lint may still be reading
// it).
func TestReparseLeavesOldAlone(t *testing.T) {
	src := []byte("import time\n\ndef f():\n    return 1\n\n\ndef g():\n    # note\n    return time.time()\n")
	cfg := Config{Decoded: true}
	old := ParseFile("m.py", src, cfg)
	before := Dump(old, Py311) + spans(old)
	next := bytes.Replace(src, []byte("return 1"), []byte("return 100"), 1)
	got := Reparse(old, next, cfg)
	if after := Dump(old, Py311) + spans(old); after != before {
		t.Fatal("Reparse changed the old parse")
	}
	if d := compareFiles(got, ParseFile("m.py", next, cfg)); d != "" {
		t.Fatal(d)
	}
	if got.Body[0] != old.Body[0] {
		t.Error("the statement before the edit was not reused")
	}
	if got.Body[2] == old.Body[2] {
		t.Error("the statement after a length-changing edit was shared, not moved")
	}
}

// TestShiftGenerated fails when shift_gen.go is not what gen_shift.go
// makes of ast.go (run `go generate ./pyparse` after changing a node).
func TestShiftGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator")
	}
	out := filepath.Join(t.TempDir(), "shift_gen.go")
	cmd := exec.CommandContext(t.Context(), "go", "run", "gen_shift.go", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen_shift.go: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("shift_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("shift_gen.go is stale: run go generate ./pyparse")
	}
}

func TestHasBinderIn(t *testing.T) {
	src := "a = 1\nb = lambda: 0\nc = [x for x in y]\nif (d := 2):\n    pass\ne = f(g)\n"
	f := ParseFile("m.py", []byte(src), Config{})
	for i, want := range []bool{false, true, true, true, false} {
		s := f.Body[i]
		if got := f.HasBinderIn(s.Pos(), s.End()); got != want {
			t.Errorf("statement %d (%T): HasBinderIn = %v, want %v", i, s, got, want)
		}
	}
}
