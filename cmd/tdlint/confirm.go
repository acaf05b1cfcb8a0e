package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
	"github.com/tdlint/tdlint/runtime"
)

// causeRules maps what the runtime observed, an event kind and its cause,
// to the one rule that predicts it. A rule's findings are confirmed only by
// events of its own causes: a rule widened to report another rule's lines
// does not find its events there.
var causeRules = map[string]string{
	"conflict/direct":           "TD101",
	"conflict/thread-manager":   "TD102",
	"conflict/captured":         "TD103",
	"conflict/passed-in":        "TD103",
	"hold/long-lived-task":      "TD104",
	"starve/long-lived-task":    "TD104",
	"hook-error/hook-error":     "TD105",
	"conflict/output":           "TD106",
	"stall/blocking-call":       "TD201",
	"freeze/blocking-call":      "TD201",
	"stall/worker-lock":         "TD202",
	"freeze/worker-lock":        "TD202",
	"run-error/run-script-type": "TD301",
	"run-error/run-keyword":     "TD302",
	"run-error/run-syntax":      "TD303",
	"conflict/run":              "TD304",
}

// textLoc is a line of a linted text (a DAT's own line, not its file's).
type textLoc struct {
	file string
	line int
}

// observation is what the simulations of a project saw.
type observation struct {
	events   []runtime.Event
	executed map[textLoc]bool
}

// confirmOptions are check --confirm's settings.
type confirmOptions struct {
	seeds  int
	python string
}

// confirm runs the linted inputs as a project on the CPython engine (seeds
// 1..n, conflicts as TD's dialog so later lines run too) and marks each
// finding confirmed, not-reached or not-run. The problems the runtime
// observed that no finding explains come back as notes.
//
// It reports false when the code could not be simulated at all (no CPython
// 3.11, or it would not start): every finding is then not-run, and the
// caller exits 2, since what was asked for was not done.
func confirm(inputs []analyzer.Input, ds []analyzer.Diagnostic, opt confirmOptions, stderr io.Writer) ([]analyzer.Note, bool) {
	proj := projectOf(inputs)
	if wd, err := os.Getwd(); err == nil {
		proj.Root = wd
	}
	var obs observation
	obs.executed = map[textLoc]bool{}
	ran, failed := false, false
	if len(proj.Files) > 0 {
		for seed := 1; seed <= max(opt.seeds, 1); seed++ {
			cfg := runtime.Config{Seed: uint64(seed), ConflictContinues: true}
			res, err := runtime.SimulateProject(runtime.NewCPython(opt.python), proj, cfg)
			if err != nil {
				fmt.Fprintln(stderr, "tdlint check: --confirm: the code could not be simulated:", err)
				failed = true
				break
			}
			if res.Err != nil {
				fmt.Fprintf(stderr, "tdlint check: --confirm: seed %d ended early: %v\n", seed, res.Err)
			}
			ran = true
			obs.add(res)
		}
	}
	for i := range ds {
		d := &ds[i]
		d.Execution = analyzer.ExecNotRun
		if !ran || d.Range.File == nil || d.Range.File.AST == nil {
			continue
		}
		at := textLoc{d.Range.File.Name, d.Range.File.AST.Position(d.Range.Start).Line}
		switch {
		case !observable(d.Analyzer.Code):
			// TD001, TD401...: nothing the runtime sees would confirm it.
		case obs.explained(d.Analyzer.Code, at):
			d.Execution = analyzer.ExecConfirmed
		case !obs.executed[at]:
			d.Execution = analyzer.ExecNotReached
		}
	}
	return obs.unexplained(ds), !failed
}

// observable reports whether some cause the runtime reports maps to rule.
func observable(rule string) bool {
	for _, r := range causeRules {
		if r == rule {
			return true
		}
	}
	return false
}

// projectOf is the project --confirm simulates: the inputs TD would run.
func projectOf(inputs []analyzer.Input) *runtime.Project {
	proj := &runtime.Project{Name: "check"}
	calls := newCallGraph()
	// Each file is parsed once: the call graph needs every file before
	// any file's entry points can be told.
	parsed := make([]*pyparse.File, len(inputs))
	for i := range inputs {
		if !skipForSimulation(inputs[i].Name) {
			parsed[i] = pyparse.ParseFile(inputs[i].Name, inputs[i].Src, pyparse.Config{})
			calls.add(inputs[i].Name, parsed[i])
		}
	}
	for i := range inputs {
		in := &inputs[i]
		if parsed[i] == nil {
			continue
		}
		src := string(in.Src)
		module := filepath.Base(in.Module)
		if i := strings.LastIndexByte(module, '.'); i >= 0 {
			module = module[i+1:]
		}
		if module == "" || module == "." {
			continue // a parameter expression: no module, TD evaluates it
		}
		proj.Files = append(proj.Files, runtime.ProjectFile{Name: in.Name, Module: module, Src: src, Entries: findEntries(parsed[i], calls)})
	}
	proj.SortFiles()
	return proj
}

func (o *observation) add(res *runtime.Result) {
	for i := range res.Events {
		ev := &res.Events[i]
		o.executed[textLoc{ev.File, ev.Line}] = true
		if causeRules[string(ev.Kind)+"/"+string(ev.Cause)] != "" {
			o.events = append(o.events, *ev)
		}
	}
	for _, a := range res.Accesses {
		o.executed[textLoc{a.File, a.Line}] = true
	}
	for _, s := range res.Executed {
		o.executed[textLoc{s.File, s.Line}] = true
	}
}

// explains reports whether an event of rule happened at at, or was caused
// there (where a TD object was handed over, where the worker reached it).
func (o *observation) explained(rule string, at textLoc) bool {
	for i := range o.events {
		ev := &o.events[i]
		if causeRules[string(ev.Kind)+"/"+string(ev.Cause)] != rule {
			continue
		}
		if (textLoc{ev.File, ev.Line}) == at {
			return true
		}
		if ev.Origin != nil && (textLoc{ev.Origin.File, ev.Origin.Line}) == at {
			return true
		}
	}
	return false
}

// unexplained lists, once each, the problems observed that no finding of
// their rule explains: dynamic only.
func (o *observation) unexplained(ds []analyzer.Diagnostic) []analyzer.Note {
	flagged := map[string]bool{}
	for _, d := range ds {
		if d.Range.File == nil || d.Range.File.AST == nil {
			continue
		}
		at := textLoc{d.Range.File.Name, d.Range.File.AST.Position(d.Range.Start).Line}
		flagged[fmt.Sprint(d.Analyzer.Code, at)] = true
	}
	seen := map[string]bool{}
	var notes []analyzer.Note
	for i := range o.events {
		ev := &o.events[i]
		rule := causeRules[string(ev.Kind)+"/"+string(ev.Cause)]
		at := textLoc{ev.File, ev.Line}
		if flagged[fmt.Sprint(rule, at)] || ev.Origin != nil && flagged[fmt.Sprint(rule, textLoc{ev.Origin.File, ev.Origin.Line})] {
			continue
		}
		key := fmt.Sprint(rule, at, ev.Kind, ev.Cause)
		if seen[key] {
			continue
		}
		seen[key] = true
		notes = append(notes, analyzer.Note{Path: ev.File, Message: fmt.Sprintf("observed when run, not flagged (dynamic only, %s): line %d: %s %s: %s", rule, ev.Line, ev.Kind, ev.Cause, ev.Detail)})
	}
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Path < notes[j].Path })
	return notes
}
