package analyzer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdlint/tdlint/pyparse"
)

// SyntaxErrorAnalyzer reports files CPython would refuse to run. It has no
// Run: the driver reports parse errors through it.
var SyntaxErrorAnalyzer = &Analyzer{
	Code:     "TD001",
	Name:     "syntax-error",
	Summary:  "the file does not parse as Python",
	Severity: SeverityError,
	Doc: `# syntax-error (TD001)

## What it does
Reports the first syntax error of a file, with CPython's message and position.

## Why is this bad
TouchDesigner cannot compile the DAT or module: nothing in it runs, and every
other finding for the file is based on what could be recovered around the error.

## Example
` + "```python\nif ready\n    op('out').par.go.pulse()\n```" + `

## Use instead
` + "```python\nif ready:\n    op('out').par.go.pulse()\n```\n",
}

// InternalErrorAnalyzer reports a crash of tdlint itself on one file; the
// other files are still linted.
var InternalErrorAnalyzer = &Analyzer{
	Code:     "TD999",
	Name:     "internal-error",
	Summary:  "tdlint failed on this file",
	Severity: SeverityError,
	Doc: `# internal-error (TD999)

## What it does
Reports that tdlint itself failed while analysing a file. The rest of the run
goes on; the file's other findings may be incomplete.

## Why is this bad
It is a bug in tdlint, not in your code: please report it with the file.

## Example
(none)

## Use instead
(none)
`,
}

// Options control a run.
type Options struct {
	// Version is the grammar; 0 lets each file's Input.Python choose
	// (its TouchDesigner build's), else 3.11.
	Version pyparse.Version
	// Select, Ignore and ExtendSelect take codes, names or code prefixes.
	Select, Ignore, ExtendSelect []string
	Tables                       *Tables
	// PerFile, when set, returns the settings of the configuration that
	// governs a file (by its input name): they replace the run's
	// version and selection for it. nil means the run's.
	PerFile func(name string) *FileSettings
	// Jobs bounds parallelism (0: GOMAXPROCS).
	Jobs int
	// Phase, when set, is told the time each step of a run took (tdlint
	// check with TDLINT_TIMINGS=1 prints them).
	Phase func(name string, d time.Duration)
}

// FileSettings are the rule selection and grammar of one file's
// configuration.
type FileSettings struct {
	// Version is 0 when neither the configuration nor the command line
	// sets one (see grammar).
	Version pyparse.Version
	// Select, Ignore and ExtendSelect are as in Options; Ignore includes
	// what per-file-ignores disables for the file.
	Select, Ignore, ExtendSelect []string
}

// versionOf is the grammar of the file of that name.
func (opts *Options) versionOf(name string) pyparse.Version {
	if opts.PerFile != nil {
		if s := opts.PerFile(name); s != nil {
			return s.Version
		}
	}
	return opts.Version
}

// phaseClock returns a function that reports the time since its last call
// under the name it is given.
func phaseClock(report func(string, time.Duration)) func(string) {
	if report == nil {
		return nil
	}
	last := time.Now()
	return func(name string) {
		now := time.Now()
		report(name, now.Sub(last))
		last = now
	}
}

// Input is one unit to lint before parsing.
type Input struct {
	Name     string // shown to users
	DiskPath string // "" for stdin
	OpPath   string
	Module   string
	Src      []byte
	// DiskLineOffset is how many lines precede the text in DiskPath.
	DiskLineOffset int
	// Decoded says Src is text already (an editor's buffer), not bytes
	// to decode by their coding cookie.
	Decoded bool
	// Disk is what DiskPath held when it was read, and Src sits at
	// Disk[TextStart:]: a DAT's text follows a header. --fix writes the
	// file back from these, and only if it still holds Disk.
	Disk      []byte
	TextStart int
	// NoFix, when set, is why fixes must not be written to this input
	// (a DAT whose header is damaged).
	NoFix string
	// CallbacksOf says whose callbacks a DAT holds ("DAT:parexec",
	// "docked to webserver1"), "" when it holds none.
	CallbacksOf string
	// Python is the grammar of the TouchDesigner build that saved the
	// file (a toeexpand tree's .build), 0 if unknown; Options.Version,
	// when set, wins.
	Python pyparse.Version
	// DiskLines places each line of Src in DiskPath when it is not a
	// run of lines after DiskLineOffset (a DAT in a .tdn file).
	DiskLines []DiskLine
	// Extensions are the classes of this DAT that a COMP's extension
	// parameter makes extensions.
	Extensions []string
	// Embedded is the DAT's own text in its tree when Src is the file the
	// DAT is synced to (its file parameter), nil otherwise.
	Embedded *EmbeddedCopy
	// tdn is where a DAT of a .tdn file sits in it, for writing its
	// fixed text back (see rewriteTDN).
	tdn *tdnText
	// unreferenced marks a DAT text that is Python only if other code in
	// its tree uses it as a module (see dropUnreferenced).
	unreferenced bool
	// tree is the toeexpand tree of a DAT or its synced file, "" for
	// none.
	tree string
}

