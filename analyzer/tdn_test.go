package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
		if in.NoFix == "" {
			t.Errorf("%s: fixes would be written into a .tdn file", in.OpPath)
		}
	}
	if v := inputs[0].Python; v != pyparse.Py39 {
		t.Errorf("legacy.tdn parsed as %s, want 3.9 (td_build 2022)", v)
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
