package analyzer

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/tdlint/tdlint/pyparse"
)

// Config is the [tool.tdlint] table of pyproject.toml, or a tdlint.toml.
type Config struct {
	// Path is the file the configuration came from ("" for defaults).
	Path string `toml:"-"`

	Select         []string            `toml:"select"`
	Ignore         []string            `toml:"ignore"`
	ExtendSelect   []string            `toml:"extend-select"`
	PerFileIgnores map[string][]string `toml:"per-file-ignores"`
	Exclude        []string            `toml:"exclude"`
	PythonVersion  string              `toml:"python-version"`

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
}

// configFiles are looked for in each directory, nearest first.
var configFiles = []string{"tdlint.toml", "pyproject.toml"}

// FindConfig returns the configuration closest to dir: the first
// tdlint.toml, or pyproject.toml with a [tool.tdlint] table, in dir or
// its parents. No file is no error.
func FindConfig(dir string) (*Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return &Config{}, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		for _, name := range configFiles {
			path := filepath.Join(d, name)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			cfg, found, err := LoadConfig(path)
			if err != nil {
				return nil, err
			}
			if found {
				return cfg, nil
			}
		}
		if parent := filepath.Dir(d); parent == d {
			return &Config{}, nil
		}
	}
}

// LoadConfig reads one configuration file. For pyproject.toml, found is
// false when it has no [tool.tdlint] table. Unknown keys are errors that
// name the key and the file.
func LoadConfig(path string) (cfg *Config, found bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("reading config: %w", err)
	}
	cfg = &Config{Path: path}
	prefix := ""
	if filepath.Base(path) == "pyproject.toml" {
		var doc struct {
			Tool struct {
				TDLint toml.Primitive `toml:"tdlint"`
			} `toml:"tool"`
		}
		md, err := toml.Decode(string(data), &doc)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		if !md.IsDefined("tool", "tdlint") {
			return nil, false, nil
		}
		if err := md.PrimitiveDecode(doc.Tool.TDLint, cfg); err != nil {
			return nil, true, fmt.Errorf("%s: [tool.tdlint]: %w", path, err)
		}
		prefix = "tool.tdlint."
		if err := unknownKeys(path, md.Undecoded(), prefix); err != nil {
			return nil, true, err
		}
	} else {
		md, err := toml.Decode(string(data), cfg)
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", path, err)
		}
		if err := unknownKeys(path, md.Undecoded(), prefix); err != nil {
			return nil, true, err
		}
	}
	cfg.Path = path
	if err := cfg.validate(); err != nil {
		return nil, true, err
	}
	return cfg, true, nil
}

func unknownKeys(path string, keys []toml.Key, prefix string) error {
	var unknown []string
	for _, k := range keys {
		s := k.String()
		if prefix != "" && !strings.HasPrefix(s, prefix) {
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
	return fmt.Errorf("%s: unknown configuration key(s): %s", path, strings.Join(unknown, ", "))
}

// ErrBadConfig wraps semantic configuration errors.
var ErrBadConfig = errors.New("invalid configuration")

func (c *Config) validate() error {
	if c.PythonVersion != "" {
		switch c.PythonVersion {
		case "3.11", "3.12", "3.13":
		default:
			return fmt.Errorf("%w: %s: python-version %q (want 3.11, 3.12 or 3.13)", ErrBadConfig, c.Path, c.PythonVersion)
		}
	}
	for _, e := range c.WorkerEntryPoints {
		if _, _, ok := strings.Cut(e, ":"); !ok {
			return fmt.Errorf("%w: %s: worker-entry-points entry %q must be callee:keyword or callee:index", ErrBadConfig, c.Path, e)
		}
	}
	return nil
}

// Tables returns the default tables extended by the configuration.
func (c *Config) Tables() *Tables {
	t := DefaultTables()
	var workers []WorkerEntry
	for _, e := range c.WorkerEntryPoints {
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
	return t
}

// IgnoredIn returns the rule selectors per-file-ignores disables for a file
// (patterns are matched against the slash path and its base name).
func (c *Config) IgnoredIn(name string) []string {
	var out []string
	slash := filepath.ToSlash(name)
	for pattern, codes := range c.PerFileIgnores {
		if matchGlob(pattern, slash) || matchGlob(pattern, filepath.Base(slash)) {
			out = append(out, codes...)
		}
	}
	return out
}

// Excluded reports whether exclude patterns drop a path.
func (c *Config) Excluded(name string) bool {
	slash := filepath.ToSlash(name)
	for _, pattern := range c.Exclude {
		if matchGlob(pattern, slash) || matchGlob(pattern, filepath.Base(slash)) {
			return true
		}
		for dir := filepath.Dir(slash); dir != "." && dir != "/"; dir = filepath.Dir(dir) {
			if matchGlob(pattern, dir) || matchGlob(pattern, filepath.Base(dir)) {
				return true
			}
		}
	}
	return false
}

// matchGlob matches a gitignore-style pattern: "*" within a path segment,
// "**" across segments, and a pattern without "/" matches any suffix.
func matchGlob(pattern, name string) bool {
	pattern = strings.TrimSuffix(strings.TrimPrefix(pattern, "./"), "/")
	if ok, _ := filepath.Match(pattern, name); ok {
		return true
	}
	if strings.Contains(pattern, "**") {
		prefix, suffix, _ := strings.Cut(pattern, "**")
		if !strings.HasPrefix(name, prefix) {
			return false
		}
		rest := strings.TrimPrefix(name, prefix)
		suffix = strings.TrimPrefix(suffix, "/")
		for i := 0; i <= len(rest); i++ {
			if i == 0 || rest[i-1] == '/' {
				if ok, _ := filepath.Match(suffix, rest[i:]); ok {
					return true
				}
			}
		}
		return false
	}
	if !strings.Contains(pattern, "/") {
		for part := range strings.SplitSeq(name, "/") {
			if ok, _ := filepath.Match(pattern, part); ok {
				return true
			}
		}
	}
	return false
}

// Options are the run options the configuration asks for (the CLI's flags
// override them).
func (c *Config) Options() Options {
	v, err := pyparse.ParseVersion(c.PythonVersion)
	if err != nil {
		v = pyparse.Py311 // validate() has refused any other value
	}
	return Options{
		Version: v, Select: c.Select, Ignore: c.Ignore, ExtendSelect: c.ExtendSelect,
		Tables: c.Tables(), PerFileIgnores: c.IgnoredIn,
	}
}
