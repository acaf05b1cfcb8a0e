package analyzer

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Workspace is a project held in memory for the language server: the
// Python under a root directory as it is on disk, overlaid by the editor's
// unsaved buffers. A file is parsed once per text and the parse is kept; a
// lint builds the program from the parses it has and runs the rules on the
// files it is asked about, so an edit costs one parse, not the project's.
type Workspace struct {
	root string
	all  []*Analyzer

	mu    sync.Mutex
	cfg   *Config
	opts  Options
	files map[string]*workspaceFile // by absolute disk path
	// order lists files' paths sorted, so programs are built in a stable
	// order whatever the map does.
	order []string
}

type workspaceFile struct {
	input   Input
	overlay bool
	parsed  *SourceFile // nil until parsed for the current text and options
}

// NewWorkspace loads the configuration closest to root and the Python under
// it. Files that cannot be read are returned as errors and left out; a bad
// configuration is an error and the defaults apply.
func NewWorkspace(root string, all []*Analyzer) (*Workspace, []error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, []error{err}
	}
	w := &Workspace{root: abs, all: all, files: make(map[string]*workspaceFile)}
	errs := w.Reload()
	return w, errs
}

// Root is the workspace's directory.
func (w *Workspace) Root() string { return w.root }

// Config is the configuration in effect.
func (w *Workspace) Config() *Config {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cfg
}

// Reload reads the configuration and every file on disk again, keeping the
// editor's buffers.
func (w *Workspace) Reload() []error {
	var errs []error
	cfg, err := FindConfig(w.root)
	if err != nil {
		errs = append(errs, err)
		cfg = &Config{}
	}
	inputs, loadErrs := Load([]string{w.root}, nil, "")
	errs = append(errs, loadErrs...)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cfg, w.opts = cfg, cfg.Options()
	files := make(map[string]*workspaceFile)
	for path, f := range w.files {
		if f.overlay {
			f.parsed = nil
			files[path] = f
		}
	}
	for i := range inputs {
		in := inputs[i]
		if _, open := files[in.DiskPath]; open || w.excluded(in.DiskPath) {
			continue
		}
		in.Name = w.name(in.DiskPath)
		files[in.DiskPath] = &workspaceFile{input: in}
	}
	w.files = files
	w.sortPaths()
	return errs
}

func (w *Workspace) sortPaths() {
	w.order = w.order[:0]
	for p := range w.files {
		w.order = append(w.order, p)
	}
	slices.Sort(w.order)
}

// name is how a file is shown: relative to the root when inside it.
func (w *Workspace) name(path string) string {
	if rel, err := filepath.Rel(w.root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

func (w *Workspace) excluded(path string) bool { return w.cfg.Excluded(w.name(path)) }

// Excluded reports whether the configuration excludes a file from linting.
func (w *Workspace) Excluded(path string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.excluded(path)
}

// Open sets the editor's text for a .py file (on open and on every change).
func (w *Workspace) Open(path string, text []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := w.files[path]
	if f == nil {
		f = &workspaceFile{}
		w.files[path] = f
		w.sortPaths()
	}
	f.overlay, f.parsed = true, nil
	f.input = Input{Name: w.name(path), DiskPath: path, Module: moduleName(path), Src: text, Decoded: true}
}

// Close drops the editor's text: the file is what is on disk again.
func (w *Workspace) Close(path string) {
	w.mu.Lock()
	if f := w.files[path]; f != nil {
		f.overlay = false
	}
	w.mu.Unlock()
	w.DiskChanged(path)
}

// DiskChanged re-reads a file that was created, changed or deleted on disk.
// A file open in the editor keeps the editor's text.
func (w *Workspace) DiskChanged(path string) {
	// Deleted, unreadable or not Python (any more): no inputs.
	var inputs []Input
	if _, inTree := isToeTree(path); inTree && strings.HasSuffix(path, ".text") {
		inputs, _ = loadDAT(nil, nil, path)
	} else if strings.HasSuffix(path, ".py") {
		inputs, _ = loadFile(nil, nil, path)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if f := w.files[path]; f != nil && f.overlay {
		return
	}
	if len(inputs) == 0 || w.excluded(path) {
		if _, ok := w.files[path]; ok {
			delete(w.files, path)
			w.sortPaths()
		}
		return
	}
	in := inputs[0]
	in.Name = w.name(path)
	if _, ok := w.files[path]; !ok {
		w.files[path] = &workspaceFile{}
		defer w.sortPaths()
	}
	w.files[path].input, w.files[path].parsed = in, nil
}

// Lint builds the program of the whole workspace and runs the rules on the
// files at paths; files the configuration excludes get no findings.
func (w *Workspace) Lint(paths []string) *Result { return w.Snapshot(paths).Lint() }

// Snapshot is the workspace's files as parsed at one moment, and the files
// to lint among them. Taking it is cheap (only what changed is parsed);
// linting it needs no lock, so the editor's next change need not wait.
type Snapshot struct {
	files []*SourceFile
	lint  map[*SourceFile]bool
	opts  Options
	all   []*Analyzer
}

// Snapshot parses what changed and fixes the texts a lint will see.
func (w *Workspace) Snapshot(paths []string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	var stale []*workspaceFile
	for _, p := range w.order {
		if f := w.files[p]; f.parsed == nil {
			stale = append(stale, f)
		}
	}
	opts := w.opts
	parallel(len(stale), jobs(opts), func(i int) { stale[i].parsed = ParseInput(&stale[i].input, opts) })
	s := &Snapshot{files: make([]*SourceFile, 0, len(w.order)), lint: make(map[*SourceFile]bool, len(paths)), opts: opts, all: w.all}
	for _, p := range w.order {
		f := w.files[p]
		s.files = append(s.files, f.parsed)
		if slices.Contains(paths, p) && !w.excluded(p) {
			s.lint[f.parsed] = true
		}
	}
	return s
}

// Lint builds the snapshot's program and runs the rules on its files to lint.
func (s *Snapshot) Lint() *Result {
	return Analyze(s.files, s.all, s.opts, func(f *SourceFile) bool { return s.lint[f] })
}
