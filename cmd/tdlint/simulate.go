package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/runtime"
)

// runSimulate executes a scenario on the reference runtime and prints the
// trace; exit 0 when it observed no problem, 1 when it did, 2 on errors.
func runSimulate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("simulate", "tdlint simulate [OPTIONS] SCENARIO.py|PROJECT",
		"Execute a scenario, or a whole project's entry points, on the reference ThreadManager runtime and print the trace.")
	fs.operands = "  SCENARIO.py  the scenario: TD callbacks and the code they start\n" +
		"  PROJECT      a folder, toeexpand tree or .tdn file: its callbacks, extensions and\n" +
		"               onFrameStart are found and called as TD would (CPython 3.11 engine)\n"
	fs.footer = "Exit status: 0 no problem observed, 1 a problem (thread conflict, blocked frame), 2 error.\n"
	var cfg runtime.Config
	fs.IntVar(&cfg.Frames, "frames", 120, "`N` frames to simulate")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "`SEED` of the scheduler: each seed is one interleaving")
	fs.IntVar(&cfg.FPS, "fps", 60, "frame `RATE`")
	fs.IntVar(&cfg.PoolSize, "pool-size", 4, "ThreadManager pool `SIZE`")
	fs.IntVar(&cfg.CPUs, "cpus", 8, "`N` CPUs of the simulated machine (caps the pool)")
	fs.Float64Var(&cfg.Preempt, "preempt", 0.25, "`PROBABILITY` that a call into TD or the runtime switches threads (negative: never)")
	fs.BoolVar(&cfg.ConflictContinues, "conflict-continues", false, "let a thread go on after a thread conflict instead of raising ThreadConflict")
	fs.BoolVar(&cfg.HookTask, "hook-task", false, "pass the task as the first argument of every hook")
	hooks := fs.String("hooks", "", "what TD passes each TDTask hook, e.g. \"SuccessHook(result) ExceptHook(task, error) RefreshHook()\" (default: SuccessHook() RefreshHook() ExceptHook(error))")
	format := fs.String("output-format", "text", "`FORMAT` of the trace: text or json")
	fs.IntVar(&cfg.MaxRecursion, "max-recursion", 1000, "how deep (`N`) Python calls may nest before they raise RecursionError")
	maxMemory := fs.String("max-memory", "256MiB", "stop the simulation with an error once its heap passes `SIZE` (bytes, or with a unit: KiB, MiB, GiB)")
	engine := fs.String("engine", "", "`ENGINE` that runs the Python: gpython (embedded, the scenarios' 3.4 dialect) or cpython (real 3.11 code; the default for a project)")
	pythonExe := fs.String("python-exe", "", "the CPython 3.11 interpreter (`PATH`) for --engine cpython (default: $TDLINT_PYTHON, python3.11 on PATH, pyenv's 3.11; TouchDesigner's own bundled Python works)")
	paths, code, done := fs.parse(args, true, stdout, stderr)
	if done {
		return code
	}
	limit, err := analyzer.ParseByteSize(*maxMemory)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint simulate: --max-memory:", err)
		return exitError
	}
	cfg.MaxMemory = limit
	if len(paths) != 1 {
		return fs.usageError(stderr, "name one scenario file")
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "tdlint simulate: unknown --output-format %q (want text or json)\n", *format)
		return exitError
	}
	if *hooks != "" {
		conv, err := runtime.ParseHookConvention(*hooks)
		if err != nil {
			fmt.Fprintln(stderr, "tdlint simulate:", err)
			return exitError
		}
		cfg.Hooks = conv
	}
	if *engine != "" && *engine != "gpython" && *engine != "cpython" {
		fmt.Fprintf(stderr, "tdlint simulate: unknown --engine %q (want gpython or cpython)\n", *engine)
		return exitError
	}
	var (
		res  *runtime.Result
		name = paths[0]
	)
	if isProjectPath(paths[0]) {
		if *engine == "gpython" {
			fmt.Fprintln(stderr, "tdlint simulate: a project runs on --engine cpython (real code is Python 3.11)")
			return exitError
		}
		proj, err := loadProject(paths)
		if err != nil {
			fmt.Fprintln(stderr, "tdlint simulate:", err)
			return exitError
		}
		if !frameSet(fs) {
			cfg.Frames = proj.ProjectFrames() // as many as its entry points need
		}
		if res, err = runtime.SimulateProject(runtime.NewCPython(*pythonExe), proj, cfg); err != nil {
			fmt.Fprintln(stderr, "tdlint simulate:", err)
			return exitError
		}
		name = proj.Name
	} else {
		sc, err := runtime.LoadScenario(paths[0])
		if err != nil {
			fmt.Fprintln(stderr, "tdlint simulate:", err)
			return exitError
		}
		e := runtime.NewGPython()
		if *engine == "cpython" {
			e = runtime.NewCPython(*pythonExe)
		}
		if res, err = runtime.SimulateWith(e, sc, cfg); err != nil {
			fmt.Fprintln(stderr, "tdlint simulate:", err)
			return exitError
		}
	}
	if *format == "json" {
		err = runtime.WriteJSON(stdout, name, res, cfg)
	} else {
		err = runtime.WriteText(stdout, res, cfg)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tdlint simulate:", err)
		return exitError
	}
	switch {
	case res.Err != nil:
		return exitError
	case res.HasProblems():
		return exitFindings
	}
	return exitClean
}

// isProjectPath says whether simulate's operand is a project (a folder, a
// toeexpand tree or a TDN file) rather than a scenario file.
func isProjectPath(p string) bool {
	if strings.HasSuffix(p, ".tdn") || strings.HasSuffix(p, ".toc") {
		return true // a TDN file, a toeexpand tree's table of contents
	}
	info, err := os.Stat(p) //nolint:gosec // the user names what to simulate
	return err == nil && info.IsDir()
}

// frameSet reports whether --frames was given.
func frameSet(fs *flagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "frames" })
	return set
}

// loadProject reads a project's Python the way check does (every layout
// the analyzer reads) and finds each file's entry points.
func loadProject(paths []string) (*runtime.Project, error) {
	inputs, errs := analyzer.Load(paths, nil, "-")
	if len(errs) > 0 {
		return nil, errs[0]
	}
	proj := projectOf(inputs)
	proj.Name = filepath.ToSlash(paths[0])
	if abs, err := filepath.Abs(paths[0]); err == nil {
		proj.Root = abs
		if !isDir(abs) {
			proj.Root = filepath.Dir(abs)
		}
	}
	if len(proj.Files) == 0 {
		return nil, fmt.Errorf("%s: no Python to simulate", paths[0])
	}
	return proj, nil
}

// skipForSimulation leaves out what TD does not run: virtual
// environments, installed packages, tests and tooling of the repository.
func skipForSimulation(name string) bool {
	for part := range strings.SplitSeq(filepath.ToSlash(name), "/") {
		switch part {
		case "site-packages", "venv", ".venv", "env", "node_modules", "__pycache__", "tests", "test":
			return true
		}
	}
	base := path.Base(filepath.ToSlash(name))
	return strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" || base == "setup.py"
}

func isDir(p string) bool {
	info, err := os.Stat(p) //nolint:gosec // a path the user named
	return err == nil && info.IsDir()
}
