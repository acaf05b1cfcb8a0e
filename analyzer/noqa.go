package analyzer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// AddNoqa computes, for `tdlint check --add-noqa`, the files with a
// suppression added on every line that has findings: the line's codes
// appended to its `# noqa: ...` or `# tdlint: ignore[...]` list, or a new
// `  # noqa: CODES` at its end. Nothing else of a file changes. It writes
// nothing; res is the lint of inputs.
//
// A line where a comment cannot go (it ends inside a string, or continues
// with a backslash) keeps its findings, reported as a FixError; so does a
// file whose bytes do not decode exactly, where an offset in the text
// could not be trusted to be the same place in the file. Syntax errors
// (TD001), internal errors (TD999) and unused suppressions (TD900) get no
// comment: a noqa cannot fix those. added counts the findings suppressed.
func AddNoqa(inputs []Input, res *Result, opts Options) (out []FixedFile, problems []FixError, added int) {
	index := make(map[*SourceFile]int, len(res.Files))
	for i, f := range res.Files {
		index[f] = i
	}
	byFile := make(map[int][]Diagnostic)
	for _, d := range res.Diagnostics {
		i, ok := index[d.Range.File]
		if !ok || d.Analyzer == SyntaxErrorAnalyzer || d.Analyzer == InternalErrorAnalyzer || d.Analyzer == UnusedNoqaAnalyzer {
			continue
		}
		byFile[i] = append(byFile[i], d)
	}
	files := make([]int, 0, len(byFile))
	for i := range byFile {
		files = append(files, i)
	}
	sort.Ints(files)
	var changed []FixedFile
	for _, i := range files {
		f, in := res.Files[i], inputs[i]
		if len(f.AST.Errors) > 0 {
			problems = append(problems, FixError{Name: f.Name, Err: errors.New("has a syntax error; no noqa comments added")})
			continue
		}
		lines := noqaLines(f, byFile[i])
		text, n, refused, err := applyNoqa(f, in, lines, opts)
		for _, l := range refused {
			problems = append(problems, FixError{Name: f.Name, Err: fmt.Errorf("line %d: a comment cannot go there (the line ends inside a string or continues on the next); its findings stay", l.line+f.DiskLineOffset)})
		}
		if err != nil {
			problems = append(problems, FixError{Name: f.Name, Err: err})
			continue
		}
		if n == 0 {
			continue
		}
		changed = append(changed, FixedFile{Index: i, Name: in.Name, DiskPath: in.DiskPath, Text: text, Fixed: n})
	}
	out, failed := diskFiles(inputs, changed)
	for i := range failed {
		problems = append(problems, FixError{Name: failed[i].Name, Err: failed[i].err})
	}
	for i := range out {
		added += out[i].Fixed
	}
	return out, problems, added
}

// noqaLine is one line's suppression to add.
type noqaLine struct {
	line     int
	codes    []string
	findings int
	edit     TextEdit
}

// noqaLines groups ds by line and builds each line's edit.
func noqaLines(f *SourceFile, ds []Diagnostic) []noqaLine {
	byLine := make(map[int]*noqaLine)
	var order []int
	for i := range ds {
		d := &ds[i]
		line := f.AST.Position(d.Range.Start).Line
		nl := byLine[line]
		if nl == nil {
			e, ok := NoqaEdit(f, d)
			if !ok {
				e = TextEdit{} // a string spans the line's end: refused below
			}
			nl = &noqaLine{line: line, edit: e}
			byLine[line] = nl
			order = append(order, line)
		}
		nl.findings++
		if !slices.Contains(nl.codes, d.Analyzer.Code) {
			nl.codes = append(nl.codes, d.Analyzer.Code)
		}
	}
	sort.Ints(order)
	out := make([]noqaLine, 0, len(order))
	for _, l := range order {
		nl := byLine[l]
		sort.Strings(nl.codes)
		if nl.edit.Range.File != nil {
			if strings.HasPrefix(nl.edit.NewText, ", ") {
				nl.edit.NewText = ", " + strings.Join(nl.codes, ", ")
			} else {
				nl.edit.NewText = "  # noqa: " + strings.Join(nl.codes, ", ")
			}
		}
		out = append(out, *nl)
	}
	return out
}

// applyNoqa applies the lines' edits to the input's bytes and checks the
// result by parsing it: it must parse as before, read as the old text with
// exactly these insertions, and each line's suppression must cover its
// codes. Lines that fail are dropped and the rest tried again.
func applyNoqa(f *SourceFile, in Input, lines []noqaLine, opts Options) (text []byte, findings int, refused []noqaLine, err error) {
	var ok []noqaLine
	for _, l := range lines {
		if l.edit.Range.File == nil {
			refused = append(refused, l)
		} else {
			ok = append(ok, l)
		}
	}
	for len(ok) > 0 {
		edits := make([]pyparse.Edit, len(ok))
		for i, l := range ok {
			edits[i] = pyparse.Edit{Start: l.edit.Range.Start, End: l.edit.Range.End, Text: l.edit.NewText}
		}
		// As --fix: an input that may not be fixed is not, and the edits
		// reach the bytes only if those decode exactly to the text the
		// edits are offsets in (pyparse.ErrInexactText).
		if in.NoFix != "" || in.Decoded {
			return nil, 0, refused, errors.New(cmp.Or(in.NoFix, "an editor's buffer") + "; no noqa comments added")
		}
		raw, err := pyparse.ApplyToRaw(in.Src, f.AST.Src, edits)
		if err != nil {
			return nil, 0, refused, fmt.Errorf("%w; no noqa comments added", err)
		}
		after := pyparse.ParseFile(f.Name, raw, pyparse.Config{Version: opts.Version})
		if !bytes.Equal(after.Src, pyparse.ApplyEdits(f.AST.Src, edits)) {
			return nil, 0, refused, errors.New("its bytes do not decode exactly (invalid or mixed encoding); no noqa comments added")
		}
		bad := badNoqaLines(after, ok)
		if len(bad) == 0 {
			for _, l := range ok {
				findings += l.findings
			}
			return raw, findings, refused, nil
		}
		refused = append(refused, bad...)
		ok = slices.DeleteFunc(ok, func(l noqaLine) bool {
			return slices.ContainsFunc(bad, func(b noqaLine) bool { return b.line == l.line })
		})
	}
	return nil, 0, refused, nil
}

// badNoqaLines are the lines whose new suppression does not read back as
// one covering their codes: all of them when the file no longer parses.
func badNoqaLines(after *pyparse.File, lines []noqaLine) []noqaLine {
	if len(after.Errors) > 0 {
		var bad []noqaLine
		for _, l := range lines {
			if after.Errors[0].Line == l.line || len(lines) == 1 {
				bad = append(bad, l)
			}
		}
		if len(bad) == 0 {
			bad = lines[:1] // the error is elsewhere: drop lines one at a time
		}
		return bad
	}
	sups := parseSuppressions(after)
	var bad []noqaLine
	for _, l := range lines {
		covered := 0
		for _, code := range l.codes {
			for _, s := range sups {
				if s.line == l.line && !s.fileLevel && slices.ContainsFunc(s.codes, func(c string) bool { return strings.EqualFold(c, code) }) {
					covered++
					break
				}
			}
		}
		if covered != len(l.codes) {
			bad = append(bad, l)
		}
	}
	return bad
}
