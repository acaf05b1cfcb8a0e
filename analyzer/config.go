package analyzer

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/tdlint/tdlint/pyparse"
)

// Config is one folder's configuration: a .tdlint.toml or tdlint.toml
// (keys at the top level, or under [tool.tdlint] as in pyproject.toml),
// or the [tool.tdlint] table of a pyproject.toml, with what its extend
// names merged under it.
type Config struct {
	// Path is the file the configuration came from ("" for defaults).
	Path string `toml:"-"`

	// Extend names another configuration file (relative to this one's
	// folder) whose keys apply where this one does not set them.
	Extend string `toml:"extend"`

	Select         []string            `toml:"select"`
	Ignore         []string            `toml:"ignore"`
	ExtendSelect   []string            `toml:"extend-select"`
	PerFileIgnores map[string][]string `toml:"per-file-ignores"`
	Exclude        []string            `toml:"exclude"`
	PythonVersion  string              `toml:"python-version"`
	// MaxFileSize is the largest input read ("10MiB"), from the
	// configuration that governs the working directory; --max-file-size
	// overrides it.
	MaxFileSize string `toml:"max-file-size"`

	// Additions to the data tables (analyzer/tables.go).
	TDGlobals     []string `toml:"td-globals"`
	Callbacks     []string `toml:"main-thread-callbacks"`
	BlockingCalls []string `toml:"blocking-calls"`
	// ThreadSafe are TD members safe from any thread: ".Member" on any
	// receiver, or a qualified name ("td.tdu.rand").
	ThreadSafe []string `toml:"thread-safe"`
	// HookArities replaces, per TDTask hook, the argument counts TD may
	// call it with ({ SuccessHook = [1] }).
	HookArities map[string][]int `toml:"hook-arities"`
	// WorkerEntryPoints are "qualified.callee:keyword" or
	// "qualified.callee:N" (positional index) of calls that run a callable
	// on another thread.
	WorkerEntryPoints []string `toml:"worker-entry-points"`

	keys     map[string]bool // the keys this file (or what it extends) sets
	exclude  *patternSet
	ignores  *patternSet
	ignoreOf [][]string // the selectors of each pattern of ignores
}

// configFiles are looked for in each folder, in this order (Ruff's:
// .ruff.toml, ruff.toml, pyproject.toml); the first that configures
// tdlint is the folder's.
var configFiles = []string{".tdlint.toml", "tdlint.toml", "pyproject.toml"}

// ErrBadConfig wraps semantic configuration errors.
var ErrBadConfig = errors.New("invalid configuration")

// Configs finds the configuration of each file: the closest configuration
// file in its folder or above, as Ruff does. Files and folders are looked
// at once; Configs is safe for concurrent use.
type Configs struct {
	// rules are what selectors in a configuration must name (the
	// driver's own rules are added); nil accepts any selector.
	rules    []*Analyzer
	explicit *Config

	// folders, when set, are the folders a walk listed: a folder known
	// to hold none of the configuration files is not looked at again.
	folders *Folders

	mu    sync.Mutex
	dirs  map[string]*Config // folder → its configuration (none: defaults)
	files map[string]*loadedConfig
	none  *Config
}

type loadedConfig struct {
	cfg   *Config
	found bool
	err   error
}

// NewConfigs returns a finder whose configurations may only select among
// rules (nil: any selector is accepted).
func NewConfigs(rules []*Analyzer) *Configs {
	return &Configs{
		rules: rules, dirs: make(map[string]*Config), files: make(map[string]*loadedConfig), none: &Config{},
	}
}

// UseFile makes one configuration file govern every file (--config).
func (cs *Configs) UseFile(path string) error {
	cfg, found, err := cs.load(path, nil)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s has no [tool.tdlint] table", path)
	}
	cs.explicit = cfg
	return nil
}

// UseFolders takes what a walk saw of the folders it listed (see
// LoadOptions.Folders), so that the configuration files of those folders
// are found in their listings instead of by stat calls. It is set before
// the first lookup, and the record is not written after it.
func (cs *Configs) UseFolders(f *Folders) { cs.folders = f }