// Result is what a run found.
type Result struct {
	Files       []*SourceFile
	Diagnostics []Diagnostic
	Program     *Program
}

// LoadError is a file that could not be read; the run goes on without it.
type LoadError struct {
	Path string
	Err  error
}

func (e *LoadError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

func (e *LoadError) Unwrap() error { return e.Err }

// LoadOptions bound what Load reads.
type LoadOptions struct {
	// MaxFileSize is the most bytes read from one file or stdin (0:
	// DefaultMaxFileSize); a larger input is a LoadError.
	MaxFileSize int64
	// Folders, when set, records what the walks saw of each folder, for
	// the configuration lookups that follow (Configs.UseFolders).
	Folders *Folders
}

// Load reads the named files and directories ("-" is stdin, shown as
// stdinName). Unreadable paths come back as LoadErrors; the rest still load.
func Load(paths []string, stdin io.Reader, stdinName string) ([]Input, []error) {
	inputs, _, errs := LoadWithOptions(paths, stdin, stdinName, LoadOptions{})
	return inputs, errs
}

// LoadWithNotes is Load that also says which files hold Python it cannot
// read (binary .toe and .tox files), one Note a file.
func LoadWithNotes(paths []string, stdin io.Reader, stdinName string) ([]Input, []Note, []error) {
	return LoadWithOptions(paths, stdin, stdinName, LoadOptions{})
}

// LoadWithOptions is LoadWithNotes within the bounds of opts. A FIFO,
// device or socket found by a directory walk is skipped; one named
// explicitly is a LoadError wrapping ErrNotRegular, as is an input over
// the size limit (FileTooLargeError).
func LoadWithOptions(paths []string, stdin io.Reader, stdinName string, opts LoadOptions) ([]Input, []Note, []error) {
	limit := opts.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	folders := opts.Folders
	if folders == nil {
		folders = NewFolders() // for the project's pyproject.toml lookups
	}
	// The walk only finds the files; they are read in parallel after it,
	// and come out in the order the walk found them.
	type pending struct {
		path   string
		dat    bool
		binary bool
		tdn    bool
		parm   bool
		input  *Input // stdin, read already
		// walked is a file a directory walk found, not one named.
		walked bool
	}
	var found []pending
	var errs []error
	for _, path := range paths {
		if path == "-" {
			src, err := readLimited(stdin, limit)
			if err != nil {
				errs = append(errs, &LoadError{Path: "<stdin>", Err: err})
				continue
			}
			name := stdinName
			if name == "" {
				name = "<stdin>"
			}
			found = append(found, pending{input: &Input{Name: name, Src: src, Module: ModuleName(name)}})
			continue
		}
		if tree, ok := strings.CutSuffix(path, ".toc"); ok && (strings.HasSuffix(tree, ".toe") || strings.HasSuffix(tree, ".tox")) {
			// A toeexpand tree's table of contents names the tree: its
			// lines are paths, not Python.
			if info, err := os.Stat(tree + ".dir"); err != nil || !info.IsDir() {
				errs = append(errs, &LoadError{Path: path, Err: errors.New("a toeexpand table of contents without its tree (" + filepath.Base(tree) + ".dir)")})
				continue
			}
			path = tree + ".dir"
		}
		info, err := os.Stat(path)
		if err != nil {
			errs = append(errs, &LoadError{Path: path, Err: err})
			continue
		}
		if !info.IsDir() {
			found = append(found, pending{path: path, dat: isDATText(path), binary: isTDBinaryName(path), tdn: isTDN(path), parm: isParmFile(path)})
			continue
		}
		errs = append(errs, walkProject(path, nil, folders, func(p string, kind projectFile, _ fs.DirEntry) error {
			found = append(found, pending{path: p, dat: kind == datText, binary: kind == tdBinaryFile, tdn: kind == tdnFile, parm: kind == parmFile, walked: true})
			return nil
		})...)
	}
	type loaded struct {
		inputs []Input
		refs   []netRef
		notes  []Note
		errs   []error
	}
	results := make([]loaded, len(found))
	trees := &toeTrees{syncFiles: true}
	parallel(len(found), runtime.GOMAXPROCS(0), func(i int) {
		f := found[i]
		switch {
		case f.input != nil:
			results[i].inputs = []Input{*f.input}
		case f.dat:
			results[i].inputs, results[i].errs = loadDAT(trees, nil, nil, f.path, limit)
		case f.tdn:
			results[i].inputs, results[i].errs = loadTDN(nil, nil, f.path)
		case f.parm:
			results[i].inputs, results[i].refs, results[i].errs = loadParm(trees, f.path, limit)
		case f.binary:
			if note, ok := binaryNote(f.path); ok {
				results[i].notes = []Note{note}
			} else {
				results[i].notes = []Note{{Path: filepath.ToSlash(f.path), Message: "not a TouchDesigner binary tdlint knows, nor Python: not linted"}}
			}
		default:
			results[i].inputs, results[i].errs = loadFile(nil, nil, f.path, limit)
		}
		if f.walked {
			// A symbolic link the walk found that leads to a FIFO or a
			// device is skipped as the FIFO itself would be.
			results[i].errs = slices.DeleteFunc(results[i].errs, func(err error) bool { return errors.Is(err, ErrNotRegular) })
		}
	})
	n := 0
	for _, r := range results {
		n += len(r.inputs)
	}
	// Sized once: an Input is a large struct, and appending thousands
	// left each smaller copy as garbage while the files are still being
	// read (the first collection then found little live, and set a low
	// goal for the rest of the check).
	inputs := make([]Input, 0, n)
	var notes []Note
	var refs []netRef
	for _, r := range results {
		inputs = append(inputs, r.inputs...)
		refs = append(refs, r.refs...)
		notes = append(notes, r.notes...)
		errs = append(errs, r.errs...)
	}
	inputs = applyNetwork(inputs, refs)
	inputs = dropUnreferenced(inputs)
	setTreeGrammars(inputs)
	setProjectGrammars(inputs, folders)
	return inputs, notes, errs
}

func loadFile(inputs []Input, errs []error, path string, limit int64) ([]Input, []error) {
	src, err := readRegular(path, limit)
	if err != nil {
		return inputs, append(errs, &LoadError{Path: path, Err: err})
	}
	return append(inputs, Input{Name: filepath.ToSlash(path), DiskPath: path, Src: src, Module: ModuleName(path), Disk: src}), errs
}

// ModuleName is the name code imports a file by: its base name, or its
// folder's for a package's __init__.py.
func ModuleName(path string) string {
	base := filepath.Base(path)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	if name == "__init__" {
		if dir := filepath.Base(filepath.Dir(path)); dir != "." && dir != string(filepath.Separator) {
			return dir
		}
	}
	return name
}

// Run parses the inputs in parallel, builds the program, runs the selected
// analyzers on every file in parallel and returns the unsuppressed
// findings, sorted. A panic while analysing one file becomes an
// internal-error diagnostic for that file.
func Run(inputs []Input, all []*Analyzer, opts Options) *Result {
	start := time.Now()
	files := Parse(inputs, opts)
	if opts.Phase != nil {
		opts.Phase("parse", time.Since(start))
	}
	return Analyze(files, all, opts, nil)
}

// Parse parses the inputs in parallel. The files are kept together, so
// each worker allocates its files' ASTs from one arena.
func Parse(inputs []Input, opts Options) []*SourceFile {
	files := make([]*SourceFile, len(inputs))
	n := jobs(opts)
	arenas := make([]*pyparse.Arena, n)
	parallelWorkers(len(inputs), n, func(w, i int) {
		if arenas[w] == nil {
			arenas[w] = pyparse.NewArena()
		}
		files[i] = parseInput(&inputs[i], opts, arenas[w])
	})
	return files
}

// ParseInput parses one input.
func ParseInput(in *Input, opts Options) *SourceFile { return parseInput(in, opts, nil) }

// reparseInput parses an input whose text was last's before an edit,
// reusing what the edit left alone (see pyparse.Reparse).
func reparseInput(in *Input, opts Options, last *SourceFile) *SourceFile {
	if last == nil || last.AST == nil || last.Name != in.Name {
		return ParseInput(in, opts)
	}
	return sourceFile(in, pyparse.Reparse(last.AST, in.Src, pyparse.Config{Version: grammar(in, opts), Decoded: in.Decoded}))
}

func parseInput(in *Input, opts Options, arena *pyparse.Arena) *SourceFile {
	return sourceFile(in, pyparse.ParseFile(in.Name, in.Src, pyparse.Config{Version: grammar(in, opts), Decoded: in.Decoded, Arena: arena}))
}

// grammar is the Python version an input is parsed as: its
// configuration's or the command line's, else its TouchDesigner build's
// (Input.Python), else 3.11.
func grammar(in *Input, opts Options) pyparse.Version {
	if v := opts.versionOf(in.Name); v != 0 {
		return v
	}
	return in.Python
}

// sourceFile is an input's file with its parse.
func sourceFile(in *Input, ast *pyparse.File) *SourceFile {
	return &SourceFile{
		Name: in.Name, DiskPath: in.DiskPath, OpPath: in.OpPath, ModuleName: in.Module, DiskLineOffset: in.DiskLineOffset,
		CallbacksOf: in.CallbacksOf, DiskLines: in.DiskLines, AST: ast,
		ExtensionClasses: in.Extensions, Embedded: in.Embedded,
		disk: in.Disk, textStart: in.TextStart, tdn: in.tdn, noFix: in.NoFix,
	}
}

func jobs(opts Options) int {
	if opts.Jobs > 0 {
		return opts.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

// Analyze builds the program of all files and runs the selected analyzers
// on those that lint accepts (every file when lint is nil): the language
// server lints the open files against the whole workspace.
func Analyze(files []*SourceFile, all []*Analyzer, opts Options, lint func(*SourceFile) bool) *Result {
	tables := opts.Tables
	if tables == nil {
		tables = DefaultTables()
	}
	res := &Result{Files: files}
	selected := Select(all, opts.Select, opts.Ignore, opts.ExtendSelect)
	var buildErr *Diagnostic
	func() {
		defer func() {
			if r := recover(); r != nil && len(files) > 0 {
				buildErr = &Diagnostic{
					Range: Range{File: files[0]}, Analyzer: InternalErrorAnalyzer, Severity: SeverityError,
					Message: fmt.Sprintf("internal error while building the program model: %v", r),
				}
			}
		}()
		res.Program = buildProgram(files, tables, phaseClock(opts.Phase))
	}()
	if buildErr != nil {
		res.Diagnostics = append(res.Diagnostics, *buildErr)
		return res
	}
	if lint != nil {
		files = slices.DeleteFunc(slices.Clone(files), func(f *SourceFile) bool { return !lint(f) })
	}
	// A file whose model could not be built is an internal error, and its
	// rules do not run on half a model; the other files are linted.
	if len(res.Program.failed) > 0 {
		files = slices.DeleteFunc(slices.Clone(files), func(f *SourceFile) bool {
			msg, failed := res.Program.Failed(f)
			if failed {
				res.Diagnostics = append(res.Diagnostics, Diagnostic{
					Range: Range{File: f}, Analyzer: InternalErrorAnalyzer, Severity: SeverityError, Message: msg,
				})
			}
			return failed
		})
	}
	lintStart := time.Now()
	// With fewer files than cores (the language server's one edited file)
	// a file's rules run in parallel instead.
	ruleJobs := 1
	if len(files) < jobs(opts) {
		ruleJobs = jobs(opts)
	}
	// The files of one configuration share its selection.
	chosen := make([][]*Analyzer, len(files))
	byConfig := make(map[*FileSettings][]*Analyzer)
	for i, f := range files {
		chosen[i] = selected
		if opts.PerFile == nil {
			continue
		}
		if settings := opts.PerFile(f.Name); settings != nil {
			sel, ok := byConfig[settings]
			if !ok {
				sel = Select(all, settings.Select, settings.Ignore, settings.ExtendSelect)
				byConfig[settings] = sel
			}
			chosen[i] = sel
		}
	}
	perFile := make([][]Diagnostic, len(files))
	parallel(len(files), jobs(opts), func(i int) {
		sel := chosen[i]
		perFile[i] = lintFile(res.Program, files[i], sel, ruleJobs)
	})
	// Sized once: a large project's tens of thousands of findings, grown
	// by doubling, left every smaller copy as garbage.
	n := len(res.Diagnostics) // the internal errors of building the program
	for _, ds := range perFile {
		n += len(ds)
	}
	if n > cap(res.Diagnostics) {
		res.Diagnostics = append(make([]Diagnostic, 0, n), res.Diagnostics...)
	}
	for _, ds := range perFile {
		res.Diagnostics = append(res.Diagnostics, ds...)
	}
	SortDiagnostics(res.Diagnostics)
	if opts.Phase != nil {
		opts.Phase("rules", time.Since(lintStart))
	}
	return res
}

func lintFile(prog *Program, f *SourceFile, selected []*Analyzer, ruleJobs int) (out []Diagnostic) {
	if len(f.AST.Errors) > 0 && isSelected(selected, SyntaxErrorAnalyzer) {
		e := f.AST.Errors[0]
		start, end := e.Start, e.EndPos
		if e.Span == (pyparse.Span{}) && e.Line > 0 {
			start = f.AST.LineStart(e.Line)
			end = start
		}
		out = append(out, Diagnostic{
			Range: Range{File: f, Start: start, End: end}, Analyzer: SyntaxErrorAnalyzer,
			Severity: SeverityError, Message: "SyntaxError: " + e.Msg,
		})
	}
	if ruleJobs <= 1 {
		// The rules run in turn and report into out through one pass: a
		// pass, a report function and a slice of findings per rule and
		// file, copied together afterwards, were most of what the rules
		// phase allocated. out is a buffer reused from file to file; the
		// file's findings leave in a copy of their final size.
		sc, ok := findingScratches.Get().(*[]Diagnostic)
		if !ok {
			sc = new([]Diagnostic)
		}
		out = append((*sc)[:0], out...)
		pass := &Pass{File: f, Program: prog, Report: func(d Diagnostic) { out = append(out, d) }}
		for _, a := range selected {
			if a.Run != nil {
				pass.Analyzer = a
				runPass(pass, &out)
			}
		}
		out = suppress(f, out, selected)
		found := clone(out)
		*sc = out[:0]
		findingScratches.Put(sc)
		return found
	}
	found := make([][]Diagnostic, len(selected))
	parallel(len(selected), ruleJobs, func(i int) {
		if selected[i].Run != nil {
			found[i] = runAnalyzer(prog, f, selected[i])
		}
	})
	for _, ds := range found {
		out = append(out, ds...)
	}
	return suppress(f, out, selected)
}

// findingScratches hold the buffers a file's findings are gathered in.
var findingScratches = sync.Pool{New: func() any { return new([]Diagnostic) }}

func runAnalyzer(prog *Program, f *SourceFile, a *Analyzer) (out []Diagnostic) {
	pass := &Pass{Analyzer: a, File: f, Program: prog, Report: func(d Diagnostic) { out = append(out, d) }}
	runPass(pass, &out)
	return out
}

// runPass runs the pass's analyzer, whose findings its Report adds to
// out; a panic or an error of the analyzer is an internal error in out.
func runPass(pass *Pass, out *[]Diagnostic) {
	a, f := pass.Analyzer, pass.File
	defer func() {
		if r := recover(); r != nil {
			*out = append(*out, Diagnostic{
				Range: Range{File: f}, Analyzer: InternalErrorAnalyzer, Severity: SeverityError,
				Message: fmt.Sprintf("internal error in rule %s: %v\n%s", a.Code, r, firstFrames(debug.Stack())),
			})
		}
	}()
	if err := a.Run(pass); err != nil {
		*out = append(*out, Diagnostic{
			Range: Range{File: f}, Analyzer: InternalErrorAnalyzer, Severity: SeverityError,
			Message: fmt.Sprintf("internal error in rule %s: %v", a.Code, err),
		})
	}
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

func parallel(n, jobs int, f func(i int)) {
	parallelWorkers(n, jobs, func(_, i int) { f(i) })
}

// parallelWorkers is parallel telling f which of the jobs workers (0 to
// jobs-1) runs it: a worker runs one call at a time. Workers claim indexes
// from a shared counter: a program has tens of thousands of function
// bodies, and handing each over a channel cost a goroutine wake-up apiece.
func parallelWorkers(n, jobs int, f func(worker, i int)) {
	if n == 0 {
		return
	}
	if jobs <= 1 || n == 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(jobs, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(w, i)
			}
		})
	}
	wg.Wait()
}

// parallelRuns is parallel for many small items (a program's function
// bodies): workers claim runs of consecutive indexes, not one at a time,
// so that the cores do not contend for the counter, nor for the cache
// lines of neighbouring items' results, at every item.
func parallelRuns(n, jobs int, f func(i int)) {
	const run = 16
	runs := (n + run - 1) / run
	parallelWorkers(runs, jobs, func(_, r int) {
		for i := r * run; i < min((r+1)*run, n); i++ {
			f(i)
		}
	})
}

// SortDiagnostics orders findings by file, position and code.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Range.File != b.Range.File {
			if an, bn := fileName(a.Range.File), fileName(b.Range.File); an != bn {
				return an < bn
			}
			// The DATs of one .tdn file: in the file's order.
			if pa, pb := Location(a.Range.File, a.Range.Start), Location(b.Range.File, b.Range.Start); pa.Line != pb.Line {
				return pa.Line < pb.Line
			}
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start < b.Range.Start
		}
		return a.Analyzer.Code < b.Analyzer.Code
	})
}

