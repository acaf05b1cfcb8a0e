package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/rules"
)

// listFlag collects comma-separated values from repeated flags.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// runCheck lints paths (or stdin) and prints findings; exit 0 when none is
// at or above --fail-level, 1 when some are, 2 on usage, load or internal
// errors.
func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "tdlint check [OPTIONS] [PATH]...",
		"Lint Python files, directories, toeexpand trees or stdin for TouchDesigner threading bugs.")
	fs.operands = "  PATH  a .py file, a DAT's .text file, a directory (searched for Python files\n" +
		"        and toeexpand trees) or a toeexpand tree (project.toe.dir); default: .\n" +
		"  -     read the source from stdin (name it with --stdin-filename)\n"
	fs.footer = "Exit status: 0 no findings at or above --fail-level, 1 findings,\n" +
		"2 usage, configuration, unreadable input or internal error.\n"
	var sel, ignore, extend listFlag
	fs.Var(&sel, "select", "rules to enable: `CODES`, names or code prefixes (comma-separated)")
	fs.Var(&ignore, "ignore", "rules to disable: `CODES`, names or code prefixes")
	fs.Var(&extend, "extend-select", "rules to enable on top of the selection (`CODES`)")
	format := fs.String("output-format", "full", "`FORMAT` of the report: "+strings.Join(analyzer.Formats, ", "))
	stdinName := fs.String("stdin-filename", "", "the `NAME` to report for source read from stdin (-)")
	exitZero := fs.Bool("exit-zero", false, "exit 0 even when there are findings")
	failLevel := fs.String("fail-level", "info", "lowest `SEVERITY` that makes the exit status 1: info, warning or error")
	python := fs.String("python", "", "Python `VERSION` of the code: 3.9 (TouchDesigner 2022), 3.10, 3.11 (TouchDesigner 2023 and later), 3.12 or 3.13 (default: a toeexpand tree's build says, else 3.11)")
	configPath := fs.String("config", "", "configuration `FILE` (default: the closest tdlint.toml or pyproject.toml [tool.tdlint])")
	fix := fs.Bool("fix", false, "apply the safe fixes to the files (stdin: print the fixed source)")
	diff := fs.Bool("diff", false, "print the safe fixes as a unified diff and change nothing; exit 1 if there is one")
	unsafeFixes := fs.Bool("unsafe-fixes", false, "with --fix or --diff, apply the unsafe fixes too")
	colorFlag := fs.String("color", "auto", "`WHEN` to colour the report: auto (on a terminal, unless NO_COLOR is set), always or never")
	forceExclude := fs.Bool("force-exclude", false, "apply the configuration's exclude to files named on the command line too (pre-commit passes every staged file)")
	maxFileSize := fs.String("max-file-size", "", "skip, with an error, any file larger than `SIZE` (bytes, or with a unit: KiB, MiB, GiB; default: the configuration's max-file-size, else 10MiB)")
	confirmFlag := fs.Bool("confirm", false, "run the code on the reference runtime (CPython 3.11 engine) and mark each finding confirmed, not-reached or not-run; problems observed but not flagged are listed as notes")
	var copt confirmOptions
	fs.IntVar(&copt.seeds, "confirm-seeds", 3, "with --confirm, how many scheduler seeds (`N`) to simulate")
	fs.StringVar(&copt.python, "python-exe", "", "with --confirm, the CPython 3.11 interpreter (`PATH`; default: $TDLINT_PYTHON, python3.11 on PATH, pyenv's 3.11)")
	var adopt adoption
	adopt.register(fs)
	paths, code, done := fs.parse(args, true, stdout, stderr)
	if done {
		return code
	}
	if os.Getenv("GOGC") == "" {
		// A check keeps nearly all it allocates (every file's AST is live
		// until the rules have run): a collection while the heap grows
		// marks it all and finds little garbage. At 1000 the stdlib's
		// check collects once (at 38 MB) instead of three times (at 15, 67
		// and 262 MB at 400): ~17% less wall time for 3% more peak memory,
		// the garbage left. --fix and --diff parse again: real garbage.
		gc := 1000
		if *fix || *diff {
			gc = 400
		}
		debug.SetGCPercent(gc)
	}
	configs := analyzer.NewConfigs(rules.All())
	if *configPath != "" {
		if err := configs.UseFile(*configPath); err != nil {
			fmt.Fprintln(stderr, "tdlint check:", err)
			return exitError
		}
	}
	fileLimit, err := fileSizeLimit(configs, *maxFileSize)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	var cl analyzer.CommandLine
	if *python != "" {
		version, err := pyparse.ParseVersion(*python)
		if err != nil {
			fmt.Fprintln(stderr, "tdlint check:", err)
			return exitError
		}
		cl.Version = &version
	}
	threshold, ok := map[string]analyzer.Severity{"info": analyzer.SeverityInfo, "warning": analyzer.SeverityWarning, "error": analyzer.SeverityError}[*failLevel]
	if !ok {
		fmt.Fprintf(stderr, "tdlint check: --fail-level must be info, warning or error, not %q\n", *failLevel)
		return exitError
	}
	color, err := parseColorMode(*colorFlag)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	if !validFormat(*format) {
		fmt.Fprintf(stderr, "tdlint check: unknown --output-format %q (want one of %s)\n", *format, strings.Join(analyzer.Formats, ", "))
		return exitError
	}
	for _, s := range append(append(append([]string(nil), sel...), ignore...), extend...) {
		if !selectorMatchesSomething(s) {
			fmt.Fprintf(stderr, "tdlint check: %q selects no rule (see tdlint rule --all)\n", s)
			return exitError
		}
	}
	if code, done := adopt.prepare(fs, *fix || *diff, stderr); done {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	timings := newTimings(stderr)
	folders := analyzer.NewFolders()
	inputs, notes, loadErrs := analyzer.LoadWithOptions(paths, stdin, *stdinName, analyzer.LoadOptions{MaxFileSize: fileLimit, Folders: folders})
	configs.UseFolders(folders)
	timings.since("load")
	found := len(inputs)
	governs, drop, err := configsOf(configs, inputs)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	inputs = excluded(inputs, paths, drop, *forceExclude)
	if found > 0 && len(inputs) == 0 && len(loadErrs) == 0 {
		// Everything named is excluded: nothing to lint is not an error
		// (pre-commit passes excluded files along with the rest).
		fmt.Fprintln(stderr, "tdlint check: every file given is excluded by the configuration")
		return exitClean
	}
	status := exitClean
	for _, e := range loadErrs {
		fmt.Fprintln(stderr, "tdlint check: cannot read", analyzer.Terminal(e.Error()))
		status = exitError
	}
	if len(inputs) == 0 && len(loadErrs) == 0 && len(notes) == 0 && allFiles(paths) {
		// Named files none of which holds Python (a GLSL DAT's .text, a
		// .tdn): pre-commit passes what its pattern matched.
		fmt.Fprintln(stderr, "tdlint check: no Python in the files given")
		return exitClean
	}
	if len(inputs) == 0 && len(loadErrs) == 0 && len(notes) == 0 {
		fmt.Fprintln(stderr, "tdlint check:", analyzer.ErrNoInput)
		return exitError
	}
	// Notes explain files whose Python cannot be read (binary .toe and
	// .tox). They are not findings: a project of binaries alone exits 0,
	// as nothing in the user's code is known to be wrong. The report
	// formats that have room for them carry them; the others, and --fix
	// and --diff (whose stdout may be a diff or the fixed source), print
	// them on stderr.
	if *fix || *diff || !analyzer.NotesInReport(*format) {
		for _, n := range notes {
			fmt.Fprintf(stderr, "tdlint check: %s: note: %s\n", analyzer.Terminal(n.Path), analyzer.Terminal(n.Message))
		}
		notes = nil
	}
	if len(inputs) == 0 {
		if status == exitClean {
			if err := analyzer.WriteReportStyled(stdout, *format, nil, notes, rules.All(), color.style(stdout, os.Getenv)); err != nil {
				fmt.Fprintln(stderr, "tdlint check:", err)
				return exitError
			}
		}
		return status
	}
	cl.Select, cl.Ignore, cl.ExtendSelect = sel, ignore, extend
	opts := analyzer.OptionsFor(governs, inputPaths(inputs), cl)
	opts.Phase = timings.phase()
	if adopt.addNoqa {
		return addNoqa(inputs, opts, status, stderr)
	}
	if *fix || *diff {
		return fixAndReport(inputs, opts, fixRequest{diff: *diff, unsafe: *unsafeFixes, format: *format, threshold: threshold, exitZero: *exitZero, status: status, color: color}, stdout, stderr)
	}
	timings.since("")
	res := analyzer.Run(inputs, rules.All(), opts)
	timings.since("")
	ds, err := adopt.filter(res, paths, stderr)
	if err == nil && *confirmFlag {
		observed, ok := confirm(inputs, ds, copt, stderr)
		if !ok {
			status = exitError
		}
		if analyzer.NotesInReport(*format) {
			notes = append(notes, observed...)
		} else {
			for _, n := range observed {
				fmt.Fprintf(stderr, "tdlint check: %s: note: %s\n", analyzer.Terminal(n.Path), analyzer.Terminal(n.Message))
			}
		}
		timings.since("confirm")
	}
	if err == nil {
		err = adopt.write(stdout, *format, ds, notes, color.style(stdout, os.Getenv))
	}
	if err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	timings.since("output")
	timings.print()
	return exitStatus(ds, status, threshold, *exitZero)
}