// For returns the configuration of a file (path absolute or relative to
// the working directory): the closest to its folder.
func (cs *Configs) For(path string) (*Config, error) {
	if cs.explicit != nil {
		return cs.explicit, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return cs.ForDir(filepath.Dir(abs))
}

// ForDir returns the configuration closest to a folder: in it or its
// parents. No file is no error: the defaults apply. The folders are
// looked at without holding the lock, so that callers on several cores
// (a check's thousands of folders) do not wait for each other's stat
// calls; two that look at one folder find the same.
func (cs *Configs) ForDir(dir string) (*Config, error) {
	if cs.explicit != nil {
		return cs.explicit, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var seen []string
	found := cs.none
search:
	for d := abs; ; d = filepath.Dir(d) {
		cs.mu.Lock()
		cfg, known := cs.dirs[d]
		cs.mu.Unlock()
		if known {
			found = cfg
			break
		}
		seen = append(seen, d)
		for _, name := range configFiles {
			if !cs.folders.mayHold(d, name) {
				continue
			}
			path := filepath.Join(d, name)
			if info, err := os.Stat(path); err != nil || info.IsDir() {
				continue
			}
			cfg, ok, err := cs.load(path, nil)
			if err != nil {
				return nil, err
			}
			if ok {
				found = cfg
				break search
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, d := range seen {
		cs.dirs[d] = found
	}
	return found, nil
}

// Excluded reports whether exclude drops a file (path absolute or
// relative to the working directory): its own configuration's, or that of
// a folder above it whose exclude names one of the folders on the way, so
// that a project's exclude = ["vendor"] holds even where vendor/ has a
// configuration of its own.
func (cs *Configs) Excluded(path string) (bool, error) {
	cfg, err := cs.For(path)
	switch {
	case err != nil:
		return false, err
	case cfg.Excluded(path):
		return true, nil
	case cs.explicit != nil:
		return false, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false, err
	}
	for dir := filepath.Dir(abs); filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		above, err := cs.ForDir(filepath.Dir(dir))
		if err != nil {
			return false, err
		}
		if above == cs.none {
			break // no configuration further up either
		}
		if above != cfg && above.Excluded(dir) {
			return true, nil
		}
	}
	return false, nil
}

func (cs *Configs) load(path string, chain []string) (*Config, bool, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.loadLocked(path, chain)
}

// loadLocked reads a configuration file once, and what it extends; chain
// is the files extending it, to refuse a cycle.
func (cs *Configs) loadLocked(path string, chain []string) (*Config, bool, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, err
	}
	if l := cs.files[abs]; l != nil {
		return l.cfg, l.found, l.err
	}
	if slices.Contains(chain, abs) {
		return nil, false, fmt.Errorf("%w: %s: extend: %s extends itself through %s", ErrBadConfig, chain[len(chain)-1], abs, strings.Join(chain, " → "))
	}
	cfg, found, err := readConfig(abs, cs.rules)
	if err == nil && found && cfg.Extend != "" {
		target := cfg.Extend
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), target)
		}
		var parent *Config
		var ok bool
		parent, ok, err = cs.loadLocked(target, append(chain, abs))
		switch {
		case err != nil && errors.Is(err, os.ErrNotExist):
			err = fmt.Errorf("%w: %s: extend: %q: no such file", ErrBadConfig, abs, cfg.Extend)
		case err != nil:
		case !ok:
			err = fmt.Errorf("%w: %s: extend: %s has no [tool.tdlint] table", ErrBadConfig, abs, target)
		default:
			cfg.inherit(parent)
		}
	}
	if err != nil {
		cfg = nil
	}
	cs.files[abs] = &loadedConfig{cfg: cfg, found: found, err: err}
	return cfg, found, err
}

// FindConfig returns the configuration closest to dir (see Configs).
func FindConfig(dir string) (*Config, error) { return NewConfigs(nil).ForDir(dir) }

