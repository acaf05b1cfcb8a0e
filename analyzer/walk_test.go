package analyzer_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
)

// The walk's listings stand in for stat calls: what they show is found
// (a configuration, a .gitignore, a virtual environment), and a folder
// they show without a configuration file is not looked at again.
func TestWalkListingsServeLookups(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "a", ".tdlint.toml"), "ignore = [\"TD101\"]\n")
	write(t, filepath.Join(root, "a", "x.py"), "x = 1\n")
	write(t, filepath.Join(root, "b", "y.py"), "y = 1\n")
	write(t, filepath.Join(root, "b", ".gitignore"), "gen_*.py\n")
	write(t, filepath.Join(root, "b", "gen_z.py"), "z = 1\n")
	write(t, filepath.Join(root, "env", "pyvenv.cfg"), "home = /usr/bin\n")
	write(t, filepath.Join(root, "env", "lib.py"), "v = 1\n")

	folders := analyzer.NewFolders()
	inputs, _, errs := analyzer.LoadWithOptions([]string{root}, nil, "", analyzer.LoadOptions{Folders: folders})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var names []string
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in.DiskPath)
		names = append(names, filepath.ToSlash(rel))
	}
	if want := []string{"a/x.py", "b/y.py"}; !slices.Equal(names, want) {
		t.Fatalf("walk found %v, want %v (gen_z.py is ignored, env/ is a virtual environment)", names, want)
	}

	configs := analyzer.NewConfigs(nil)
	configs.UseFolders(folders)
	cfg, err := configs.For(filepath.Join(root, "a", "x.py"))
	if err != nil || cfg.Path != filepath.Join(root, "a", ".tdlint.toml") {
		t.Fatalf("a/x.py's configuration = %+v, %v; want a/.tdlint.toml", cfg, err)
	}

	// A configuration written after the walk is not in its listing: a
	// lookup that trusts the listing does not see it, one without does.
	write(t, filepath.Join(root, "b", "tdlint.toml"), "ignore = [\"TD101\"]\n")
	if cfg, err := configs.For(filepath.Join(root, "b", "y.py")); err != nil || cfg.Path != "" {
		t.Errorf("with the listings, b/y.py's configuration = %q, %v; want the defaults (b was listed without one)", cfg.Path, err)
	}
	if cfg, err := analyzer.NewConfigs(nil).For(filepath.Join(root, "b", "y.py")); err != nil || cfg.Path != filepath.Join(root, "b", "tdlint.toml") {
		t.Errorf("without the listings, b/y.py's configuration = %q, %v; want b/tdlint.toml", cfg.Path, err)
	}
}
