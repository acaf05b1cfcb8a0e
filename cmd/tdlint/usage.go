package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// flagSet is a command's flags and the help `--help` prints: a synopsis,
// what the command does, what its operands mean, and the flags written
// GNU-style (--name VALUE), as Ruff and golangci-lint users read them. Go's
// flag package parses; its own usage text (-name, "string") is not shown.
//
// A flag's usage names its value in backquotes, which flag.UnquoteUsage
// lifts out: "`FORMAT` of the report" shows as "--output-format FORMAT".
type flagSet struct {
	*flag.FlagSet
	synopsis string // "tdlint check [OPTIONS] [PATH]..."
	about    string // one paragraph
	operands string // what the operands mean, pre-indented lines
	footer   string // exit status and the like
}

func newFlagSet(name, synopsis, about string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), synopsis: synopsis, about: about}
	// flag prints the error itself; the help goes to stdout on request
	// only, and a mistake gets a pointer to it instead of the whole text.
	fs.Usage = func() {}
	return fs
}

// parse parses args; flags may come before, between or after the
// operands (as Ruff accepts them) when interspersed is set, and "--" ends
// the flags. done says the caller should return code: --help was printed
// (exit 0) or the flags were wrong (exit 2).
func (fs *flagSet) parse(args []string, interspersed bool, stdout, stderr io.Writer) (operands []string, code int, done bool) {
	fs.SetOutput(io.Discard) // the error is printed below, in GNU spelling
	var err error
	if interspersed {
		operands, err = parseInterspersed(fs.FlagSet, args)
	} else {
		err = fs.Parse(args)
		operands = fs.Args()
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.printHelp(stdout)
		return nil, exitClean, true
	case err != nil:
		msg := strings.Replace(flagNameRE.ReplaceAllString(err.Error(), "$1--$2"), "flag provided but not defined:", "unknown option", 1)
		fmt.Fprintf(stderr, "tdlint %s: %s\nusage: %s\nRun 'tdlint %s --help' for the options.\n", fs.Name(), msg, fs.synopsis, fs.Name())
		return nil, exitError, true
	}
	return operands, exitClean, false
}

// flagNameRE finds the -name the flag package writes in its errors.
var flagNameRE = regexp.MustCompile(`(^|[\s:])-([A-Za-z][\w-]*)`)

// usageError reports a wrong use that the flags themselves allowed (a
// missing operand) the way parse reports a wrong flag.
func (fs *flagSet) usageError(stderr io.Writer, problem string) int {
	fmt.Fprintf(stderr, "tdlint %s: %s\nusage: %s\nRun 'tdlint %s --help' for the options.\n", fs.Name(), problem, fs.synopsis, fs.Name())
	return exitError
}

func (fs *flagSet) printHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(fs.about + "\n\nUsage: " + fs.synopsis + "\n")
	if fs.operands != "" {
		b.WriteString("\nArguments:\n" + fs.operands)
	}
	type row struct{ left, right string }
	var rows []row
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if value != "" && !isBool(f) {
			left += " " + value
		}
		if f.DefValue != "" && !isBool(f) && !strings.Contains(usage, "default") {
			usage += fmt.Sprintf(" (default: %s)", f.DefValue)
		}
		rows = append(rows, row{left, usage})
	})
	rows = append(rows, row{"-h, --help", "print this help"})
	b.WriteString("\nOptions:\n")
	writeColumns(&b, len(rows), func(i int) (string, string) { return rows[i].left, rows[i].right })
	if fs.footer != "" {
		b.WriteString("\n" + fs.footer)
	}
	_, _ = io.WriteString(w, b.String())
}

// writeColumns prints n two-column rows, the right column aligned and
// wrapped to fit 80 columns; a left column too wide for that puts its text
// on the next line.
func writeColumns(b *strings.Builder, n int, row func(int) (string, string)) {
	const maxLeft, lineWidth = 28, 80
	width := 0
	for i := range n {
		if l, _ := row(i); len(l) <= maxLeft {
			width = max(width, len(l))
		}
	}
	indent := strings.Repeat(" ", width+4)
	for i := range n {
		l, r := row(i)
		lines := wrap(r, max(lineWidth-len(indent), 30))
		if len(l) > width {
			fmt.Fprintf(b, "  %s\n%s%s\n", l, indent, lines[0])
		} else {
			fmt.Fprintf(b, "  %-*s  %s\n", width, l, lines[0])
		}
		for _, more := range lines[1:] {
			fmt.Fprintf(b, "%s%s\n", indent, more)
		}
	}
}

// wrap breaks s into lines of at most width bytes at spaces (a longer word
// gets a line of its own).
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for word := range strings.FieldsSeq(s) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseInterspersed parses flags placed before, between or after paths,
// as Ruff accepts them; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(paths, rest...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}
