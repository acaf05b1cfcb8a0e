package analyzer

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"
)

// foldingTree is a toeexpand tree on a case-insensitive file system, as
// Windows' and macOS's are: opening a name opens whichever file's name
// equals it ignoring case.
func foldingTree(files fstest.MapFS, toc string) *toeTree {
	t := &toeTree{
		root: "show.toe.dir",
		read: func(rel string) ([]byte, error) {
			dir, base := path.Split(rel)
			entries, err := fs.ReadDir(files, strings.TrimSuffix(dir, "/"))
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				if strings.EqualFold(e.Name(), base) {
					return fs.ReadFile(files, dir+e.Name())
				}
			}
			return nil, fs.ErrNotExist
		},
		list: func(rel string) ([]string, error) {
			entries, err := fs.ReadDir(files, rel)
			names := make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name()
			}
			return names, err
		},
	}
	if toc != "" {
		t.toc = parseTOC([]byte(toc))
	}
	return t
}

// Image and image are two operators of a network made on Windows;
// toeexpand writes the second's files as image.n.2 and lists it as
// "image.n 2". On a case-insensitive disk, opening image.n opens Image.n:
// the pairing must go by the .toc's exact names (or the folder's), so that
// image is the Execute DAT it is, not the Movie File In TOP.
func TestOperatorFilesPairByExactName(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"project1/Image.n":      {Data: []byte("TOP:moviefilein\nend\n")},
		"project1/Image.parm":   {Data: []byte("?\nfile 0 clip.mov\n?\n")},
		"project1/image.n.2":    {Data: []byte("DAT:execute\nend\n")},
		"project1/image.parm.2": {Data: []byte("?\nlanguage 0 python\n?\n")},
		"project1/image.text":   {Data: []byte("def onFrameStart(frame):\n    return\n")},
	}
	const toc = "project1/Image.n\nproject1/Image.parm\nproject1/image.n 2\nproject1/image.parm 2\nproject1/image.text\n"
	if data, _ := foldingTree(files, "").read("project1/image.n"); !strings.HasPrefix(string(data), "TOP:") {
		t.Fatalf("the folding file system does not fold: image.n read %q", data)
	}
	for _, c := range []struct {
		name string
		toc  string
	}{{"by the .toc", toc}, {"by the folder's names", ""}} {
		tree := foldingTree(files, c.toc)
		if n := readOpNode(tree, "project1/image"); n.callbacksOf() != "DAT:execute" {
			t.Errorf("%s: image is %s:%s, want DAT:execute", c.name, n.family, n.typ)
		}
		if n := readOpNode(tree, "project1/Image"); n.family != "TOP" {
			t.Errorf("%s: Image is %s:%s, want TOP:moviefilein", c.name, n.family, n.typ)
		}
		if got := string(tree.readFile("project1/image", ".parm")); !strings.Contains(got, "language") {
			t.Errorf("%s: image's .parm read %q", c.name, got)
		}
	}
}

func TestParseTOC(t *testing.T) {
	t.Parallel()
	toc := parseTOC([]byte("# 4 0 0 0 1\r\n.build\r\np/image.n 2\r\np/a b.n\r\n"))
	want := map[string]string{".build": ".build", "p/image.n": "p/image.n.2", "p/a b.n": "p/a b.n"}
	if len(toc) != len(want) {
		t.Fatalf("parseTOC = %v, want %v", toc, want)
	}
	for k, v := range want {
		if toc[k] != v {
			t.Errorf("toc[%q] = %q, want %q", k, toc[k], v)
		}
	}
}

// A .toc that names a file the folder does not hold yields to the folder.
func TestStaleTOCYieldsToTheFolder(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{"project1/image.n": {Data: []byte("DAT:execute\nend\n")}}
	tree := foldingTree(files, "project1/image.n 2\n")
	if n := readOpNode(tree, "project1/image"); n.typ != "execute" {
		t.Errorf("image is %s:%s, want DAT:execute", n.family, n.typ)
	}
}
