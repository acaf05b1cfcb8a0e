package analyzer

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tdBinary is a made-up file with a saved project's header: "10", the
// payload length, a second word, the payload.
func tdBinary(component bool, payload string, extra int) []byte {
	var b []byte
	if component {
		b = []byte{0, 0, 0, 1}
	}
	b = append(b, '1', '0')
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	b = binary.BigEndian.AppendUint32(b, 0x1e8a30)
	b = append(b, payload...)
	return append(b, make([]byte, extra)...)
}

func TestSniffTDBinary(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		data []byte
		want int
	}{
		{"project", tdBinary(false, "xyz-payload", 0), tdBinaryProject},
		{"project with data after the payload", tdBinary(false, "xyz", 40), tdBinaryProject},
		{"component", tdBinary(true, "xyz-payload", 0), tdBinaryComponent},
		{"length past the end", tdBinary(false, "xyz", 0)[:12], tdBinaryNone},
		{"python", []byte("10 = ten\nprint(10)\n"), tdBinaryNone},
		{"short", []byte("10"), tdBinaryNone},
		{"lfs", []byte("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 12\n"), tdBinaryLFSPointer},
	} {
		head := c.data[:min(len(c.data), 64)]
		if got := sniffTDBinary(head, int64(len(c.data))); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// A directory of binaries loads no input and one note a file, saying what
// to do; a binary beside its toeexpand tree points at the tree.
func TestLoadNotesBinaries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string][]byte{
		"project.toe":          tdBinary(false, "payload", 0),
		"lib/widget.tox":       tdBinary(true, "payload", 3),
		"lib/lfs.tox":          []byte("version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 99\n"),
		"odd.toe":              []byte("print('hello')\n"),
		"expanded.toe":         tdBinary(false, "payload", 0),
		"expanded.toe.dir/x.n": []byte("DAT:text\n"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inputs, notes, errs := LoadWithNotes([]string{dir}, nil, "")
	if len(inputs) != 0 || len(errs) != 0 {
		t.Fatalf("inputs %v, errs %v: want none", inputs, errs)
	}
	got := make(map[string]string)
	for _, n := range notes {
		rel, _ := filepath.Rel(dir, filepath.FromSlash(n.Path))
		got[filepath.ToSlash(rel)] = n.Message
	}
	want := map[string][]string{
		"project.toe":    {"binary TouchDesigner project (.toe)", "toeexpand", "TDN", "external .py"},
		"lib/widget.tox": {"binary TouchDesigner component (.tox)", "toeexpand"},
		"lib/lfs.tox":    {"Git LFS pointer", "git lfs pull"},
		"odd.toe":        {"not a TouchDesigner binary"},
		"expanded.toe":   {"Lint its toeexpand tree", "expanded.toe.dir"},
	}
	if len(got) != len(want) {
		t.Errorf("notes %v, want one for each of %v", got, want)
	}
	for name, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[name], p) {
				t.Errorf("%s: note %q lacks %q", name, got[name], p)
			}
		}
	}
	// Named on the command line, a binary is explained, not parsed.
	inputs, notes, _ = LoadWithNotes([]string{filepath.Join(dir, "project.toe")}, nil, "")
	if len(inputs) != 0 || len(notes) != 1 {
		t.Errorf("named binary: %d inputs, %d notes; want 0 and 1", len(inputs), len(notes))
	}
}
