package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/tdlint/tdlint/pyparse"
)

// maxFixPasses bounds the lint-fix loop: a fix can make another finding
// appear or vanish (removing the last code of a noqa), so fixing repeats
// until nothing more applies, as Ruff does.
const maxFixPasses = 10

// FixedFile is an input whose text the fixes changed.
type FixedFile struct {
	// Index is the input's position in the slice given to Fix.
	Index int
	Name  string
	// DiskPath is where it came from ("" for stdin).
	DiskPath string
	// Old and New are the whole file before and after (for a DAT, the
	// .text file with its header); Text is the new Python text alone.
	Old, New, Text []byte
	// Fixed counts the findings the fixes removed.
	Fixed int
	// Also are the other inputs of the same file whose texts changed:
	// the DATs of one .tdn file are written together.
	Also []FixedText
}

// FixedText is the new text of one input.
type FixedText struct {
	Index int
	Text  []byte
}

// FixError is a fix that was not applied, and why.
type FixError struct {
	Name string
	Err  error
}

func (p FixError) Error() string { return p.Name + ": " + p.Err.Error() }

// Fix lints the inputs, applies the safe fixes (every fix when unsafe is
// set) and lints again until no fix applies. It returns the last result,
// the changed files and the fixes it refused (one that would break the
// file's syntax, or that cannot be written in its encoding, or a file whose
// bytes did not decode exactly to the text the fixes were computed on); it
// writes nothing. The result describes the texts of the changed files, and
// the others as they were.
func Fix(inputs []Input, all []*Analyzer, opts Options, unsafe bool) (*Result, []FixedFile, []FixError) {
	work := append([]Input(nil), inputs...)
	fixed := make(map[int]int)
	var problems []FixError
	refused := make(map[int]bool)
	res := Run(work, all, opts)
	for range maxFixPasses {
		byFile := make(map[*SourceFile][]Diagnostic)
		for _, d := range res.Diagnostics {
			if d.Range.File != nil && len(d.SuggestedFixes) > 0 {
				byFile[d.Range.File] = append(byFile[d.Range.File], d)
			}
		}
		changed := false
		for i, f := range res.Files {
			ds := byFile[f]
			if len(ds) == 0 || refused[i] {
				continue
			}
			edits, n := chooseEdits(f, ds, unsafe)
			if n == 0 {
				continue
			}
			text, err := applyFixes(&work[i], f, edits, opts)
			if err != nil {
				problems = append(problems, FixError{Name: f.Name, Err: err})
				refused[i] = true
				continue
			}
			work[i].Src = text
			fixed[i] += n
			changed = true
		}
		if !changed {
			break
		}
		res = Run(work, all, opts)
	}
	var changed []FixedFile
	for i := range work {
		if fixed[i] == 0 || bytes.Equal(work[i].Src, inputs[i].Src) {
			continue
		}
		changed = append(changed, FixedFile{Index: i, Name: inputs[i].Name, DiskPath: inputs[i].DiskPath, Text: work[i].Src, Fixed: fixed[i]})
	}
	out, failed := diskFiles(inputs, changed)
	reverted := len(failed) > 0
	for j := range failed {
		ff := &failed[j]
		problems = append(problems, FixError{Name: ff.Name, Err: ff.err})
		for _, i := range ff.indexes() {
			work[i].Src = inputs[i].Src
		}
	}
	if reverted {
		// The findings of a file left as it was are its own, not those
		// of text that will never be written.
		res = Run(work, all, opts)
	}
	return res, out, problems
}

// unwritable is a file whose fixed text cannot be written, and why.
type unwritable struct {
	FixedFile
	err error
}

// indexes are the inputs a fixed file holds.
func (ff *FixedFile) indexes() []int {
	out := []int{ff.Index}
	for _, t := range ff.Also {
		out = append(out, t.Index)
	}
	return out
}

