package runtime

import (
	"fmt"
	"sort"
)

// A Project is TD code to simulate with no scenario: the DATs of a
// project (each a module importable by its name, as TD finds module DATs)
// and the entry points through which TD runs them, found statically by
// the caller (tdlint's command finds them with its parser: the runtime
// imports nothing of tdlint's).
type Project struct {
	// Name is shown in the trace (the folder or tree simulated).
	Name  string
	Files []ProjectFile
	// Root is the project's folder on disk (TD's project.folder).
	Root string
}

// ProjectFile is one DAT or .py file of a project.
type ProjectFile struct {
	// Name is how positions in it are shown (the analyzer's file name).
	Name string
	// Module is the name other DATs import it by.
	Module string
	Src    string
	// Entries are the ways TD runs this file's code.
	Entries []Entry
}

// EntryKind is how TD runs an entry point.
type EntryKind string

// The entry points the driver calls.
const (
	// EntryCallback is a TD callback function (onValueChange,
	// onPulse, onCook...): called once, on the main thread, with TD-like
	// stand-ins for its parameters.
	EntryCallback EntryKind = "callback"
	// EntryFrame is onFrameStart/onFrameEnd: called every frame.
	EntryFrame EntryKind = "frame"
	// EntryExtension is an extension class: built with its owner COMP at
	// start, then each public method called once.
	EntryExtension EntryKind = "extension"
)

// Entry is one entry point.
type Entry struct {
	Kind EntryKind
	// Name is the function or class.
	Name string
	Line int
	// Methods are an extension's public methods.
	Methods []string
}

// step is one call of the driver.
type step struct {
	file  *ProjectFile
	entry Entry
	// method is the extension method to call ("": build the extension).
	method string
}

func (s step) String() string {
	if s.method != "" {
		return s.file.Module + "." + s.entry.Name + "." + s.method + "()"
	}
	return s.file.Module + "." + s.entry.Name + "()"
}

// schedule spreads the one-off calls over frames: one every other frame
// from frame 2, so what each starts has frames to run before the next.
func (p *Project) schedule() (setup, frame []step, once map[int][]step, last int) {
	once = map[int][]step{}
	at := 2
	for i := range p.Files {
		f := &p.Files[i]
		for _, e := range f.Entries {
			switch e.Kind {
			case EntryFrame:
				frame = append(frame, step{file: f, entry: e})
			case EntryCallback:
				once[at] = append(once[at], step{file: f, entry: e})
				at += 2
			case EntryExtension:
				setup = append(setup, step{file: f, entry: e})
				for _, m := range e.Methods {
					once[at] = append(once[at], step{file: f, entry: e, method: m})
					at += 2
				}
			}
		}
	}
	return setup, frame, once, at
}

// ProjectFrames is how many frames a project's simulation needs: every
// one-off call, then time for what they started to end.
func (p *Project) ProjectFrames() int {
	_, _, _, last := p.schedule()
	return last + 60
}

// SimulateProject runs a project on the CPython engine: every file's top
// level on the main thread (in order, as TD loads DATs), each extension
// built with its owner COMP, then frame by frame onFrameStart and, spread
// over the frames, every other callback and extension method once, with
// TD-like arguments. An entry that raises is reported and the others go
// on.
func SimulateProject(e *CPython, p *Project, cfg Config) (*Result, error) {
	if cfg.Frames == 0 {
		cfg.Frames = p.ProjectFrames()
	}
	rt := New(cfg)
	mods := map[string]Module{}
	for _, f := range p.Files {
		if _, dup := mods[f.Module]; !dup {
			mods[f.Module] = Module{Name: f.Name, Src: f.Src}
		}
	}
	if err := e.Load(rt, &Scenario{Name: p.Name, Modules: mods, project: true, Root: p.Root}); err != nil {
		return nil, err
	}
	defer func() {
		if !rt.Abandoned() {
			e.Close()
		}
	}()
	setup, frame, once, _ := p.schedule()
	rt.SiteFunc, rt.StackFunc = e.Where, e.Stack
	// A file whose top level raised has no entry points to call; nor has
	// an extension that could not be built.
	broken := map[string]bool{}
	rt.Setup(func(t *Thread) error {
		for _, f := range p.Files {
			if !e.enter(t, cpMsg{Kind: "import", Name: f.Module}, f.Module, Site{File: f.Name, Line: 1}) {
				broken[f.Module] = true
			}
		}
		for _, s := range setup {
			if broken[s.file.Module] {
				continue
			}
			if !e.enter(t, cpMsg{Kind: "extension", Name: s.file.Module, What: s.entry.Name}, s.String(), s.site()) {
				broken[s.file.Module+"."+s.entry.Name] = true
			}
		}
		return nil
	})
	rt.OnFrame(func(t *Thread, n int) error {
		for _, s := range append(frame, once[n]...) {
			if broken[s.file.Module] || broken[s.file.Module+"."+s.entry.Name] {
				continue
			}
			m := cpMsg{Kind: "callback", Name: s.file.Module, What: s.entry.Name, ID: n}
			if s.method != "" {
				m.Kind, m.Text = "method", s.method
			}
			e.enter(t, m, s.String(), s.site())
		}
		return nil
	})
	return rt.Run(), nil
}

func (s step) site() Site { return Site{File: s.file.Name, Line: s.entry.Line} }

// enter calls one entry point on t and reports its error, if any, as an
// error event at the innermost line of the project's code it reached (def
// when none: the stand-in arguments did not fit); the driver goes on with
// the next. It reports whether the call returned.
func (e *CPython) enter(t *Thread, m cpMsg, what string, def Site) bool {
	r, err := e.call(t, m)
	if err != nil {
		t.Event(EvError, def, fmt.Sprintf("%s: %v", what, err))
		return false
	}
	if r.Err == nil {
		return true
	}
	site := r.Err.Site.site()
	if site.File == "" {
		site = def
	}
	t.Event(EvError, site, fmt.Sprintf("%s raised: %s", what, r.Err.Msg))
	return false
}

// EntryCount is how many entry points the project has, by kind.
func (p *Project) EntryCount() map[EntryKind]int {
	n := map[EntryKind]int{}
	for _, f := range p.Files {
		for _, e := range f.Entries {
			n[e.Kind]++
			n["method"] += len(e.Methods)
		}
	}
	return n
}

// SortFiles orders a project's files by name, so every run loads them in
// the same order.
func (p *Project) SortFiles() {
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Name < p.Files[j].Name })
}
