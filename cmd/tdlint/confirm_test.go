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
	got := findEntries("StatusExt.py", string(src))
	if len(got) != 1 || got[0].Kind != runtime.EntryExtension || got[0].Name != "StatusExt" || got[0].Line != 8 || !slices.Equal(got[0].Methods, []string{"Refresh", "Reset"}) {
		t.Errorf("entries %+v, want the StatusExt extension at line 8 with Refresh and Reset", got)
	}
	got = findEntries("cb.py", "def onFrameStart(frame):\n    pass\ndef onValueChange(par, prev):\n    pass\ndef online():\n    pass\nclass Helper:\n    def __init__(self, x):\n        pass\n")
	if len(got) != 2 || got[0].Kind != runtime.EntryFrame || got[1].Kind != runtime.EntryCallback || got[1].Name != "onValueChange" {
		t.Errorf("entries %+v, want onFrameStart (frame) and onValueChange (callback), not online or Helper", got)
	}
}
