package analyzer_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// panicky crashes on one file only, to show that a crash stays in its file.
var panicky = &analyzer.Analyzer{
	Code: "TD990", Name: "panicky", Summary: "test rule", Severity: analyzer.SeverityWarning,
	Run: func(pass *analyzer.Pass) error {
		if strings.Contains(pass.File.Name, "boom") {
			panic("rule bug")
		}
		pass.Reportf(0, 1, "checked %s", pass.File.Name)
		return nil
	},
}

func TestPanicInOneFileIsAnInternalErrorForThatFile(t *testing.T) {
	t.Parallel()
	inputs := []analyzer.Input{
		{Name: "a.py", Src: []byte("x = 1\n")},
		{Name: "boom.py", Src: []byte("y = 2\n")},
		{Name: "c.py", Src: []byte("z = 3\n")},
	}
	res := analyzer.Run(inputs, []*analyzer.Analyzer{panicky}, analyzer.Options{})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Range.File.Name+" "+d.Analyzer.Code)
	}
	want := "a.py TD990, boom.py TD999, c.py TD990"
	if strings.Join(got, ", ") != want {
		t.Fatalf("diagnostics = %v, want %s", got, want)
	}
	for _, d := range res.Diagnostics {
		if d.Analyzer == analyzer.InternalErrorAnalyzer && !strings.Contains(d.Message, "rule bug") {
			t.Errorf("internal error does not say what failed: %q", d.Message)
		}
	}
}

func TestLoadReportsUnreadablePathsAndLoadsTheRest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.py"), []byte("x = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "__pycache__"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "__pycache__", "skip.py"), []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.py")
	inputs, errs := analyzer.Load([]string{dir, missing}, strings.NewReader(""), "")
	if len(inputs) != 1 || !strings.HasSuffix(inputs[0].Name, "ok.py") {
		t.Errorf("inputs = %+v, want just ok.py", inputs)
	}
	var le *analyzer.LoadError
	if len(errs) != 1 || !errors.As(errs[0], &le) || le.Path != missing || !errors.Is(errs[0], os.ErrNotExist) {
		t.Errorf("errors = %v, want one LoadError for %s", errs, missing)
	}
}

func TestSuppressionForms(t *testing.T) {
	t.Parallel()
	src := "import time\n" +
		"def onFrameStart(frame):\n" +
		"    op('x')\n" +
		"    time.sleep(1)  # noqa: TD201\n" +
		"    time.sleep(2)  # noqa\n" +
		"    time.sleep(3)  # tdlint: ignore[blocking-call-on-main-thread]\n" +
		"    time.sleep(4)  # noqa: TD1\n" +
		"    time.sleep(5)\n" +
		"    time.sleep(6)  # tdlint: ignore[TD101 blocking-call-on-main-thread]\n"
	blocking := findRule(t, "TD201")
	res := analyzer.Run([]analyzer.Input{{Name: "cb.py", Src: []byte(src)}}, []*analyzer.Analyzer{blocking}, analyzer.Options{})
	var lines []int
	for _, d := range res.Diagnostics {
		if d.Analyzer == blocking {
			lines = append(lines, analyzer.Location(d.Range.File, d.Range.Start).Line)
		}
	}
	if len(lines) != 2 || lines[0] != 7 || lines[1] != 8 {
		t.Errorf("unsuppressed TD201 lines = %v, want [7 8]", lines)
	}
	fileLevel := "# tdlint: noqa\n" + src
	res = analyzer.Run([]analyzer.Input{{Name: "cb.py", Src: []byte(fileLevel)}}, []*analyzer.Analyzer{blocking}, analyzer.Options{})
	for _, d := range res.Diagnostics {
		if d.Analyzer == blocking {
			t.Errorf("file-level noqa left %s", d.Message)
		}
	}
}

func TestSyntaxErrorIsADiagnosticAndTheFileStillLints(t *testing.T) {
	t.Parallel()
	src := "def onFrameStart(frame):\n    op('x').cook(\n\ndef later():\n    pass\n"
	res := analyzer.Run([]analyzer.Input{{Name: "bad.py", Src: []byte(src)}}, nil, analyzer.Options{Version: pyparse.Py311})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Analyzer != analyzer.SyntaxErrorAnalyzer {
		t.Fatalf("diagnostics = %+v", res.Diagnostics)
	}
	if !strings.Contains(res.Diagnostics[0].Message, "'(' was never closed") {
		t.Errorf("message = %q", res.Diagnostics[0].Message)
	}
}

// findRule gets a rule without importing package rules (which imports
// analyzer): it is built the same way from the driver's point of view.
func findRule(t *testing.T, code string) *analyzer.Analyzer {
	t.Helper()
	return &analyzer.Analyzer{
		Code: code, Name: "blocking-call-on-main-thread", Severity: analyzer.SeverityError,
		Run: func(pass *analyzer.Pass) error {
			for _, fn := range pass.Program.FunctionsIn(pass.File) {
				if fn.Context&analyzer.MainThread == 0 {
					continue
				}
				analyzer.WalkOwn(fn, func(n pyparse.Node) bool {
					if c, ok := n.(*pyparse.Call); ok && analyzer.TypeName(pass.Program.Qualify(fn, c.Func)) == "time.sleep" {
						pass.Reportf(c.Pos(), c.End(), "sleep")
					}
					return true
				})
			}
			return nil
		},
	}
}

func TestLoadRespectsGitignore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, text := range map[string]string{
		".gitignore":            "build/\n*_generated.py\n/top_only.py\n!keep_generated.py\n",
		"a.py":                  "x = 1\n",
		"top_only.py":           "x = 1\n",
		"build/out.py":          "x = 1\n",
		"pkg/ops_generated.py":  "x = 1\n",
		"pkg/keep_generated.py": "x = 1\n",
		"pkg/top_only.py":       "x = 1\n",
		"pkg/.gitignore":        "local.py\n",
		"pkg/local.py":          "x = 1\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inputs, errs := analyzer.Load([]string{dir}, strings.NewReader(""), "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.DiskPath)
		got = append(got, filepath.ToSlash(rel))
	}
	want := "a.py pkg/keep_generated.py pkg/top_only.py"
	if strings.Join(got, " ") != want {
		t.Errorf("loaded %v, want %s", got, want)
	}
}

// A program-wide index a rule needs is built once, however many files
// (run in parallel) ask for it: rebuilding it per file made a 9,600-file
// project take minutes instead of seconds.
func TestMemoComputesOnce(t *testing.T) {
	t.Parallel()
	var inputs []analyzer.Input
	for i := range 50 {
		inputs = append(inputs, analyzer.Input{Name: fmt.Sprintf("f%d.py", i), Src: []byte("x = 1\n")})
	}
	var calls atomic.Int32
	counting := &analyzer.Analyzer{
		Code: "TD991", Name: "counting", Severity: analyzer.SeverityInfo,
		Run: func(pass *analyzer.Pass) error {
			pass.Program.Memo("index", func() any { calls.Add(1); return 42 })
			return nil
		},
	}
	analyzer.Run(inputs, []*analyzer.Analyzer{counting}, analyzer.Options{Jobs: 4})
	if n := calls.Load(); n != 1 {
		t.Errorf("index built %d times, want once", n)
	}
}
