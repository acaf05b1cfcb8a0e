package analyzer

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
)

// FuzzConfig feeds configuration files and glob patterns: parsing never
// panics (bad input is an error), and the indexed pattern set agrees with
// matching every pattern the plain way.
func FuzzConfig(f *testing.F) {
	for _, seed := range []struct{ toml, pattern, path string }{
		{"select = [\"TD1\"]\nexclude = [\"sub/**\"]\n", "sub/**", "sub/a/b.py"},
		{"[tool.tdlint]\n[tool.tdlint.per-file-ignores]\n\"tests/*\" = [\"TD201\"]\n", "**/gen_*.py", "a/gen_x.py"},
		{"extend = \"../x.toml\"\npython-version = \"3.12\"\n", "vendor", "src/vendor/x.py"},
		{"exclude = [\"{a,b/c}\", \"[!x]*\"]\n", "x/{a,b}/*.py", "x/b/m.py"},
		{"worker-entry-points = [\"jobs.spawn:fn\"]\n", "/top.py", "top.py"},
		{"exclude = [\"a\\\\/b\"]\n", "a\\*b", "a*b"},
		{"[per-file-ignores]\n\"\" = [\"TD1\"]\n", "[", "a"},
	} {
		f.Add(seed.toml, seed.pattern, seed.path)
	}
	f.Fuzz(func(t *testing.T, text, pattern, name string) {
		for _, file := range []string{"/base/tdlint.toml", "/base/pyproject.toml"} {
			cfg, found, err := parseConfig(file, []byte(text), nil)
			if err == nil && found {
				cfg.Excluded("/base/" + name)
				cfg.IgnoredIn("/base/" + name)
				cfg.Tables()
			}
		}
		set, err := compilePatterns("/base", []string{pattern})
		if err != nil {
			return
		}
		rel := path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))[1:]
		if rel == "" || !utf8.ValidString(rel) || !utf8.ValidString(pattern) {
			// doublestar decodes runes: two different invalid bytes
			// are both U+FFFD to it, and equal; a literal pattern is
			// compared byte for byte.
			return
		}
		got := set.matchesAny("/base/" + rel)
		if want := plainMatch(set.texts[0], set.anchored[0], rel); got != want {
			t.Errorf("pattern %q on %q: indexed %v, plain %v", pattern, rel, got, want)
		}
	})
}

// plainMatch is the definition patternSet indexes: an anchored pattern
// matches a path or one of its folders, another any one segment.
func plainMatch(pattern string, anchored bool, rel string) bool {
	parts := strings.Split(rel, "/")
	for i := range parts {
		if anchored && doublestar.MatchUnvalidated(pattern, strings.Join(parts[:i+1], "/")) {
			return true
		}
		if !anchored && doublestar.MatchUnvalidated(pattern, parts[i]) {
			return true
		}
	}
	return false
}
