package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// Adopting tdlint on a project that already has findings: --statistics
// to see where they are, --add-noqa to accept them in the code, a
// baseline (baseline.go) or --new-from-rev (newfromrev.go) to accept them
// outside it.

// adoption is those flags of tdlint check.
type adoption struct {
	statistics, addNoqa, updateBaseline     bool
	baselinePath, writeBaseline, newFromRev string

	base *baseline // the baseline read, if any
}

func (a *adoption) register(fs *flagSet) {
	fs.BoolVar(&a.statistics, "statistics", false, "print how many findings each rule has instead of the findings")
	fs.BoolVar(&a.addNoqa, "add-noqa", false, "add a '# noqa: CODE' comment to every line with findings (accept them all in the code)")
	fs.StringVar(&a.baselinePath, "baseline", "", "report only the findings not recorded in the baseline `FILE` (see --write-baseline)")
	fs.StringVar(&a.writeBaseline, "write-baseline", "", "record the current findings in the baseline `FILE`, then report as --baseline FILE would")
	fs.BoolVar(&a.updateBaseline, "update-baseline", false, "with --baseline, record the current findings in its file (accepting the new ones, dropping the fixed)")
	fs.StringVar(&a.newFromRev, "new-from-rev", "", "report only findings on lines changed since the git `REV` (and in files git does not track)")
}

// prepare checks the flags against each other and reads the baseline;
// done says the caller should return code.
func (a *adoption) prepare(fs *flagSet, fixing bool, stderr io.Writer) (code int, done bool) {
	switch {
	case a.updateBaseline && a.baselinePath == "":
		return fs.usageError(stderr, "--update-baseline needs --baseline FILE"), true
	case a.writeBaseline != "" && a.baselinePath != "":
		return fs.usageError(stderr, "--write-baseline FILE and --baseline FILE: use --baseline FILE --update-baseline to rewrite it"), true
	case countTrue(fixing, a.addNoqa, a.baselinePath != "" || a.writeBaseline != "" || a.newFromRev != "") > 1:
		return fs.usageError(stderr, "--fix/--diff, --add-noqa and the baseline flags do not go together"), true
	}
	if a.baselinePath != "" {
		var err error
		// --update-baseline may create the file, or replace a broken one.
		if a.base, err = loadBaseline(a.baselinePath); err != nil && !a.updateBaseline {
			fmt.Fprintln(stderr, "tdlint check:", err)
			return exitError, true
		}
	}
	return exitClean, false
}

// filter writes the baseline if asked, and returns the findings to report:
// those the baseline does not record, on lines changed since the revision.
func (a *adoption) filter(res *analyzer.Result, paths []string, stderr io.Writer) ([]analyzer.Diagnostic, error) {
	ds := res.Diagnostics
	target := a.writeBaseline
	if a.updateBaseline {
		target = a.baselinePath
	}
	if target != "" {
		// Updating from some of the files keeps the others' entries.
		base, err := newBaseline(target, ds, a.base, res.Files)
		if err == nil {
			err = base.write(target)
		}
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		n := 0
		for _, e := range base.Findings {
			n += e.Count
		}
		fmt.Fprintf(stderr, "tdlint check: wrote %d finding%s to the baseline %s\n", n, plural(n), target)
		a.base = base
	}
	if a.base != nil {
		var hidden, gone int
		ds, hidden, gone = a.base.filter(ds, res.Files)
		if hidden > 0 || gone > 0 {
			name := cmp.Or(a.baselinePath, a.writeBaseline)
			fmt.Fprintf(stderr, "tdlint check: %d finding%s in the baseline %s not shown", hidden, plural(hidden), name)
			if gone > 0 {
				fmt.Fprintf(stderr, "; %d of its finding%s no longer occur (--baseline %s --update-baseline drops them)", gone, plural(gone), name)
			}
			fmt.Fprintln(stderr)
		}
	}
	if a.newFromRev != "" {
		dir := "."
		if len(paths) > 0 && paths[0] != "-" {
			dir = paths[0]
			if info, err := os.Stat(dir); err == nil && !info.IsDir() { //nolint:gosec // the user names the paths to lint
				dir = filepath.Dir(dir)
			}
		}
		changes, err := gitChanges(context.Background(), dir, a.newFromRev)
		if err != nil {
			return nil, err
		}
		var hidden int
		if ds, hidden = changes.filter(ds); hidden > 0 {
			fmt.Fprintf(stderr, "tdlint check: %d finding%s on lines unchanged since %s not shown\n", hidden, plural(hidden), a.newFromRev)
		}
	}
	return ds, nil
}

