package analyzer

import (
	"strings"
	"testing"
)

// TestPanicWhileBuildingOneFileStaysInIt makes the scope builder crash on
// one file (the builder runs files on worker goroutines, where a panic
// would end the process): that file gets an internal error and no rule
// findings, and the files around it are linted as usual.
func TestPanicWhileBuildingOneFileStaysInIt(t *testing.T) {
	testHookCollect = func(f *SourceFile) {
		if f.Name == "boom.py" {
			panic("scope bug")
		}
	}
	defer func() { testHookCollect = nil }()
	everyModule := &Analyzer{
		Code: "TD991", Name: "every-module", Summary: "test rule", Severity: SeverityWarning,
		Run: func(pass *Pass) error {
			if pass.Program.Module(pass.File) != nil {
				pass.Report(Diagnostic{Range: Range{File: pass.File}, Analyzer: pass.Analyzer, Message: "module"})
			}
			return nil
		},
	}
	inputs := []Input{
		{Name: "a.py", Src: []byte("x = 1\n")},
		{Name: "boom.py", Src: []byte("y = 2\n")},
		{Name: "c.py", Src: []byte("z = 3\n")},
	}
	res := Run(inputs, []*Analyzer{everyModule}, Options{})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Range.File.Name+" "+d.Analyzer.Code)
		if d.Analyzer == InternalErrorAnalyzer && !strings.Contains(d.Message, "scope bug") {
			t.Errorf("the internal error does not say what failed: %q", d.Message)
		}
	}
	if want := "a.py TD991, boom.py TD999, c.py TD991"; strings.Join(got, ", ") != want {
		t.Fatalf("diagnostics = %v, want %s", got, want)
	}
}
