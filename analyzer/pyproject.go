package analyzer

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/tdlint/tdlint/pyparse"
)

// A TD project managed with uv and MonkeyBrain pins its TouchDesigner
// build in its pyproject.toml, as touchdesigner-version in
// [tool.touchdesigner] or [tool.monkeybrain] (MonkeyBrain reads both,
// the latter winning). The files of such a project run that build's
// Python.

// projectBuild is the TouchDesigner build a pyproject.toml pins, "" for
// none (or a file that does not parse).
func projectBuild(data []byte) string {
	var doc struct {
		Tool struct {
			TouchDesigner map[string]any `toml:"touchdesigner"`
			MonkeyBrain   map[string]any `toml:"monkeybrain"`
		} `toml:"tool"`
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return ""
	}
	build := ""
	for _, table := range []map[string]any{doc.Tool.TouchDesigner, doc.Tool.MonkeyBrain} {
		switch v := table["touchdesigner-version"].(type) {
		case string:
			build = v
		case float64:
			// An unquoted 2025.32260 is a TOML float: its year is
			// what chooses the grammar.
			build = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return strings.TrimSpace(build)
}

// projectPythons finds, for each folder, the grammar of the closest
// pyproject.toml above it; the folders of one load are looked at once.
type projectPythons struct {
	of      map[string]pyparse.Version
	folders *Folders // the folders the walk listed
}

// of is the grammar the pyproject.toml closest to dir pins, 0 for none.
// The closest pyproject.toml is the project's: one without a build stops
// the search.
func (pp projectPythons) pinned(dir string) pyparse.Version {
	var seen []string
	v := pyparse.Version(0)
	for {
		if got, ok := pp.of[dir]; ok {
			v = got
			break
		}
		seen = append(seen, dir)
		if pp.folders.mayHold(dir, "pyproject.toml") {
			if data, err := readRegular(filepath.Join(dir, "pyproject.toml"), maxConfigSize); err == nil {
				v = TDBuildPython(projectBuild(data))
				break
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	for _, d := range seen {
		pp.of[d] = v
	}
	return v
}

// setProjectGrammars gives each input whose build nothing closer says
// (a .build, a td_build) the Python of its project's pinned build.
func setProjectGrammars(inputs []Input, folders *Folders) {
	pp := projectPythons{of: make(map[string]pyparse.Version), folders: folders}
	for i := range inputs {
		in := &inputs[i]
		if in.Python != 0 || in.DiskPath == "" {
			continue
		}
		if abs, err := filepath.Abs(in.DiskPath); err == nil {
			in.Python = pp.pinned(filepath.Dir(abs))
		}
	}
}