// diskFiles makes the files to write of the inputs whose texts changed
// (Index, Name, DiskPath, Text and Fixed set): Old and New, and the DATs
// of one .tdn file merged into one file, in the order of its first. Those
// that cannot be written come back apart, with the reason: a .tdn's DAT
// whose text cannot go into it leaves the file to the DATs that can.
func diskFiles(inputs []Input, changed []FixedFile) (out []FixedFile, failed []unwritable) {
	// Each .tdn's DATs wait in a group, at the place of its first.
	groups := make(map[string][]FixedFile)
	var order []string // "" for a file of out, else a .tdn's path
	for i := range changed {
		ff := changed[i]
		in := &inputs[ff.Index]
		ff.Old = in.Disk
		if in.Disk == nil {
			ff.Old = in.Src
		}
		if in.tdn != nil {
			if groups[in.DiskPath] == nil {
				order = append(order, in.DiskPath)
			}
			groups[in.DiskPath] = append(groups[in.DiskPath], ff)
			continue
		}
		var err error
		if ff.New, err = fixedDisk(in, ff.Text); err != nil {
			failed = append(failed, unwritable{ff, err})
			continue
		}
		out = append(out, ff)
		order = append(order, "")
	}
	merged := make([]FixedFile, 0, len(order))
	next := 0
	for _, path := range order {
		if path == "" {
			merged = append(merged, out[next])
			next++
			continue
		}
		ff, bad := mergeTDN(inputs, groups[path])
		failed = append(failed, bad...)
		if ff != nil {
			merged = append(merged, *ff)
		}
	}
	return merged, failed
}

// mergeTDN is one .tdn file with the new texts of its DATs that can be
// written into it, and those that cannot.
func mergeTDN(inputs []Input, dats []FixedFile) (*FixedFile, []unwritable) {
	change := func(ff *FixedFile) tdnChange {
		in := &inputs[ff.Index]
		return tdnChange{at: in.tdn, old: string(in.Src), new: string(ff.Text)}
	}
	var ok []FixedFile
	var bad []unwritable
	for i := range dats {
		if _, err := rewriteTDN(dats[i].DiskPath, dats[i].Old, []tdnChange{change(&dats[i])}); err != nil {
			bad = append(bad, unwritable{dats[i], err})
			continue
		}
		ok = append(ok, dats[i])
	}
	if len(ok) == 0 {
		return nil, bad
	}
	ff := ok[0]
	changes := []tdnChange{change(&ok[0])}
	for i := 1; i < len(ok); i++ {
		ff.Also = append(ff.Also, FixedText{Index: ok[i].Index, Text: ok[i].Text})
		ff.Fixed += ok[i].Fixed
		changes = append(changes, change(&ok[i]))
	}
	var err error
	if ff.New, err = rewriteTDN(ff.DiskPath, ff.Old, changes); err != nil {
		return nil, append(bad, unwritable{ff, err})
	}
	return &ff, bad
}

// fixedDisk is what in's file holds once its text is src: for a DAT, the
// .text file with its header and what follows the text.
func fixedDisk(in *Input, src []byte) ([]byte, error) {
	if in.Disk == nil || in.TextStart == 0 && len(in.Disk) == len(in.Src) && !isDATText(in.DiskPath) {
		return src, nil
	}
	return encodeTOEText(in.Disk, in.TextStart, len(in.Src), src)
}

// applyFixes is in's text with the edits applied, or why they cannot be:
// the edits are offsets in f's decoded text, and ApplyToRaw maps them to
// in's bytes only when those decode exactly to that text.
func applyFixes(in *Input, f *SourceFile, edits []pyparse.Edit, opts Options) ([]byte, error) {
	if in.NoFix != "" {
		return nil, errors.New(in.NoFix + "; no fix applied")
	}
	if in.Decoded {
		return nil, errors.New("an editor's buffer is fixed by the editor; no fix applied")
	}
	text, err := pyparse.ApplyToRaw(in.Src, f.AST.Src, edits)
	if errors.Is(err, pyparse.ErrInexactText) {
		return nil, fmt.Errorf("%w; no fix applied", err)
	}
	if err != nil {
		return nil, err
	}
	if len(f.AST.Errors) == 0 && len(pyparse.ParseFile(f.Name, text, pyparse.Config{Version: grammar(in, opts)}).Errors) > 0 {
		return nil, errors.New("the fixes would introduce a syntax error; none applied")
	}
	return text, nil
}

