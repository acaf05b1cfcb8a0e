package analyzer_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/analyzer"
	"github.com/tdlint/tdlint/pyparse"
)

// renamer offers a safe fix renaming every `old_name` to `new_name`, and an
// unsafe one that deletes `drop_me` together with the colon that follows
// (which breaks the syntax).
var renamer = &analyzer.Analyzer{
	Code: "TD991", Name: "renamer", Summary: "test rule", Severity: analyzer.SeverityError, Fix: true,
	Run: func(pass *analyzer.Pass) error {
		src := pass.File.AST.Src
		for _, word := range []string{"old_name", "drop_me:"} {
			for off := 0; ; {
				i := bytes.Index(src[off:], []byte(word))
				if i < 0 {
					break
				}
				start := pyparse.Pos(off + i)
				end := start + pyparse.Pos(len(word))
				d := analyzer.Diagnostic{
					Range: analyzer.Range{File: pass.File, Start: start, End: end}, Analyzer: pass.Analyzer,
					Severity: pass.Analyzer.Severity, Message: "found " + word,
				}
				fix := analyzer.SuggestedFix{Message: "rename", Safe: true, TextEdits: []analyzer.TextEdit{{Range: d.Range, NewText: "new_name"}}}
				if word == "drop_me:" {
					fix = analyzer.SuggestedFix{Message: "drop", Safe: false, TextEdits: []analyzer.TextEdit{{Range: d.Range}}}
				}
				d.SuggestedFixes = []analyzer.SuggestedFix{fix}
				pass.Report(d)
				off += i + len(word)
			}
		}
		return nil
	},
}

func TestFixAppliesSafeFixesUntilNothingIsLeft(t *testing.T) {
	t.Parallel()
	src := "old_name = 1  # noqa: TD991, TD101\nprint(old_name)\n"
	inputs := []analyzer.Input{{Name: "a.py", DiskPath: "a.py", Src: []byte(src), Disk: []byte(src)}}
	res, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if len(fixed) != 1 {
		t.Fatalf("fixed %d files, want 1", len(fixed))
	}
	// Pass 1 renames line 2 (line 1 is suppressed); the suppression of
	// TD991 is then still used, TD101 never was: pass 2 removes TD101.
	want := "old_name = 1  # noqa: TD991\nprint(new_name)\n"
	if got := string(fixed[0].New); got != want {
		t.Errorf("fixed text:\n%s\nwant:\n%s", got, want)
	}
	if fixed[0].Fixed != 2 || string(fixed[0].Old) != src {
		t.Errorf("Fixed = %d (want 2), Old = %q", fixed[0].Fixed, fixed[0].Old)
	}
	if len(res.Diagnostics) != 0 {
		t.Errorf("findings left: %v", res.Diagnostics)
	}
	if string(inputs[0].Src) != src {
		t.Error("Fix changed its caller's inputs")
	}
}

func TestFixRefusesToBreakTheSyntax(t *testing.T) {
	t.Parallel()
	src := "if drop_me: pass\nold_name = 2\n"
	inputs := []analyzer.Input{{Name: "b.py", Src: []byte(src)}}
	_, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, true)
	if len(fixed) != 0 {
		t.Errorf("a fix that breaks the syntax was applied: %q", fixed[0].New)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "syntax error") || !strings.HasPrefix(problems[0].Error(), "b.py: ") {
		t.Errorf("problems = %v", problems)
	}
	// Without unsafe fixes the rename alone applies.
	_, fixed, problems = analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
	if len(problems) != 0 || len(fixed) != 1 || string(fixed[0].New) != "if drop_me: pass\nnew_name = 2\n" {
		t.Errorf("safe fixes: %v %v", fixed, problems)
	}
}

