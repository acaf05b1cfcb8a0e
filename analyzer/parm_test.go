package analyzer_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// TestParameterExpressions: a .parm row whose mode has the 0x10 bit holds
// a Python expression TD evaluates on its main thread. One that does not
// parse is TD001 at its own line and column of the .parm file (the end
// of `(r := 1) +`, where CPython puts it); what an
// expression calls runs on the main thread (helpers.wait's sleep is
// TD201). Rows without the bit (0, 32) are values, not Python.
func TestParameterExpressions(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string][]byte{
		"label.n": []byte("TOP:text\n"),
		"label.parm": []byte("?\n" +
			"text 17 \"\" parent().par.Title\n" +
			"fontsize 49 10 \"parent().par.Size or 10\"\n" +
			"y 32 200\n" +
			"x 0 =not python\n" +
			"bgcolorr 49 0 \"(r := 1) +\"\n" +
			"bgcolorg 17 0 mod.helpers.wait()\n"),
		"helpers.n":    []byte("DAT:text\n"),
		"helpers.text": datText("import time\n\ndef wait():\n    time.sleep(1)\n    return 0\n"),
	})
	res := analyzer.Run(loadedInputs(t, root), rules.All(), analyzer.Options{})
	var got []string
	for _, d := range res.Diagnostics {
		p := analyzer.Location(d.Range.File, d.Range.Start)
		name := d.Range.File.Name[strings.LastIndex(d.Range.File.Name, "/")+1:]
		got = append(got, name+":"+strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Column)+" "+d.Analyzer.Code)
	}
	// The wait is reported where it is, and at the parameter whose
	// expression reaches it (that is what to change).
	want := []string{"helpers.text:5:5 TD201", "label.parm:6:26 TD001", "label.parm:7:15 TD201"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
}

func loadedInputs(t *testing.T, paths ...string) []analyzer.Input {
	t.Helper()
	inputs, errs := analyzer.Load(paths, nil, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return inputs
}
