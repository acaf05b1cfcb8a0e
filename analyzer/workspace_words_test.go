package analyzer

import (
	"maps"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestWorkspaceRecountsOnlyTheEdit edits a buffer at random, the way a
// user types (insertions, deletions, replacements of words, digits,
// spaces and punctuation), and checks after every edit that the word
// counts kept by recounting the changed span, and the mentions index,
// are those of a fresh count of the whole text.
func TestWorkspaceRecountsOnlyTheEdit(t *testing.T) {
	w, errs := NewWorkspace(t.TempDir(), nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	path := filepath.Join(w.Root(), "edited.py")
	other := filepath.Join(w.Root(), "other.py")
	w.Open(other, []byte("import edited\nvalue = 1\n"))
	text := []byte("import time\n\ndef on_frame(frame):\n    time.sleep(0.1)\n    op('x').par.value0 = frame\n")
	w.Open(path, text)
	pieces := []string{"a", "b", "_", "9", "0x1", " ", "\n", ".", "(", ")", "time", "sleep", "frame", "é", "value0", "  ", "op"}
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 3000 {
		i := rng.IntN(len(text) + 1)
		j := min(len(text), i+rng.IntN(4))
		var ins []byte
		for range rng.IntN(3) {
			ins = append(ins, pieces[rng.IntN(len(pieces))]...)
		}
		next := append(append(append([]byte{}, text[:i]...), ins...), text[j:]...)
		w.Open(path, next)
		text = next
		got := w.files[path].words
		if want := identifiers(text); !maps.Equal(got, want) {
			t.Fatalf("step %d: after editing [%d:%d] to %q, counts %v, a fresh count %v", step, i, j, ins, got, want)
		}
		for word, paths := range w.mentions {
			if _, ok := paths[path]; ok != (got[word] > 0) {
				t.Fatalf("step %d: mentions[%q] has the file: %v, its count is %d", step, word, ok, got[word])
			}
		}
		for word := range got {
			if _, ok := w.mentions[word][path]; !ok {
				t.Fatalf("step %d: %q is counted but not in mentions", step, word)
			}
		}
	}
	if _, ok := w.mentions["edited"][other]; !ok {
		t.Fatal("the other file's words were lost")
	}
}
