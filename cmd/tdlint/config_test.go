package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sleeper is a main-thread callback that blocks: TD201 at line 5.
const sleeper = "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"

func TestEachFileGetsItsClosestConfigWhateverTheOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cb, sub := filepath.Join(dir, "cb.py"), filepath.Join(dir, "sub", "x.py")
	mustWrite(t, filepath.Join(dir, "tdlint.toml"), "select = [\"TD\"]\n")
	mustWrite(t, cb, sleeper)
	mustMkdir(t, filepath.Join(dir, "sub"))
	mustWrite(t, filepath.Join(dir, "sub", "tdlint.toml"), "extend = \"../tdlint.toml\"\nignore = [\"TD201\"]\n")
	mustWrite(t, sub, sleeper)
	var outs []string
	for _, args := range [][]string{{sub, cb}, {cb, sub}, {dir}} {
		out, errs, code := runCLI(t, "", append([]string{"check", "--output-format", "concise"}, args...)...)
		if code != exitFindings || !strings.Contains(out, "cb.py:5:5: TD201") || strings.Contains(out, "x.py") {
			t.Errorf("check %v: exit %d\n%s%s", args, code, out, errs)
		}
		outs = append(outs, regexp.MustCompile(`(?m)^.*/`).ReplaceAllString(out, ""))
	}
	if outs[0] != outs[1] {
		t.Errorf("the order of the paths changed the findings:\n%s\n---\n%s", outs[0], outs[1])
	}
}

func TestPatternsMatchRelativeToTheirConfigFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "tdlint.toml"), "exclude = [\"vendor/**\"]\n[per-file-ignores]\n\"legacy/**\" = [\"TD201\"]\n")
	deep := filepath.Join(dir, "legacy", "a", "b")
	mustMkdir(t, deep)
	mustWrite(t, filepath.Join(deep, "cb.py"), sleeper)
	mustMkdir(t, filepath.Join(dir, "vendor", "x", "y"))
	mustWrite(t, filepath.Join(dir, "vendor", "x", "y", "cb.py"), sleeper)
	mustWrite(t, filepath.Join(dir, "main.py"), sleeper)
	// Absolute paths, from a working directory that is not the project's.
	out, errs, code := runCLI(t, "", "check", "--output-format", "concise", dir)
	if code != exitFindings || !strings.Contains(out, "main.py:5:5: TD201") || strings.Contains(out, "legacy") || strings.Contains(out, "vendor") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	if out, _, code := runCLI(t, "", "check", "--force-exclude", "--output-format", "concise", filepath.Join(dir, "vendor", "x", "y", "cb.py")); code != exitClean {
		t.Errorf("--force-exclude on vendor/x/y/cb.py: exit %d\n%s", code, out)
	}
}

func TestBadPatternOrRuleInConfigIsExit2NamingFileAndKey(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"[per-file-ignores]\n\"tests/[a\" = [\"TD201\"]\n": `per-file-ignores: invalid glob pattern "tests/[a"`,
		"[per-file-ignores]\n\"tests/*\" = [\"TD299\"]\n":  `per-file-ignores: "tests/*": "TD299" selects no rule`,
		"exclude = [\"{a\"]\n":                             `exclude: invalid glob pattern "{a"`,
	} {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "tdlint.toml")
		mustWrite(t, cfg, text)
		mustWrite(t, filepath.Join(dir, "cb.py"), sleeper)
		_, errs, code := runCLI(t, "", "check", dir)
		if code != exitError || !strings.Contains(errs, want) || !strings.Contains(errs, cfg) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %s in %s", text, code, errs, want, cfg)
		}
	}
}

func TestASymlinkToADirectoryIsWalked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	mustMkdir(t, target)
	mustWrite(t, filepath.Join(target, "cb.py"), sleeper)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	out, errs, code := runCLI(t, "", "check", "--output-format", "concise", link)
	if code != exitFindings || !strings.Contains(out, filepath.ToSlash(filepath.Join(link, "cb.py"))+":5:5: TD201") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// The README's configuration example works pasted into tdlint.toml as it
