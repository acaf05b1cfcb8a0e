package runtime

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Problems are the event kinds that mean a bug: a simulation with one of
// them fails (tdlint simulate exits 1).
var Problems = []EventKind{EvConflict, EvStall, EvFreeze, EvStarve, EvHold, EvError, EvRunError, EvHookError}

// Count returns how many events of each kind the result has.
func (res *Result) Count() map[EventKind]int {
	n := map[EventKind]int{}
	for i := range res.Events {
		n[res.Events[i].Kind]++
	}
	return n
}

// HasProblems reports whether the simulation observed a bug.
func (res *Result) HasProblems() bool {
	n := res.Count()
	for _, k := range Problems {
		if n[k] > 0 {
			return true
		}
	}
	return res.Err != nil
}

// Summary is one line: frames, then the problems by kind.
func (res *Result) Summary(cfg Config) string {
	var parts []string
	n := res.Count()
	for _, k := range Problems {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
		}
	}
	problems := "no problems"
	if len(parts) > 0 {
		problems = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%d frames at %d fps, seed %d: %d cooked, %d dropped; %s",
		cfg.Frames, cfg.FPS, cfg.Seed, res.Frames, res.Dropped, problems)
}

// WriteText prints the trace as an aligned table and the summary.
func WriteText(w io.Writer, res *Result, cfg Config) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FRAME\tTIME\tTHREAD\tEVENT\tWHERE\tDETAIL")
	for i := range res.Events {
		e := &res.Events[i]
		fmt.Fprintf(tw, "%d\t%.3fs\t%s\t%s\t%s\t%s\n", e.Frame, e.Time.Seconds(), e.Thread, e.Kind, e.Site, e.Detail)
		// The chain, innermost caller first, under the event's own line.
		for j := len(e.Stack) - 2; j >= 0; j-- {
			f := &e.Stack[j]
			fmt.Fprintf(tw, "\t\t\t\t  <- %s\tin %s()\n", f.Site, f.Func)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if res.Err != nil {
		fmt.Fprintln(w, "error:", res.Err)
	}
	_, err := fmt.Fprintln(w, res.Summary(cfg))
	return err
}

// jsonTrace is the JSON document of one simulation.
type jsonTrace struct {
	Scenario string         `json:"scenario"`
	Seed     uint64         `json:"seed"`
	Frames   int            `json:"frames"`
	FPS      int            `json:"fps"`
	Cooked   int            `json:"cooked"`
	Dropped  int            `json:"dropped"`
	Deadlock bool           `json:"deadlock"`
	Error    string         `json:"error,omitempty"`
	Counts   map[string]int `json:"counts"`
	Events   []Event        `json:"events"`
	Accesses []Access       `json:"accesses"`
	Executed []Site         `json:"executed"`
}

// WriteJSON prints the trace, with every TD access, as one JSON document.
func WriteJSON(w io.Writer, scenario string, res *Result, cfg Config) error {
	doc := jsonTrace{
		Scenario: scenario, Seed: cfg.Seed, Frames: cfg.Frames, FPS: cfg.FPS,
		Cooked: res.Frames, Dropped: res.Dropped, Deadlock: res.Deadlock,
		Counts: map[string]int{}, Events: res.Events, Accesses: res.Accesses,
	}
	if doc.Events == nil {
		doc.Events = []Event{}
	}
	if doc.Accesses == nil {
		doc.Accesses = []Access{}
	}
	doc.Executed = res.Executed
	if doc.Executed == nil {
		doc.Executed = []Site{}
	}
	for k, n := range res.Count() {
		doc.Counts[string(k)] = n
	}
	if res.Err != nil {
		doc.Error = res.Err.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