// LoadConfig reads one configuration file, and what it extends. For
// pyproject.toml, found is false when it has no [tool.tdlint] table.
// Unknown keys are errors that name the key and the file.
func LoadConfig(path string) (cfg *Config, found bool, err error) {
	return NewConfigs(nil).load(path, nil)
}

// maxConfigSize bounds a configuration file: a FIFO or a device named
// tdlint.toml must not hang or exhaust a run.
const maxConfigSize = 1 << 20

// readConfig reads one file, without what it extends.
func readConfig(path string, rules []*Analyzer) (*Config, bool, error) {
	data, err := readRegular(path, maxConfigSize)
	if err != nil {
		return nil, false, fmt.Errorf("reading config %s: %w", path, err)
	}
	return parseConfig(path, data, rules)
}

// parseConfig reads one file's text (see readConfig).
func parseConfig(path string, data []byte, rules []*Analyzer) (*Config, bool, error) {
	cfg := &Config{Path: path}
	var doc struct {
		Tool struct {
			TDLint toml.Primitive `toml:"tdlint"`
		} `toml:"tool"`
	}
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	pyproject := filepath.Base(path) == "pyproject.toml"
	prefix := ""
	if md.IsDefined("tool", "tdlint") {
		// pyproject.toml's table; tdlint.toml takes it too, so that the
		// README's example works pasted into either file.
		if err := md.PrimitiveDecode(doc.Tool.TDLint, cfg); err != nil {
			return nil, true, fmt.Errorf("%s: [tool.tdlint]: %w", path, err)
		}
		prefix = "tool.tdlint."
	} else if pyproject {
		return nil, false, nil
	} else if md, err = toml.Decode(string(data), cfg); err != nil {
		return nil, true, fmt.Errorf("%s: %w", path, err)
	}
	if err := unknownKeys(path, md.Undecoded(), prefix, pyproject); err != nil {
		return nil, true, err
	}
	cfg.keys = make(map[string]bool)
	for _, k := range md.Keys() {
		if s := k.String(); strings.HasPrefix(s, prefix) {
			key, _, _ := strings.Cut(strings.TrimPrefix(s, prefix), ".")
			cfg.keys[key] = true
		}
	}
	cfg.Path = path
	if err := cfg.validate(rules); err != nil {
		return nil, true, err
	}
	return cfg, true, nil
}

func unknownKeys(path string, keys []toml.Key, prefix string, pyproject bool) error {
	var unknown []string
	for _, k := range keys {
		s := k.String()
		if pyproject && !strings.HasPrefix(s, prefix) {
			continue // other tools' tables in pyproject.toml
		}
		if rest := strings.TrimPrefix(s, prefix); strings.HasPrefix(rest, "per-file-ignores.") {
			continue // decoded as a map; its keys are glob patterns
		}
		unknown = append(unknown, strings.TrimPrefix(s, prefix))
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	msg := fmt.Sprintf("%s: unknown configuration key(s): %s", path, strings.Join(unknown, ", "))
	if !pyproject {
		if prefix != "" {
			msg += " (this file has a [tool.tdlint] table: every key goes in it)"
		} else {
			msg += " (tdlint.toml takes tdlint's keys at the top level, or under [tool.tdlint])"
		}
	}
	return errors.New(msg)
}

// validate checks values, compiles the patterns and, when rules are
// known, checks that every selector names a rule.
func (c *Config) validate(rules []*Analyzer) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{ErrBadConfig, c.Path}, args...)...)
	}
	if c.PythonVersion != "" {
		switch c.PythonVersion {
		case "3.9", "3.10", "3.11", "3.12", "3.13":
		default:
			return bad("python-version %q (want 3.9, 3.10, 3.11, 3.12 or 3.13)", c.PythonVersion)
		}
	}
	if c.MaxFileSize != "" {
		if _, err := ParseByteSize(c.MaxFileSize); err != nil {
			return bad("max-file-size: %v", err)
		}
	}
	for _, e := range c.WorkerEntryPoints {
		if _, _, ok := strings.Cut(e, ":"); !ok {
			return bad("worker-entry-points entry %q must be callee:keyword or callee:index", e)
		}
	}
	for _, key := range []struct {
		name      string
		selectors []string
	}{{"select", c.Select}, {"ignore", c.Ignore}, {"extend-select", c.ExtendSelect}} {
		for _, s := range key.selectors {
			if !selectsSomething(rules, s) {
				return bad("%s: %q selects no rule (see tdlint rule --all)", key.name, s)
			}
		}
	}
	dir := filepath.Dir(c.Path)
	var err error
	if c.exclude, err = compilePatterns(dir, c.Exclude); err != nil {
		return bad("exclude: %v", err)
	}
	patterns := slices.Sorted(func(yield func(string) bool) {
		for p := range c.PerFileIgnores {
			if !yield(p) {
				return
			}
		}
	})
	if c.ignores, err = compilePatterns(dir, patterns); err != nil {
		return bad("per-file-ignores: %v", err)
	}
	c.ignoreOf = make([][]string, len(patterns))
	for i, p := range patterns {
		for _, s := range c.PerFileIgnores[p] {
			if !selectsSomething(rules, s) {
				return bad("per-file-ignores: %s: %q selects no rule (see tdlint rule --all)", quote(p), s)
			}
		}
		c.ignoreOf[i] = c.PerFileIgnores[p]
	}
	return nil
}

