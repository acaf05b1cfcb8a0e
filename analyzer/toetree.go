package analyzer

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// A toeexpand tree names each operator's files by the operator's exact
// name, and two siblings may differ only by case (Image and image, made
// on Windows). On a case-insensitive file system (Windows, macOS) opening
// image.n opens Image.n, so an operator's files are paired by the exact
// names the tree's .toc lists, or its folder holds, never by opening a
// name built from the operator's.

// companionFileLimit bounds the .n and .parm files read for what they say
// about an operator.
const companionFileLimit = 1 << 20

// toeTree is one toeexpand tree.
type toeTree struct {
	root string // the tree's folder, slash-separated (x.toe.dir)
	// read and list reach the tree's files by slash paths relative to
	// root: read a file, list a folder's exact names.
	read func(rel string) ([]byte, error)
	list func(rel string) ([]string, error)
	// toc maps each name the .toc lists to the name on disk: toeexpand
	// lists the second of two colliding names as "image.n 2" and writes
	// it as image.n.2. Nil when the tree has no readable .toc.
	toc map[string]string

	mu      sync.Mutex
	folders map[string]map[string]bool // folder → its exact names
}

// newToeTree opens the tree at root (slash-separated) on the disk.
func newToeTree(root string) *toeTree {
	dir := filepath.FromSlash(root)
	t := &toeTree{
		root: root,
		read: func(rel string) ([]byte, error) {
			return readRegular(filepath.Join(dir, filepath.FromSlash(rel)), companionFileLimit)
		},
		list: func(rel string) ([]string, error) {
			entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
			names := make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name()
			}
			return names, err
		},
	}
	if data, err := readRegular(strings.TrimSuffix(dir, ".dir")+".toc", 0); err == nil {
		t.toc = parseTOC(data)
	}
	return t
}

// parseTOC maps each entry of a .toc to its file's name on disk.
func parseTOC(data []byte) map[string]string {
	toc := make(map[string]string)
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		disk := line
		if name, n, ok := strings.Cut(line, " "); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			line, disk = name, name+"."+n
		}
		toc[line] = disk
	}
	return toc
}

// file is the name on disk of an operator's file (rel "project1/image",
// ext ".n"), "" if the tree has none. The .toc's entry decides; a tree
// without one, or an entry it lacks (a file added by hand) or names
// wrongly, is looked up among the folder's exact names, name.n.2
// standing for name.n.
func (t *toeTree) file(rel, ext string) string {
	name := rel + ext
	if disk, ok := t.toc[name]; ok {
		if dir, base := path.Split(disk); t.folder(strings.TrimSuffix(dir, "/"))[base] {
			return disk
		}
		// A .toc that does not say what is on disk (a tree copied
		// without its collisions' suffixes) yields to the folder.
	}
	dir, base := path.Split(name)
	names := t.folder(strings.TrimSuffix(dir, "/"))
	if names[base] {
		return name
	}
	found := ""
	for n := range names {
		if suffix, ok := strings.CutPrefix(n, base+"."); ok && suffix != "" && strings.Trim(suffix, "0123456789") == "" {
			if found != "" {
				return "" // two candidates: neither is known to be this one
			}
			found = dir + n
		}
	}
	return found
}

// folder is the set of exact names in one folder of the tree, listed once.
func (t *toeTree) folder(rel string) map[string]bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if names, ok := t.folders[rel]; ok {
		return names
	}
	if t.folders == nil {
		t.folders = make(map[string]map[string]bool)
	}
	listed, _ := t.list(rel)
	names := make(map[string]bool, len(listed))
	for _, n := range listed {
		names[n] = true
	}
	t.folders[rel] = names
	return names
}

// readFile reads an operator's file, nil if it has none.
func (t *toeTree) readFile(rel, ext string) []byte {
	disk := t.file(rel, ext)
	if disk == "" {
		return nil
	}
	data, err := t.read(disk)
	if err != nil {
		return nil
	}
	return data
}

// toeTrees are the trees one load reads, each opened once: the loads of
// a tree's files run in parallel and share it.
type toeTrees struct {
	// syncFiles reads a synced DAT from its file (see syncedFile). The
	// language server does not: it keeps one input per file on disk.
	syncFiles bool

	mu    sync.Mutex
	trees map[string]*toeTree
}

// tree is the tree at root (slash-separated); a nil toeTrees opens it
// anew.
func (ts *toeTrees) tree(root string) *toeTree {
	if ts == nil {
		return newToeTree(root)
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if t := ts.trees[root]; t != nil {
		return t
	}
	if ts.trees == nil {
		ts.trees = make(map[string]*toeTree)
	}
	t := newToeTree(root)
	ts.trees[root] = t
	return t
}
