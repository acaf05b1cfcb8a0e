package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// runRule prints a rule's documentation (tdlint rule CODE|NAME) or lists
// every rule (--all).
func runRule(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rule", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "list every rule")
	format := fs.String("output-format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	everything := append([]*analyzer.Analyzer{analyzer.SyntaxErrorAnalyzer}, rules.All()...)
	everything = append(everything, analyzer.UnusedNoqaAnalyzer, analyzer.InternalErrorAnalyzer)
	var chosen []*analyzer.Analyzer
	switch {
	case *all:
		chosen = everything
	case fs.NArg() == 1:
		a := rules.Lookup(fs.Arg(0))
		if a == nil {
			fmt.Fprintf(stderr, "tdlint rule: %v %q (see tdlint rule --all)\n", errUnknownRule, fs.Arg(0))
			return exitError
		}
		chosen = []*analyzer.Analyzer{a}
	default:
		fmt.Fprintln(stderr, "usage: tdlint rule CODE|NAME, or tdlint rule --all")
		return exitError
	}
	if *format == "json" {
		type ruleJSON struct {
			Code     string `json:"code"`
			Name     string `json:"name"`
			Summary  string `json:"summary"`
			Severity string `json:"severity"`
			Fix      bool   `json:"fix"`
			URL      string `json:"url"`
			Doc      string `json:"doc"`
		}
		var out []ruleJSON
		for _, a := range chosen {
			out = append(out, ruleJSON{a.Code, a.Name, a.Summary, a.Severity.String(), a.Fix, a.URL(), a.Doc})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return exitError
		}
		return exitClean
	}
	if *all {
		for _, a := range chosen {
			fmt.Fprintf(stdout, "%s  %-30s %-8s %s\n", a.Code, a.Name, a.Severity, a.Summary)
		}
		return exitClean
	}
	fmt.Fprint(stdout, chosen[0].Doc)
	return exitClean
}