// exitStatus is 2 for load and internal errors, else 1 when a finding is
// at or above the threshold (0 with --exit-zero).
func exitStatus(ds []analyzer.Diagnostic, status int, threshold analyzer.Severity, exitZero bool) int {
	if status == exitError {
		return status
	}
	for _, d := range ds {
		if d.Analyzer == analyzer.InternalErrorAnalyzer {
			return exitError
		}
	}
	if exitZero {
		return exitClean
	}
	for _, d := range ds {
		if d.Severity >= threshold {
			return exitFindings
		}
	}
	return exitClean
}

// excluded drops the inputs the configuration excludes. A file named on
// the command line is linted anyway unless force is set, as Ruff does:
// pre-commit names every staged file, and --force-exclude keeps the
// configuration's word.
func excluded(inputs []analyzer.Input, paths []string, drop map[string]bool, force bool) []analyzer.Input {
	named := make(map[string]bool)
	for _, p := range paths {
		named[filepath.Clean(p)] = true
	}
	kept := inputs[:0]
	for i := range inputs {
		in := &inputs[i]
		if in.DiskPath == "" || !drop[in.Name] || !force && named[filepath.Clean(in.DiskPath)] {
			kept = append(kept, *in)
		}
	}
	return kept
}

func validFormat(f string) bool { return slices.Contains(analyzer.Formats, f) }

