package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/tdlint/tdlint/rules"
	"github.com/tdlint/tdlint/runtime"
)

// The validation by execution: every scenario is linted by `tdlint check`
// and executed by `tdlint simulate` under several seeds, each simulation in
// its own process (a scenario that crashes gpython cannot take the suite
// down), and the two must agree line by line. See testdata/scenarios.

// problemKinds are the events that must be explained by a finding (error,
// an exception nothing handled, is the consequence of one of them or of the
// scenario's own code, and is not matched).
var problemKinds = map[string]bool{"conflict": true, "stall": true, "freeze": true, "hold": true, "starve": true, "hook-error": true, "run-error": true}

// agreementRules are the rules checked by execution: every rule, so a new
// one fails the test until a scenario exercises it. TD401 predicts nothing
// the runtime can observe: its scenario documents that with `# limit:`.
// The static-only rules are left out.
var agreementRules = func() []string {
	var codes []string
	for _, a := range rules.All() {
		if !staticOnlyRules[a.Code] {
			codes = append(codes, a.Code)
		}
	}
	return codes
}()

// staticOnlyRules judge how a project's files relate, not what its code
// does when it runs: a scenario is one .py file, and no execution can
// confirm or refute them. Their cases are in testdata/rules.
var staticOnlyRules = map[string]bool{
	"TD002": true, // synced-file-drift: a DAT's network copy against its .py
}

// agreementRuns are the simulations of each scenario: several seeds under
// TD's own semantics, where a thread conflict is a dialog and the thread
// goes on (so the lines after a conflict execute too), and two seeds where
// the conflict raises ThreadConflict in the thread (so the paths of
// ExceptHooks execute).
var agreementRuns = []struct {
	seed  int
	flags []string
}{
	{1, []string{"--conflict-continues"}},
	{2, []string{"--conflict-continues"}},
	{3, []string{"--conflict-continues"}},
	{4, []string{"--conflict-continues"}},
	{1, nil},
	{2, nil},
}

type loc struct {
	file string
	line int
}

func (l loc) String() string { return l.file + ":" + strconv.Itoa(l.line) }

type simSite struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

type simTrace struct {
	Error  string `json:"error"`
	Events []struct {
		simSite
		Event  string   `json:"event"`
		Cause  string   `json:"cause"`
		Detail string   `json:"detail"`
		Origin *simSite `json:"origin"`
	} `json:"events"`
	Accesses []simSite `json:"accesses"`
	Executed []simSite `json:"executed"`
}

func TestMain(m *testing.M) {
	// The agreement test runs `tdlint simulate` in a child process: this
	// test binary, asked to behave as the command.
	if os.Getenv("TDLINT_AS_COMMAND") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// childCrash matches what a Go process prints when it must not be trusted:
// a race detector report (children of a -race test binary are race builds
// too, so `make race` runs every simulation under the detector), a runtime
// fatal error ("concurrent map writes"), a panic, or a goroutine dump.
var childCrash = regexp.MustCompile(`(?m)^(WARNING: DATA RACE|fatal error:|panic:|goroutine \d+ \[)`)

// simulateInChild runs `tdlint simulate` in a child process and returns its
// trace. The child must exit as the command documents (0: no problem, 1:
// problems observed) with a clean stderr: any race report, crash or other
// exit status fails the test, whatever the trace says.
func simulateInChild(t *testing.T, scenario string, seed int, flags ...string) simTrace {
	t.Helper()
	args := append([]string{"simulate", "--output-format", "json", "--seed", strconv.Itoa(seed)}, flags...)
	cmd := exec.CommandContext(t.Context(), os.Args[0], append(args, scenario)...)
	cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if problem := childProblem(cmd.ProcessState.ExitCode(), err, stderr.String()); problem != "" {
		t.Fatalf("simulate %s %v: %s\n%s", scenario, flags, problem, stderr.String())
	}
	var tr simTrace
	if err := json.Unmarshal(stdout.Bytes(), &tr); err != nil {
		t.Fatalf("simulate %s: bad JSON: %v", scenario, err)
	}
	if tr.Error != "" {
		t.Fatalf("simulate %s --seed %d %v: %s", scenario, seed, flags, tr.Error)
	}
	return tr
}

// childProblem says why a child's run cannot be trusted ("" if it can).
func childProblem(code int, err error, stderr string) string {
	if m := childCrash.FindString(stderr); m != "" {
		return fmt.Sprintf("the child printed %q (exit %d)", strings.TrimSpace(m), code)
	}
	if code != exitClean && code != exitFindings {
		return fmt.Sprintf("exit %d (%v)", code, err)
	}
	if strings.TrimSpace(stderr) != "" {
		return "unexpected output on stderr"
	}
	return ""
}

type finding struct {
	code string
	at   loc
}

func checkStatic(t *testing.T, target string, flags ...string) []finding {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"check", "--output-format", "json", "--exit-zero"}, flags...)
	if code := run(append(args, target), strings.NewReader(""), &out, &errb); code != exitClean {
		t.Fatalf("check %s: exit %d\n%s", target, code, errb.String())
	}
	var ds []struct {
		Code     string `json:"code"`
		Filename string `json:"filename"`
		Location struct {
			Row int `json:"row"`
		} `json:"location"`
	}
	if err := json.Unmarshal(out.Bytes(), &ds); err != nil {
		t.Fatalf("check %s: bad JSON: %v", target, err)
	}
	var fs []finding
	for _, d := range ds {
		if slices.Contains(agreementRules, d.Code) {
			fs = append(fs, finding{d.Code, loc{path.Clean(filepath.ToSlash(d.Filename)), d.Location.Row}})
		}
	}
	return fs
}

