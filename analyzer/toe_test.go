package analyzer_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/rules"
)

// datText is a .text file as toeexpand writes it: "2\n*", six u32s
// ending in the body's length, the body.
func datText(body string) []byte {
	b := []byte("2\n*")
	for _, v := range []uint32{1, 1, 1, 1, 2, uint32(len(body))} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return append(b, body...)
}

// writeTree writes files under dir/<tree>.toe.dir/project1.
func writeTree(t *testing.T, files map[string][]byte) (root string) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "show.toe.dir")
	for name, data := range files {
		p := filepath.Join(root, "project1", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func loaded(t *testing.T, paths ...string) map[string]analyzer.Input {
	t.Helper()
	inputs, errs := analyzer.Load(paths, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	out := make(map[string]analyzer.Input)
	for i := range inputs {
		out[inputs[i].OpPath] = inputs[i]
	}
	return out
}

func codes(res *analyzer.Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, d.Range.File.OpPath+" "+d.Analyzer.Code)
	}
	return out
}

// TD 2025.30280+ saves an untouched Text DAT as 19 bytes with no body
// (rootnotez/td-snapshot FORMAT.md): an empty text, not a syntax error.
func TestDATShortFormIsEmpty(t *testing.T) {
	t.Parallel()
	short := []byte{'2', '\n', '*', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	root := writeTree(t, map[string][]byte{"set_message.n": []byte("DAT:text\nend\n"), "set_message.text": short})
	in := loaded(t, root)["/project1/set_message"]
	if in.Name == "" || len(in.Src) != 0 {
		t.Fatalf("short form loaded as %q (input %q)", in.Src, in.Name)
	}
	if got := codes(analyzer.Run([]analyzer.Input{in}, rules.All(), analyzer.Options{})); len(got) != 0 {
		t.Errorf("findings %v, want none", got)
	}
}

// A .text with no .n beside it is no operator toeexpand wrote, and a
// Text DAT whose language is not Python is not code: each is Python only
// when code in the tree reaches it as a module.
func TestDATWithoutNodeFile(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string][]byte{
		"shader.text":  datText("uniform float uTime;\nout vec4 fragColor;\n"),
		"helpers.text": datText("def go():\n    return 1\n"),
		"button.n":     []byte("DAT:panelexec\nend\n"),
		"button.text":  datText("def onOffToOn(panelValue):\n    mod.helpers.go()\n    return mod(op('core')).snap()\n"),
		"core.n":       []byte("DAT:text\nend\n"),
		"core.parm":    []byte("?\nlanguage 0 text\n?\n"),
		"core.text":    datText("def snap():\n    return 1\n"),
		"glsl.n":       []byte("DAT:text\nend\n"),
		"glsl.parm":    []byte("language 0 glsl\n"),
		"glsl.text":    datText("out vec4 fragColor;\n"),
	})
	got := loaded(t, root)
	if _, ok := got["/project1/shader"]; ok {
		t.Error("a .text with no .n, referred to by nothing, was linted")
	}
	if _, ok := got["/project1/helpers"]; !ok {
		t.Error("a .text with no .n that mod.helpers reaches was not linted")
	}
	if _, ok := got["/project1/core"]; !ok {
		t.Error("a Text DAT of language text that mod(op('core')) reaches was not linted")
	}
	if _, ok := got["/project1/glsl"]; ok {
		t.Error("a GLSL Text DAT nothing imports was linted")
	}
	if _, ok := got["/project1/button"]; !ok {
		t.Error("the panelexec DAT was not linted")
	}
	// Named alone (pre-commit passes staged files), it is still no Python.
	shader := filepath.Join(root, "project1", "shader.text")
	if _, ok := loaded(t, shader)["/project1/shader"]; ok {
		t.Error("a .text with no .n named on the command line was linted")
	}
}

// toeexpand writes the second of two case-colliding siblings' node file
// as name.n.2; it still says what the DAT is.
func TestDATNodeFileWithCollisionSuffix(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string][]byte{
		"Image.n":    []byte("TOP:moviefilein\nend\n"),
		"image.n.2":  []byte("DAT:execute\nend\n"),
		"image.text": datText("def onFrameStart(frame):\n    return\n"),
	})
	in := loaded(t, root)["/project1/image"]
	if in.CallbacksOf != "DAT:execute" {
		t.Errorf("CallbacksOf = %q, want DAT:execute", in.CallbacksOf)
	}
}

