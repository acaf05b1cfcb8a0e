package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"

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
	color        colorMode
}

// fixAndReport applies the fixes (--fix) or prints them as a diff (--diff).
//
// --fix writes each changed file (see analyzer.WriteFixed) and then reports
// what is left; for stdin it prints the fixed source on stdout and the
// findings on stderr, as Ruff does, so that editors can pipe through it.
// A file that could not be fixed or written is named with the reason, its
// findings are reported as they stand, and the exit status is 2. --diff
// writes nothing and exits 1 when there is something to fix.
func fixAndReport(inputs []analyzer.Input, opts analyzer.Options, req fixRequest, stdout, stderr io.Writer) int {
	var guard *interruptGuard
	if !req.diff {
		guard = watchInterrupts(stderr)
		defer guard.stop()
	}
	res, fixed, problems := analyzer.Fix(inputs, rules.All(), opts, req.unsafe)
	status := req.status
	notFixed := make(map[string]bool)
	for _, p := range problems {
		fmt.Fprintln(stderr, "tdlint check: not fixed:", p)
		notFixed[p.Name] = true
		status = exitError
	}
	if req.diff {
		findings := 0
		for i := range fixed {
			f := &fixed[i]
			findings += f.Fixed
			if err := analyzer.UnifiedDiff(stdout, f.Name, f.Old, f.New); err != nil {
				fmt.Fprintln(stderr, "tdlint check:", err)
				return exitError
			}
		}
		fmt.Fprintf(stderr, "Would fix %d finding%s in %d file%s%s.\n", findings, plural(findings), len(fixed), plural(len(fixed)), notFixedNote(len(notFixed)))
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
	var done []analyzer.FixedFile
	for i := range fixed {
		f := &fixed[i]
		if f.DiskPath == "" {
			text[f.Index] = f.Text
			done = append(done, *f)
			continue
		}
		if err := guard.write(*f); err != nil {
			fmt.Fprintln(stderr, "tdlint check: not fixed:", err)
			notFixed[f.Name] = true
			status = exitError
			continue
		}
		done = append(done, *f)
	}
	if len(done) < len(fixed) {
		// The report is what the files hold now: a file that could not
		// be written keeps its findings.
		now := slices.Clone(inputs)
		for i := range done {
			f := &done[i]
			now[f.Index].Src = f.Text
			for _, t := range f.Also {
				now[t.Index].Src = t.Text
			}
		}
		res = analyzer.Run(now, rules.All(), opts)
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
	if err := analyzer.WriteStyled(report, req.format, res.Diagnostics, rules.All(), req.color.style(report, os.Getenv)); err != nil {
		fmt.Fprintln(stderr, "tdlint check:", err)
		return exitError
	}
	findings := 0
	for i := range done {
		findings += done[i].Fixed
	}
	fmt.Fprintf(stderr, "Fixed %d finding%s in %d file%s%s.\n", findings, plural(findings), len(done), plural(len(done)), notFixedNote(len(notFixed)))
	return exitStatus(res.Diagnostics, status, req.threshold, req.exitZero)
}

// notFixedNote adds the files left unfixed to the summary line.
func notFixedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d file%s not fixed (see above)", n, plural(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// interruptGuard makes SIGINT and SIGTERM during --fix stop cleanly: the
// write under way finishes (each file is fixed whole or left as it was),
// no temporary file is left, and tdlint exits 128+signal (130 for Ctrl-C)
// saying how far it got. A second signal stops without waiting for a
// write that hangs, still removing the temporary files.
type interruptGuard struct {
	mu      sync.Mutex // held while a file is written
	sigs    chan os.Signal
	done    chan struct{}
	written atomic.Int64
	stderr  io.Writer
}

func watchInterrupts(stderr io.Writer) *interruptGuard {
	g := &interruptGuard{sigs: make(chan os.Signal, 2), done: make(chan struct{}), stderr: stderr}
	signal.Notify(g.sigs, os.Interrupt, syscall.SIGTERM)
	go g.watch()
	return g
}

func (g *interruptGuard) watch() {
	var sig os.Signal
	select {
	case sig = <-g.sigs:
	case <-g.done:
		return
	}
	code := 128 + int(syscall.SIGINT)
	if sig == syscall.SIGTERM {
		code = 128 + int(syscall.SIGTERM)
	}
	go func() {
		select {
		case <-g.sigs:
		case <-g.done:
			return
		}
		analyzer.RemoveTempFiles()
		fmt.Fprintf(g.stderr, "tdlint check: interrupted again (%v): stopped without waiting for the write under way; no temporary file left\n", sig)
		os.Exit(code)
	}()
	g.mu.Lock() // the write under way ends, removing its temporary file
	analyzer.RemoveTempFiles()
	n := g.written.Load()
	fmt.Fprintf(g.stderr, "tdlint check: interrupted (%v): %d file%s fixed before it, the others left as they were; no temporary file left\n", sig, n, plural(int(n)))
	os.Exit(code)
}

// write writes one fixed file, unless an interrupt came first (then it
// waits for the exit).
func (g *interruptGuard) write(ff analyzer.FixedFile) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := analyzer.WriteFixed(ff); err != nil {
		return err
	}
	g.written.Add(1)
	return nil
}

func (g *interruptGuard) stop() {
	signal.Stop(g.sigs)
	close(g.done)
}
