package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// The rule cases live in testdata/rules/<rule-name>/*.py. As with
// analysistest, a line that must be flagged by that rule carries
// `# want "regexp"` (several quoted patterns for several findings), and
// every other line must stay clean of that rule. In a .txtar, a member
// named x.py.embedded is no file of its own: it is the text the DAT that
// x.py is synced to holds in its network (Input.Embedded).

var (
	wantRE   = regexp.MustCompile(`# want((?:\s+"(?:[^"\\]|\\.)*")+)`)
	quotedRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

type want struct {
	line    int
	re      *regexp.Regexp
	matched bool
}

func parseWants(t *testing.T, src string) []*want {
	t.Helper()
	var out []*want
	for i, line := range strings.Split(src, "\n") {
		m := wantRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, q := range quotedRE.FindAllStringSubmatch(m[1], -1) {
			re, err := regexp.Compile(strings.ReplaceAll(q[1], `\"`, `"`))
			if err != nil {
				t.Fatalf("line %d: bad want pattern: %v", i+1, err)
			}
			out = append(out, &want{line: i + 1, re: re})
		}
	}
	return out
}

func TestRuleCases(t *testing.T) {
	t.Parallel()
	dirs, err := os.ReadDir(filepath.Join("..", "testdata", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		rule := rules.Lookup(dir.Name())
		if rule == nil {
			t.Errorf("testdata/rules/%s names no rule", dir.Name())
			continue
		}
		// A .py file is a case; a .txtar archive is a multi-file project.
		cases, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", dir.Name(), "*.py"))
		archives, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", dir.Name(), "*.txtar"))
		cases = append(cases, archives...)
		if len(cases) == 0 {
			t.Errorf("rule %s has no test cases", rule.Name)
		}
		for _, path := range cases {
			t.Run(dir.Name()+"/"+filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				checkCase(t, rule, path)
			})
		}
	}
}

func checkCase(t *testing.T, rule *analyzer.Analyzer, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	files := []txtar.File{{Name: filepath.Base(path), Data: src}}
	if strings.HasSuffix(path, ".txtar") {
		files = txtar.Parse(src).Files
	}
	wantsByFile := make(map[string][]*want)
	var inputs []analyzer.Input
	embedded := make(map[string][]byte)
	for _, file := range files {
		if name, ok := strings.CutSuffix(file.Name, ".embedded"); ok {
			embedded[name] = file.Data
		}
	}
	for _, file := range files {
		if strings.HasSuffix(file.Name, ".embedded") {
			continue
		}
		module := analyzer.ModuleName(file.Name)
		wantsByFile[file.Name] = parseWants(t, string(file.Data))
		in := analyzer.Input{Name: file.Name, Src: file.Data, Module: module}
		if strings.HasSuffix(path, ".txtar") && !strings.Contains(file.Name, "/") {
			// Archive members are DATs of one COMP, reachable by path;
			// members in a folder ("python/util.py") are plain modules
			// on disk.
			in.OpPath = "/project1/" + module
		}
		if text, ok := embedded[file.Name]; ok {
			in.Embedded = &analyzer.EmbeddedCopy{Path: "project.toe.dir/project1/" + module + ".text", Text: text}
		}
		inputs = append(inputs, in)
	}
	res := analyzer.Run(inputs, rules.All(), analyzer.Options{})
	for _, d := range res.Diagnostics {
		if d.Analyzer == analyzer.SyntaxErrorAnalyzer || d.Analyzer == analyzer.InternalErrorAnalyzer {
			t.Errorf("%s: %s", d.Analyzer.Name, d.Message)
			continue
		}
		if d.Analyzer != rule {
			continue
		}
		line := analyzer.Location(d.Range.File, d.Range.Start).Line
		found := false
		for _, w := range wantsByFile[d.Range.File.Name] {
			if w.line == line && !w.matched && w.re.MatchString(d.Message) {
				w.matched, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%s:%d: unexpected %s: %s", d.Range.File.Name, line, rule.Code, d.Message)
		}
	}
	for name, wants := range wantsByFile {
		for _, w := range wants {
			if !w.matched {
				t.Errorf("%s:%d: no %s finding matching %q", name, w.line, rule.Code, w.re)
			}
		}
	}
}

// Every rule is documented the same way and can be selected unambiguously.
func TestRuleMetadata(t *testing.T) {
	t.Parallel()
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	code := regexp.MustCompile(`^TD\d{3}$`)
	seen := map[string]bool{}
	for _, a := range append(rules.All(), analyzer.SyntaxErrorAnalyzer, analyzer.UnusedNoqaAnalyzer, analyzer.InternalErrorAnalyzer) {
		if !code.MatchString(a.Code) || !kebab.MatchString(a.Name) {
			t.Errorf("%s/%s: code must be TDnnn and name kebab-case", a.Code, a.Name)
		}
		if seen[a.Code] || seen[a.Name] {
			t.Errorf("%s/%s: duplicate code or name", a.Code, a.Name)
		}
		seen[a.Code], seen[a.Name] = true, true
		for _, section := range []string{"## What it does", "## Why is this bad", "## Example", "## Use instead"} {
			if !strings.Contains(a.Doc, section) {
				t.Errorf("%s: documentation lacks %q", a.Code, section)
			}
		}
		if a.Summary == "" {
			t.Errorf("%s: no summary", a.Code)
		}
		if _, err := os.Stat(filepath.Join("..", "testdata", "rules", a.Name)); err != nil && a.Run != nil {
			t.Errorf("%s: no testdata/rules/%s cases", a.Code, a.Name)
		}
	}
}
