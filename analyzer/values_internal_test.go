package analyzer

import (
	"slices"
	"testing"
)

// Parameters carry what a rule can use: TD objects, functions, modules,
// extension instances and tracked library objects. A plain value read off
// a TD object on the main thread (a parameter's eval(), an OP's name) is
// not carried: it is Python data, and carrying it re-analysed every
// function it reached, round after round, for nothing a rule reads.
func TestParametersCarryTDObjectsNotPlainValues(t *testing.T) {
	src := `import threading

def work(comp, url, name):
    return comp, url, name

def start():
    threading.Thread(target=work, args=(op('geo1'), op('geo1').par.Url.eval(), op('geo1').name)).start()
`
	p := programOf(DefaultTables(), src)
	work := functionNamed(t, p, "work")
	got := map[string][]string{}
	for _, name := range []string{"comp", "url", "name"} {
		got[name] = p.params[work.scope.names.get(name)]
	}
	if !slices.Equal(got["comp"], []string{"td.op(geo1)"}) {
		t.Errorf("comp holds %q, want the OP", got["comp"])
	}
	if len(got["url"]) != 0 || len(got["name"]) != 0 {
		t.Errorf("url holds %q and name %q: plain values should not be carried", got["url"], got["name"])
	}
}

// programOf builds the program of one file of source, with tables.
func programOf(tables *Tables, src string) *Program {
	return BuildProgramWith(Parse([]Input{{Name: "a.py", Src: []byte(src)}}, Options{}), tables)
}

// functionNamed returns p's function of that name, failing t without one.
func functionNamed(t *testing.T, p *Program, name string) *Function {
	t.Helper()
	for _, fn := range p.Functions {
		if fn.Name == name {
			return fn
		}
	}
	t.Fatalf("no function %s", name)
	return nil
}