// is, [tool.tdlint] header and all.
func TestReadmeConfigExampleWorksInTdlintToml(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```toml\n(\\[tool\\.tdlint\\].*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no ```toml block starting with [tool.tdlint]")
	}
	for _, name := range []string{"tdlint.toml", "pyproject.toml", ".tdlint.toml"} {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, name), string(m[1]))
		mustWrite(t, filepath.Join(dir, "cb.py"), sleeper)
		if out, errs, code := runCLI(t, "", "check", dir); code != exitFindings {
			t.Errorf("README example as %s: exit %d\n%s%s", name, code, out, errs)
		}
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}

// stdin follows the configuration of the name it is given.
func TestStdinFollowsTheConfigOfItsName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "sub"))
	mustWrite(t, filepath.Join(dir, "sub", "tdlint.toml"), "ignore = [\"TD201\"]\n")
	if out, errs, code := runCLI(t, sleeper, "check", "-", "--stdin-filename", filepath.Join(dir, "sub", "x.py")); code != exitClean {
		t.Errorf("stdin as sub/x.py: exit %d\n%s%s", code, out, errs)
	}
	if _, _, code := runCLI(t, sleeper, "check", "-", "--stdin-filename", filepath.Join(dir, "x.py")); code != exitFindings {
		t.Errorf("stdin as x.py: exit %d, want the TD201", code)
	}
}

// pre-commit names what its pattern matched: a GLSL DAT's .text or a .tdn
// alone is nothing to lint, not an error; a folder without Python still is.
func TestNamedFilesWithoutPythonAreNothingToLint(t *testing.T) {
	t.Parallel()
	tree := filepath.Join("..", "..", "testdata", "toe", "weather.toe.dir", "project1", "weather")
	dir := t.TempDir()
	tdn := filepath.Join(dir, "network.tdn")
	mustWrite(t, tdn, "{\"family\": \"COMP\"}\n")
	out, errs, code := runCLI(t, "", "check", filepath.Join(tree, "shader_pixel.text"), tdn)
	if code != exitClean || out != "" || !strings.Contains(errs, "no Python in the files given") {
		t.Errorf("GLSL DAT and .tdn: exit %d, out %q, err %q", code, out, errs)
	}
	if _, _, code := runCLI(t, "", "check", dir); code != exitError {
		t.Errorf("a folder with no Python: exit %d, want 2", code)
	}
}

// python-version is a file's: the grammar follows its configuration.
func TestPythonVersionIsPerFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "sub"))
	mustWrite(t, filepath.Join(dir, "sub", "tdlint.toml"), "python-version = \"3.12\"\n")
	for _, name := range []string{"a.py", filepath.Join("sub", "a.py")} {
		mustWrite(t, filepath.Join(dir, name), "type Alias = int\n") // a 3.12 statement
	}
	out, errs, code := runCLI(t, "", "check", "--output-format", "concise", dir)
	if code != exitFindings || strings.Count(out, "TD001") != 1 || !strings.Contains(out, filepath.ToSlash(filepath.Join(dir, "a.py"))+":1:6: TD001") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	if out, _, code := runCLI(t, "", "check", "--python", "3.12", dir); code != exitClean {
		t.Errorf("--python 3.12 over every configuration: exit %d\n%s", code, out)
	}
}

// A project's exclude holds below a folder it names, though that folder
// has a configuration of its own.
func TestExcludeAboveACloserConfigHolds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "tdlint.toml"), "exclude = [\"vendor\"]\n")
	mustMkdir(t, filepath.Join(dir, "vendor", "lib"))
	mustWrite(t, filepath.Join(dir, "vendor", "tdlint.toml"), "select = [\"TD\"]\n")
	mustWrite(t, filepath.Join(dir, "vendor", "lib", "cb.py"), sleeper)
	mustWrite(t, filepath.Join(dir, "main.py"), sleeper)
	out, errs, code := runCLI(t, "", "check", "--output-format", "concise", dir)
	if code != exitFindings || !strings.Contains(out, "main.py:5:5: TD201") || strings.Contains(out, "vendor") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}
