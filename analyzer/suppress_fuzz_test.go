package analyzer

import (
	"strings"
	"testing"

	"github.com/tdlint/tdlint/pyparse"
)

// fuzzRule stands for a rule in suppression comments (the rules package
// cannot be imported here).
var fuzzRule = &Analyzer{Code: "TD101", Name: "td-access-in-worker", Severity: SeverityError}

// FuzzSuppressions checks the noqa parser's promises on arbitrary source:
// every code it reads lies inside its comment and is what the source says
// there, and the edit that suppresses a finding on a line (the editor's
// quick fix) leaves code that parsed still parsing and does suppress it.
func FuzzSuppressions(f *testing.F) {
	for _, s := range []string{
		"x = op('a')  # noqa: TD101, E501\n",
		"# tdlint: noqa\nx = 1\n",
		"y()  # tdlint: ignore[td-access-in-worker,  TD2]\n",
		"z = 1  #NOQA:TD101,,TD102 trailing words\n",
		"s = '''\n# noqa\n'''\n",
		"x = 1 + \\\n  2  # noqa\n",
		"f'{x  # noqa\n}'\n",
		"if a:  # noqa:\n    pass\n",
		"b = 2  # NoQA\nc = 3  # nOqA: TD101\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sf := ParseInput(&Input{Name: "n.py", Src: src}, Options{})
		file := sf.AST
		for _, c := range file.Comments {
			// The quick refusal before the patterns never refuses a
			// comment one of them matches.
			if !maySuppress(c.Text) && (fileRE.MatchString(c.Text) || ignoreRE.MatchString(c.Text) || noqaRE.MatchString(c.Text)) {
				t.Fatalf("maySuppress refuses %q, which a suppression pattern matches", c.Text)
			}
		}
		for _, s := range parseSuppressions(file) {
			c := s.comment
			if len(s.codes) > 0 && (s.codesStart < c.Start || s.codesEnd > c.End() || s.codesStart > s.codesEnd) {
				t.Fatalf("codes [%d, %d) outside their comment [%d, %d)", s.codesStart, s.codesEnd, c.Start, c.End())
			}
			for _, code := range s.codes {
				if code == "" || strings.ContainsAny(code, ", \t") {
					t.Fatalf("code %q read from %q", code, c.Text)
				}
			}
		}
		for _, sc := range SuppressionCodes(file) {
			if sc.Start < 0 || sc.End > pyparse.Pos(len(file.Src)) || string(file.Src[sc.Start:sc.End]) != sc.Code {
				t.Fatalf("code %q at [%d, %d) is not what the source holds there", sc.Code, sc.Start, sc.End)
			}
		}
		// The quick fix on the lines where nodes start.
		seen := map[int]bool{}
		pyparse.InspectBody(file.Body, func(n pyparse.Node) bool {
			line := file.Position(n.Pos()).Line
			if len(seen) >= 20 || seen[line] {
				return len(seen) < 20
			}
			seen[line] = true
			d := &Diagnostic{Range: Range{File: sf, Start: n.Pos(), End: n.End()}, Analyzer: fuzzRule}
			edit, ok := NoqaEdit(sf, d)
			if !ok {
				return true
			}
			fixed := string(file.Src[:edit.Range.Start]) + edit.NewText + string(file.Src[edit.Range.End:])
			after := pyparse.ParseFile("n.py", []byte(fixed), pyparse.Config{})
			if len(file.Errors) == 0 && len(after.Errors) > 0 {
				t.Fatalf("the noqa edit on line %d broke the code: %v\n%s", line, after.Errors[0], fixed)
			}
			covered := false
			for _, s := range parseSuppressions(after) {
				if s.line == line && s.covers(fuzzRule) {
					covered = true
				}
			}
			if !covered && len(after.Errors) == 0 {
				t.Fatalf("the noqa edit on line %d does not suppress %s:\n%s", line, fuzzRule.Code, fixed)
			}
			return true
		})
	})
}
