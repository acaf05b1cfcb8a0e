// Command realworld measures tdlint against hand-labeled findings on public TouchDesigner
// repositories: it runs `tdlint check` on each labeled repository checked out under DIR (as
// DIR/<owner>+<name>), matches the findings to testdata/realworld/labels.tsv by (repo, path, line,
// rule), and prints per rule and overall the findings, true and false positives, precision, misses and
// recall; then the findings no label covers (review and label them) and the TP labels no longer found.
//
//	go run ./bench/realworld [-tdlint BIN] [-labels FILE] [-repo owner/name,...] [-json] DIR
//
// Without -tdlint it builds ./cmd/tdlint first. It exits 0 whatever the numbers are; 1 when a
// repository cannot be checked, 2 on bad usage or a bad labels file.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
)

type config struct {
	tdlint, labels, dir string
	repos               []string // empty: every labeled repository
	json                bool
}

func main() {
	var cfg config
	var repos string
	flag.StringVar(&cfg.tdlint, "tdlint", "", "the tdlint binary (default: build ./cmd/tdlint)")
	flag.StringVar(&cfg.labels, "labels", filepath.FromSlash("testdata/realworld/labels.tsv"), "the labels file")
	flag.StringVar(&repos, "repo", "", "only these repositories (owner/name, comma-separated)")
	flag.BoolVar(&cfg.json, "json", false, "print the report as JSON")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: realworld [-tdlint BIN] [-labels FILE] [-repo owner/name,...] [-json] DIR")
		os.Exit(2)
	}
	cfg.dir = flag.Arg(0)
	for r := range strings.SplitSeq(repos, ",") {
		if r = strings.TrimSpace(r); r != "" {
			cfg.repos = append(cfg.repos, r)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, cfg, os.Stdout, os.Stderr)
	stop()
	var usage usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "realworld:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "realworld:", err)
		os.Exit(1)
	}
}

type usageError struct{ error }

func run(ctx context.Context, cfg config, w, warn io.Writer) error {
	if st, err := os.Stat(cfg.dir); err != nil || !st.IsDir() {
		return usageError{fmt.Errorf("%s is not a directory of checkouts", cfg.dir)}
	}
	f, err := os.Open(cfg.labels)
	if err != nil {
		return usageError{err}
	}
	ls, err := ParseLabels(f)
	f.Close()
	if err != nil {
		return usageError{fmt.Errorf("%s: %w", cfg.labels, err)}
	}
	repos := ls.Repos
	if len(cfg.repos) > 0 {
		for _, r := range cfg.repos {
			if _, ok := ls.Commits[r]; !ok {
				return usageError{fmt.Errorf("-repo %s: no labels for it in %s", r, cfg.labels)}
			}
		}
		repos = cfg.repos
	}
	bin := cfg.tdlint
	if bin == "" {
		tmp, err := os.MkdirTemp("", "realworld-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		bin = filepath.Join(tmp, "tdlint")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/tdlint")
		build.Stdout, build.Stderr = warn, warn
		if err := build.Run(); err != nil {
			return fmt.Errorf("building ./cmd/tdlint (run from the module root, or pass -tdlint): %w", err)
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	var findings []Finding
	var checked []string
	for _, repo := range repos {
		root := filepath.Join(cfg.dir, strings.Replace(repo, "/", "+", 1))
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			fmt.Fprintf(warn, "realworld: %s: no checkout at %s; skipped\n", repo, root)
			continue
		}
		if at := checkoutCommit(ctx, root); at != "" && at != ls.Commits[repo] {
			fmt.Fprintf(warn, "realworld: %s: checkout is at %s, labels are at %s; line numbers may not match\n", repo, at, ls.Commits[repo])
		}
		for _, path := range ls.Paths(repo) {
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(path))); err != nil {
				fmt.Fprintf(warn, "realworld: %s: labeled file %s is not in the checkout\n", repo, path)
			}
		}
		fs, err := check(ctx, bin, repo, root)
		if err != nil {
			return err
		}
		findings = append(findings, fs...)
		checked = append(checked, repo)
	}
	rep := Score(ls, findings, checked)
	if cfg.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Repos []string `json:"repos"`
			*Report
		}{checked, rep})
	}
	printReport(w, rep, len(checked))
	return nil
}

// check runs tdlint on one checkout, from inside it, so that finding paths are relative to the
// repository as the labels' paths are.
func check(ctx context.Context, bin, repo, root string) ([]Finding, error) {
	cmd := exec.CommandContext(ctx, bin, "check", "--output-format", "json", "--exit-zero", ".")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: tdlint: %w: %s", repo, err, strings.TrimSpace(errb.String()))
	}
	var raw []struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Filename string `json:"filename"`
		Location struct {
			Row int `json:"row"`
		} `json:"location"`
	}
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		return nil, fmt.Errorf("%s: tdlint output is not its JSON format: %w", repo, err)
	}
	fs := make([]Finding, 0, len(raw))
	for _, r := range raw {
		p := filepath.ToSlash(filepath.Clean(r.Filename))
		if filepath.IsAbs(r.Filename) {
			if rel, err := filepath.Rel(root, r.Filename); err == nil {
				p = filepath.ToSlash(rel)
			}
		}
		fs = append(fs, Finding{key: key{Repo: repo, Path: p, Line: r.Location.Row, Rule: r.Code}, Message: r.Message})
	}
	return fs, nil
}

// checkoutCommit is the commit a checkout holds: HEAD of a git work tree, or the first line of the
// `.commit` file bench/realworld/extract.py writes; "" when neither says.
func checkoutCommit(ctx context.Context, root string) string {
	if b, err := os.ReadFile(filepath.Join(root, ".commit")); err == nil {
		return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		return ""
	}
	out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func printReport(w io.Writer, rep *Report, repos int) {
	fmt.Fprintf(w, "%d repositories\n\n", repos)
	fmt.Fprintf(w, "%-8s %8s %5s %5s %9s %5s %7s %7s %9s\n", "rule", "findings", "TP", "FP", "precision", "MISS", "recall", "unclear", "unlabeled")
	row := func(s RuleScore) {
		fmt.Fprintf(w, "%-8s %8d %5d %5d %9s %5d %7s %7d %9d\n", s.Rule, s.Findings, s.TP, s.FP, percent(s.Precision), s.Miss, percent(s.Recall), s.Unclear, s.Unlabeled)
	}
	for _, s := range rep.Rules {
		row(s)
	}
	row(rep.Total)
	section := func(title string, n int, each func(int) string) {
		if n == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s (%d):\n", title, n)
		for i := range n {
			fmt.Fprintln(w, "  "+each(i))
		}
	}
	section("findings no label covers: review and label them", len(rep.Unlabeled), func(i int) string {
		f := rep.Unlabeled[i]
		return fmt.Sprintf("%s  %s", f.key, f.Message)
	})
	labels := func(ls []Label) func(int) string {
		return func(i int) string { return fmt.Sprintf("%s  (%s)", ls[i].key, ls[i].Reason) }
	}
	section("TP labels no longer found: counted as misses", len(rep.Lost), labels(rep.Lost))
	section("MISS labels now found: counted as TP, relabel them", len(rep.Found), labels(rep.Found))
	section("findings labeled unclear: not counted", len(rep.Unclear), labels(rep.Unclear))
	section("FP labels no longer found", len(rep.FPGone), labels(rep.FPGone))
}

func percent(r float64) string {
	if r < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*r)
}
