// Command tdlint finds TouchDesigner threading bugs in Python code: TD access
// from worker threads, blocking calls on the main thread and run() misuse.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// Exit codes, as Ruff uses them.
const (
	exitClean    = 0 // no findings
	exitFindings = 1 // findings at or above the fail level
	exitError    = 2 // usage, config or internal error
)

// command is one `tdlint <name>` subcommand. Commands take their streams as
// arguments so the end-to-end tests can run them in-process.
type command struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"check", "lint files, directories, toeexpand trees or stdin", runCheck},
		{"rule", "print a rule's documentation (tdlint rule CODE|NAME, or --all)", runRule},
		{"simulate", "execute a scenario on the reference ThreadManager runtime", runSimulate},
		{"server", "run the language server on stdio", runServer},
		{"debug", "developer tools: debug ast FILE... dumps CPython-identical ASTs", runDebug},
		{"version", "print the version", runVersion},
	}
}

func main() {
	stop := startProfiles(os.Stderr)
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startProfiles writes CPU and heap profiles when TDLINT_CPUPROFILE or
// TDLINT_MEMPROFILE name files: for `go tool pprof`, without flags on
// every command.
func startProfiles(stderr io.Writer) (stop func()) {
	var cpu *os.File
	if path := os.Getenv("TDLINT_CPUPROFILE"); path != "" {
		f, err := os.Create(path) //nolint:gosec // the developer names the profile file
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(stderr, "tdlint: cpu profile:", err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if path := os.Getenv("TDLINT_MEMPROFILE"); path != "" {
			runtime.GC()              // the profile is as of the last collection
			f, err := os.Create(path) //nolint:gosec // the developer names the profile file
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				_ = f.Close()
			}
			if err != nil {
				fmt.Fprintln(stderr, "tdlint: memory profile:", err)
			}
		}
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitError
		}
		return exitClean
	}
	if args[0] == "--version" || args[0] == "-V" { // as ruff and pip spell it
		args[0] = "version"
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "tdlint: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: tdlint <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

// version is set by the linker for releases.
var version = "devel"

func runVersion(_ []string, _ io.Reader, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "tdlint %s\n", version)
	return exitClean
}
