package analyzer_test

import (
	"errors"
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
	if got := cfg.IgnoredIn(filepath.Join(dir, "tests", "test_cb.py")); len(got) != 1 || got[0] != "TD201" {
		t.Errorf("per-file ignores = %v", got)
	}
	for name, want := range map[string]bool{
		"vendor/lib.py": true, "src/vendor/x.py": true, "a/b/generated_ops.py": true, "src/main.py": false,
	} {
		if got := cfg.Excluded(filepath.Join(dir, name)); got != want {
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

func TestPatternsAreRelativeToTheConfigFolderAtAnyDepth(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "proj", "tdlint.toml"), `exclude = ["sub/**", "build", "/top.py", "**/gen_*.py"]
[per-file-ignores]
"tests/**/*.py" = ["TD201"]
"conftest.py" = ["td-access-in-worker"]
`)
	cfg, _, err := analyzer.LoadConfig(filepath.Join(root, "proj", "tdlint.toml"))
	if err != nil {
		t.Fatal(err)
	}
	proj := filepath.Join(root, "proj")
	for name, want := range map[string]bool{
		"sub/a.py": true, "sub/x/y/z/a.py": true, "other/sub/a.py": false, // anchored
		"build/a.py": true, "x/build/a.py": true, "builder/a.py": false, // a name matches at any depth
		"top.py": true, "x/top.py": false,
		"gen_a.py": true, "a/b/c/gen_b.py": true, "a/b/gen.py": false,
		"src/main.py": false,
	} {
		if got := cfg.Excluded(filepath.Join(proj, name)); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", name, got, want)
		}
	}
	// From another working directory, with a relative path: the same.
	t.Chdir(root)
	if !cfg.Excluded(filepath.Join("proj", "sub", "deep", "a.py")) || cfg.Excluded(filepath.Join("sub", "a.py")) {
		t.Error("exclude depends on the working directory")
	}
	if got := cfg.IgnoredIn(filepath.Join("proj", "tests", "unit", "deep", "t.py")); strings.Join(got, ",") != "TD201" {
		t.Errorf("tests/**/*.py ignores %v", got)
	}
	if got := cfg.IgnoredIn(filepath.Join(proj, "a", "conftest.py")); strings.Join(got, ",") != "td-access-in-worker" {
		t.Errorf("conftest.py ignores %v", got)
	}
	// Outside the folder only a name can match.
	if cfg.Excluded(filepath.Join(root, "sub", "a.py")) || !cfg.Excluded(filepath.Join(root, "build")) {
		t.Error("a file outside the configuration's folder matched an anchored pattern, or missed a name")
	}
}

func TestBadPatternsAndRuleCodesAreConfigErrors(t *testing.T) {
	t.Parallel()
	rulesKnown := []*analyzer.Analyzer{tdAccess}
	for _, tc := range []struct{ text, want string }{
		{"[per-file-ignores]\n\"tests/[\" = [\"TD101\"]\n", `per-file-ignores: invalid glob pattern "tests/["`},
		{"[per-file-ignores]\n\"tests/*\" = [\"TD9999\"]\n", `per-file-ignores: "tests/*": "TD9999" selects no rule`},
		{"exclude = [\"a/{b\"]\n", `exclude: invalid glob pattern "a/{b"`},
		{"exclude = [\"\"]\n", `exclude: empty pattern`},
		{"select = [\"TD8\"]\n", `select: "TD8" selects no rule`},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "tdlint.toml")
		write(t, path, tc.text)
		_, err := analyzer.NewConfigs(rulesKnown).For(filepath.Join(dir, "a.py"))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) || !errors.Is(err, analyzer.ErrBadConfig) {
			t.Errorf("%q: err = %v, want it to name %s and %s", tc.text, err, path, tc.want)
		}
	}
}

