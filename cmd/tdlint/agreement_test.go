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
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
)

// The validation by execution: every scenario is linted by `tdlint check`
// and executed by `tdlint simulate` under several seeds, each simulation in
// its own process (a scenario that crashes gpython cannot take the suite
// down), and the two must agree line by line. See testdata/scenarios.

// kindRules are the rules that explain each event the runtime reports.
var kindRules = map[string][]string{
	"conflict":   {"TD101", "TD102", "TD103", "TD304"},
	"handoff":    {"TD103"},
	"stall":      {"TD201", "TD202"},
	"freeze":     {"TD201"},
	"hold":       {"TD104"},
	"starve":     {"TD104"},
	"hook-error": {"TD105"},
	"run-error":  {"TD301", "TD302", "TD303"},
}

// ruleKinds is the inverse: the events a rule's finding predicts. TD401
// predicts nothing the runtime can observe (see its scenario's limit).
var ruleKinds = map[string][]string{
	"TD101": {"conflict"},
	"TD102": {"conflict"},
	"TD103": {"conflict", "handoff"},
	"TD104": {"hold", "starve"},
	"TD105": {"hook-error"},
	"TD106": {"conflict"},
	"TD201": {"stall", "freeze"},
	"TD202": {"stall"},
	"TD301": {"run-error"},
	"TD302": {"run-error"},
	"TD303": {"run-error"},
	"TD304": {"conflict"},
	"TD401": nil,
}

var agreementSeeds = []int{1, 2, 3, 4}

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

func checkStatic(t *testing.T, target string) []finding {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--output-format", "json", "--exit-zero", target}, strings.NewReader(""), &out, &errb); code != exitClean {
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
		if _, ok := ruleKinds[d.Code]; ok {
			fs = append(fs, finding{d.Code, loc{path.Clean(filepath.ToSlash(d.Filename)), d.Location.Row}})
		}
	}
	return fs
}

var limitComment = regexp.MustCompile(`#\s*limit:\s*(.+)$`)

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
			if m := limitComment.FindStringSubmatch(line); m != nil {
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

func TestStaticAndDynamicAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every scenario under several seeds")
	}
	type scenario struct {
		file, target string
		sources      []string
	}
	scenarioFiles, err := filepath.Glob("../../testdata/scenarios/*.py")
	if err != nil || len(scenarioFiles) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	var scenarios []scenario
	for _, f := range scenarioFiles {
		scenarios = append(scenarios, scenario{f, f, []string{f}})
	}
	example, err := filepath.Glob("../../testdata/example/*/*.py")
	if err != nil {
		t.Fatal(err)
	}
	scenarios = append(scenarios, scenario{"../../testdata/example/scenario.py", "../../testdata/example", append(example, "../../testdata/example/scenario.py")})

	table := map[string]*tally{}
	row := func(code string) *tally {
		if table[code] == nil {
			table[code] = &tally{}
		}
		return table[code]
	}
	flagged := map[string]bool{}
	var problems []string
	for _, sc := range scenarios {
		static := checkStatic(t, sc.target)
		lim := limits(t, sc.sources)
		usedLimit := map[loc]bool{}
		type event struct {
			kind   string
			at     loc
			origin *loc
			detail string
		}
		var events []event
		executed := map[loc]bool{}
		seenEvent := map[string]bool{}
		for _, seed := range agreementSeeds {
			tr := simulateInChild(t, sc.file, seed)
			for _, e := range tr.Events {
				if _, ok := kindRules[e.Event]; !ok {
					continue
				}
				ev := event{kind: e.Event, at: loc{path.Clean(e.File), e.Line}, detail: e.Detail}
				if e.Origin != nil {
					ev.origin = &loc{path.Clean(e.Origin.File), e.Origin.Line}
				}
				key := fmt.Sprint(ev.kind, ev.at, ev.origin)
				if !seenEvent[key] {
					seenEvent[key] = true
					events = append(events, ev)
				}
				executed[ev.at] = true
			}
			for _, s := range append(tr.Accesses, tr.Executed...) {
				executed[loc{path.Clean(s.File), s.Line}] = true
			}
		}
		explains := func(f finding, e event) bool {
			for _, k := range ruleKinds[f.code] {
				if k != e.kind {
					continue
				}
				if e.at == f.at {
					return true
				}
				// A conflict on an object handed to the worker is TD103's
				// finding where it was handed over; a starved task is
				// TD104's where the task holding the pool was enqueued.
				if e.origin != nil && *e.origin == f.at && (f.code == "TD103" || f.code == "TD104") {
					return true
				}
			}
			return false
		}
		for _, f := range static {
			flagged[f.code] = true
			matched := false
			for _, e := range events {
				if explains(f, e) {
					matched = true
					break
				}
			}
			switch {
			case matched:
				row(f.code).agree++
			case lim[f.at] != "":
				row(f.code).limited++
				usedLimit[f.at] = true
			case len(ruleKinds[f.code]) == 0:
				row(f.code).staticOnly++
				problems = append(problems, fmt.Sprintf("%s: %s has no runtime counterpart; document the limit on the line with `# limit: why`", f.at, f.code))
			case !executed[f.at]:
				row(f.code).notExecuted++
			default:
				row(f.code).staticOnly++
				problems = append(problems, fmt.Sprintf("%s: %s flagged a line that executed, and the runtime saw nothing there (static only)", f.at, f.code))
			}
		}
		for _, e := range events {
			explained := false
			for _, f := range static {
				if explains(f, e) {
					explained = true
					break
				}
			}
			if explained {
				continue
			}
			code := kindRules[e.kind][0]
			if lim[e.at] != "" {
				row(code).limited++
				usedLimit[e.at] = true
				continue
			}
			row(code).dynamicOnly++
			problems = append(problems, fmt.Sprintf("%s: the runtime observed %s (%s) and no rule flags the line (dynamic only)", e.at, e.kind, e.detail))
		}
		for l, why := range lim {
			if !usedLimit[l] {
				problems = append(problems, fmt.Sprintf("%s: marked `# limit: %s` but static and dynamic agree there now; remove the mark", l, why))
			}
		}
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rule\tagree\tstatic-only\tdynamic-only\tnot executed\tdocumented limit\t")
	codes := make([]string, 0, len(ruleKinds))
	for c := range ruleKinds {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		r := row(c)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", c, r.agree, r.staticOnly, r.dynamicOnly, r.notExecuted, r.limited)
	}
	_ = tw.Flush()
	t.Logf("agreement over %d scenarios, seeds %v:\n%s", len(scenarios), agreementSeeds, b.String())
	for _, c := range codes {
		if !flagged[c] {
			problems = append(problems, c+": no scenario exercises this rule")
		}
		if len(ruleKinds[c]) > 0 && row(c).agree == 0 {
			problems = append(problems, c+": no finding was confirmed by execution")
		}
	}
	for _, p := range problems {
		t.Error(p)
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
