package analyzer_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// writeFile writes one file under dir.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fileFindings lists "file:line code" of a run, sorted.
func fileFindings(res *analyzer.Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, filepath.Base(d.Range.File.Name)+":"+strconv.Itoa(d.Range.File.AST.Position(d.Range.Start).Line)+" "+d.Analyzer.Code)
	}
	slices.Sort(out)
	return out
}

// An Execute DAT whose file parameter names scripts/<its name>.py runs
// that file: linted from the project's folder, the .py is linted once,
// as the DAT (its functions are main-thread callbacks because the DAT is
// an Execute DAT), at its own lines; the tree's copy, which differs, is
// TD002 there, and not linted itself.
func TestSyncedDATIsItsFile(t *testing.T) {
	t.Parallel()
	py := "import time\n\ndef slow():\n    time.sleep(1)\n\nHANDLERS = {'slow': slow}\n"
	root := writeTree(t, map[string][]byte{
		"exec1.n":    []byte("DAT:execute\nend\n"),
		"exec1.parm": []byte("?\nfile 48 \"\" f'scripts/{me.name}.py'\nloadonstart 0 on\nlanguage 0 python\n?\n"),
		"exec1.text": datText("import time\n\ndef slow():\n    time.sleep(2)\n"),
	})
	project := filepath.Dir(root)
	writeFile(t, project, "scripts/exec1.py", py)
	inputs, errs := analyzer.Load([]string{project}, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var names []string
	for _, in := range inputs {
		if strings.HasSuffix(in.OpPath, "#parameters") {
			continue // the file parameter's expression, linted as one
		}
		names = append(names, filepath.Base(in.Name)+" "+in.OpPath+" "+in.CallbacksOf)
	}
	if want := []string{"exec1.py /project1/exec1 DAT:execute"}; !slices.Equal(names, want) {
		t.Fatalf("inputs %q, want %q", names, want)
	}
	got := fileFindings(analyzer.Run(inputs, rules.All(), analyzer.Options{}))
	if want := []string{"exec1.py:4 TD002", "exec1.py:4 TD201"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	// Once the copy matches the file, the drift is gone.
	writeFile(t, root, "project1/exec1.text", string(datText(py)))
	inputs, _ = analyzer.Load([]string{project}, nil, "")
	if got := fileFindings(analyzer.Run(inputs, rules.All(), analyzer.Options{})); !slices.Equal(got, []string{"exec1.py:4 TD201"}) {
		t.Errorf("with a matching copy: findings %v, want only TD201", got)
	}
}

// The file parameter's forms: a constant, concatenation with me.name,
// an f-string with me.parent().name; one tdlint cannot evaluate, or a DAT
// that neither syncs nor loads on start, keeps its own text. A synced DAT
// with no copy in the tree is its file too.
func TestSyncedFileParameterForms(t *testing.T) {
	t.Parallel()
	body := datText("x = 1\n")
	root := writeTree(t, map[string][]byte{
		"const.n": []byte("DAT:text\nend\n"), "const.text": body,
		"const.parm":  []byte("?\nfile 0 scripts/c.py\nsyncfile 0 on\n?\n"),
		"concat.n":    []byte("DAT:text\nend\n"),
		"concat.text": body,
		"concat.parm": []byte("?\nfile 48 \"\" 'scripts/' + me.name + '.py'\nsyncfile 0 on\n?\n"),
		"comp/fstr.n": []byte("DAT:text\nend\n"), "comp/fstr.text": body,
		"comp/fstr.parm": []byte("?\nfile 48 \"\" f\"scripts/{me.parent().name}_{me.name}.py\"\nloadonstart 0 on\n?\n"),
		"dyn.n":          []byte("DAT:text\nend\n"), "dyn.text": body,
		"dyn.parm": []byte("?\nfile 48 \"\" me.parent().par.Folder + '/dyn.py'\nsyncfile 0 on\n?\n"),
		"off.n":    []byte("DAT:text\nend\n"), "off.text": body,
		"off.parm":   []byte("?\nfile 0 scripts/off.py\n?\n"),
		"bare.n":     []byte("DAT:chopexec\nend\n"),
		"bare.parm":  []byte("?\nfile 0 scripts/bare.py\nsyncfile 0 on\n?\n"),
		"other.n":    []byte("DAT:text\nend\n"),
		"other.parm": []byte("?\nfile 0 scripts/missing.py\nsyncfile 0 on\n?\n"),
		"other.text": body,
	})
	project := filepath.Dir(root)
	for _, name := range []string{"c", "concat", "comp_fstr", "dyn", "off", "bare"} {
		writeFile(t, project, "scripts/"+name+".py", "x = 2\n")
	}
	got := loaded(t, root)
	for op, want := range map[string]string{
		"/project1/const": "c.py", "/project1/concat": "concat.py", "/project1/comp/fstr": "comp_fstr.py",
		"/project1/dyn": "dyn.text", "/project1/off": "off.text", "/project1/bare": "bare.py", "/project1/other": "other.text",
	} {
		if in, ok := got[op]; !ok || filepath.Base(in.Name) != want {
			t.Errorf("%s is %q, want %s", op, in.Name, want)
		}
	}
	if got["/project1/bare"].CallbacksOf != "DAT:chopexec" || got["/project1/bare"].Embedded != nil {
		t.Errorf("bare: CallbacksOf %q, Embedded %v", got["/project1/bare"].CallbacksOf, got["/project1/bare"].Embedded)
	}
}

// A COMP's extension parameter makes the class it builds an extension
// (its methods run on the main thread) whatever its __init__ is called
// with; a Script CHOP's callbacks parameter makes the DAT it names a
// callbacks DAT. Without those parameters, the same DATs are neither.
func TestParametersGiveThreadContext(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"comp.n":           []byte("COMP:base\nend\n"),
		"comp/Loader.n":    []byte("DAT:text\nend\n"),
		"comp/Loader.text": datText("import time\n\nclass Loader:\n    def __init__(self, owner):\n        self.owner = owner\n\n    def Load(self):\n        time.sleep(1)\n"),
		"script1.n":        []byte("CHOP:script\nend\n"),
		"cooks.n":          []byte("DAT:text\nend\n"),
		"cooks.parm":       []byte("?\nlanguage 0 text\n?\n"),
		"cooks.text":       datText("import time\n\ndef slowCook(scriptOp):\n    time.sleep(1)\n\nHANDLERS = {'cook': slowCook}\n"),
	}
	run := func() []string {
		root := writeTree(t, files)
		inputs, errs := analyzer.Load([]string{root}, nil, "")
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return fileFindings(analyzer.Run(inputs, rules.All(), analyzer.Options{Select: []string{"TD201"}}))
	}
	if got := run(); len(got) != 0 {
		t.Fatalf("without the parameters: %v, want nothing", got)
	}
	files["comp.parm"] = []byte("?\nextension0 0 \"op('./Loader').module.Loader(me)\"\n?\n")
	files["script1.parm"] = []byte("?\ncallbacks 0 cooks\n?\n")
	if got, want := run(), []string{"Loader.text:8 TD201", "cooks.text:4 TD201"}; !slices.Equal(got, want) {
		t.Errorf("with the parameters: %v, want %v", got, want)
	}
	// The expression forms: mod() and op() in an expression row.
	files["comp.parm"] = []byte("?\nextension0 17 \"\" mod('Loader').Loader(me)\n?\n")
	files["script1.parm"] = []byte("?\ncallbacks 17 \"\" op('cooks')\n?\n")
	files["comp/Loader.text"] = datText("import time\n\nclass Loader:\n    def Load(self):\n        time.sleep(1)\n")
	if got := run(); len(got) != 1 || got[0] != "cooks.text:4 TD201" {
		// mod('Loader') from the COMP names its sibling, not its child.
		t.Errorf("expression forms: %v, want only cooks.text:4 TD201", got)
	}
	files["comp.parm"] = []byte("?\nextension0 17 \"\" mod('./Loader').Loader(me)\n?\n")
	if got, want := run(), []string{"Loader.text:5 TD201", "cooks.text:4 TD201"}; !slices.Equal(got, want) {
		t.Errorf("mod('./Loader'): %v, want %v", got, want)
	}
}

// Two DATs synced to one file (rootnotez/td-snapshot's copy_btn and
// inspect_btn each have a parexec1 with file f'scripts/{me.name}.py')
// lint it once, as the first; the file named under another spelling of
// its path (a link here, a different case on Windows) is the same file.
func TestSyncedFileLintedOnce(t *testing.T) {
	t.Parallel()
	parm := []byte("?\nfile 48 \"\" f'scripts/{me.name}.py'\nloadonstart 0 on\n?\n")
	root := writeTree(t, map[string][]byte{
		"copy_btn/parexec1.n":       []byte("DAT:parexec\nend\n"),
		"copy_btn/parexec1.parm":    parm,
		"inspect_btn/parexec1.n":    []byte("DAT:parexec\nend\n"),
		"inspect_btn/parexec1.parm": parm,
		"inspect_btn/parexec1.text": datText("def onPulse(par):\n    return\n"),
	})
	project := filepath.Dir(root)
	writeFile(t, project, "scripts/parexec1.py", "def onPulse(par):\n    return\n")
	if err := os.Symlink("scripts", filepath.Join(project, "Scripts")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	inputs, errs := analyzer.Load([]string{filepath.Join(project, "Scripts", "parexec1.py"), root}, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, in := range inputs {
		if !strings.HasSuffix(in.OpPath, "#parameters") {
			got = append(got, filepath.Base(in.Name)+" "+in.OpPath)
		}
	}
	// The copy of inspect_btn/parexec1 matches; copy_btn's has none.
	if want := []string{"parexec1.py /project1/copy_btn/parexec1"}; !slices.Equal(got, want) {
		t.Errorf("inputs %q, want %q", got, want)
	}
}
