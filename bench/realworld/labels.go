package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Verdicts a label may carry.
const (
	verdictTP      = "TP"      // a finding that is a bug a TD user would fix
	verdictFP      = "FP"      // a finding whose claim is wrong
	verdictMiss    = "MISS"    // a real bug tdlint should report under this rule and does not
	verdictUnclear = "unclear" // not decided: excluded from precision and recall, listed
	// verdictClean marks a repository reviewed with nothing to label (path "-", line 0, rule "-"), so
	// that it is still run and any finding tdlint later makes there shows up as unlabeled.
	verdictClean = "clean"
)

var labelHeader = []string{"repo", "commit", "path", "line", "rule", "verdict", "reason"}

// key is what a finding and a label are matched on: findings are counted per line and rule, so two
// findings of one rule on one line are one.
type key struct {
	Repo string `json:"repo"`
	Path string `json:"path"`
	Line int    `json:"line"`
	Rule string `json:"rule"`
}

func (k key) String() string { return fmt.Sprintf("%s %s:%d %s", k.Repo, k.Path, k.Line, k.Rule) }

// Label is one row of labels.tsv.
type Label struct {
	key
	Commit  string `json:"commit"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	Row     int    `json:"-"` // line in the labels file, for messages
}

// Labels is a parsed labels file: the labels by key, the commit each repository was labeled at, and
// the repositories in the order they first appear.
type Labels struct {
	ByKey   map[key]Label
	Commits map[string]string
	Repos   []string
}

// ParseLabels reads a labels TSV. Malformed rows are errors: a label that silently drops out would
// move the numbers without anyone noticing.
func ParseLabels(r io.Reader) (*Labels, error) {
	ls := &Labels{ByKey: map[key]Label{}, Commits: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	row := 0
	for sc.Scan() {
		row++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if row == 1 || (len(ls.ByKey) == 0 && cols[0] == "repo") {
			if !slices.Equal(cols, labelHeader) {
				return nil, fmt.Errorf("row %d: header must be %q", row, strings.Join(labelHeader, "\t"))
			}
			continue
		}
		if len(cols) != len(labelHeader) {
			return nil, fmt.Errorf("row %d: %d columns, want %d", row, len(cols), len(labelHeader))
		}
		l := Label{key: key{Repo: cols[0], Path: cols[2], Rule: cols[4]}, Commit: cols[1], Verdict: cols[5], Reason: cols[6], Row: row}
		if !strings.Contains(l.Repo, "/") {
			return nil, fmt.Errorf("row %d: repo %q is not owner/name", row, l.Repo)
		}
		n, err := strconv.Atoi(cols[3])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("row %d: line %q is not a line number", row, cols[3])
		}
		l.Line = n
		switch l.Verdict {
		case verdictTP, verdictFP, verdictMiss, verdictUnclear:
			if n == 0 || l.Path == "" || l.Rule == "" {
				return nil, fmt.Errorf("row %d: a %s label needs a path, a line and a rule", row, l.Verdict)
			}
		case verdictClean:
		default:
			return nil, fmt.Errorf("row %d: verdict %q is not TP, FP, MISS, unclear or clean", row, l.Verdict)
		}
		if c, ok := ls.Commits[l.Repo]; !ok {
			ls.Commits[l.Repo] = l.Commit
			ls.Repos = append(ls.Repos, l.Repo)
		} else if c != l.Commit {
			return nil, fmt.Errorf("row %d: %s labeled at commit %s here and %s before", row, l.Repo, l.Commit, c)
		}
		if l.Verdict == verdictClean {
			continue
		}
		if prev, dup := ls.ByKey[l.key]; dup {
			return nil, fmt.Errorf("row %d: %s is labeled twice (first at row %d)", row, l.key, prev.Row)
		}
		ls.ByKey[l.key] = l
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return ls, nil
}

// Paths are the files labeled in one repository, sorted.
func (ls *Labels) Paths(repo string) []string {
	var paths []string
	for k := range ls.ByKey {
		if k.Repo == repo && !slices.Contains(paths, k.Path) {
			paths = append(paths, k.Path)
		}
	}
	slices.Sort(paths)
	return paths
}

// Finding is one tdlint finding, reduced to what is matched.
type Finding struct {
	key
	Message string `json:"message"`
}

// RuleScore holds one rule's numbers, or the total's.
type RuleScore struct {
	Rule      string  `json:"rule"`
	Findings  int     `json:"findings"` // distinct (path, line) findings of the rule
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	Unclear   int     `json:"unclear"`
	Unlabeled int     `json:"unlabeled"`
	Miss      int     `json:"miss"`
	Precision float64 `json:"precision"` // TP/(TP+FP), -1 when there is neither
	Recall    float64 `json:"recall"`    // TP/(TP+MISS), -1 when there is neither
}

// Report is the result of matching findings against labels.
type Report struct {
	Rules []RuleScore `json:"rules"`
	Total RuleScore   `json:"total"`
	// Unlabeled findings need a review and a label.
	Unlabeled []Finding `json:"unlabeled"`
	// Lost are TP labels no finding matches any more: they count as misses.
	Lost []Label `json:"lost"`
	// Found are MISS labels a finding now matches: they count as true positives; relabel them TP.
	Found []Label `json:"found"`
	// Unclear are findings whose label is unclear.
	Unclear []Label `json:"unclear"`
	// FPGone are FP labels no finding matches any more.
	FPGone []Label `json:"fp_gone"`
}

// Score matches findings to labels. Only labels of the given repositories count: a repository that
// was not run cannot have lost its findings.
func Score(ls *Labels, findings []Finding, repos []string) *Report {
	ran := map[string]bool{}
	for _, r := range repos {
		ran[r] = true
	}
	rules := map[string]*RuleScore{}
	score := func(rule string) *RuleScore {
		s, ok := rules[rule]
		if !ok {
			s = &RuleScore{Rule: rule}
			rules[rule] = s
		}
		return s
	}
	rep := &Report{Rules: []RuleScore{}, Unlabeled: []Finding{}, Lost: []Label{}, Found: []Label{}, Unclear: []Label{}, FPGone: []Label{}}
	seen := map[key]bool{}
	for _, f := range findings {
		if seen[f.key] {
			continue
		}
		seen[f.key] = true
		s := score(f.Rule)
		s.Findings++
		l, ok := ls.ByKey[f.key]
		switch {
		case !ok:
			s.Unlabeled++
			rep.Unlabeled = append(rep.Unlabeled, f)
		case l.Verdict == verdictTP:
			s.TP++
		case l.Verdict == verdictMiss:
			s.TP++
			rep.Found = append(rep.Found, l)
		case l.Verdict == verdictFP:
			s.FP++
		default:
			s.Unclear++
			rep.Unclear = append(rep.Unclear, l)
		}
	}
	for _, l := range ls.ByKey {
		if !ran[l.Repo] || seen[l.key] {
			continue
		}
		switch l.Verdict {
		case verdictTP:
			score(l.Rule).Miss++
			rep.Lost = append(rep.Lost, l)
		case verdictMiss:
			score(l.Rule).Miss++
		case verdictFP:
			rep.FPGone = append(rep.FPGone, l)
		}
	}
	rep.Total.Rule = "total"
	for _, s := range rules {
		s.finish()
		rep.Rules = append(rep.Rules, *s)
		rep.Total.Findings += s.Findings
		rep.Total.TP += s.TP
		rep.Total.FP += s.FP
		rep.Total.Unclear += s.Unclear
		rep.Total.Unlabeled += s.Unlabeled
		rep.Total.Miss += s.Miss
	}
	rep.Total.finish()
	slices.SortFunc(rep.Rules, func(a, b RuleScore) int { return strings.Compare(a.Rule, b.Rule) })
	byKey := func(a, b key) int {
		if c := strings.Compare(a.Repo, b.Repo); c != 0 {
			return c
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Rule, b.Rule)
	}
	slices.SortFunc(rep.Unlabeled, func(a, b Finding) int { return byKey(a.key, b.key) })
	for _, ls := range [][]Label{rep.Lost, rep.Found, rep.Unclear, rep.FPGone} {
		slices.SortFunc(ls, func(a, b Label) int { return byKey(a.key, b.key) })
	}
	return rep
}

func (s *RuleScore) finish() {
	s.Precision = ratio(s.TP, s.TP+s.FP)
	s.Recall = ratio(s.TP, s.TP+s.Miss)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return -1
	}
	return float64(n) / float64(d)
}
