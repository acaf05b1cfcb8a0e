package main

import (
	"fmt"
	"io"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/runtime"
)

// runSimulate executes a scenario on the reference runtime and prints the
// trace; exit 0 when it observed no problem, 1 when it did, 2 on errors.
func runSimulate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("simulate", "tdlint simulate [OPTIONS] SCENARIO.py",
		"Execute a scenario on the reference ThreadManager runtime and print the trace.")
	fs.operands = "  SCENARIO.py  the scenario: TD callbacks and the code they start\n"
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
	sc, err := runtime.LoadScenario(paths[0])
	if err != nil {
		fmt.Fprintln(stderr, "tdlint simulate:", err)
		return exitError
	}
	res, err := runtime.Simulate(sc, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint simulate:", err)
		return exitError
	}
	if *format == "json" {
		err = runtime.WriteJSON(stdout, sc.Name, res, cfg)
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
