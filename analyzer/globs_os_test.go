package analyzer

import (
	"path/filepath"
	"testing"
)

// Patterns are written with "/" and match the OS's own paths: on Windows
// (make wine runs this as a Windows program) the paths have drive letters
// and backslashes, and "*" must still stop at a folder.
func TestPatternsMatchTheOSsOwnPaths(t *testing.T) {
	t.Parallel()
	base, err := filepath.Abs(filepath.Join("proj", "sub"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := compilePatterns(base, []string{"build/*.py", "vendored", "./scripts/**/gen_*.py"})
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		"build/a.py":                  true,
		"build/deep/a.py":             false, // * does not cross a folder
		"lib/vendored/x.py":           true,  // a folder's name anywhere
		"lib/vendored.py":             false,
		"src/build/a.py":              false, // anchored at the config's folder
		"scripts/gen_x.py":            true,
		"scripts/a/b/gen_x.py":        true,
		"scripts/a/b/other/gen_x.txt": false,
	} {
		path := filepath.Join(base, filepath.FromSlash(rel)) // C:\...\proj\sub\build\a.py on Windows
		if got := set.matchesAny(path); got != want {
			t.Errorf("matchesAny(%q) = %v, want %v", path, got, want)
		}
	}
	outside := filepath.Join(filepath.Dir(base), "build", "a.py")
	if set.matchesAny(outside) {
		t.Errorf("matchesAny(%q) = true: a path outside the config's folder matched an anchored pattern", outside)
	}
}
