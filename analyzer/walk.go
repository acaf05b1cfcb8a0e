package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// skipDirs are never descended into when a directory is linted.
var skipDirs = map[string]bool{
	".git": true, "__pycache__": true, ".venv": true, "venv": true, "node_modules": true,
	".mypy_cache": true, ".ruff_cache": true, ".tox": true, "site-packages": true,
}

// isProjectDirName says whether a walk may go into a folder of this name:
// not into tools' and caches' folders, nor hidden ones (but toeexpand's
// .dir trees). A virtual environment (a folder holding a pyvenv.cfg,
// whatever its name) is left out once its listing is read.
func isProjectDirName(name string) bool {
	return !skipDirs[name] && (!strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".dir"))
}

// projectFile is what kind of file a walk found.
type projectFile int

const (
	pythonFile   projectFile = iota // a .py file
	datText                         // a DAT's .text in a toeexpand tree
	tdBinaryFile                    // a binary .toe or .tox
	tdnFile                         // a TDN network file
	parmFile                        // an operator's .parm in a toeexpand tree
)

// Folders is what walks saw of the folders they listed: which of the
// files tdlint looks for in a folder (its configuration files,
// .gitignore, pyvenv.cfg) each holds. A lookup in a folder listed here
// needs no system call: a check of thousands of folders otherwise made
// tens of thousands of stat and open calls that failed. It is filled by
// Load's walks, then only read; a nil *Folders knows no folder.
type Folders struct {
	holds map[string]folderFiles // absolute folder path → what it holds
}

// NewFolders returns an empty record for Load to fill.
func NewFolders() *Folders { return &Folders{holds: make(map[string]folderFiles)} }

// folderFiles is a set of lookedFor's files.
type folderFiles uint8

// lookedFor are the files a folder's listing is searched for.
var lookedFor = [...]string{".gitignore", "pyvenv.cfg", ".tdlint.toml", "tdlint.toml", "pyproject.toml"}

const (
	holdsGitignore folderFiles = 1 << iota
	holdsPyvenv
)

// foldsCase is whether the usual file systems of this system match names
// without regard to case (NTFS, APFS), as a stat of the name would.
var foldsCase = runtime.GOOS == "windows" || runtime.GOOS == "darwin"

// lookedForBit is name's bit in a folderFiles, 0 for a name not looked for.
func lookedForBit(name string) folderFiles {
	for i, want := range lookedFor {
		if name == want || foldsCase && strings.EqualFold(name, want) {
			return 1 << i
		}
	}
	return 0
}

// listing is what entries hold of lookedFor.
func listing(entries []fs.DirEntry) folderFiles {
	var h folderFiles
	for _, e := range entries {
		h |= lookedForBit(e.Name())
	}
	return h
}

// note records the listing of the folder at abs.
func (f *Folders) note(abs string, h folderFiles) {
	if f != nil {
		f.holds[abs] = h
	}
}

// mayHold reports whether the folder at dir (absolute) may hold a file
// named name: false only when a walk listed the folder without it.
func (f *Folders) mayHold(dir, name string) bool {
	if f == nil {
		return true
	}
	h, listed := f.holds[dir]
	if !listed {
		return true
	}
	bit := lookedForBit(name)
	return bit == 0 || h&bit != 0
}

// walkProject calls found for each Python file, toeexpand DAT text,
// binary .toe/.tox and .tdn file under root (a folder, or a symbolic link
// to one: named, it is followed; links inside are not), in lexical order,
// leaving out what .gitignore files leave out, the folders
// isProjectDirName refuses, virtual environments, and the folders
// skipDir (when set) names. It notes each folder it lists in folders
// (nil: nowhere). An error from found stops the walk and is returned
// unless it is fs.SkipAll.
func walkProject(root string, skipDir func(path string) bool, folders *Folders, found func(path string, kind projectFile, d fs.DirEntry) error) []error {
	w := &projectWalk{ignores: newGitignores(root), skipDir: skipDir, folders: folders, found: found}
	abs := ""
	if folders != nil {
		// Joined onto from here on: filepath.Abs of each folder would
		// look up the working directory (two stat calls) each time.
		var err error
		if abs, err = filepath.Abs(root); err != nil {
			w.folders = nil
		}
	}
	// The root is read even where a folder of its name would be skipped:
	// it was named. Its path is kept as given, as .gitignore lookups
	// start from it.
	if err := w.dir(root, abs, true); err != nil && !errors.Is(err, fs.SkipAll) {
		w.errs = append(w.errs, &LoadError{Path: root, Err: err})
	}
	return w.errs
}

type projectWalk struct {
	ignores *gitignores
	skipDir func(path string) bool
	folders *Folders
	found   func(path string, kind projectFile, d fs.DirEntry) error
	errs    []error
}

// dir walks the folder at path (abs: its absolute path, "" when not
// kept); root is the walk's own folder. A folder that cannot be listed is
// a LoadError, and the walk goes on; an error from found ends it.
func (w *projectWalk) dir(path, abs string, root bool) error {
	entries, err := os.ReadDir(path)
	if err != nil {
		w.errs = append(w.errs, &LoadError{Path: path, Err: err})
		return nil //nolint:nilerr // kept in w.errs: an unreadable folder does not end the walk
	}
	h := listing(entries)
	if !root && h&holdsPyvenv != 0 {
		return nil
	}
	if abs != "" {
		w.folders.note(abs, h)
	}
	w.ignores.listed(path, h&holdsGitignore != 0)
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(path, name)
		isDir := e.IsDir()
		if w.ignores.ignored(p, isDir) {
			continue
		}
		if isDir {
			if !isProjectDirName(name) || w.skipDir != nil && w.skipDir(p) {
				continue
			}
			sub := ""
			if abs != "" {
				sub = filepath.Join(abs, name)
			}
			if err := w.dir(p, sub, false); err != nil {
				return err
			}
			continue
		}
		if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
			// A FIFO named x.py would block the read forever.
			continue
		}
		var kind projectFile
		switch {
		case isDATText(p):
			kind = datText
		case strings.HasSuffix(p, ".py"):
			kind = pythonFile
		case isTDBinaryName(p):
			kind = tdBinaryFile
		case isTDN(p):
			kind = tdnFile
		case isParmFile(p):
			kind = parmFile
		default:
			continue
		}
		if err := w.found(p, kind, e); err != nil {
			return err
		}
	}
	return nil
}