var (
	limitComment = regexp.MustCompile(`#\s*limit:\s*(.+)$`)
	// limitElsewhere marks a line of another file of the project, found by
	// its text, from the scenario that drives it (the example project's
	// files stay as users see them):
	//   # limit in weather/callbacks.py at "run(reset, delay": why
	limitElsewhere = regexp.MustCompile(`#\s*limit in (\S+) at "([^"]+)":\s*(.+)$`)
)

// limits are the lines whose disagreement is documented, with the reason.
func limits(t *testing.T, files []string) map[loc]string {
	t.Helper()
	out := map[loc]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if m := limitElsewhere.FindStringSubmatch(line); m != nil {
				other := path.Join(path.Dir(filepath.ToSlash(f)), m[1])
				text, err := os.ReadFile(other)
				if err != nil {
					t.Fatalf("%s:%d: %v", f, i+1, err)
				}
				var at []int
				for j, l := range strings.Split(string(text), "\n") {
					if strings.Contains(l, m[2]) {
						at = append(at, j+1)
					}
				}
				if len(at) != 1 {
					t.Fatalf("%s:%d: %q is on %d lines of %s, want 1", f, i+1, m[2], len(at), other)
				}
				out[loc{path.Clean(other), at[0]}] = m[3]
			} else if m := limitComment.FindStringSubmatch(line); m != nil {
				out[loc{path.Clean(filepath.ToSlash(f)), i + 1}] = m[1]
			}
		}
	}
	return out
}

// tally is one row of the agreement table.
type tally struct {
	agree, staticOnly, dynamicOnly, notExecuted, limited int
}

// event is one observed problem, with the rule its cause maps to.
type event struct {
	kind, cause, rule string
	at                loc
	origin            *loc
	detail            string
}

// observed is what the simulations of one scenario saw.
type observed struct {
	file, target string
	sources      []string
	events       []event
	executed     map[loc]bool
	limits       map[loc]string
}

// agreementEngines are the engines whose simulations are checked against
// the rules: gpython always; CPython 3.11 where it is installed (under
// .ci/run it must be, TDLINT_REQUIRE_CPYTHON=1).
func agreementEngines(t *testing.T) []string {
	t.Helper()
	engines := []string{"gpython"}
	if _, err := runtime.CPythonAvailable(); err == nil {
		engines = append(engines, "cpython")
	} else if os.Getenv("TDLINT_REQUIRE_CPYTHON") == "1" {
		t.Fatalf("CPython 3.11 is required here: %v", err)
	} else {
		t.Logf("CPython engine not checked: %v", err)
	}
	return engines
}

// agreementScenarios lists the scenarios of an engine: every file of
// testdata/scenarios, and the example project driven by its scenario.py;
// on CPython also the 3.11 code gpython cannot run (testdata/cpython: a
// callbacks DAT, and a project driven by its entry points).
func agreementScenarios(t *testing.T, engine string) []*observed {
	t.Helper()
	var out []*observed
	if engine == "cpython" {
		project, err := filepath.Glob("../../testdata/cpython/project/*.py")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out,
			&observed{file: "../../testdata/cpython/fetch_callbacks.py", target: "../../testdata/cpython/fetch_callbacks.py", sources: []string{"../../testdata/cpython/fetch_callbacks.py"}},
			&observed{file: "../../testdata/cpython/project", target: "../../testdata/cpython/project", sources: project})
	}
	files, err := filepath.Glob("../../testdata/scenarios/*.py")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		out = append(out, &observed{file: f, target: f, sources: []string{f}})
	}
	example, err := filepath.Glob("../../testdata/example/*/*.py")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, &observed{file: "../../testdata/example/scenario.py", target: "../../testdata/example", sources: append(example, "../../testdata/example/scenario.py")})
}

