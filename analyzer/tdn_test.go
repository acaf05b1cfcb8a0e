package analyzer_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/rules"
)

// The sample TDN files' Python DATs load under their operator paths, the
// GLSL and table DATs do not, and findings land on the .tdn's own lines:
// in a YAML block scalar and a JSON array of lines at the character, in
// an escaped string at the string's start.
func TestTDNFiles(t *testing.T) {
	t.Parallel()
	inputs, errs := analyzer.Load([]string{filepath.Join("..", "testdata", "tdn")}, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	inputs = slices.DeleteFunc(inputs, func(in analyzer.Input) bool { return strings.HasSuffix(in.Name, "panel.tdn") }) // TestTDNParameterExpressions
	var ops []string
	for _, in := range inputs {
		ops = append(ops, in.OpPath+" "+in.CallbacksOf)
	}
	slices.Sort(ops)
	want := []string{"/project1/exec1 DAT:execute", "/project1/matcher ", "/project1/weather/parexec1 DAT:parexec", "/project1/weather/tools/chopexec1 DAT:chopexec"}
	if !slices.Equal(ops, want) {
		t.Errorf("loaded %q, want %q", ops, want)
	}
	var got []string
	for _, d := range analyzer.Run(inputs, rules.All(), analyzer.Options{}).Diagnostics {
		p := analyzer.Location(d.Range.File, d.Range.Start)
		got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(d.Range.File.Name), p.Line, p.Column, d.Analyzer.Code))
	}
	slices.Sort(got)
	// legacy.tdn is a 2022 build: Python 3.9 has no match statement.
	wantFindings := []string{"legacy.tdn:13:10 TD201", "legacy.tdn:20:19 TD001", "weather.tdn:19:9 TD201", "weather.tdn:41:18 TD201"}
	if !slices.Equal(got, wantFindings) {
		t.Errorf("findings %q, want %q", got, wantFindings)
	}
	for _, in := range inputs {
		// Block scalars, double-quoted strings and arrays of them all
		// take fixes (see TestTDNFix).
		if in.NoFix != "" {
			t.Errorf("%s: no fix would be written: %s", in.OpPath, in.NoFix)
		}
	}
	if v := inputs[0].Python; v != pyparse.Py39 {
		t.Errorf("legacy.tdn parsed as %s, want 3.9 (td_build 2022)", v)
	}
}

