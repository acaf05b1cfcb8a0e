package main

import (
	"os"
	"slices"
	"testing"

	"github.com/tdlint/tdlint/runtime"
)

// TestFindEntries: a project's entry points are found statically: TD
// callbacks (on + capital), frame callbacks, extension classes (by
// ownerComp or an Ext name) with their public methods.
func TestFindEntries(t *testing.T) {
	src, err := os.ReadFile("../../testdata/cpython/project/StatusExt.py")
	if err != nil {
		t.Fatal(err)
	}
	got := findEntries("StatusExt.py", string(src), nil)
	if len(got) != 1 || got[0].Kind != runtime.EntryExtension || got[0].Name != "StatusExt" || got[0].Line != 8 || !slices.Equal(got[0].Methods, []string{"Refresh", "Reset"}) {
		t.Errorf("entries %+v, want the StatusExt extension at line 8 with Refresh and Reset", got)
	}
	cb := "def onFrameStart(frame):\n    pass\ndef onValueChange(par, prev):\n    helper()\ndef online():\n    pass\ndef helper():\n    pass\ndef _private():\n    pass\nclass Helper:\n    def __init__(self, x):\n        pass\n"
	calls := newCallGraph()
	calls.add("cb.py", cb)
	// another file's own helper() and online() calls are not calls of cb.py's
	calls.add("other.py", "def online():\n    pass\nonline()\n")
	got = findEntries("cb.py", cb, calls)
	var names []string
	for _, e := range got {
		names = append(names, string(e.Kind)+":"+e.Name)
	}
	// online: nothing calls it, so TD does (a button, another DAT);
	// helper is called by onValueChange; _private and Helper are not TD's.
	if want := []string{"frame:onFrameStart", "callback:onValueChange", "callback:online"}; !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}