// A callbacks DAT's functions are main-thread callbacks because of what
// the DAT is: a blocking call in one TD reaches through a table of
// handlers is TD201 in a CHOP Execute DAT, not in a plain Text DAT.
func TestCallbacksDATByType(t *testing.T) {
	t.Parallel()
	body := "import time\n\ndef whileOnSlow(channel, sampleIndex, val, prev):\n    time.sleep(1)\n\nHANDLERS = {'slow': whileOnSlow}\n"
	root := writeTree(t, map[string][]byte{
		"chopexec1.n":    []byte("DAT:chopexec\nend\n"),
		"chopexec1.text": datText(body),
		"notes.n":        []byte("DAT:text\nend\n"),
		"notes.text":     datText(body),
		"webcb.n":        []byte("DAT:text\ndock webserver1\nend\n"),
		"webcb.text":     datText(body),
	})
	in := loaded(t, root)
	if in["/project1/chopexec1"].CallbacksOf != "DAT:chopexec" || in["/project1/webcb"].CallbacksOf != "docked to webserver1" || in["/project1/notes"].CallbacksOf != "" {
		t.Fatalf("CallbacksOf: %q %q %q", in["/project1/chopexec1"].CallbacksOf, in["/project1/webcb"].CallbacksOf, in["/project1/notes"].CallbacksOf)
	}
	var inputs []analyzer.Input
	for _, op := range []string{"/project1/chopexec1", "/project1/notes", "/project1/webcb"} {
		inputs = append(inputs, in[op])
	}
	got := codes(analyzer.Run(inputs, rules.All(), analyzer.Options{Select: []string{"TD201"}}))
	want := []string{"/project1/chopexec1 TD201", "/project1/webcb TD201"}
	slices.Sort(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("findings %v, want %v", got, want)
	}
}

// A tree saved by TouchDesigner 2022 runs Python 3.9: with no version
// asked for, its DATs are parsed as 3.9, a 2023 tree's as 3.11.
func TestTreeBuildChoosesGrammar(t *testing.T) {
	t.Parallel()
	src := datText("match cmd:\n    case 'go':\n        pass\n")
	for _, c := range []struct {
		build   string
		version string // --python
		want    []string
	}{
		{"version 099\nbuild 2022.35320\n", "", []string{"/project1/cb TD001"}},
		{"version 099\nbuild 2023.12480\n", "", nil},
		{"version 099\nbuild 2022.35320\n", "3.11", nil},
		{"", "", nil},
	} {
		files := map[string][]byte{"cb.n": []byte("DAT:text\nend\n"), "cb.text": src}
		root := writeTree(t, files)
		if c.build != "" {
			if err := os.WriteFile(filepath.Join(root, ".build"), []byte(c.build), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var opts analyzer.Options
		if c.version != "" {
			opts.Version, _ = pyparse.ParseVersion(c.version)
		}
		inputs, _ := analyzer.Load([]string{root}, nil, "")
		if got := codes(analyzer.Run(inputs, rules.All(), opts)); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q with --python %q: %v, want %v", c.build, c.version, got, c.want)
		}
	}
	if analyzer.TDBuildPython("2025.31550") != pyparse.Py311 || analyzer.TDBuildPython("2021.16960") != pyparse.Py39 || analyzer.TDBuildPython("x") != 0 {
		t.Error("TDBuildPython maps builds wrongly")
	}
}

// TestTOCNamesItsTree: naming a toeexpand tree's .toc lints the tree (its
// lines are paths, which parsed as Python division before); a .toc whose
// tree is missing is a load error.
func TestTOCNamesItsTree(t *testing.T) {
	inputs, errs := analyzer.Load([]string{"../testdata/toe/weather.toe.toc"}, nil, "")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	byTree, _ := analyzer.Load([]string{"../testdata/toe/weather.toe.dir"}, nil, "")
	if len(inputs) == 0 || len(inputs) != len(byTree) {
		t.Fatalf("the .toc gave %d inputs, the tree %d", len(inputs), len(byTree))
	}
	for _, in := range inputs {
		if strings.HasSuffix(in.Name, ".toc") {
			t.Errorf("the .toc itself is an input: %s", in.Name)
		}
	}
	dir := t.TempDir()
	lone := filepath.Join(dir, "lone.toe.toc")
	if err := os.WriteFile(lone, []byte("project1/a.n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs := analyzer.Load([]string{lone}, nil, ""); len(errs) != 1 || !strings.Contains(errs[0].Error(), "without its tree") {
		t.Errorf("a .toc without its tree: %v", errs)
	}
}
