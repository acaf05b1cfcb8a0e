package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// Adopting tdlint on a project that already has findings: --statistics
// to see where they are, --add-noqa to accept them in the code, a
// baseline (baseline.go) to accept them outside it.

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
// each changed file the way --fix does (atomically, only if unchanged
// since it was read). Exit 0 when every finding got its comment, 1 when
// some could not (named on stderr), 2 when a file could not be written.
func addNoqa(inputs []analyzer.Input, opts analyzer.Options, status int, stderr io.Writer) int {
	for i := range inputs {
		if inputs[i].DiskPath == "" {
			fmt.Fprintln(stderr, "tdlint check: --add-noqa changes files on disk; it cannot take stdin")
			return exitError
		}
	}
	res := analyzer.Run(inputs, rules.All(), opts)
	files, problems, _ := analyzer.AddNoqa(inputs, res, opts)
	if len(problems) > 0 && status == exitClean {
		status = exitFindings
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, "tdlint check: no noqa added:", analyzer.Terminal(p.Error()))
	}
	added, changed := 0, 0
	for _, f := range files {
		if err := analyzer.WriteFixed(f); err != nil {
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
