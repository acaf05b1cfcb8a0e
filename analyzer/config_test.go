package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestClosestConfigWinsAndPyprojectNeedsItsTable(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "tdlint.toml"), "select = [\"TD1\"]\n")
	write(t, filepath.Join(root, "sub", "pyproject.toml"), "[tool.black]\nline-length = 100\n")
	write(t, filepath.Join(root, "sub", "deeper", "pyproject.toml"), "[tool.tdlint]\nignore = [\"TD201\"]\npython-version = \"3.12\"\n")

	cfg, err := analyzer.FindConfig(filepath.Join(root, "sub", "deeper"))
	if err != nil || cfg.PythonVersion != "3.12" || len(cfg.Ignore) != 1 {
		t.Fatalf("deeper: %+v, %v", cfg, err)
	}
	// sub's pyproject.toml has no [tool.tdlint]: the search goes on to root.
	cfg, err = analyzer.FindConfig(filepath.Join(root, "sub"))
	if err != nil || len(cfg.Select) != 1 || cfg.Select[0] != "TD1" {
		t.Fatalf("sub: %+v, %v", cfg, err)
	}
}

func TestUnknownConfigKeysAreErrorsNamingKeyAndFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "pyproject.toml")
	write(t, path, "[tool.tdlint]\nselect = [\"TD1\"]\nselcet = [\"TD2\"]\n[tool.tdlint.per-file-ignores]\n\"tests/*\" = [\"TD101\"]\n[tool.other]\nx = 1\n")
	_, _, err := analyzer.LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), "selcet") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want it to name selcet and %s", err, path)
	}
	bad := filepath.Join(dir, "tdlint.toml")
	write(t, bad, "python-version = \"2.7\"\n")
	if _, _, err := analyzer.LoadConfig(bad); err == nil {
		t.Fatal("python-version 2.7 accepted")
	}
}

func TestConfigExtendsTablesAndIgnoresPerFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "tdlint.toml")
	write(t, path, `blocking-calls = ["mylib.wait_for_device"]
td-globals = ["myGlobalComp"]
worker-entry-points = ["jobs.spawn:fn"]
exclude = ["vendor", "**/generated_*.py"]
[per-file-ignores]
"tests/*" = ["TD201"]
`)
	cfg, _, err := analyzer.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	tables := cfg.Tables()
	if !tables.Blocking["mylib.wait_for_device"] || !tables.TDGlobals["myGlobalComp"] || !tables.Blocking["time.sleep"] {
		t.Error("configured table entries missing, or defaults lost")
	}
	if got := cfg.IgnoredIn("tests/test_cb.py"); len(got) != 1 || got[0] != "TD201" {
		t.Errorf("per-file ignores = %v", got)
	}
	for name, want := range map[string]bool{
		"vendor/lib.py": true, "src/vendor/x.py": true, "a/b/generated_ops.py": true, "src/main.py": false,
	} {
		if got := cfg.Excluded(name); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", name, got, want)
		}
	}
	src := "import jobs\nimport mylib\n\ndef work():\n    myGlobalComp.par.x = 1\n\ndef onFrameStart(frame):\n    op('x')\n    mylib.wait_for_device()\n\njobs.spawn(fn=work)\n"
	res := analyzer.Run([]analyzer.Input{{Name: "cb.py", Src: []byte(src)}}, []*analyzer.Analyzer{tdAccess, findRule(t, "TD201")}, analyzer.Options{Tables: tables})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Analyzer.Code)
	}
	if strings.Join(got, ",") != "TD101" {
		// TD201 here is the test stand-in that only knows time.sleep.
		t.Errorf("codes = %v, want the configured worker entry to reach myGlobalComp (TD101)", got)
	}
}

// tdAccess stands in for rules.TDAccessInWorker (package rules imports
// analyzer, so its tests cannot be imported here).
var tdAccess = &analyzer.Analyzer{
	Code: "TD101", Name: "td-access-in-worker", Severity: analyzer.SeverityError,
	Run: func(pass *analyzer.Pass) error {
		for _, fn := range pass.Program.FunctionsIn(pass.File) {
			if fn.Context&analyzer.WorkerThread == 0 {
				continue
			}
			for _, a := range fn.Accesses {
				pass.Reportf(a.Node.Pos(), a.Node.End(), "%s", a.What)
			}
		}
		return nil
	},
}
