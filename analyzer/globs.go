package analyzer

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// patternSet is a configuration's list of glob patterns (exclude, or the
// keys of per-file-ignores), compiled once and matched relative to the
// folder of the file that wrote them.
//
// A pattern with no "/" matches any one path segment (a folder's or the
// file's name); one with a "/" is anchored at that folder ("./" and a
// leading "/" are allowed). Either way a pattern that names a folder
// matches everything in it. Matching is doublestar's ("**" spans
// segments). Projects list hundreds of thousands of generated paths, so
// the literal patterns are map look-ups and a glob is only tried on the
// paths whose first or last segment it names.
type patternSet struct {
	base     string // absolute folder the patterns are relative to
	texts    []string
	anchored []bool

	literalPath map[string][]int // anchored, no wildcard
	literalName map[string][]int // unanchored, no wildcard
	byFirst     map[string][]int // anchored glob, literal first segment
	byLast      map[string][]int // anchored glob, literal last segment
	names       []int            // unanchored globs
	rest        []int            // anchored globs with wildcards at both ends
	prefix      []string         // each glob's literal prefix, a cheap test before matching
}

// errEmptyPattern is an empty exclude or per-file-ignores pattern.
var errEmptyPattern = errors.New("empty pattern")

// compilePatterns checks and indexes the patterns; the error names the
// first bad one.
func compilePatterns(base string, patterns []string) (*patternSet, error) {
	s := &patternSet{
		base: base, texts: make([]string, len(patterns)), prefix: make([]string, len(patterns)), anchored: make([]bool, len(patterns)),
		literalPath: make(map[string][]int), literalName: make(map[string][]int),
		byFirst: make(map[string][]int), byLast: make(map[string][]int),
	}
	for i, raw := range patterns {
		p := filepath.ToSlash(strings.TrimSpace(raw))
		p = strings.TrimPrefix(p, "./")
		anchored := strings.HasPrefix(p, "/")
		p = strings.TrimRight(strings.TrimLeft(p, "/"), "/")
		if p == "" {
			return nil, &patternError{pattern: raw, err: errEmptyPattern}
		}
		if !doublestar.ValidatePattern(p) {
			return nil, &patternError{pattern: raw, err: doublestar.ErrBadPattern}
		}
		anchored = anchored || strings.Contains(p, "/")
		s.texts[i], s.anchored[i] = p, anchored
		switch {
		case !hasMeta(p) && anchored:
			s.literalPath[p] = append(s.literalPath[p], i)
		case !hasMeta(p):
			s.literalName[p] = append(s.literalName[p], i)
		case !anchored:
			s.names = append(s.names, i)
			s.prefix[i] = literalPrefix(p)
		default:
			s.prefix[i] = literalPrefix(p)
			first, _, _ := strings.Cut(p, "/")
			last := p[strings.LastIndexByte(p, '/')+1:]
			switch {
			case !hasMeta(first):
				s.byFirst[first] = append(s.byFirst[first], i)
			case !hasMeta(last):
				s.byLast[last] = append(s.byLast[last], i)
			default:
				s.rest = append(s.rest, i)
			}
		}
	}
	return s, nil
}

type patternError struct {
	pattern string
	err     error
}

func (e *patternError) Error() string {
	if errors.Is(e.err, doublestar.ErrBadPattern) {
		return "invalid glob pattern " + quote(e.pattern)
	}
	return e.err.Error() + " " + quote(e.pattern)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// hasMeta reports whether doublestar gives p's characters any meaning
// beyond themselves.
func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[{\`) }

// literalPrefix is what any path p matches starts with: p up to its first
// wildcard, less the segment it is in and the "/" before (a "/**" can match
// nothing, "/" included: "sub/**" matches "sub").
func literalPrefix(p string) string {
	if i := strings.IndexAny(p, `*?[{\`); i >= 0 {
		p = p[:i]
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// match calls found with the index of each pattern that matches path
// (absolute, or relative to the working directory) until it returns
// false.
func (s *patternSet) match(path string, found func(i int) bool) {
	if s == nil || len(s.texts) == 0 {
		return
	}
	rel, inside := s.relative(path)
	if !inside {
		// Outside the configuration's folder: only a name can match.
		s.matchName(filepath.Base(path), found)
		return
	}
	// Every leading part of rel (each folder, then the file) is a
	// candidate for the anchored patterns, and its last segment for the
	// unanchored ones.
	first, _, _ := strings.Cut(rel, "/")
	for end := 0; end <= len(rel); end++ {
		if end < len(rel) && rel[end] != '/' {
			continue
		}
		lead := rel[:end]
		name := lead[strings.LastIndexByte(lead, '/')+1:]
		if !s.matchName(name, found) {
			return
		}
		for _, i := range s.literalPath[lead] {
			if !found(i) {
				return
			}
		}
		for _, group := range [][]int{s.byFirst[first], s.byLast[name], s.rest} {
			for _, i := range group {
				if strings.HasPrefix(lead, s.prefix[i]) && doublestar.MatchUnvalidated(s.texts[i], lead) && !found(i) {
					return
				}
			}
		}
	}
}

// matchName tries the unanchored patterns on one segment; false means
// found asked to stop.
func (s *patternSet) matchName(name string, found func(i int) bool) bool {
	for _, i := range s.literalName[name] {
		if !found(i) {
			return false
		}
	}
	for _, i := range s.names {
		if strings.HasPrefix(name, s.prefix[i]) && doublestar.MatchUnvalidated(s.texts[i], name) && !found(i) {
			return false
		}
	}
	return true
}

// relative is path relative to the set's folder, with slashes, and
// whether it lies inside it.
func (s *patternSet) relative(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(s.base, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// matchesAny reports whether some pattern matches path.
func (s *patternSet) matchesAny(path string) bool {
	hit := false
	s.match(path, func(int) bool { hit = true; return false })
	return hit
}
