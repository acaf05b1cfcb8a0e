package pyparse

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// versionCases are what the grammars of 3.9, 3.10 and 3.11 disagree on:
// match (3.10), := in a subscript (3.10), except* and starred subscripts
// and annotations (3.11), and their neighbours that every version takes
// (parenthesised context managers are 3.10's officially, but 3.9's PEG
// parser already accepts them).
var versionCases = []string{
	"match x:\n    case 1:\n        pass\n",
	"match x:\n    case [1, *rest]: pass\n",
	"match = 1\nmatch(x)\n",
	"match x\n",
	"case = 1\n_ = 2\n",
	"with (open(a) as f, open(b) as g):\n    pass\n",
	"with (open(a) as f):\n    pass\n",
	"with (\n    open(a) as f,\n    open(b) as g,\n):\n    pass\n",
	"with (a, b):\n    pass\n",
	"async def f():\n    async with (a as b, c as d):\n        pass\n",
	"try:\n    pass\nexcept* ValueError:\n    pass\n",
	"try:\n    pass\nexcept *ValueError:\n    pass\n",
	"try:\n    pass\nexcept ValueError:\n    pass\n",
	"def f(*args: *Ts): pass\n",
	"def f(*args: *tuple[int, ...], **kw): pass\n",
	"def f(*args: int): pass\n",
	"x[*a]\n",
	"x[*a, b]\n",
	"x[*a] = 1\n",
	"x[*a:b]\n",
	"x[1:2, *a]\n",
	"x[a:=1]\n",
	"x[a:=1, b]\n",
	"x[a:=1:2]\n",
	"x[a:=1, *b]\n",
	"x[(a:=1)]\n",
	"x[a, b:c]\n",
	"f(a:=1)\n",
	"{y := 1, 2}\n",
	"for x in *a, *b:\n    pass\n",
	"def f():\n    return *a, *b\n",
	"print(f'{x=}')\n",
}

// cpythonVerdict parses each case with python's own parser: "ok" or
// "message (line L, col C)" with C 0-based.
const cpythonVerdict = `
import ast, json, sys
for line in sys.stdin:
    src = json.loads(line)
    try:
        compile(src, "t.py", "exec", ast.PyCF_ONLY_AST)
        print("ok")
    except SyntaxError as e:
        print("%s (line %d, col %d)" % (e.msg, e.lineno, (e.offset or 1) - 1))
    sys.stdout.flush()
`

func ourVerdict(src string, v Version) string {
	f := ParseFile("t.py", []byte(src), Config{Version: v})
	if len(f.Errors) == 0 {
		return "ok"
	}
	e := f.Errors[0]
	return fmt.Sprintf("%s (line %d, col %d)", e.Msg, e.Line, e.Col)
}

// TestVersionGatingMatchesCPython checks each grammar against the CPython
// of its version (pyenv's or pythonX.Y on PATH): the same cases accepted,
// the same message at the same place for the others.
func TestVersionGatingMatchesCPython(t *testing.T) {
	t.Parallel()
	for _, v := range []Version{Py39, Py310, Py311} {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			python := findPython(v)
			if python == "" {
				t.Skipf("no CPython %s found (pyenv or python%s on PATH): cannot compare its grammar", v, v)
			}
			var in strings.Builder
			for _, c := range versionCases {
				b, _ := json.Marshal(c)
				in.Write(append(b, '\n'))
			}
			cmd := exec.CommandContext(context.Background(), python, "-c", cpythonVerdict)
			cmd.Stdin = strings.NewReader(in.String())
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", python, err)
			}
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			for i, c := range versionCases {
				if !sc.Scan() {
					t.Fatalf("CPython %s answered %d of %d cases", v, i, len(versionCases))
				}
				if got, want := ourVerdict(c, v), sc.Text(); got != want {
					t.Errorf("%q on %s:\n  ours:    %s\n  CPython: %s", c, v, got, want)
				}
			}
		})
	}
}

// Without an interpreter the gating is still pinned: what each version
// rejects, as CPython 3.9.18, 3.10.13 and 3.11.7 report it.
func TestVersionGatingGoldens(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src  string
		v    Version
		want string
	}{
		{"match x:\n    case 1:\n        pass\n", Py39, "invalid syntax (line 1, col 6)"},
		{"match x:\n    case 1:\n        pass\n", Py310, "ok"},
		{"with (open(a) as f, open(b) as g):\n    pass\n", Py39, "ok"},
		{"try:\n    pass\nexcept* ValueError:\n    pass\n", Py310, "invalid syntax (line 3, col 6)"},
		{"try:\n    pass\nexcept* ValueError:\n    pass\n", Py311, "ok"},
		{"def f(*args: *Ts): pass\n", Py310, "invalid syntax (line 1, col 13)"},
		{"x[*a]\n", Py39, "invalid syntax (line 1, col 4)"},
		{"x[*a]\n", Py310, "invalid syntax (line 1, col 2)"},
		{"x[a:=1]\n", Py39, "invalid syntax (line 1, col 3)"},
		{"x[a:=1]\n", Py310, "ok"},
	} {
		if got := ourVerdict(c.src, c.v); got != c.want {
			t.Errorf("%q on %s: %s, want %s", c.src, c.v, got, c.want)
		}
	}
}