// chooseEdits picks, in position order, the fixes of ds that do not overlap
// one already chosen (a fix's edits go in together or not at all) and
// returns their edits sorted, and how many findings they fix.
func chooseEdits(f *SourceFile, ds []Diagnostic, unsafe bool) (edits []pyparse.Edit, fixes int) {
	var cands [][]pyparse.Edit
	for _, d := range ds {
		for _, fix := range d.SuggestedFixes {
			if !fix.Safe && !unsafe {
				continue
			}
			if c := fixEdits(f, fix); c != nil {
				cands = append(cands, c)
				break // the first applicable fix of a finding
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i][0].Start < cands[j][0].Start })
	for _, c := range cands {
		if !overlapsAny(edits, c) {
			edits = append(edits, c...)
			fixes++
		}
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits, fixes
}

// fixEdits is a fix's edits in position order, or nil when it has none or
// reaches outside f.
func fixEdits(f *SourceFile, fix SuggestedFix) []pyparse.Edit {
	var edits []pyparse.Edit
	for _, e := range fix.TextEdits {
		if e.Range.File != f || e.Range.Start > e.Range.End {
			return nil
		}
		edits = append(edits, pyparse.Edit{Start: e.Range.Start, End: e.Range.End, Text: e.NewText})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits
}

// overlapsAny reports whether an edit of b touches one of a. Two
// insertions at one offset overlap too: their order would be a guess.
func overlapsAny(a, b []pyparse.Edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Start < y.End && y.Start < x.End || x.Start == y.Start {
				return true
			}
		}
	}
	return false
}

// Why WriteFixed left a file as it was; the errors it returns wrap these
// and name the file.
var (
	// ErrReadOnly is a file without write permission: a read-only file
	// says "do not change me", and renaming over it would ignore that.
	ErrReadOnly = errors.New("the file is read-only")
	// ErrChangedOnDisk is a file that no longer holds what was read:
	// tdlint never overwrites an edit made while it ran.
	ErrChangedOnDisk = errors.New("the file changed on disk while tdlint ran")
)

// liveTemps are the temporary files WriteFixed has created and not yet
// renamed or removed, for RemoveTempFiles.
var liveTemps = struct {
	sync.Mutex
	names map[string]bool
}{names: make(map[string]bool)}

// RemoveTempFiles removes the temporary files of writes still under way
// and returns how many it removed: an interrupted --fix calls it before it
// exits, so that no .tdlint-* file is left behind. A write whose temporary
// file is removed fails; the file it was for is left as it was.
func RemoveTempFiles() int {
	liveTemps.Lock()
	defer liveTemps.Unlock()
	n := 0
	for name := range liveTemps.names {
		if os.Remove(name) == nil {
			n++
		}
		delete(liveTemps.names, name)
	}
	return n
}

