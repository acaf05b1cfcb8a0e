package analyzer

import "testing"

func TestEvalParString(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		expr, want string
		ok         bool
	}{
		{`'scripts/a.py'`, "scripts/a.py", true},
		{`f'scripts/{me.name}.py'`, "scripts/exec1.py", true},
		{`f"{me.parent().name}/{me.name}.py"`, "comp/exec1.py", true},
		{`'scripts/' + parent().name + '_' + me.name + '.py'`, "scripts/comp_exec1.py", true},
		{`f'{me.name!s}.py'`, "exec1.py", true},
		{`f'{me.name:>10}.py'`, "", false},
		{`f'{me.name!r}.py'`, "", false},
		{`me.parent().par.Folder + '/x.py'`, "", false},
		{`project.folder + '/x.py'`, "", false},
		{`b'x.py'`, "", false},
		{`'a' * 2`, "", false},
		{`(`, "", false},
	} {
		got, ok := evalParString(parseParExpr(c.expr), "project1/comp/exec1")
		if got != c.want || ok != c.ok {
			t.Errorf("%s = %q, %v; want %q, %v", c.expr, got, ok, c.want, c.ok)
		}
	}
}

func TestResolveOpPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		path, want string
		ok         bool
	}{
		{"./MyExt", "project1/comp/MyExt", true},
		{"MyExt", "project1/MyExt", true},
		{"../other/x", "project1/other/x", true},
		{"/project1/x", "project1/x", true},
		{"../../../x", "", false},
		{"", "", false},
		{"..", "project1", true},
	} {
		got, ok := resolveOpPath("project1/comp", c.path)
		if got != c.want || ok != c.ok {
			t.Errorf("%q = %q, %v; want %q, %v", c.path, got, ok, c.want, c.ok)
		}
	}
}

// Parameters whose operator tdlint cannot know name nothing, and never
// stop the load.
func TestNetworkRefsLeaveTheUnknownAlone(t *testing.T) {
	t.Parallel()
	rows := parmRows([]byte("?\n" +
		"callbacks 17 \"\" op(me.par.Callbackdat)\n" +
		"Callbackdat 17 \"\" parent().par.Cb.eval()\n" +
		"extension0 0 \"op(me.par.Ext).module.Ext(me)\"\n" +
		"extension1 0 \"mod(42).Ext(me)\"\n" +
		"extension2 0 \"op('./X').module\"\n" +
		"extension3 0 \"op('./X').module.Ext(\"\n" +
		"callbacks 0 ../../../outside\n" +
		"Callbackdat 0 cb1\n" +
		"?\n"))
	refs := networkRefs(&toeTree{root: "t.toe.dir"}, "project1/comp", opNode{family: "COMP"}, rows)
	if len(refs) != 1 || refs[0].dat != "project1/cb1" || refs[0].kind != refCallbacks {
		t.Errorf("refs = %+v, want only Callbackdat's cb1", refs)
	}
}

// Whatever a .parm holds, reading what it says about other DATs does not
// panic.
func FuzzNetworkRefs(f *testing.F) {
	f.Add([]byte("?\nextension0 0 \"op('./X').module.X(me)\"\ncallbacks 17 \"\" op('cb')\nfile 48 \"\" f'scripts/{me.name}.py'\nsyncfile 0 on\n?\n"))
	f.Add([]byte("extension9 17 \"\" mod(f'{me.name}').C(me)\nCallbackdat 0 \"a b\\\"c\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree := &toeTree{root: t.TempDir() + "/t.toe.dir"}
		rows := parmRows(data)
		for _, node := range []opNode{{family: "COMP"}, {family: "DAT", typ: "text"}} {
			_ = networkRefs(tree, "project1/comp", node, rows)
			_ = syncedFile(tree, "project1/comp", node, rows)
		}
	})
}