func TestClosestConfigPerFileAndExtend(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "tdlint.toml"), "select = [\"TD1\"]\nexclude = [\"gen\"]\nblocking-calls = [\"lib.wait\"]\n[per-file-ignores]\n\"sub/legacy.py\" = [\"TD101\"]\n")
	write(t, filepath.Join(root, "sub", ".tdlint.toml"), "extend = \"../tdlint.toml\"\npython-version = \"3.12\"\n")
	write(t, filepath.Join(root, "sub", "tdlint.toml"), "select = [\"TD2\"]\n") // .tdlint.toml comes first
	write(t, filepath.Join(root, "other", "pyproject.toml"), "[tool.tdlint]\nselect = [\"TD3\"]\n")
	cs := analyzer.NewConfigs(nil)
	top, err := cs.For(filepath.Join(root, "cb.py"))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cs.For(filepath.Join(root, "sub", "deep", "x.py"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := cs.For(filepath.Join(root, "other", "y.py"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(top.Select, ",") != "TD1" || top.PythonVersion != "" {
		t.Errorf("root: %+v", top)
	}
	// sub extends the root: its own python-version, the root's select,
	// exclude and per-file-ignores, still relative to the root.
	if sub.Path != filepath.Join(root, "sub", ".tdlint.toml") || sub.PythonVersion != "3.12" || strings.Join(sub.Select, ",") != "TD1" {
		t.Errorf("sub: %+v", sub)
	}
	if !sub.Excluded(filepath.Join(root, "sub", "gen", "a.py")) || strings.Join(sub.IgnoredIn(filepath.Join(root, "sub", "legacy.py")), ",") != "TD101" {
		t.Error("sub did not inherit the root's patterns relative to the root")
	}
	// Without extend nothing is inherited (as in Ruff).
	if strings.Join(other.Select, ",") != "TD3" || other.Excluded(filepath.Join(root, "other", "gen", "a.py")) {
		t.Errorf("other: %+v", other)
	}
	if tables := analyzer.TablesOf([]*analyzer.Config{other, sub}); !tables.Blocking["lib.wait"] {
		t.Error("the tables' union lost the inherited blocking call")
	}
}

func TestExtendErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a", "tdlint.toml"), "extend = \"../b/tdlint.toml\"\n")
	write(t, filepath.Join(dir, "b", "tdlint.toml"), "extend = \"../a/tdlint.toml\"\n")
	if _, err := analyzer.FindConfig(filepath.Join(dir, "a")); err == nil || !strings.Contains(err.Error(), "extends itself") {
		t.Errorf("a cycle: %v", err)
	}
	write(t, filepath.Join(dir, "c", "tdlint.toml"), "extend = \"missing.toml\"\n")
	if _, err := analyzer.FindConfig(filepath.Join(dir, "c")); err == nil || !strings.Contains(err.Error(), `extend: "missing.toml": no such file`) {
		t.Errorf("a missing file: %v", err)
	}
	write(t, filepath.Join(dir, "d", "tdlint.toml"), "extend = \"pyproject.toml\"\n")
	write(t, filepath.Join(dir, "d", "pyproject.toml"), "[tool.black]\n")
	if _, err := analyzer.FindConfig(filepath.Join(dir, "d")); err == nil || !strings.Contains(err.Error(), "has no [tool.tdlint] table") {
		t.Errorf("extending a pyproject.toml without the table: %v", err)
	}
}

func TestToolTableInTdlintToml(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "tdlint.toml")
	write(t, path, "[tool.tdlint]\nselect = [\"TD1\"]\n[tool.tdlint.per-file-ignores]\n\"tests/*\" = [\"TD201\"]\n")
	cfg, found, err := analyzer.LoadConfig(path)
	if err != nil || !found || strings.Join(cfg.Select, ",") != "TD1" || len(cfg.IgnoredIn(filepath.Join(dir, "tests", "a.py"))) != 1 {
		t.Fatalf("[tool.tdlint] in tdlint.toml: %+v, %v", cfg, err)
	}
	write(t, path, "ignore = [\"TD2\"]\n[tool.tdlint]\nselect = [\"TD1\"]\n")
	if _, _, err := analyzer.LoadConfig(path); err == nil || !strings.Contains(err.Error(), "ignore") || !strings.Contains(err.Error(), "every key goes in it") {
		t.Errorf("keys both inside and outside [tool.tdlint]: %v", err)
	}
	write(t, path, "[tool.ruff]\nline-length = 1\n")
	if _, _, err := analyzer.LoadConfig(path); err == nil || !strings.Contains(err.Error(), "tool.ruff.line-length") || !strings.Contains(err.Error(), "top level, or under [tool.tdlint]") {
		t.Errorf("another tool's table in tdlint.toml: %v", err)
	}
}
