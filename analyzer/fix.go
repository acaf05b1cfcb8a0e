package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

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
	var out []FixedFile
	reverted := false
	for i := range work {
		if fixed[i] == 0 || bytes.Equal(work[i].Src, inputs[i].Src) {
			continue
		}
		ff := FixedFile{Index: i, Name: inputs[i].Name, DiskPath: inputs[i].DiskPath, Text: work[i].Src, Fixed: fixed[i]}
		in := inputs[i]
		ff.Old, ff.New = in.Disk, work[i].Src
		if in.Disk == nil {
			ff.Old = in.Src
		} else if in.TextStart > 0 || len(in.Disk) != len(in.Src) || isDATText(in.DiskPath) {
			disk, err := encodeTOEText(in.Disk, in.TextStart, len(in.Src), work[i].Src)
			if err != nil {
				problems = append(problems, FixError{Name: in.Name, Err: err})
				work[i].Src = in.Src
				reverted = true
				continue
			}
			ff.New = disk
		}
		out = append(out, ff)
	}
	if reverted {
		// The findings of a file left as it was are its own, not those
		// of text that will never be written.
		res = Run(work, all, opts)
	}
	return res, out, problems
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
	if len(f.AST.Errors) == 0 && len(pyparse.ParseFile(f.Name, text, pyparse.Config{Version: opts.Version}).Errors) > 0 {
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

// WriteFixed replaces the file on disk with ff.New, atomically: the new
// bytes go to a temporary file beside it, which is renamed over it with
// its permissions. A file that no longer holds what was read is left
// alone: tdlint never overwrites an edit made while it ran.
func WriteFixed(ff FixedFile) error {
	if ff.DiskPath == "" {
		return fmt.Errorf("%s: not a file on disk", ff.Name)
	}
	path, err := filepath.EvalSymlinks(ff.DiskPath)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, ff.Old) {
		return fmt.Errorf("%s changed while tdlint ran; not fixed", ff.DiskPath)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tdlint-*")
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(ff.New); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	committed = true
	return nil
}
