package analyzer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Workspace is a project held in memory for the language server: the
// Python under a root directory as it is on disk, overlaid by the editor's
// unsaved buffers. A file is parsed once per text and the parse is kept. A
// lint builds the program of the files that can bear on the files asked
// about (see relevant) and runs the rules on those, so an edit costs one
// parse and the analysis of its neighbourhood, not of the whole project.
type Workspace struct {
	root   string
	all    []*Analyzer
	limits IndexLimits

	mu      sync.Mutex
	configs *Configs
	// tables are the union of the data tables of every configuration
	// that governs a file of the workspace (see TablesOf).
	tables *Tables
	files  map[string]*workspaceFile // by unitKey
	// order lists files' keys sorted, so programs are built in a stable
	// order whatever the map does.
	order []string
	// units counts the units of the files on disk that hold more than
	// one (the DATs and expressions of a .tdn, a .parm's expressions).
	units map[string]int
	// mentions indexes the files by the identifiers in their text, and
	// modules by their module names: which files can reach which.
	mentions map[string]map[string]struct{}
	modules  map[string]map[string]struct{}
	// oversize are files open in the editor with a text over the limit;
	// editing, all the files open in it (their text is the editor's).
	oversize map[string]bool
	editing  map[string]bool
	// notes are the files whose Python cannot be read (binary .toe/.tox).
	notes []Note
}

type workspaceFile struct {
	input   Input
	overlay bool
	parsed  *SourceFile // nil until parsed for the current text and options
	// last is the parse of the text before an edit, until the new text
	// is parsed: what the edit did not touch is reused from it.
	last *SourceFile
	// words counts the identifiers of the text: a keystroke recounts the
	// words it touched, not the file's.
	words map[string]int32
	cfg   *Config // the configuration that governs the file
}

// IndexLimits bound what a workspace reads from disk, so that a language
// server opened on a huge folder (/usr, a home directory) stays an
// editor's helper. The memory a workspace holds is about three times the
// source it indexed (the text and its word index) plus the parses of the
// files a lint needs, some ten times their source.
type IndexLimits struct {
	// MaxFileBytes: larger files are left out (and an open document
	// larger than this is not linted).
	MaxFileBytes int64
	// MaxFiles and MaxBytes bound the files indexed and their total size;
	// past either the walk stops and says so.
	MaxFiles int
	MaxBytes int64
}

// DefaultIndexLimits hold a workspace to 16 MiB of source (the largest
// TouchDesigner projects have a few MiB of Python) and one file to 1 MiB
// (CPython's largest module is a quarter of that): within the server's
// 512 MiB soft memory limit even if every file were parsed at once.
var DefaultIndexLimits = IndexLimits{MaxFileBytes: 1 << 20, MaxFiles: 20_000, MaxBytes: 16 << 20}

// ErrIndexTruncated is returned (wrapped) when the index stopped at a
// limit: what was read so far is linted, the rest is not.
var ErrIndexTruncated = errors.New("workspace too large")

// NewWorkspace loads the configuration and the Python under root, within
// DefaultIndexLimits. Files that cannot be read are returned as errors and
// left out; a bad configuration is an error and the defaults apply.
func NewWorkspace(root string, all []*Analyzer) (*Workspace, []error) {
	w, err := OpenWorkspace(root, all, DefaultIndexLimits)
	if err != nil {
		return nil, []error{err}
	}
	errs := w.Reload()
	return w, errs
}

// OpenWorkspace returns a workspace with no file read yet: Index reads
// them (the language server, in the background).
func OpenWorkspace(root string, all []*Analyzer, limits IndexLimits) (*Workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w := &Workspace{
		root: abs, all: all, limits: limits, configs: NewConfigs(all), tables: DefaultTables(),
		files: make(map[string]*workspaceFile), mentions: make(map[string]map[string]struct{}),
		modules: make(map[string]map[string]struct{}), oversize: make(map[string]bool), units: make(map[string]int),
		editing: make(map[string]bool),
	}
	return w, nil
}

// Notes are the workspace's files whose Python cannot be read, as of the
// last Index.
func (w *Workspace) Notes() []Note {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.notes)
}

