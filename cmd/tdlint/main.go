// Command tdlint finds TouchDesigner threading bugs in Python code: TD access
// from worker threads, blocking calls on the main thread and run() misuse.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
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
		{"version", "print the version and the commit it was built from", runVersion},
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
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	switch args[0] {
	case "-h", "--help":
		usage(stdout)
		return exitClean
	case "-V", "--version":
		return runVersion(nil, stdin, stdout, stderr)
	case "help":
		// tdlint help check is tdlint check --help.
		if len(args) == 1 {
			usage(stdout)
			return exitClean
		}
		if c := lookupCommand(args[1]); c != nil {
			return c.run([]string{"--help"}, stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "tdlint help: unknown command %q\n\n", args[1])
		usage(stderr)
		return exitError
	}
	if c := lookupCommand(args[0]); c != nil {
		return c.run(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "tdlint: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitError
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("tdlint finds TouchDesigner threading bugs in Python: TD objects touched from\n" +
		"worker threads, blocking calls on the main thread, run() and ThreadManager misuse.\n\n" +
		"Usage: tdlint <COMMAND> [OPTIONS] [ARGS]...\n\nCommands:\n")
	cs := append(commands(), command{name: "help", summary: "print a command's help (tdlint help check)"})
	writeColumns(&b, len(cs), func(i int) (string, string) { return cs[i].name, cs[i].summary })
	b.WriteString("\nOptions:\n")
	writeColumns(&b, 2, func(i int) (string, string) {
		return [...]string{"-h, --help", "-V, --version"}[i], [...]string{"print this help", "print the version"}[i]
	})
	b.WriteString("\nRun 'tdlint help <COMMAND>' or 'tdlint <COMMAND> --help' for a command's options.\n" +
		"Rules: tdlint rule --all; a rule's documentation: tdlint rule CODE.\n")
	_, _ = io.WriteString(w, b.String())
}

// version is set by the linker for releases (-ldflags "-X main.version=…");
// otherwise the module version `go install …@version` records is shown.
var version = "devel"

// versionString is the version, the VCS commit the binary was built from
// (with "dirty" when the tree had changes) and the Go release, from the
// build information the go command embeds.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "tdlint " + version
	}
	return describeBuild(version, info)
}

func describeBuild(v string, info *debug.BuildInfo) string {
	if v != "devel" {
		// A release (make release links the version in): its version
		// names it, and packaging checks the line is exactly this.
		return "tdlint " + v
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		c := "commit " + rev[:min(len(rev), 12)]
		if dirty {
			c += "+dirty"
		}
		if t, _, found := strings.Cut(when, "T"); found {
			c += " " + t
		}
		extra = append(extra, c)
	}
	extra = append(extra, info.GoVersion)
	return "tdlint " + v + " (" + strings.Join(extra, ", ") + ")"
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "tdlint version", "Print tdlint's version, the commit it was built from and the Go release.")
	if _, code, done := fs.parse(args, false, stdout, stderr); done {
		return code
	}
	fmt.Fprintln(stdout, versionString())
	return exitClean
}