// simulated caches the simulations by engine: the mutation test reuses
// them and re-runs only the static side.
var simulated = map[string][]*observed{}

// simulateAll runs every scenario's simulations on engine (once per test
// binary).
func simulateAll(t *testing.T, engine string) []*observed {
	t.Helper()
	if s, ok := simulated[engine]; ok {
		return s
	}
	scenarios := agreementScenarios(t, engine)
	for _, sc := range scenarios {
		sc.executed = map[loc]bool{}
		sc.limits = limits(t, sc.sources)
		seen := map[string]bool{}
		for _, r := range agreementRuns {
			tr := simulateInChild(t, sc.file, r.seed, append([]string{"--engine", engine}, r.flags...)...)
			for _, e := range tr.Events {
				if !problemKinds[e.Event] {
					continue
				}
				ev := event{kind: e.Event, cause: e.Cause, rule: causeRules[e.Event+"/"+e.Cause], at: loc{path.Clean(e.File), e.Line}, detail: e.Detail}
				if e.Origin != nil {
					ev.origin = &loc{path.Clean(e.Origin.File), e.Origin.Line}
				}
				key := fmt.Sprint(ev.kind, ev.cause, ev.at, ev.origin)
				if !seen[key] {
					seen[key] = true
					sc.events = append(sc.events, ev)
				}
				sc.executed[ev.at] = true
			}
			for _, s := range append(tr.Accesses, tr.Executed...) {
				sc.executed[loc{path.Clean(s.File), s.Line}] = true
			}
		}
	}
	simulated[engine] = scenarios
	return scenarios
}

// explains reports whether finding f predicts event e: the event's cause
// maps to f's rule, and it happened on f's line or was caused there (its
// origin): where a TD object was passed to the worker (TD103), where the
// worker reached the TD object or the ThreadManager it uses on a later
// line (TD101, TD102), where the task holding the pool was enqueued
// (TD104's starved tasks).
func explains(f finding, e event) bool {
	if e.rule != f.code {
		return false
	}
	if e.at == f.at {
		return true
	}
	return e.origin != nil && *e.origin == f.at
}

// agreement compares the static findings of each scenario (static[i] for
// scenarios[i]) with what its simulations observed, rule by rule; it
// returns the table and every disagreement.
func agreement(scenarios []*observed, static [][]finding) (table map[string]*tally, problems []string) {
	table = map[string]*tally{}
	for _, c := range agreementRules {
		table[c] = &tally{}
	}
	row := func(code string) *tally {
		if table[code] == nil {
			table[code] = &tally{}
		}
		return table[code]
	}
	flagged := map[string]bool{}
	for i, sc := range scenarios {
		usedLimit := map[loc]bool{}
		for _, f := range static[i] {
			flagged[f.code] = true
			matched := false
			for _, e := range sc.events {
				if explains(f, e) {
					matched = true
					break
				}
			}
			switch {
			case matched:
				row(f.code).agree++
			case sc.limits[f.at] != "":
				row(f.code).limited++
				usedLimit[f.at] = true
			case !sc.executed[f.at]:
				row(f.code).notExecuted++
				problems = append(problems, fmt.Sprintf("%s: %s flagged a line no simulation executes; make the scenario run it, or mark it `# limit: why`", f.at, f.code))
			default:
				row(f.code).staticOnly++
				problems = append(problems, fmt.Sprintf("%s: %s flagged a line that executed, and the runtime saw nothing of that rule there (static only)", f.at, f.code))
			}
		}
		for _, e := range sc.events {
			if e.rule == "" {
				problems = append(problems, fmt.Sprintf("%s: the runtime observed %s with cause %q, which no rule predicts (%s)", e.at, e.kind, e.cause, e.detail))
				continue
			}
			explained := false
			for _, f := range static[i] {
				if explains(f, e) {
					explained = true
					break
				}
			}
			if explained {
				continue
			}
			if sc.limits[e.at] != "" {
				row(e.rule).limited++
				usedLimit[e.at] = true
				continue
			}
			row(e.rule).dynamicOnly++
			problems = append(problems, fmt.Sprintf("%s: the runtime observed %s (%s: %s) and %s does not flag the line (dynamic only)", e.at, e.kind, e.cause, e.detail, e.rule))
		}
		for l, why := range sc.limits {
			if !usedLimit[l] {
				problems = append(problems, fmt.Sprintf("%s: marked `# limit: %s` but static and dynamic agree there now; remove the mark", l, why))
			}
		}
	}
	for _, c := range agreementRules {
		if !flagged[c] {
			problems = append(problems, c+": no scenario exercises this rule")
		}
		if row(c).agree == 0 && observable(c) {
			problems = append(problems, c+": no finding was confirmed by execution")
		}
	}
	sort.Strings(problems)
	return table, problems
}