// selectsSomething reports whether a selector names one of rules or of
// the driver's own; with no rules, any selector goes.
func selectsSomething(rules []*Analyzer, s string) bool {
	if rules == nil {
		return true
	}
	for _, a := range append([]*Analyzer{SyntaxErrorAnalyzer, UnusedNoqaAnalyzer, InternalErrorAnalyzer}, rules...) {
		if Matches(a, []string{s}) {
			return true
		}
	}
	return false
}

// inherit takes from parent (what extend names) every key c does not set.
// Patterns keep the folder of the file that wrote them.
func (c *Config) inherit(parent *Config) {
	take := func(key string) bool {
		if c.keys[key] || !parent.keys[key] {
			return false
		}
		c.keys[key] = true
		return true
	}
	if take("select") {
		c.Select = parent.Select
	}
	if take("ignore") {
		c.Ignore = parent.Ignore
	}
	if take("extend-select") {
		c.ExtendSelect = parent.ExtendSelect
	}
	if take("per-file-ignores") {
		c.PerFileIgnores, c.ignores, c.ignoreOf = parent.PerFileIgnores, parent.ignores, parent.ignoreOf
	}
	if take("exclude") {
		c.Exclude, c.exclude = parent.Exclude, parent.exclude
	}
	if take("python-version") {
		c.PythonVersion = parent.PythonVersion
	}
	if take("max-file-size") {
		c.MaxFileSize = parent.MaxFileSize
	}
	if take("td-globals") {
		c.TDGlobals = parent.TDGlobals
	}
	if take("main-thread-callbacks") {
		c.Callbacks = parent.Callbacks
	}
	if take("blocking-calls") {
		c.BlockingCalls = parent.BlockingCalls
	}
	if take("worker-entry-points") {
		c.WorkerEntryPoints = parent.WorkerEntryPoints
	}
	if take("thread-safe") {
		c.ThreadSafe = parent.ThreadSafe
	}
	if take("hook-arities") {
		c.HookArities = parent.HookArities
	}
}

// Tables returns the default tables extended by the configuration.
func (c *Config) Tables() *Tables { return TablesOf([]*Config{c}) }