// Parameter expressions of a TDN file ("=expr", "~bind", v1.0's {expr:})
// in parameters, type_defaults, custom_pars values and sequences are
// Python run on the main thread: each that does not parse is a TD001 at
// its own place in the .tdn, and what they call is the main thread's
// (helpers' TD201). "==" and "~~" constants are not expressions.
func TestTDNParameterExpressions(t *testing.T) {
	t.Parallel()
	inputs, errs := analyzer.Load([]string{filepath.Join("..", "testdata", "tdn", "panel.tdn")}, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, d := range analyzer.Run(inputs, rules.All(), analyzer.Options{}).Diagnostics {
		p := analyzer.Location(d.Range.File, d.Range.Start)
		got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column, d.Analyzer.Code))
	}
	slices.Sort(got)
	want := []string{
		"14:12 TD201", // text: =mod.helpers.fetch(), an expression that waits
		"15:51 TD001", // "=... else": at the closing quote
		"18:33 TD001", // a bind, ~op('ctrl').par.
		"20:28 TD001", // v1.0's expr mapping
		"25:30 TD001", // custom_pars value
		"28:35 TD001", // custom_pars values
		"35:16 TD201", // in helpers, which label's text parameter calls
		"41:19 TD001", // sequences block
		"9:38 TD001",  // type_defaults
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// A .tdn that is not a TDN document holds no DAT, and is never read as
// Python; one YAML cannot read is a load error.
func TestTDNNotTDN(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := filepath.Join(dir, "x.tdn")
	if err := os.WriteFile(other, []byte("import os\nx = [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "y.tdn")
	if err := os.WriteFile(broken, []byte("format: tdn\noperators: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inputs, errs := analyzer.Load([]string{other, broken}, nil, "")
	if len(inputs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "y.tdn") {
		t.Errorf("inputs %d, errs %v", len(inputs), errs)
	}
}

const fixYAML = `format: tdn
version: '2.0'
td_build: '2025.32050'
network_path: /project1
operators:
- name: exec1
  type: executeDAT
  parameters:
    active: true
  dat_content: |
    def onFrameStart(frame):
        run(tick, delayMilliseconds=5)  # noqa: TD201
        return

    def tick():
        pass
  dat_content_format: text
- name: helper
  type: textDAT
  dat_content: "run('print(1)', delayframes=1)\n"
  dat_content_format: text
`

const fixJSON = "{\n\t\"format\": \"tdn\",\n\t\"version\": \"1.5\",\n\t\"network_path\": \"/legacy\",\n\t\"operators\": [\n\t\t{\n\t\t\t\"name\": \"text1\",\n\t\t\t\"type\": \"textDAT\",\n\t\t\t\"dat_content\": [\n\t\t\t\t\"def later(f):\",\n\t\t\t\t\"\\trun(f, delayMilliseconds=5, fromOp=me)\"\n\t\t\t],\n\t\t\t\"dat_content_format\": \"text\"\n\t\t}\n\t]\n}\n"

// --fix on TDN files: the fixed Python goes back into each dat_content
// (a YAML block scalar, a YAML double-quoted string, a JSON array of
// lines), the DATs of one file in one write, and the files read back, by
// a YAML reader and (the JSON one) by encoding/json as Embody's
// json-first reader does, with each DAT's text exactly the fixed text
// and nothing else changed: only the fixed lines differ.
func TestTDNFix(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{"net.tdn": fixYAML, "legacy.tdn": fixJSON}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inputs, errs := analyzer.Load([]string{dir}, nil, "")
	if len(errs) > 0 || len(inputs) != 3 {
		t.Fatalf("%d inputs, %v", len(inputs), errs)
	}
	before := analyzer.Run(inputs, rules.All(), analyzer.Options{})
	var codes []string
	for _, d := range before.Diagnostics {
		codes = append(codes, d.Analyzer.Code)
	}
	slices.Sort(codes)
	if want := []string{"TD302", "TD302", "TD302", "TD302", "TD900"}; !slices.Equal(codes, want) {
		t.Fatalf("findings %v, want %v", codes, want)
	}
	res, fixed, problems := analyzer.Fix(inputs, rules.All(), analyzer.Options{}, false)
	if len(problems) > 0 || len(res.Diagnostics) > 0 {
		t.Fatalf("problems %v, left %d findings", problems, len(res.Diagnostics))
	}
	if len(fixed) != 2 {
		t.Fatalf("%d files fixed, want 2 (one write per .tdn)", len(fixed))
	}
	// The lines each fix changes, and nothing else.
	changedLines := map[string][]int{"net.tdn": {12, 20}, "legacy.tdn": {11}}
	texts := make(map[string]string) // by operator path
	for _, ff := range fixed {
		texts[inputs[ff.Index].OpPath] = string(ff.Text)
		for _, a := range ff.Also {
			texts[inputs[a.Index].OpPath] = string(a.Text)
		}
		name := filepath.Base(ff.DiskPath)
		if string(ff.Old) != files[name] {
			t.Errorf("%s: Old is not the file", name)
		}
		oldLines, newLines := strings.Split(string(ff.Old), "\n"), strings.Split(string(ff.New), "\n")
		if len(oldLines) != len(newLines) {
			t.Fatalf("%s: %d lines, was %d", name, len(newLines), len(oldLines))
		}
		var differ []int
		for i := range oldLines {
			if oldLines[i] != newLines[i] {
				differ = append(differ, i+1)
			}
		}
		if !slices.Equal(differ, changedLines[name]) {
			t.Errorf("%s: lines %v changed, want %v\n%s", name, differ, changedLines[name], ff.New)
		}
		if err := analyzer.WriteFixed(ff); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"/project1/exec1":  "def onFrameStart(frame):\n    run(tick, delayMilliSeconds=5)\n    return\n\ndef tick():\n    pass\n",
		"/project1/helper": "run('print(1)', delayFrames=1)\n",
		"/legacy/text1":    "def later(f):\n\trun(f, delayMilliSeconds=5, fromOP=me)",
	}
	if !maps.Equal(texts, want) {
		t.Errorf("fixed texts %q, want %q", texts, want)
	}
	// Read back as Embody would: YAML, and JSON first for the JSON file.
	read := map[string]string{}
	for name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			NetworkPath string `yaml:"network_path" json:"network_path"`
			Operators   []struct {
				Name    string `yaml:"name" json:"name"`
				Content any    `yaml:"dat_content" json:"dat_content"`
			} `yaml:"operators" json:"operators"`
		}
		if name == "legacy.tdn" {
			err = json.Unmarshal(data, &doc)
		} else {
			err = yaml.Unmarshal(data, &doc)
		}
		if err != nil {
			t.Fatalf("%s does not read back: %v", name, err)
		}
		for _, op := range doc.Operators {
			text, _ := op.Content.(string)
			if lines, ok := op.Content.([]any); ok {
				var ls []string
				for _, l := range lines {
					ls = append(ls, l.(string))
				}
				text = strings.Join(ls, "\n")
			}
			read[doc.NetworkPath+"/"+op.Name] = text
		}
	}
	if !maps.Equal(read, want) {
		t.Errorf("read back %q, want %q", read, want)
	}
}
