package pyparse

import (
	"strings"
	"testing"
)

// The expected messages and lines are what CPython 3.11 reports for the same
// source (SyntaxError.msg and .lineno).
func TestSyntaxErrorsMatchCPython(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src  string
		msg  string
		line int
	}{
		{"a = $b\n", "invalid syntax", 1},
		{"x = 1__0\n", "invalid decimal literal", 1},
		{"x = 0x\n", "invalid hexadecimal literal", 1},
		{"x = 08\n", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1},
		{"x = 0o8\n", "invalid digit '8' in octal literal", 1},
		{"x = 0b12\n", "invalid digit '2' in binary literal", 1},
		{"x = 12abc\n", "invalid decimal literal", 1},
		{"x = \"abc\n", "unterminated string literal (detected at line 1)", 1},
		{"x = '''abc\n\n", "unterminated triple-quoted string literal (detected at line 3)", 1},
		{"x = (1,\n", "'(' was never closed", 1},
		{"x = )\n", "unmatched ')'", 1},
		{"x = (]\n", "closing parenthesis ']' does not match opening parenthesis '('", 1},
		{"x = a\u00a0b\n", "invalid non-printable character U+00A0", 1},
		{"x = \u20ac\n", "invalid character '\u20ac' (U+20AC)", 1},
		{"if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2},
		{"  x=1\n", "unexpected indent", 1},
		{"if x:\n    a\n  b\n", "unindent does not match any outer indentation level", 3},
		{"x = f\"{x!}\"\n", "f-string: missing conversion character", 1},
		{"x = f\"}\"\n", "f-string: single '}' is not allowed", 1},
		{"print \"hello\"\n", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1},
		{"def f(a=1, b):\n    pass\n", "non-default argument follows default argument", 1},
		{"f() = 1\n", "cannot assign to function call", 1},
		{"del f()\n", "cannot delete function call", 1},
		{"x + 1 += 1\n", "'expression' is an illegal expression for augmented assignment", 1},
		{"x = 1 if y\n", "expected 'else' after 'if' expression", 1},
		{"f(x for x in y, 1)\n", "Generator expression must be parenthesized", 1},
		{"f(a=1, b)\n", "positional argument follows keyword argument", 1},
		{"# coding: uft-8\nx = 1\n", "unknown encoding: uft-8", 0},
		{"\xef\xbb\xbf# coding: utf8\nx = 1\n", "encoding problem: utf8 with BOM", 0},
		{"print(\"b\xf6se\")\n", "(unicode error) 'utf-8' codec can't decode byte 0xf6 in position 1: invalid start byte", 1},
		{"x = (\n\ndef f():\n    pass\n", "'(' was never closed", 1},
		{"print('x'", "'(' was never closed", 1},
		{"f(a, b", "'(' was never closed", 1},
		{"try:\n    pass\nx = 1\n", "expected 'except' or 'finally' block", 3},
	}
	for _, c := range cases {
		f := ParseFile("t.py", []byte(c.src), Config{Version: Py311})
		if len(f.Errors) == 0 {
			t.Errorf("%q: no error, want %q", c.src, c.msg)
			continue
		}
		e := f.Errors[0]
		if e.Msg != c.msg || e.Line != c.line {
			t.Errorf("%q: got %q at line %d, want %q at line %d", c.src, e.Msg, e.Line, c.msg, c.line)
		}
	}
}

func TestVersionGating(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src    string
		oldest Version // the first version that accepts src
	}{
		{"type X = int\n", Py312},
		{"def f[T](x: T) -> T: pass\n", Py312},
		{"class C[T]: pass\n", Py312},
		{"x = f\"{'\\n'.join(a)}\"\n", Py312},
		{"x = f\"{a[\"k\"]}\"\n", Py312},
		{"def f[T = int](): pass\n", Py313},
		{"type = 1\nmatch = 2\ncase = 3\n", Py311},
		{"match x:\n    case [1, *rest]: pass\n", Py311},
	}
	for _, c := range cases {
		for _, v := range []Version{Py311, Py312, Py313} {
			f := ParseFile("t.py", []byte(c.src), Config{Version: v})
			accepted := len(f.Errors) == 0
			if want := v >= c.oldest; accepted != want {
				t.Errorf("%q on %s: accepted=%v, want %v (errors: %v)", c.src, v, accepted, want, f.Errors)
			}
		}
	}
}