func fileName(f *SourceFile) string {
	if f == nil {
		return ""
	}
	return f.Name
}

// ---------------------------------------------------------------------------
// Selection

// Select returns the analyzers chosen by select/ignore/extend-select, each
// a list of codes, kebab-case names or code prefixes ("TD1", "ALL"). The
// driver's own TD001 and TD999 are always available.
func Select(all []*Analyzer, sel, ignore, extend []string) []*Analyzer {
	candidates := append([]*Analyzer{SyntaxErrorAnalyzer, UnusedNoqaAnalyzer, InternalErrorAnalyzer}, all...)
	var out []*Analyzer
	for _, a := range candidates {
		chosen := len(sel) == 0 || Matches(a, sel)
		if Matches(a, extend) {
			chosen = true
		}
		if Matches(a, ignore) {
			chosen = false
		}
		if a == InternalErrorAnalyzer {
			chosen = true
		}
		if chosen {
			out = append(out, a)
		}
	}
	return out
}

// Matches reports whether any selector names a: a code, a name or a code
// prefix, in any case.
func Matches(a *Analyzer, selectors []string) bool {
	for _, s := range selectors {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case strings.EqualFold(s, "ALL"):
			return true
		case strings.EqualFold(s, a.Name), strings.EqualFold(s, a.Code):
			return true
		case strings.HasPrefix(strings.ToUpper(a.Code), strings.ToUpper(s)) && isCodePrefix(s):
			return true
		}
	}
	return false
}

func isCodePrefix(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isSelected(selected []*Analyzer, a *Analyzer) bool { return slices.Contains(selected, a) }

// ErrNoInput is returned when nothing was given to lint.
var ErrNoInput = errors.New("no Python files to lint")
