package analyzer_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/rules"
)

// A project that pins its TouchDesigner build in pyproject.toml (as
// MonkeyBrain does: touchdesigner-version in [tool.touchdesigner] or
// [tool.monkeybrain]) is parsed with that build's Python: match is a
// syntax error under TD 2022's 3.9. --python, and a tree's .build, win.
func TestPyprojectBuildChoosesGrammar(t *testing.T) {
	t.Parallel()
	const src = "match cmd:\n    case 'go':\n        pass\n"
	for _, c := range []struct {
		name      string
		pyproject string
		version   string
		want      []string
	}{
		{"touchdesigner", "[tool.touchdesigner]\nprojectfile = \"Project.toe\"\ntouchdesigner-version = \"2022.35320\"\n", "", []string{"cb.py:1 TD001"}},
		{"monkeybrain wins", "[tool.touchdesigner]\ntouchdesigner-version = \"2023.12480\"\n[tool.monkeybrain]\ntouchdesigner-version = \"2022.35320\"\n", "", []string{"cb.py:1 TD001"}},
		{"unquoted", "[tool.monkeybrain]\ntouchdesigner-version = 2022.35320\n", "", []string{"cb.py:1 TD001"}},
		{"2023", "[tool.touchdesigner]\ntouchdesigner-version = \"2023.12480\"\n", "", nil},
		{"--python wins", "[tool.touchdesigner]\ntouchdesigner-version = \"2022.35320\"\n", "3.11", nil},
		{"no build", "[project]\nname = \"show\"\n", "", nil},
		{"not TOML", "[tool.touchdesigner\n", "", nil},
	} {
		dir := t.TempDir()
		writeFile(t, dir, "pyproject.toml", c.pyproject)
		writeFile(t, dir, "src/cb.py", src)
		var opts analyzer.Options
		if c.version != "" {
			opts.Version, _ = pyparse.ParseVersion(c.version)
		}
		inputs, _ := analyzer.Load([]string{filepath.Join(dir, "src")}, nil, "")
		if got := fileFindings(analyzer.Run(inputs, rules.All(), opts)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// The closest pyproject.toml is the project's, pinned or not; a tree's
	// .build is closer still.
	dir := t.TempDir()
	writeFile(t, dir, "pyproject.toml", "[tool.touchdesigner]\ntouchdesigner-version = \"2022.35320\"\n")
	writeFile(t, dir, "vendored/pyproject.toml", "[project]\nname = \"lib\"\n")
	writeFile(t, dir, "vendored/lib.py", src)
	writeFile(t, dir, "show.toe.dir/.build", "version 099\nbuild 2023.12480\n")
	writeFile(t, dir, "show.toe.dir/project1/cb.n", "DAT:text\nend\n")
	writeFile(t, dir, "show.toe.dir/project1/cb.text", string(datText(src)))
	writeFile(t, dir, "old.py", src)
	inputs, _ := analyzer.Load([]string{dir}, nil, "")
	if got, want := fileFindings(analyzer.Run(inputs, rules.All(), analyzer.Options{})), []string{"old.py:1 TD001"}; !slices.Equal(got, want) {
		t.Errorf("nested projects: %v, want %v", got, want)
	}
}