// TablesOf returns the default tables extended by every configuration
// given, the union of their additions. The data tables are the program's,
// not a file's: a call followed from one folder into another must be
// judged by one table, whichever file's configuration named the entry.
func TablesOf(configs []*Config) *Tables {
	t := DefaultTables()
	seen := make(map[string]bool)
	for _, c := range configs {
		var workers []WorkerEntry
		for _, e := range c.WorkerEntryPoints {
			if seen[e] {
				continue
			}
			seen[e] = true
			callee, where, _ := strings.Cut(e, ":")
			w := WorkerEntry{Callee: callee, Arg: -1, ArgsArg: -1, Kind: callee + " target"}
			var n int
			if _, err := fmt.Sscan(where, &n); err == nil {
				w.Arg = n
			} else {
				w.Keyword = where
			}
			workers = append(workers, w)
		}
		t.Extend(c.TDGlobals, c.Callbacks, c.BlockingCalls, c.ThreadSafe, workers)
		maps.Copy(t.HookArities, c.HookArities)
	}
	return t
}

// IgnoredIn returns the rule selectors per-file-ignores disables for a file
// (absolute, or relative to the working directory). Patterns are matched
// relative to the folder of the configuration file that wrote them.
func (c *Config) IgnoredIn(path string) []string {
	var out []string
	seen := make(map[int]bool)
	c.ignores.match(path, func(i int) bool {
		if !seen[i] {
			seen[i] = true
			out = append(out, c.ignoreOf[i]...)
		}
		return true
	})
	return out
}

// Excluded reports whether exclude drops a file or folder (absolute, or
// relative to the working directory).
func (c *Config) Excluded(path string) bool { return c.exclude.matchesAny(path) }

// Version is the configuration's python-version (3.11 by default).
func (c *Config) Version() pyparse.Version {
	v, err := pyparse.ParseVersion(c.PythonVersion)
	if err != nil {
		return pyparse.Py311 // validate() has refused any other value
	}
	return v
}

// CommandLine is what the command line says over every configuration.
type CommandLine struct {
	Version *pyparse.Version // --python
	Select  []string         // replaces each configuration's select when set
	// Ignore and ExtendSelect add to each configuration's.
	Ignore, ExtendSelect []string
}

// OptionsFor returns the run options under which each file (by input
// name; paths are their disk paths, for per-file-ignores) follows its own
// configuration, the command line over it: its rule selection,
// per-file-ignores and python-version are its configuration's; the data
// tables are the union of all the configurations' (see TablesOf).
func OptionsFor(governs map[string]*Config, paths map[string]string, cl CommandLine) Options {
	var configs []*Config
	seen := make(map[*Config]bool)
	for _, c := range governs {
		if !seen[c] {
			seen[c] = true
			configs = append(configs, c)
		}
	}
	sort.Slice(configs, func(i, j int) bool { return configs[i].Path < configs[j].Path })
	opts := Options{Tables: TablesOf(configs), PerFile: SettingsFor(governs, paths, cl)}
	if cl.Version != nil {
		opts.Version = *cl.Version
	}
	opts.Select, opts.Ignore, opts.ExtendSelect = cl.Select, cl.Ignore, cl.ExtendSelect
	return opts
}

// SettingsFor returns each file's settings (see OptionsFor).
func SettingsFor(governs map[string]*Config, paths map[string]string, cl CommandLine) func(name string) *FileSettings {
	settings := make(map[*Config]*FileSettings)
	perFile := make(map[string]*FileSettings, len(governs))
	for name, c := range governs {
		s := settings[c]
		if s == nil {
			s = &FileSettings{
				Select:       c.Select,
				Ignore:       append(slices.Clip(c.Ignore), cl.Ignore...),
				ExtendSelect: append(slices.Clip(c.ExtendSelect), cl.ExtendSelect...),
			}
			if c.PythonVersion != "" {
				// Unset, a DAT gets its TouchDesigner build's
				// (Input.Python), anything else 3.11.
				s.Version = c.Version()
			}
			if cl.Version != nil {
				s.Version = *cl.Version
			}
			if len(cl.Select) > 0 {
				s.Select = cl.Select
			}
			settings[c] = s
		}
		if ignored := c.IgnoredIn(paths[name]); len(ignored) > 0 {
			own := *s
			own.Ignore = append(slices.Clip(s.Ignore), ignored...)
			s = &own
		}
		perFile[name] = s
	}
	return func(name string) *FileSettings { return perFile[name] }
}
