package analyzer

import (
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// gitignores answers whether .gitignore files exclude a path, for the
// directories a walk goes through. It supports the common subset: globs
// with * and **, patterns anchored with a leading or inner "/", directory
// patterns with a trailing "/", and "!" re-inclusion.
type gitignores struct {
	root  string
	cache map[string][]ignorePattern
}

type ignorePattern struct {
	glob     string
	negate   bool
	dirOnly  bool
	anchored bool
}

func newGitignores(root string) *gitignores {
	return &gitignores{root: root, cache: make(map[string][]ignorePattern)}
}

// listed records what a walk's listing of dir showed: a folder without a
// .gitignore has no patterns, and no open is needed to find that out.
func (g *gitignores) listed(dir string, has bool) {
	if _, ok := g.cache[dir]; !ok && !has {
		g.cache[dir] = nil
	}
}

func (g *gitignores) patterns(dir string) []ignorePattern {
	if ps, ok := g.cache[dir]; ok {
		return ps
	}
	var ps []ignorePattern
	if data, err := readRegular(filepath.Join(dir, ".gitignore"), 0); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			line = strings.TrimRight(line, " \r")
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			p := ignorePattern{}
			if strings.HasPrefix(line, "!") {
				p.negate, line = true, line[1:]
			}
			if rest, ok := strings.CutSuffix(line, "/"); ok {
				p.dirOnly, line = true, rest
			}
			if strings.Contains(line, "/") {
				p.anchored, line = true, strings.TrimPrefix(line, "/")
			}
			p.glob = line
			ps = append(ps, p)
		}
	}
	g.cache[dir] = ps
	return ps
}

// ignored reports whether path (inside root) is excluded by the .gitignore
// files of root and the directories between root and path.
func (g *gitignores) ignored(path string, isDir bool) bool {
	rel, err := filepath.Rel(g.root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	ignored := false
	dir := g.root
	for i := range parts {
		sub := strings.Join(parts[i:], "/")
		for _, p := range g.patterns(dir) {
			if p.dirOnly && !isDir {
				continue
			}
			var hit bool
			if p.anchored {
				// Relative to this .gitignore's directory: the whole
				// remaining path must match (or, with **, any depth).
				hit = doublestar.MatchUnvalidated(p.glob, sub)
			} else {
				hit = doublestar.MatchUnvalidated(p.glob, parts[len(parts)-1])
			}
			if hit {
				ignored = !p.negate
			}
		}
		dir = filepath.Join(dir, parts[i])
	}
	return ignored
}
