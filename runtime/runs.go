package runtime

import (
	"fmt"
	"time"
)

// Owner is what a run executes from (fromOP); a destroyed owner cancels
// its runs.
type Owner interface {
	Valid() bool
}

// RunSpec is one run() call.
type RunSpec struct {
	// Fn is the script or callable, already bound to its arguments.
	Fn          func(t *Thread) error
	DelayFrames int
	Delay       time.Duration // delayMilliSeconds
	EndFrame    bool
	FromOP      Owner
	Group       string
	// Label describes the script for the trace.
	Label string
}

// Run is a scheduled run() (TD's Run object).
type Run struct {
	ID   int
	Spec RunSpec
	Site Site
	// dueFrame is the first frame whose phase may run it; dueTime the
	// first time (delayMilliSeconds).
	dueFrame int
	dueTime  time.Duration
	// Active can be cleared to skip the run (TD's Run.active).
	Active bool
	// Done: it ran, was killed or was cancelled.
	Done bool
	rt   *Runtime
}

// Schedule is run(). Without a delay and endFrame the script runs now, on
// t; otherwise it is queued for the main thread and the Run returned. The
// caller must have recorded run() as a TD access.
func (t *Thread) Schedule(spec RunSpec) (*Run, error) {
	r := t.rt
	t.Point()
	r.nextRun++
	run := &Run{ID: r.nextRun, Spec: spec, Site: t.Site(), Active: true, rt: r}
	if spec.DelayFrames <= 0 && spec.Delay <= 0 && !spec.EndFrame {
		run.Done = true
		r.event(t, EvRun, run.Site, "run "+itoa(run.ID)+" now: "+spec.Label)
		return run, spec.Fn(t)
	}
	run.dueFrame = r.frame + max(spec.DelayFrames, 0)
	run.dueTime = r.now + spec.Delay
	if spec.EndFrame && spec.DelayFrames <= 0 && r.phase == "end" {
		// end-of-frame runs made during the end phase wait for the next one
		run.dueFrame++
	}
	if spec.Delay > 0 {
		// delayMilliSeconds is rounded to whole frames, as TD does
		// without wallTime
		fd := r.FrameDuration()
		run.dueFrame = max(run.dueFrame, r.frame+int((spec.Delay+fd/2)/fd))
	}
	r.runs = append(r.runs, run)
	when := "frame " + itoa(run.dueFrame)
	if spec.EndFrame {
		when = "end of " + when
	}
	r.event(t, EvRun, run.Site, fmt.Sprintf("run %d scheduled for %s: %s", run.ID, when, spec.Label))
	return run, nil
}

// Kill removes the run before it executes.
func (run *Run) Kill(t *Thread) {
	if run.Done {
		return
	}
	run.Done, run.Active = true, false
	run.rt.event(t, EvRun, t.Site(), "run "+itoa(run.ID)+" killed")
}

// RemainingFrames is how many frames are left before the run executes.
func (run *Run) RemainingFrames() int { return max(run.dueFrame-run.rt.frame, 0) }

// runDue executes the runs due in this frame's run phase (endFrame false)
// or end phase (endFrame true), in scheduling order.
func (r *Runtime) runDue(t *Thread, endFrame bool) {
	var keep []*Run
	due := make([]*Run, 0, len(r.runs))
	for _, run := range r.runs {
		switch {
		case run.Done:
		case run.Spec.EndFrame == endFrame && run.dueFrame <= r.frame:
			due = append(due, run)
		default:
			keep = append(keep, run)
		}
	}
	r.runs = keep
	for _, run := range due {
		if run.Done {
			continue // killed by an earlier run of this phase
		}
		run.Done = true
		switch {
		case run.Spec.FromOP != nil && !run.Spec.FromOP.Valid():
			r.event(t, EvRun, run.Site, "run "+itoa(run.ID)+" cancelled: its fromOP was deleted")
		case !run.Active:
			r.event(t, EvRun, run.Site, "run "+itoa(run.ID)+" skipped: inactive")
		default:
			r.event(t, EvRun, run.Site, "run "+itoa(run.ID)+" executes: "+run.Spec.Label)
			r.fail(t, run.Spec.Fn(t))
		}
	}
}
