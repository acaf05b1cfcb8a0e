package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const header = "repo\tcommit\tpath\tline\trule\tverdict\treason\n"

// labelsFixture labels two repositories; c/d is labeled but never run.
const labelsFixture = header +
	"a/b\tc1\tx.py\t10\tTD101\tTP\ttouches an op\n" +
	"a/b\tc1\tx.py\t11\tTD101\tFP\tplain value\n" +
	"a/b\tc1\tx.py\t12\tTD101\tTP\tlost later\n" +
	"a/b\tc1\tx.py\t20\tTD201\tMISS\tnow reported\n" +
	"a/b\tc1\tx.py\t21\tTD201\tMISS\tstill missed\n" +
	"a/b\tc1\tx.py\t30\tTD401\tunclear\tundecided\n" +
	"a/b\tc1\tx.py\t31\tTD401\tFP\tgone\n" +
	"e/f\tc3\t-\t0\t-\tclean\treviewed, nothing\n" +
	"c/d\tc2\ty.py\t5\tTD101\tTP\tnot run\n"

func finding(repo, path string, line int, rule string) Finding {
	return Finding{key: key{Repo: repo, Path: path, Line: line, Rule: rule}, Message: "m"}
}

func TestScore(t *testing.T) {
	ls, err := ParseLabels(strings.NewReader(labelsFixture))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ls.Repos, ","); got != "a/b,e/f,c/d" {
		t.Fatalf("repos = %s", got)
	}
	if got := strings.Join(ls.Paths("a/b"), ",") + ";" + strings.Join(ls.Paths("e/f"), ","); got != "x.py;" {
		t.Errorf("paths = %q, want the one file of a/b and none for the clean e/f", got)
	}
	rep := Score(ls, []Finding{
		finding("a/b", "x.py", 10, "TD101"),
		finding("a/b", "x.py", 10, "TD101"), // same line and rule: one finding
		finding("a/b", "x.py", 11, "TD101"),
		finding("a/b", "x.py", 20, "TD201"),
		finding("a/b", "x.py", 30, "TD401"),
		finding("a/b", "x.py", 40, "TD401"), // no label
		finding("e/f", "z.py", 1, "TD106"),  // in a clean repository: no label
	}, []string{"a/b", "e/f"})

	byRule := map[string]RuleScore{}
	for _, s := range rep.Rules {
		byRule[s.Rule] = s
	}
	want := map[string]RuleScore{
		"TD101": {Rule: "TD101", Findings: 2, TP: 1, FP: 1, Miss: 1, Precision: 0.5, Recall: 0.5},
		"TD201": {Rule: "TD201", Findings: 1, TP: 1, Miss: 1, Precision: 1, Recall: 0.5},
		"TD401": {Rule: "TD401", Findings: 2, Unclear: 1, Unlabeled: 1, Precision: -1, Recall: -1},
		"TD106": {Rule: "TD106", Findings: 1, Unlabeled: 1, Precision: -1, Recall: -1},
	}
	if len(byRule) != len(want) {
		t.Errorf("rules = %v, want %d rules", rep.Rules, len(want))
	}
	for rule, w := range want {
		if got := byRule[rule]; got != w {
			t.Errorf("%s = %+v, want %+v", rule, got, w)
		}
	}
	total := RuleScore{Rule: "total", Findings: 6, TP: 2, FP: 1, Unclear: 1, Unlabeled: 2, Miss: 2, Precision: 2.0 / 3, Recall: 0.5}
	if rep.Total != total {
		t.Errorf("total = %+v, want %+v", rep.Total, total)
	}

	keys := func(fs []key) string {
		var s []string
		for _, k := range fs {
			s = append(s, k.String())
		}
		return strings.Join(s, "; ")
	}
	labelKeys := func(ls []Label) string {
		var s []key
		for _, l := range ls {
			s = append(s, l.key)
		}
		return keys(s)
	}
	var unl []key
	for _, f := range rep.Unlabeled {
		unl = append(unl, f.key)
	}
	for _, c := range []struct{ name, got, want string }{
		{"unlabeled", keys(unl), "a/b x.py:40 TD401; e/f z.py:1 TD106"},
		{"lost", labelKeys(rep.Lost), "a/b x.py:12 TD101"},
		{"found", labelKeys(rep.Found), "a/b x.py:20 TD201"},
		{"unclear", labelKeys(rep.Unclear), "a/b x.py:30 TD401"},
		{"fp gone", labelKeys(rep.FPGone), "a/b x.py:31 TD401"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestParseLabelsRejects(t *testing.T) {
	row := func(s string) string { return header + s + "\n" }
	for name, in := range map[string]string{
		"header":       "repo\tpath\tline\n",
		"columns":      row("a/b\tc\tx.py\t1\tTD101\tTP"),
		"verdict":      row("a/b\tc\tx.py\t1\tTD101\tTP-low\tr"),
		"line":         row("a/b\tc\tx.py\tten\tTD101\tTP\tr"),
		"zero line":    row("a/b\tc\tx.py\t0\tTD101\tMISS\tr"),
		"repo":         row("ab\tc\tx.py\t1\tTD101\tTP\tr"),
		"duplicate":    row("a/b\tc\tx.py\t1\tTD101\tTP\tr") + "a/b\tc\tx.py\t1\tTD101\tFP\tr\n",
		"two commits":  row("a/b\tc\tx.py\t1\tTD101\tTP\tr") + "a/b\td\tx.py\t2\tTD101\tTP\tr\n",
		"missing rule": row("a/b\tc\tx.py\t3\t\tFP\tr"),
	} {
		if _, err := ParseLabels(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted %q", name, in)
		}
	}
	// Blank lines and CRLF endings are fine.
	ls, err := ParseLabels(strings.NewReader(strings.ReplaceAll(row("a/b\tc\tx.py\t1\tTD101\tTP\tr")+"\n", "\n", "\r\n")))
	if err != nil || len(ls.ByKey) != 1 {
		t.Errorf("CRLF file: %v, %d labels", err, len(ls.ByKey))
	}
}

// TestRunWithFakeTdlint drives the whole command with a stand-in tdlint that prints a fixed JSON
// report, so the checkout layout, the commit check and the path matching are exercised without a
// real repository.
func TestRunWithFakeTdlint(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in tdlint is a shell script")
	}
	dir := t.TempDir()
	checkout := filepath.Join(dir, "repos", "a+b")
	if err := os.MkdirAll(checkout, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		filepath.Join(checkout, "x.py"):    "",
		filepath.Join(checkout, ".commit"): "c0\n",
		filepath.Join(dir, "labels.tsv"): header +
			"a/b\tc1\tx.py\t3\tTD201\tTP\tblocks\n" +
			"a/b\tc1\tgone.py\t1\tTD201\tMISS\tfile removed\n",
		filepath.Join(dir, "tdlint"): "#!/bin/sh\ncat <<'EOF'\n" +
			`[{"code":"TD201","message":"blocks","filename":"./x.py","location":{"row":3}},` +
			`{"code":"TD106","message":"prints","filename":"x.py","location":{"row":9}}]` + "\nEOF\n",
	} {
		if err := os.WriteFile(name, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var out, warn strings.Builder
	cfg := config{tdlint: filepath.Join(dir, "tdlint"), labels: filepath.Join(dir, "labels.tsv"), dir: filepath.Join(dir, "repos")}
	if err := run(context.Background(), cfg, &out, &warn); err != nil {
		t.Fatalf("run: %v\n%s", err, warn.String())
	}
	for _, want := range []string{
		"TD201           1     1     0    100.0%     1   50.0%",
		"a/b x.py:9 TD106  prints",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"checkout is at c0, labels are at c1", "labeled file gone.py is not in the checkout"} {
		if !strings.Contains(warn.String(), want) {
			t.Errorf("warnings lack %q:\n%s", want, warn.String())
		}
	}
}