// staticAll lints every scenario's target with the given check flags.
func staticAll(t *testing.T, scenarios []*observed, flags ...string) [][]finding {
	t.Helper()
	out := make([][]finding, len(scenarios))
	for i, sc := range scenarios {
		out[i] = checkStatic(t, sc.target, flags...)
	}
	return out
}

func TestStaticAndDynamicAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every scenario under several seeds")
	}
	for _, engine := range agreementEngines(t) {
		t.Run(engine, func(t *testing.T) {
			scenarios := simulateAll(t, engine)
			table, problems := agreement(scenarios, staticAll(t, scenarios))
			var b strings.Builder
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "rule\tagree\tstatic-only\tdynamic-only\tnot executed\tdocumented limit\t")
			for _, c := range agreementRules {
				r := table[c]
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", c, r.agree, r.staticOnly, r.dynamicOnly, r.notExecuted, r.limited)
			}
			_ = tw.Flush()
			t.Logf("agreement on %s over %d scenarios, %d simulations each:\n%s", engine, len(scenarios), len(agreementRuns), b.String())
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// TestChildProblems: the harness rejects a child that raced, crashed or
// exited with an undocumented status, even when its trace looks fine.
func TestChildProblems(t *testing.T) {
	race := "==================\nWARNING: DATA RACE\nWrite at 0x00c000 by goroutine 7:\n"
	crash := "fatal error: concurrent map writes\n\ngoroutine 12 [running]:\nmain.main()\n"
	for _, tc := range []struct {
		code   int
		stderr string
		bad    bool
	}{
		{exitClean, "", false},
		{exitFindings, "", false},
		{exitFindings, race, true},
		{exitClean, race, true},
		{2, crash, true},
		{exitFindings, "panic: boom\n\ngoroutine 1 [running]:\n", true},
		{66, "", true}, // the race detector's exit status
		{exitError, "", true},
		{exitClean, "some warning\n", true},
	} {
		if got := childProblem(tc.code, nil, tc.stderr) != ""; got != tc.bad {
			t.Errorf("exit %d, stderr %q: problem = %v, want %v", tc.code, tc.stderr, got, tc.bad)
		}
	}
}

// neighbours are the rules whose findings a rule could wrongly report too:
// those predicting the same kind of event (a conflict, a stall, a run()
// error), which per-kind matching could not tell apart.
var neighbours = map[string][]string{
	"TD101": {"TD102", "TD103", "TD106", "TD304"},
	"TD102": {"TD101", "TD103", "TD106", "TD304"},
	"TD103": {"TD101", "TD102", "TD106", "TD304"},
	"TD106": {"TD101", "TD102", "TD103", "TD304"},
	"TD304": {"TD101", "TD102", "TD103", "TD106"},
	"TD201": {"TD202"},
	"TD202": {"TD201"},
	"TD301": {"TD302", "TD303"},
	"TD302": {"TD301", "TD303"},
	"TD303": {"TD301", "TD302"},
}

// TestAgreementCanFail is the mutation test of the oracle: for every rule,
// `tdlint check` with that rule disabled (--ignore), and the rule widened
// to report its neighbours' findings as its own, must each make the
// agreement check report a problem. The simulations are reused; only the
// static side runs again.
func TestAgreementCanFail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every scenario under several seeds")
	}
	for _, engine := range agreementEngines(t) {
		t.Run(engine, func(t *testing.T) { mutate(t, simulateAll(t, engine)) })
	}
}

// mutate runs the mutation test on one engine's simulations.
func mutate(t *testing.T, scenarios []*observed) {
	t.Helper()
	if _, problems := agreement(scenarios, staticAll(t, scenarios)); len(problems) > 0 {
		t.Fatalf("the unmutated rules disagree already (see TestStaticAndDynamicAgree): %v", problems)
	}
	for _, code := range agreementRules {
		t.Run(code+"/disabled", func(t *testing.T) {
			_, problems := agreement(scenarios, staticAll(t, scenarios, "--ignore", code))
			if len(problems) == 0 {
				t.Errorf("with %s disabled the agreement check still passes: it cannot see %s's findings go", code, code)
			}
		})
		if len(neighbours[code]) == 0 {
			continue
		}
		t.Run(code+"/widened", func(t *testing.T) {
			static := staticAll(t, scenarios)
			for i, fs := range static {
				for _, f := range fs {
					if slices.Contains(neighbours[code], f.code) {
						static[i] = append(static[i], finding{code, f.at})
					}
				}
			}
			_, problems := agreement(scenarios, static)
			if len(problems) == 0 {
				t.Errorf("with %s also reporting %v's findings the agreement check still passes", code, neighbours[code])
			} else {
				t.Logf("%d problems, e.g. %s", len(problems), problems[0])
			}
		})
	}
}
