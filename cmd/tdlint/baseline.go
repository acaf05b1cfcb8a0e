package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
)

// A baseline records a project's accepted findings so that CI fails only
// on new ones (Android Lint's baseline, golangci-lint's new-from-rev by
// other means). A finding is known by its rule, its file and the code
// around it, never by its line number: lines added above it, or a
// re-indent, must not make it new. Each entry counts the findings it
// stands for, so a second identical finding on the same line is new.
type baseline struct {
	Tool     string          `json:"tool"`
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`

	dir string // the folder file paths are relative to
}

type baselineEntry struct {
	Rule string `json:"rule"`
	// File is slash-separated, relative to the baseline's folder.
	File string `json:"file"`
	// Context fingerprints the flagged line and the non-blank lines
	// before and after it; Line the flagged line alone, whitespace
	// collapsed in both. A finding matches on Context first, then, if no
	// entry is left there, on Line (its neighbours changed).
	Context string `json:"context"`
	Line    string `json:"line"`
	Count   int    `json:"count"`
	// Message is for the reader of the file; matching ignores it.
	Message string `json:"message"`
}

const baselineVersion = 1

func loadBaseline(path string) (*baseline, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("baseline %s does not exist (write it with --write-baseline %s)", path, path)
	}
	if err != nil {
		return nil, err
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if b.Tool != "tdlint" || b.Version != baselineVersion {
		return nil, fmt.Errorf("baseline %s: not a tdlint baseline of version %d", path, baselineVersion)
	}
	b.dir, err = baselineDir(path)
	return &b, err
}

func baselineDir(path string) (string, error) {
	abs, err := filepath.Abs(path)
	return filepath.Dir(abs), err
}

// baselined reports whether a finding can be baselined: a syntax error or
// a crash is always shown.
func baselined(d *analyzer.Diagnostic) bool {
	return d.Range.File != nil && d.Range.File.AST != nil &&
		d.Analyzer != analyzer.SyntaxErrorAnalyzer && d.Analyzer != analyzer.InternalErrorAnalyzer
}

// newBaseline records ds, for a baseline file at path, with the entries
// of old (if any) for the files that were not linted this time.
func newBaseline(path string, ds []analyzer.Diagnostic, old *baseline, linted []*analyzer.SourceFile) (*baseline, error) {
	dir, err := baselineDir(path)
	if err != nil {
		return nil, err
	}
	b := &baseline{Tool: "tdlint", Version: baselineVersion, Findings: []baselineEntry{}, dir: dir}
	index := make(map[baselineEntry]int)
	for i := range ds {
		d := &ds[i]
		if !baselined(d) {
			continue
		}
		e := b.entry(d)
		key := e
		key.Message = ""
		if j, ok := index[key]; ok {
			b.Findings[j].Count++
			continue
		}
		e.Count = 1
		index[key] = len(b.Findings)
		b.Findings = append(b.Findings, e)
	}
	if old != nil {
		seen := b.files(linted)
		for _, e := range old.Findings {
			if !seen[e.File] {
				b.Findings = append(b.Findings, e)
			}
		}
	}
	sort.SliceStable(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Context < y.Context
	})
	return b, nil
}

// entry describes d (Count unset).
func (b *baseline) entry(d *analyzer.Diagnostic) baselineEntry {
	f := d.Range.File
	line := f.AST.Position(d.Range.Start).Line
	text := normalizeLine(f.AST.Line(line))
	var before, after string
	for l := line - 1; l >= 1 && before == ""; l-- {
		before = normalizeLine(f.AST.Line(l))
	}
	for l := line + 1; l <= f.AST.LineCount() && after == ""; l++ {
		after = normalizeLine(f.AST.Line(l))
	}
	return baselineEntry{
		Rule: d.Analyzer.Code, File: b.relPath(f), Message: d.Message,
		Context: fingerprint(before, text, after), Line: fingerprint(text),
	}
}

// relPath is f's path relative to the baseline's folder, so the baseline
// matches from any working directory; stdin is known by its given name.
func (b *baseline) relPath(f *analyzer.SourceFile) string {
	if f.DiskPath == "" {
		return filepath.ToSlash(f.Name)
	}
	abs, err := filepath.Abs(f.DiskPath)
	if err == nil {
		if rel, err := filepath.Rel(b.dir, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(f.DiskPath)
}

func normalizeLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(h[:8])
}

// files are the baseline paths of the files linted.
func (b *baseline) files(linted []*analyzer.SourceFile) map[string]bool {
	seen := make(map[string]bool, len(linted))
	for _, f := range linted {
		if f != nil {
			seen[b.relPath(f)] = true
		}
	}
	return seen
}

// filter returns the findings of ds the baseline does not account for,
// and how many of its findings in the linted files no longer occur (a
// file not linted this time, as when pre-commit names a few, has lost
// none).
func (b *baseline) filter(ds []analyzer.Diagnostic, linted []*analyzer.SourceFile) (fresh []analyzer.Diagnostic, hidden, gone int) {
	type key struct{ rule, file, print string }
	left := make([]int, len(b.Findings))
	byContext := make(map[key][]int)
	byLine := make(map[key][]int)
	for i, e := range b.Findings {
		left[i] = e.Count
		byContext[key{strings.ToUpper(e.Rule), e.File, e.Context}] = append(byContext[key{strings.ToUpper(e.Rule), e.File, e.Context}], i)
		byLine[key{strings.ToUpper(e.Rule), e.File, e.Line}] = append(byLine[key{strings.ToUpper(e.Rule), e.File, e.Line}], i)
	}
	take := func(idx []int) bool {
		for _, i := range idx {
			if left[i] > 0 {
				left[i]--
				return true
			}
		}
		return false
	}
	// Exact places first, so that a moved twin does not take the entry
	// of a finding that stayed put.
	matched := make([]bool, len(ds))
	entries := make([]baselineEntry, len(ds))
	for i := range ds {
		if !baselined(&ds[i]) {
			continue
		}
		entries[i] = b.entry(&ds[i])
		matched[i] = take(byContext[key{entries[i].Rule, entries[i].File, entries[i].Context}])
	}
	for i := range ds {
		if !matched[i] && baselined(&ds[i]) {
			matched[i] = take(byLine[key{entries[i].Rule, entries[i].File, entries[i].Line}])
		}
		if matched[i] {
			hidden++
		} else {
			fresh = append(fresh, ds[i])
		}
	}
	seen := b.files(linted)
	for i, n := range left {
		if seen[b.Findings[i].File] {
			gone += n
		}
	}
	return fresh, hidden, gone
}

// write replaces the baseline file atomically: a reader (or a crash)
// sees the old file or the new one, never half of one.
func (b *baseline) write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tdlint-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	mode := os.FileMode(0o644) // a baseline is committed and read by all
	if info, err := os.Stat(path); err == nil {
		mode = info.Mode().Perm()
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