// write prints the findings and notes, or the findings' statistics.
func (a *adoption) write(w io.Writer, format string, ds []analyzer.Diagnostic, notes []analyzer.Note, style analyzer.TextStyle) error {
	if a.statistics {
		return writeStatistics(w, format, ds)
	}
	return analyzer.WriteReportStyled(w, format, ds, notes, rules.All(), style)
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// writeStatistics prints how many findings each rule has, most first, as
// Ruff's --statistics does; [*] marks rules whose findings --fix can fix.
func writeStatistics(w io.Writer, format string, ds []analyzer.Diagnostic) error {
	type stat struct {
		Code    string `json:"code"`
		Name    string `json:"name"`
		Count   int    `json:"count"`
		Fixable bool   `json:"fixable"`
	}
	byCode := make(map[string]*stat)
	for _, d := range ds {
		s := byCode[d.Analyzer.Code]
		if s == nil {
			s = &stat{Code: d.Analyzer.Code, Name: d.Analyzer.Name}
			byCode[d.Analyzer.Code] = s
		}
		s.Count++
		for _, f := range d.SuggestedFixes {
			s.Fixable = s.Fixable || f.Safe
		}
	}
	stats := make([]stat, 0, len(byCode))
	for _, s := range byCode {
		stats = append(stats, *s)
	}
	sort.Slice(stats, func(i, j int) bool {
		if stats[i].Count != stats[j].Count {
			return stats[i].Count > stats[j].Count
		}
		return stats[i].Code < stats[j].Code
	})
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(stats)
	}
	var b strings.Builder
	width := 1
	for _, s := range stats {
		width = max(width, len(strconv.Itoa(s.Count)))
	}
	for _, s := range stats {
		mark := "   "
		if s.Fixable {
			mark = "[*]"
		}
		fmt.Fprintf(&b, "%*d\t%s\t%s %s\n", width, s.Count, s.Code, mark, s.Name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// addNoqa adds a `# noqa: CODES` to every line with findings and writes
// each changed file as --fix does, with its write function and its
// interrupt guard. Exit 0 when every finding got its comment, 1 when some
// could not (named on stderr), 2 when a file could not be written.
func addNoqa(inputs []analyzer.Input, opts analyzer.Options, status int, stderr io.Writer) int {
	for i := range inputs {
		if inputs[i].DiskPath == "" {
			fmt.Fprintln(stderr, "tdlint check: --add-noqa changes files on disk; it cannot take stdin")
			return exitError
		}
	}
	guard := watchInterrupts(stderr)
	defer guard.stop()
	res := analyzer.Run(inputs, rules.All(), opts)
	files, problems, _ := analyzer.AddNoqa(inputs, res, opts)
	if len(problems) > 0 && status == exitClean {
		status = exitFindings
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, "tdlint check: no noqa added:", analyzer.Terminal(p.Error()))
	}
	added, changed := 0, 0
	for i := range files {
		f := &files[i]
		if err := guard.write(*f); err != nil {
			fmt.Fprintln(stderr, "tdlint check: no noqa added:", analyzer.Terminal(err.Error()))
			status = exitError
			continue
		}
		added += f.Fixed
		changed++
	}
	for _, d := range res.Diagnostics {
		if d.Analyzer == analyzer.InternalErrorAnalyzer {
			status = exitError
		}
	}
	fmt.Fprintf(stderr, "Added noqa comments for %d finding%s in %d file%s.\n", added, plural(added), changed, plural(changed))
	return status
}