// WriteFixed writes ff.New over the file ff was read from, if that file
// still holds ff.Old (see ErrChangedOnDisk) and is writable (ErrReadOnly).
// A symlink's target is written. A file with one name is replaced
// atomically: the new bytes go to a temporary file beside it, synced, given
// the file's owner, group and mode (setuid, setgid and sticky bits too),
// and renamed over it. A file with other names (hard links), or one whose
// owner cannot be given to a new file, is rewritten in place instead, so
// that every name sees the change and its owner stays. Errors name the
// file and why it was left alone.
func WriteFixed(ff FixedFile) error {
	if ff.DiskPath == "" {
		return fmt.Errorf("%s: not a file on disk", ff.Name)
	}
	path, err := filepath.EvalSymlinks(ff.DiskPath)
	if err != nil {
		return fmt.Errorf("%s: %w", ff.Name, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", ff.Name, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", ff.Name)
	}
	if info.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s: %w (mode %04o)", ff.Name, ErrReadOnly, info.Mode().Perm())
	}
	if err := writable(path); err != nil {
		return fmt.Errorf("%s: %w for this user (%w)", ff.Name, ErrReadOnly, err)
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", ff.Name, err)
	}
	if bytes.Equal(now, ff.New) && !bytes.Equal(now, ff.Old) {
		// Written already under another of its names (a hard link or
		// a symlink linted too).
		return nil
	}
	if !bytes.Equal(now, ff.Old) {
		return fmt.Errorf("%s: %w", ff.Name, ErrChangedOnDisk)
	}
	if links(info) > 1 {
		return writeInPlace(ff, path, info)
	}
	err = replaceAtomically(ff, path, info)
	if errors.Is(err, errOwnerNotKept) {
		return writeInPlace(ff, path, info)
	}
	return err
}

// errOwnerNotKept is a new file that could not be given the old one's
// owner: it is not renamed over it.
var errOwnerNotKept = errors.New("cannot give the new file the old one's owner")

// unchangedSince reports whether path is still the file info described
// when it was read (same file, size and modification time).
func unchangedSince(path string, info os.FileInfo) bool {
	now, err := os.Stat(path)
	return err == nil && os.SameFile(now, info) && now.Size() == info.Size() && now.ModTime().Equal(info.ModTime())
}

func replaceAtomically(ff FixedFile, path string, info os.FileInfo) error {
	dir := filepath.Dir(path)
	liveTemps.Lock()
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tdlint-*")
	if err == nil {
		liveTemps.names[tmp.Name()] = true
	}
	liveTemps.Unlock()
	if err != nil {
		return fmt.Errorf("%s: cannot create a temporary file in %s: %w", ff.Name, dir, unwrapPath(err))
	}
	committed := false
	defer func() {
		liveTemps.Lock()
		if !committed {
			_ = os.Remove(tmp.Name())
		}
		delete(liveTemps.names, tmp.Name())
		liveTemps.Unlock()
	}()
	fail := func(err error) error {
		_ = tmp.Close()
		return fmt.Errorf("%s: cannot write the fixed text: %w", ff.Name, unwrapPath(err))
	}
	if _, err := tmp.Write(ff.New); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	// The owner first: changing it clears the setuid and setgid bits.
	if err := keepOwner(tmp, info); err != nil {
		_ = tmp.Close()
		return errOwnerNotKept
	}
	if err := tmp.Chmod(info.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: cannot write the fixed text: %w", ff.Name, unwrapPath(err))
	}
	if !unchangedSince(path, info) {
		return fmt.Errorf("%s: %w", ff.Name, ErrChangedOnDisk)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: cannot replace the file: %w", ff.Name, unwrapPath(err))
	}
	// The directory is not synced: after a crash the file holds the old
	// text or the new one, whole, and syncing it doubled the time --fix
	// takes on a tree.
	committed = true
	return nil
}

// writeInPlace rewrites the file itself: its inode, and so its other names,
// owner and mode, stay. It is not atomic; a write error can leave the file
// partly written, and the error says so.
func writeInPlace(ff FixedFile, path string, info os.FileInfo) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", ff.Name, unwrapPath(err))
	}
	if !unchangedSince(path, info) {
		_ = f.Close()
		return fmt.Errorf("%s: %w", ff.Name, ErrChangedOnDisk)
	}
	_, err = f.WriteAt(ff.New, 0)
	if err == nil {
		err = f.Truncate(int64(len(ff.New)))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: writing in place (it has other names or owners) failed, the file may be partly written: %w", ff.Name, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the operation and path of a *fs.PathError: the
// messages name the file themselves.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}