func TestFixADATRewritesItsHeader(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	datDir := filepath.Join(dir, "p.toe.dir", "project1")
	if err := os.MkdirAll(datDir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := "old_name = 1\r\n"
	var raw bytes.Buffer
	raw.WriteString("2\n*")
	for _, v := range []uint32{1, 1, 1, 1, 2, uint32(len(body))} {
		_ = binary.Write(&raw, binary.BigEndian, v)
	}
	raw.WriteString(body)
	raw.WriteString("TRAILER")
	if err := os.WriteFile(filepath.Join(datDir, "text1.n"), []byte("DAT:text\nend\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(datDir, "text1.text")
	if err := os.WriteFile(path, raw.Bytes(), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(datDir, "text1.n"), []byte("DAT:text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, errs := analyzer.Load([]string{dir}, nil, "")
	if len(errs) > 0 || len(inputs) != 1 {
		t.Fatalf("load: %v %v", inputs, errs)
	}
	_, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
	if len(problems) > 0 || len(fixed) != 1 {
		t.Fatalf("fixed %v, problems %v", fixed, problems)
	}
	if err := analyzer.WriteFixed(fixed[0]); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	newBody := "new_name = 1\r\n"
	header := got[:2+1+24]
	if n := binary.BigEndian.Uint32(header[len(header)-4:]); int(n) != len(newBody) {
		t.Errorf("header length %d, want %d", n, len(newBody))
	}
	if rest := string(got[len(header):]); rest != newBody+"TRAILER" {
		t.Errorf("after the header: %q", rest)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	// Reloaded, the DAT is the fixed text and clean.
	again, _ := analyzer.Load([]string{dir}, nil, "")
	if res := analyzer.Run(again, []*analyzer.Analyzer{renamer}, analyzer.Options{}); len(res.Diagnostics) != 0 || string(again[0].Src) != newBody {
		t.Errorf("after the fix: %q %v", again[0].Src, res.Diagnostics)
	}
}

func TestWriteFixedLeavesAFileChangedMeanwhileAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "real.py")
	if err := os.WriteFile(target, []byte("old_name = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.py")
	if err := os.Symlink("real.py", link); err != nil {
		t.Fatal(err)
	}
	inputs, _ := analyzer.Load([]string{link}, nil, "")
	_, fixed, _ := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
	if len(fixed) != 1 {
		t.Fatalf("fixed %v", fixed)
	}
	if err := os.WriteFile(target, []byte("old_name = 2  # edited meanwhile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := analyzer.WriteFixed(fixed[0]); !errors.Is(err, analyzer.ErrChangedOnDisk) {
		t.Errorf("WriteFixed over a changed file: %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "old_name = 2  # edited meanwhile\n" {
		t.Errorf("the meanwhile edit was lost: %q", got)
	}
	// Unchanged, the fix goes to the link's target and the link stays.
	if err := os.WriteFile(target, []byte("old_name = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := analyzer.WriteFixed(fixed[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new_name = 1\n" {
		t.Errorf("target: %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A file read with U+FFFD in place of a bad byte has offsets that are not
// its bytes' offsets: the fix went to the wrong place ("run(f,
// dedelayMilliseconds)"). Such a file is refused, and nothing is changed.
func TestFixRefusesAFileThatDidNotDecodeExactly(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"# caf\xe9\nprint(old_name)\n",
		"\xef\xbb\xbf# coding: latin-1\nprint(old_name)\n",
		"x = 1\r\n# \xff\xfe\r\nprint(old_name)\r\n",
	} {
		inputs := []analyzer.Input{{Name: "a.py", DiskPath: "a.py", Src: []byte(src), Disk: []byte(src)}}
		res, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
		if len(fixed) != 0 {
			t.Errorf("%q was fixed into %q", src, fixed[0].New)
		}
		if len(problems) != 1 || !errors.Is(problems[0].Err, pyparse.ErrInexactText) || !strings.HasPrefix(problems[0].Error(), "a.py: ") {
			t.Errorf("%q: problems %v", src, problems)
		}
		if !slices.ContainsFunc(res.Diagnostics, func(d analyzer.Diagnostic) bool { return d.Analyzer == renamer }) {
			t.Errorf("%q: the finding must stay in the report: %v", src, res.Diagnostics)
		}
	}
}

// writeDAT writes a DAT's .text file (and its .n) in a toeexpand tree.
func writeDAT(t *testing.T, dir string, raw []byte) string {
	t.Helper()
	datDir := filepath.Join(dir, "p.toe.dir", "project1")
	if err := os.MkdirAll(datDir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(datDir, "text1.text")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(datDir, "text1.n"), []byte("DAT:text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func datHeader(length uint32) []byte {
	var b bytes.Buffer
	b.WriteString("2\n*")
	for _, v := range []uint32{1, 1, 1, 1, 2, length} {
		_ = binary.Write(&b, binary.BigEndian, v)
	}
	return b.Bytes()
}

// A DAT whose header does not fit (cut short, or a length past the end)
// is linted as well as it can be, and never fixed.
func TestFixRefusesADATWithADamagedHeader(t *testing.T) {
	t.Parallel()
	body := "old_name = 1\n"
	for _, raw := range [][]byte{
		append(datHeader(uint32(len(body)+7)), body...),
		append(datHeader(1<<31), body...),
		[]byte("2\n*\x00\x00\x00\x01" + body),
		[]byte("12\n" + body),
	} {
		dir := t.TempDir()
		writeDAT(t, dir, raw)
		inputs, errs := analyzer.Load([]string{dir}, nil, "")
		if len(errs) > 0 || len(inputs) != 1 {
			t.Fatalf("load: %v %v", inputs, errs)
		}
		res, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
		if len(fixed) != 0 {
			t.Errorf("%q was fixed into %q", raw, fixed[0].New)
		}
		if len(problems) != 1 || !strings.Contains(problems[0].Error(), "header is damaged") {
			t.Errorf("%q: problems %v", raw, problems)
		}
		if len(res.Diagnostics) == 0 {
			t.Errorf("%q: the finding vanished from the report", raw)
		}
	}
	// A .text without a version line is plain text, and is fixed.
	dir := t.TempDir()
	writeDAT(t, dir, []byte(body))
	inputs, _ := analyzer.Load([]string{dir}, nil, "")
	if _, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false); len(problems) != 0 || len(fixed) != 1 || string(fixed[0].New) != "new_name = 1\n" {
		t.Errorf("plain DAT: %v %v", fixed, problems)
	}
}

// Two names of one file, both linted, get the same fix: the second write
// finds it done, not "changed while tdlint ran".
func TestWriteFixedTwoNamesOfOneFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := filepath.Join(dir, "a.py")
	if err := os.WriteFile(first, []byte("old_name = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(first, filepath.Join(dir, "b.py")); err != nil {
		t.Skip("no hard links here:", err)
	}
	inputs, _ := analyzer.Load([]string{dir}, nil, "")
	_, fixed, problems := analyzer.Fix(inputs, []*analyzer.Analyzer{renamer}, analyzer.Options{}, false)
	if len(fixed) != 2 || len(problems) != 0 {
		t.Fatalf("fixed %v, problems %v", fixed, problems)
	}
	for _, ff := range fixed {
		if err := analyzer.WriteFixed(ff); err != nil {
			t.Error(err)
		}
	}
	if got, _ := os.ReadFile(first); string(got) != "new_name = 1\n" {
		t.Errorf("a.py: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("entries: %v", entries)
	}
}