// Root is the workspace's directory.
func (w *Workspace) Root() string { return w.root }

// Limits are the workspace's index limits.
func (w *Workspace) Limits() IndexLimits { return w.limits }

// Reload reads the configuration and every file on disk again, keeping the
// editor's buffers.
func (w *Workspace) Reload() []error { return w.Index(context.Background(), nil) }

// IndexProgress is how far an Index has got.
type IndexProgress struct {
	Files int   // files read
	Total int   // files to read
	Bytes int64 // their size
}

// Index reads the configurations and the Python under the root again,
// within the limits, and then replaces the workspace's files with them,
// keeping the editor's buffers. It leaves out what a walk of `tdlint
// check` leaves out (.git, virtual environments, node_modules,
// __pycache__, site-packages, .gitignore'd paths) and files over
// MaxFileBytes. progress, when set, is called as files are read; when ctx
// is done Index stops and changes nothing.
func (w *Workspace) Index(ctx context.Context, progress func(IndexProgress)) []error {
	configs := NewConfigs(w.all)
	folders := NewFolders()
	configs.UseFolders(folders)
	var errs []error
	seenErr := make(map[string]bool)
	configErr := func(err error) {
		if !seenErr[err.Error()] {
			seenErr[err.Error()] = true
			errs = append(errs, err)
		}
	}
	if _, err := configs.ForDir(w.root); err != nil {
		configErr(err)
	}
	type pending struct {
		path string
		kind projectFile
	}
	var found []pending
	var total int64
	truncated := false
	// An excluded folder is not walked: a project's data or vendored
	// trees can be most of its files.
	skipDir := func(dir string) bool {
		drop, err := configs.Excluded(dir)
		return err == nil && drop
	}
	var binaries []string
	walkErrs := walkProject(w.root, skipDir, folders, func(path string, kind projectFile, d fs.DirEntry) error {
		if ctx.Err() != nil {
			return fs.SkipAll
		}
		switch kind {
		case tdBinaryFile:
			binaries = append(binaries, path)
			return nil
		case pythonFile, datText, tdnFile, parmFile:
		}
		info, err := d.Info()
		if err != nil {
			return nil //nolint:nilerr // gone since the walk listed it: nothing to index
		}
		if !info.Mode().IsRegular() {
			return nil // a link, FIFO or device: not a project's file
		}
		if w.limits.MaxFileBytes > 0 && info.Size() > w.limits.MaxFileBytes {
			errs = append(errs, &LoadError{Path: path, Err: fmt.Errorf("%w: %d bytes, over the %d-byte limit", errTooLarge, info.Size(), w.limits.MaxFileBytes)})
			return nil
		}
		if w.limits.MaxFiles > 0 && len(found) >= w.limits.MaxFiles || w.limits.MaxBytes > 0 && total+info.Size() > w.limits.MaxBytes {
			truncated = true
			return fs.SkipAll
		}
		found = append(found, pending{path, kind})
		total += info.Size()
		return nil
	})
	errs = append(errs, walkErrs...)
	if truncated {
		errs = append(errs, fmt.Errorf("%w: %s: indexed the first %d files (%d bytes of source), the limits are %d files and %d bytes; open a project's own folder",
			ErrIndexTruncated, w.root, len(found), total, w.limits.MaxFiles, w.limits.MaxBytes))
	}
	// Read in batches, so that progress moves and a cancel is seen.
	inputs := make([]Input, 0, len(found))
	read := IndexProgress{Total: len(found)}
	const batch = 256
	trees := &toeTrees{}
	for lo := 0; lo < len(found); lo += batch {
		if ctx.Err() != nil {
			return append(errs, ctx.Err())
		}
		hi := min(lo+batch, len(found))
		results := make([][]Input, hi-lo)
		loadErrs := make([][]error, hi-lo)
		parallel(hi-lo, runtime.GOMAXPROCS(0), func(i int) {
			f := found[lo+i]
			results[i], loadErrs[i] = loadKind(trees, f.path, f.kind, w.limits.MaxFileBytes)
		})
		for i := range results {
			inputs = append(inputs, results[i]...)
			errs = append(errs, loadErrs[i]...)
			for j := range results[i] {
				read.Bytes += int64(len(results[i][j].Src))
			}
		}
		read.Files = hi
		if progress != nil {
			progress(read)
		}
	}
	if ctx.Err() != nil {
		return append(errs, ctx.Err())
	}
	inputs = dropUnreferenced(inputs)
	// Each file's configuration, before the lock: they are read from disk.
	governs := make([]*Config, len(inputs))
	drop := make([]bool, len(inputs))
	for i := range inputs {
		cfg, err := configs.For(inputs[i].DiskPath)
		if err == nil {
			drop[i], err = configs.Excluded(inputs[i].DiskPath)
		}
		if err != nil {
			configErr(err)
			cfg = configs.none
		}
		governs[i] = cfg
	}
	var notes []Note
	for _, path := range binaries {
		if note, ok := binaryNote(path); ok {
			notes = append(notes, note)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.configs = configs
	w.notes = notes
	// Rebuilt whole, the editor's buffers kept: one sort at the end rather
	// than an ordered insertion per file.
	overlays, units := w.files, w.units
	w.files = make(map[string]*workspaceFile, len(inputs))
	w.units = make(map[string]int)
	w.mentions = make(map[string]map[string]struct{})
	w.modules = make(map[string]map[string]struct{})
	w.order = w.order[:0]
	open := maps.Clone(w.editing)
	for key, f := range overlays {
		if !f.overlay {
			continue
		}
		path := f.input.DiskPath
		open[path] = true
		if n := units[path]; n > 1 {
			w.units[path] = n
		}
		f.parsed = nil // the options may have changed
		f.cfg = w.configOfLocked(path)
		w.files[key] = f
		w.order = append(w.order, key)
		w.index(key, f)
	}
	unit := make(map[string]int) // the next unit of a file
	for i := range inputs {
		in := inputs[i]
		if open[in.DiskPath] || w.oversize[in.DiskPath] || drop[i] {
			continue
		}
		in.Name = w.name(in.DiskPath)
		f := &workspaceFile{cfg: governs[i]}
		n := unit[in.DiskPath]
		unit[in.DiskPath] = n + 1
		if n > 0 {
			w.units[in.DiskPath] = n + 1
		}
		key := unitKey(in.DiskPath, n)
		w.files[key] = f
		w.order = append(w.order, key)
		w.set(key, f, in, false)
	}
	slices.Sort(w.order)
	w.retable()
	return errs
}

// errTooLarge is a file left out for its size.
var errTooLarge = errors.New("too large to index")

// configOfLocked is the configuration of a file; a bad one is the
// defaults (Index reported it). w.mu is held.
func (w *Workspace) configOfLocked(path string) *Config {
	cfg, err := w.configs.For(path)
	if err != nil {
		return w.configs.none
	}
	return cfg
}

// retable makes the tables the union of the files' configurations'.
func (w *Workspace) retable() {
	seen := make(map[*Config]bool)
	var configs []*Config
	for _, p := range w.order {
		if c := w.files[p].cfg; c != nil && !seen[c] {
			seen[c] = true
			configs = append(configs, c)
		}
	}
	slices.SortFunc(configs, func(a, b *Config) int { return strings.Compare(a.Path, b.Path) })
	w.tables = TablesOf(configs)
}

// Files are the paths of the files the workspace holds, sorted.
func (w *Workspace) Files() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, key := range w.order {
		if p := w.files[key].input.DiskPath; len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// unitKey is the key of a file's n-th unit: the path for the first, so
// that a file of one unit is held under its path.
func unitKey(path string, n int) string {
	if n == 0 {
		return path
	}
	return path + "\x00" + strconv.Itoa(n)
}

// keysOf are the keys of a file's units.
func (w *Workspace) keysOf(path string) []string {
	keys := []string{path}
	for n := 1; n < w.units[path]; n++ {
		keys = append(keys, unitKey(path, n))
	}
	return keys
}

// putFile gives a file on disk its units (none: it holds no Python).
func (w *Workspace) putFile(path string, inputs []Input, overlay bool) {
	old := max(w.units[path], 1)
	for n := range inputs {
		w.put(unitKey(path, n), inputs[n], overlay)
	}
	for n := len(inputs); n < old; n++ {
		w.drop(unitKey(path, n))
	}
	if len(inputs) > 1 {
		w.units[path] = len(inputs)
	} else {
		delete(w.units, path)
	}
}

// dropFile removes a file's units.
func (w *Workspace) dropFile(path string) {
	for _, key := range w.keysOf(path) {
		w.drop(key)
	}
	delete(w.units, path)
}

// put adds or replaces a unit and keeps the indexes.
func (w *Workspace) put(key string, in Input, overlay bool) {
	f := w.files[key]
	if f == nil {
		f = &workspaceFile{cfg: w.configOfLocked(in.DiskPath)}
		w.files[key] = f
		i, _ := slices.BinarySearch(w.order, key)
		w.order = slices.Insert(w.order, i, key)
		w.set(key, f, in, overlay)
		return
	}
	if f.input.Module != in.Module {
		w.unindex(key, f)
		w.set(key, f, in, overlay)
		return
	}
	// The same file with a new text: only the words of the changed span
	// are recounted, and only words that appear or vanish touch the index.
	old := f.input.Src
	if f.parsed != nil {
		f.last = f.parsed
	}
	f.input, f.overlay, f.parsed = in, overlay, nil
	oldMid, newMid := changedWords(old, in.Src)
	countWords(oldMid, func(word []byte) {
		if n := f.words[string(word)] - 1; n > 0 {
			f.words[string(word)] = n
		} else {
			delete(f.words, string(word))
			removeFrom(w.mentions, string(word), key)
		}
	})
	countWords(newMid, func(word []byte) {
		n := f.words[string(word)]
		if n == 0 {
			addTo(w.mentions, string(word), key)
		}
		f.words[string(word)] = n + 1
	})
}

// set gives a unit its text and indexes it.
func (w *Workspace) set(key string, f *workspaceFile, in Input, overlay bool) {
	f.input, f.overlay, f.parsed = in, overlay, nil
	f.words = identifiers(in.Src)
	w.index(key, f)
}

func (w *Workspace) index(path string, f *workspaceFile) {
	for word := range f.words {
		addTo(w.mentions, word, path)
	}
	addTo(w.modules, f.input.Module, path)
}

// drop removes a file.
func (w *Workspace) drop(path string) {
	f := w.files[path]
	if f == nil {
		return
	}
	w.unindex(path, f)
	delete(w.files, path)
	if i, ok := slices.BinarySearch(w.order, path); ok {
		w.order = slices.Delete(w.order, i, i+1)
	}
}

func (w *Workspace) unindex(path string, f *workspaceFile) {
	for word := range f.words {
		removeFrom(w.mentions, word, path)
	}
	removeFrom(w.modules, f.input.Module, path)
}

func addTo(index map[string]map[string]struct{}, key, path string) {
	set := index[key]
	if set == nil {
		set = make(map[string]struct{})
		index[key] = set
	}
	set[path] = struct{}{}
}

func removeFrom(index map[string]map[string]struct{}, key, path string) {
	if set := index[key]; set != nil {
		delete(set, path)
		if len(set) == 0 {
			delete(index, key)
		}
	}
}

// identifiers counts the identifier-like words of a text, comments and
// strings included: a module named in op('/project1/lib/fetch') or in a
// comment counts as mentioned, which only ever adds a file to a lint.
func identifiers(src []byte) map[string]int32 {
	counts := make(map[string]int32)
	countWords(src, func(word []byte) { counts[string(word)]++ })
	return counts
}

// countWords calls f for each word of src: a run of word bytes, less any
// leading digits.
func countWords(src []byte, f func(word []byte)) {
	for i := 0; i < len(src); {
		c := src[i]
		if !isWordByte(c) || c >= '0' && c <= '9' {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isWordByte(src[j]) {
			j++
		}
		f(src[i:j])
		i = j
	}
}

// changedWords returns the spans of before and after between their common
// prefix and suffix, widened to whole runs of word bytes: countWords
// finds in them exactly the words the edit removed and added.
func changedWords(before, after []byte) (oldMid, newMid []byte) {
	n := min(len(before), len(after))
	p := 0
	for p < n && before[p] == after[p] {
		p++
	}
	s := 0
	for s < n-p && before[len(before)-1-s] == after[len(after)-1-s] {
		s++
	}
	for p > 0 && isWordByte(before[p-1]) {
		p--
	}
	for s > 0 && isWordByte(before[len(before)-s]) {
		s--
	}
	return before[p : len(before)-s], after[p : len(after)-s]
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// name is how a file is shown: relative to the root when inside it.
func (w *Workspace) name(path string) string {
	if rel, err := filepath.Rel(w.root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

func (w *Workspace) excluded(path string) bool {
	drop, err := w.configs.Excluded(path)
	return err == nil && drop
}

// Open sets the editor's text for a file (on open and on every change):
// a .py, a DAT's .text or a .parm in a toeexpand tree, a .tdn. A text
// over the size limit is not held (nor linted): Open drops the file and
// returns false.
func (w *Workspace) Open(path string, text []byte) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.editing[path] = true
	if w.limits.MaxFileBytes > 0 && int64(len(text)) > w.limits.MaxFileBytes {
		w.dropFile(path)
		w.oversize[path] = true // the disk's text is not the editor's
		return false
	}
	delete(w.oversize, path)
	inputs := editorInputs(path, text, w.files[path] != nil)
	for i := range inputs {
		inputs[i].Name = w.name(path)
	}
	w.putFile(path, inputs, true)
	return true
}

// editorInputs are the units of an editor's text of path. A DAT's .text
// that is Python only if code uses it (see dropUnreferenced) is linted if
// the workspace holds it (indexed says so).
func editorInputs(path string, text []byte, indexed bool) []Input {
	switch {
	case isTDN(path):
		inputs, err := tdnInputs(path, text)
		if err != nil {
			return nil // half-typed YAML: no DAT to lint until it reads
		}
		for i := range inputs {
			inputs[i].Decoded = true
		}
		return inputs
	case isParmFile(path):
		return parmInputs(path, text)
	case isDATText(path):
		in, ok := editorDAT(path, text)
		if !ok || in.unreferenced && !indexed {
			return nil
		}
		in.unreferenced = false
		return []Input{in}
	}
	return []Input{{DiskPath: path, Module: ModuleName(path), Src: text, Decoded: true}}
}

// Close drops the editor's text: the file is what is on disk again.
func (w *Workspace) Close(path string) {
	w.mu.Lock()
	for _, key := range w.keysOf(path) {
		if f := w.files[key]; f != nil {
			f.overlay = false
		}
	}
	delete(w.editing, path)
	delete(w.oversize, path)
	w.mu.Unlock()
	w.DiskChanged(path)
}

// DiskChanged re-reads a file that was created, changed or deleted on disk.
// A file open in the editor keeps the editor's text.
func (w *Workspace) DiskChanged(path string) {
	// Deleted, unreadable or not Python (any more): no inputs.
	var inputs []Input
	if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() || w.limits.MaxFileBytes > 0 && info.Size() > w.limits.MaxFileBytes {
		// Gone, not a file, or too large: no inputs.
	} else if kind, ok := kindOf(path); ok {
		inputs, _ = loadKind(nil, path, kind, w.limits.MaxFileBytes)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.editing[path] || w.oversize[path] {
		return
	}
	if len(inputs) == 0 || w.excluded(path) {
		w.dropFile(path)
		return
	}
	for i := range inputs {
		inputs[i].Name = w.name(path)
	}
	w.putFile(path, inputs, false)
}

// kindOf is what kind of project file path names, if it is one whose
// Python tdlint reads.
func kindOf(path string) (projectFile, bool) {
	switch {
	case isDATText(path):
		return datText, true
	case isTDN(path):
		return tdnFile, true
	case isParmFile(path):
		return parmFile, true
	case strings.HasSuffix(path, ".py"):
		return pythonFile, true
	}
	return 0, false
}

// HoldsPython reports whether tdlint reads Python from a file of this
// name: a .py, a .tdn, a DAT's .text or an operator's .parm in a
// toeexpand tree (the language server lints those documents).
func HoldsPython(path string) bool {
	_, ok := kindOf(path)
	return ok
}

// loadKind loads one file of a kind a walk found (not a synced DAT's
// .py: the workspace holds one file's units under its path).
func loadKind(trees *toeTrees, path string, kind projectFile, limit int64) ([]Input, []error) {
	switch kind {
	case datText:
		return loadDAT(trees, nil, nil, path, limit)
	case tdnFile:
		return loadTDN(nil, nil, path)
	case parmFile:
		inputs, _, errs := loadParm(trees, path, limit)
		return inputs, errs
	case pythonFile, tdBinaryFile:
	}
	return loadFile(nil, nil, path, limit)
}

// relevant is every file whose analysis can change the findings of the
// files at paths: the files that mention them (a worker started there can
// run their code, or read what their workers write), transitively, and
// what all of those mention (where their names resolve), transitively. A
// reference the analysis follows names its target module (an import, an
// op('/path') whose last part is the DAT, mod.name), so a file that names
// none of them cannot matter; two files of one module name come together.
func (w *Workspace) relevant(paths []string) map[string]bool {
	in := make(map[string]bool)
	var work []string
	add := func(p string) {
		if !in[p] {
			in[p] = true
			work = append(work, p)
		}
	}
	for _, p := range paths {
		if w.files[p] != nil {
			add(p)
		}
	}
	// Who mentions them, transitively...
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		for q := range w.mentions[w.files[p].input.Module] {
			add(q)
		}
	}
	// ...and what any of those mentions, transitively.
	for p := range in {
		work = append(work, p)
	}
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		for word := range w.files[p].words {
			for q := range w.modules[word] {
				add(q)
			}
		}
	}
	return in
}

// Lint builds the program of the files relevant to those at paths and runs
// the rules on them; files the configuration excludes get no findings.
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

// Snapshot parses what changed among the relevant files and fixes the
// texts a lint will see.
func (w *Workspace) Snapshot(paths []string) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	lint := make(map[string]bool)
	var keys []string
	for _, p := range paths {
		for _, key := range w.keysOf(p) {
			if f := w.files[key]; f != nil {
				keys = append(keys, key)
				lint[key] = !w.excluded(f.input.DiskPath)
			}
		}
	}
	keep := w.relevant(keys)
	var stale []*workspaceFile
	for _, p := range w.order {
		if f := w.files[p]; keep[p] && f.parsed == nil {
			stale = append(stale, f)
		}
	}
	opts := w.optionsLocked(keep)
	parallel(len(stale), jobs(opts), func(i int) {
		f := stale[i]
		f.parsed, f.last = reparseInput(&f.input, opts, f.last), nil
	})
	s := &Snapshot{files: make([]*SourceFile, 0, len(keep)), lint: make(map[*SourceFile]bool, len(paths)), opts: opts, all: w.all}
	for _, p := range w.order {
		if !keep[p] {
			continue
		}
		f := w.files[p]
		s.files = append(s.files, f.parsed)
		if lint[p] {
			s.lint[f.parsed] = true
		}
	}
	return s
}

// optionsLocked are the run options of the files at paths: each follows
// its configuration, the tables are the workspace's. w.mu is held.
func (w *Workspace) optionsLocked(paths map[string]bool) Options {
	governs := make(map[string]*Config, len(paths))
	diskPaths := make(map[string]string, len(paths))
	for p := range paths {
		f := w.files[p]
		if f.cfg == nil {
			f.cfg = w.configOfLocked(f.input.DiskPath)
		}
		governs[f.input.Name], diskPaths[f.input.Name] = f.cfg, f.input.DiskPath
	}
	return Options{Tables: w.tables, PerFile: SettingsFor(governs, diskPaths, CommandLine{})}
}

// Lint builds the snapshot's program and runs the rules on its files to lint.
func (s *Snapshot) Lint() *Result {
	return Analyze(s.files, s.all, s.opts, func(f *SourceFile) bool { return s.lint[f] })
}
