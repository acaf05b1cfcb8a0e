package main

import (
	"fmt"
	"io"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/rules"
)

// fixRequest is what --fix and --diff were asked to do.
type fixRequest struct {
	diff, unsafe bool
	format       string
	threshold    analyzer.Severity
	exitZero     bool
	status       int // exitError when some input could not be read
}

// fixAndReport applies the fixes (--fix) or prints them as a diff (--diff).
//
// --fix writes each changed file atomically and then reports what is left;
// for stdin it prints the fixed source on stdout and the findings on
// stderr, as Ruff does, so that editors can pipe through it. --diff writes
// nothing and exits 1 when there is something to fix.
func fixAndReport(inputs []analyzer.Input, opts analyzer.Options, req fixRequest, stdout, stderr io.Writer) int {
	res, fixed, problems := analyzer.Fix(inputs, rules.All(), opts, req.unsafe)
	status := req.status
	for _, p := range problems {
		fmt.Fprintln(stderr, "tdlint check: not fixed:", p)
		status = exitError
	}
	findings := 0
	for _, f := range fixed {
		findings += f.Fixed
	}
	if req.diff {
		for _, f := range fixed {
			if err := analyzer.UnifiedDiff(stdout, f.Name, f.Old, f.New); err != nil {
				fmt.Fprintln(stderr, "tdlint check:", err)
				return exitError
			}
		}
		fmt.Fprintf(stderr, "Would fix %d finding%s in %d file%s.\n", findings, plural(findings), len(fixed), plural(len(fixed)))
		switch {
		case status == exitError:
			return exitError
		case len(fixed) > 0:
			return exitFindings
		}
		return exitClean
	}
	report := stdout
	text := make(map[int][]byte)
	for _, f := range fixed {
		if f.DiskPath == "" {
			text[f.Index] = f.Text
			continue
		}
		if err := analyzer.WriteFixed(f); err != nil {
			fmt.Fprintln(stderr, "tdlint check: not fixed:", err)
			status = exitError
		}
	}
	for i := range inputs {
		in := &inputs[i]
		if in.DiskPath != "" {
			continue
		}
		// Stdin comes back whole, fixed or not: the caller replaces its
		// buffer with what it reads.
		src, ok := text[i]
		if !ok {
			src = in.Src
		}
		if _, err := stdout.Write(src); err != nil {
			fmt.Fprintln(stderr, "tdlint check:", err)
			return exitError
		}
		report = stderr
	}
	if err := analyzer.Write(report, req.format, res.Diagnostics, rules.All()); err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	fmt.Fprintf(stderr, "Fixed %d finding%s in %d file%s.\n", findings, plural(findings), len(fixed), plural(len(fixed)))
	return exitStatus(res.Diagnostics, status, req.threshold, req.exitZero)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