// A broken statement must not hide the rest of the file from the analyzer.
func TestRecoveryKeepsLaterStatements(t *testing.T) {
	t.Parallel()
	src := "import os\n" +
		"x = = 1\n" +
		"def worker():\n" +
		"    op('a').par.x = 1 +\n" +
		"    return 2\n" +
		"class C:\n" +
		"    def m(self): pass\n"
	f := ParseFile("t.py", []byte(src), Config{})
	if len(f.Errors) < 2 {
		t.Fatalf("errors = %v, want at least 2", f.Errors)
	}
	var names []string
	for _, s := range f.Body {
		switch n := s.(type) {
		case *FunctionDef:
			names = append(names, "def "+n.Name)
			if len(n.Body) != 2 {
				t.Errorf("worker body has %d statements, want 2 (one bad, one return)", len(n.Body))
			}
		case *ClassDef:
			names = append(names, "class "+n.Name)
		}
	}
	if got := strings.Join(names, ", "); got != "def worker, class C" {
		t.Errorf("recovered definitions = %q, want %q", got, "def worker, class C")
	}
}

func TestPathologicalInputGivesErrors(t *testing.T) {
	t.Parallel()
	inputs := map[string]string{
		"deep parens":    strings.Repeat("(", 5000) + "x" + strings.Repeat(")", 5000) + "\n",
		"deep unary":     "x = " + strings.Repeat("-", 100000) + "1\n",
		"deep not":       "x = " + strings.Repeat("not ", 50000) + "y\n",
		"deep lambda":    "x = " + strings.Repeat("lambda: ", 20000) + "1\n",
		"deep fstring":   "x = " + strings.Repeat("f'{", 300) + "1" + strings.Repeat("}'", 300) + "\n",
		"deep indent":    deepIndent(150),
		"deep subscript": "x = a" + strings.Repeat("[0]", 30000) + "\n",
		"nul byte":       "x = 1\x00\n",
		"eof in fstring": "a = f\"plain {name} ",
		"eof in spec":    "a = f\"{x:>{w}",
	}
	for name, src := range inputs {
		f := ParseFile(name, []byte(src), Config{Version: Py312})
		if len(f.Errors) == 0 && name != "deep subscript" {
			t.Errorf("%s: no error", name)
		}
	}
}

func deepIndent(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n))
	b.WriteString("pass\n")
	return b.String()
}

func TestPositionsAndComments(t *testing.T) {
	t.Parallel()
	src := "x = (a +\n     b)  # sum\ny = 'h\u00e9' + z  # noqa: TD101\n"
	f := ParseFile("t.py", []byte(src), Config{})
	if len(f.Errors) != 0 {
		t.Fatal(f.Errors)
	}
	assign := f.Body[0].(*Assign)
	bin := assign.Value.(*BinOp)
	if p, e := f.Position(bin.Pos()), f.Position(bin.End()); p.Line != 1 || p.Col != 5 || e.Line != 2 || e.Col != 6 {
		t.Errorf("BinOp span = %d:%d-%d:%d, want 1:5-2:6 (parentheses excluded)", p.Line, p.Col, e.Line, e.Col)
	}
	z := f.Body[1].(*Assign).Value.(*BinOp).Right
	if p := f.Position(z.Pos()); p.Line != 3 || p.Col != 12 {
		t.Errorf("z at %d:%d, want 3:12 (UTF-8 byte column)", p.Line, p.Col)
	}
	if c := f.UTF16Col(z.Pos()); c != 11 {
		t.Errorf("z UTF-16 column = %d, want 11", c)
	}
	if len(f.Comments) != 2 || f.Comments[1].Text != "# noqa: TD101" {
		t.Errorf("comments = %+v", f.Comments)
	}
}