func selectorMatchesSomething(s string) bool {
	all := append(rules.All(), analyzer.SyntaxErrorAnalyzer, analyzer.UnusedNoqaAnalyzer, analyzer.InternalErrorAnalyzer)
	for _, a := range all {
		if analyzer.Matches(a, []string{s}) {
			return true
		}
	}
	return false
}

var errUnknownRule = errors.New("unknown rule")

// timings prints where a check's time went when TDLINT_TIMINGS=1: load,
// the driver's phases, output.
type timings struct {
	w     io.Writer
	on    bool
	last  time.Time
	start time.Time
	lines []string
}

func newTimings(w io.Writer) *timings {
	now := time.Now()
	return &timings{w: w, on: os.Getenv("TDLINT_TIMINGS") == "1", last: now, start: now}
}

func (t *timings) add(name string, d time.Duration) {
	t.lines = append(t.lines, fmt.Sprintf("%-10s %8.1f ms", name, d.Seconds()*1000))
}

// since records the time since the last mark under name ("" only marks).
func (t *timings) since(name string) {
	if !t.on {
		return
	}
	now := time.Now()
	if name != "" {
		t.add(name, now.Sub(t.last))
	}
	t.last = now
}

func (t *timings) phase() func(string, time.Duration) {
	if !t.on {
		return nil
	}
	return t.add
}

func (t *timings) print() {
	if !t.on {
		return
	}
	t.add("total", time.Since(t.start))
	fmt.Fprintln(t.w, strings.Join(t.lines, "\n"))
}

// fileSizeLimit is --max-file-size, else the max-file-size of the
// configuration governing the working directory (inputs are read before
// each file's own configuration is known), else the default.
func fileSizeLimit(configs *analyzer.Configs, flag string) (int64, error) {
	what := "--max-file-size"
	if flag == "" {
		cfg, err := configs.ForDir(".")
		if err != nil {
			return 0, err
		}
		if cfg == nil || cfg.MaxFileSize == "" {
			return analyzer.DefaultMaxFileSize, nil
		}
		flag, what = cfg.MaxFileSize, cfg.Path+": max-file-size"
	}
	limit, err := analyzer.ParseByteSize(flag)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return limit, nil
}
