package analyzer

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// toeexpand writes a .toe/.tox as a tree: project.toe.toc plus
// project.toe.dir/, where operator /a/b/c is a/b/c.<kind> files (.n node,
// .parm parameters, .text DAT text, ...). A .text file is
//
//	"<version>\n" '*' u32be×6 = [1 1 1 1 2 bodyLength] body
//
// for the builds we know; anything else is read whole, so an unknown
// layout degrades to a syntax error, never to a crash or lost text.

// pythonDATTypes are the DAT types whose text TD runs as Python.
var pythonDATTypes = map[string]bool{
	"text": true, "execute": true, "chopexec": true, "datexec": true, "parexec": true,
	"panelexec": true, "opexec": true, "script": true, "examine": false,
}

// isToeTree reports whether a path lies inside a toeexpand tree.
func isToeTree(path string) (root string, ok bool) {
	dir := filepath.ToSlash(path)
	for _, marker := range []string{".toe.dir/", ".tox.dir/"} {
		if i := strings.Index(dir, marker); i >= 0 {
			return dir[:i+len(marker)-1], true
		}
	}
	return "", false
}

// decodeTOEText splits a .text file into header and body: raw is header,
// body and whatever follows the body, in that order. A file that starts
// like a header (a version line) but does not hold one that fits is
// damaged: its text is read as well as it can be, and damaged says why
// fixes must not be written to it. A file without a version line is text
// whole.
func decodeTOEText(raw []byte) (body, header []byte, damaged string) {
	nl := bytes.IndexByte(raw, '\n')
	if nl <= 0 || nl > 8 || strings.Trim(string(raw[:nl]), "0123456789") != "" {
		return raw, nil, ""
	}
	const preamble = 1 + 6*4
	start := nl + 1
	if len(raw) == start+1+4*4 && raw[start] == '*' {
		// TD 2025.30280+ saves a never-edited Text DAT as "2\n*" and four
		// u32s [1 0 0 1], with no length and no body: an empty text.
		return raw[len(raw):], raw, ""
	}
	if len(raw) < start+preamble || raw[start] != '*' {
		return raw, nil, "its .text header is damaged (the version line is not followed by the header's fields)"
	}
	n := uint64(binary.BigEndian.Uint32(raw[start+1+5*4:]))
	bodyStart := start + preamble
	if n <= uint64(len(raw)-bodyStart) {
		return raw[bodyStart : bodyStart+int(n)], raw[:bodyStart], ""
	}
	return raw[bodyStart:], raw[:bodyStart], fmt.Sprintf("its .text header is damaged (it gives the text's length as %d bytes; %d follow it)", n, len(raw)-bodyStart)
}

// encodeTOEText is the .text file for a new body: the header with the
// new length, the body, and whatever followed the old body. A header whose
// length field does not describe the old body is a layout we do not know,
// and is not rewritten; nor is a file that would not read back as the new
// body (a new text that starts like a header).
func encodeTOEText(disk []byte, textStart, oldLen int, body []byte) ([]byte, error) {
	if textStart < 0 || oldLen < 0 || textStart+oldLen > len(disk) {
		return nil, errors.New("unknown .text layout: the text lies outside the file")
	}
	if bytes.Equal(disk[textStart:textStart+oldLen], body) {
		// Nothing changes: the file as it is, if it reads as this text (a
		// 19-byte short form, whose header has no length field, does; a
		// damaged header does not, and is refused below).
		if back, header, damaged := decodeTOEText(disk); damaged == "" && len(header) == textStart && bytes.Equal(back, body) {
			return bytes.Clone(disk), nil
		}
	}
	out := make([]byte, 0, len(disk)-oldLen+len(body))
	out = append(out, disk[:textStart]...)
	if textStart > 0 {
		if textStart < 4 || int(binary.BigEndian.Uint32(out[textStart-4:])) != oldLen || uint64(len(body)) > math.MaxUint32 {
			return nil, errors.New("unknown .text layout: the text length in its header does not match")
		}
		binary.BigEndian.PutUint32(out[textStart-4:], uint32(len(body)))
	}
	out = append(out, body...)
	out = append(out, disk[textStart+oldLen:]...)
	if back, header, damaged := decodeTOEText(out); damaged != "" || len(header) != textStart || !bytes.Equal(back, body) {
		return nil, errors.New("the fixed .text file would not read back as the fixed text")
	}
	return out, nil
}

// isDATText reports whether a path is a DAT's text in a toeexpand tree.
func isDATText(path string) bool {
	_, inTree := isToeTree(path)
	_, ok := opFileBase(path, ".text")
	return inTree && ok
}

// opFileBase is the operator's path of one of its files in a toeexpand
// tree (name.text, or name.text.2: the second of two names differing
// by case), false if path is no file of kind ext.
func opFileBase(path, ext string) (string, bool) {
	if base, ok := strings.CutSuffix(path, ext); ok {
		return base, true
	}
	i := strings.LastIndex(path, ext+".")
	if i < 0 {
		return "", false
	}
	if n := path[i+len(ext)+1:]; n == "" || strings.Trim(n, "0123456789") != "" {
		return "", false
	}
	return path[:i], true
}

// opNode is what an operator's .n file says about it.
type opNode struct {
	found       bool
	family, typ string // "DAT", "parexec"
	dock        string // the operator a DAT is docked to, "" if none
}

// readOpNode reads what an operator's .n file (rel "project1/image")
// says: the tree pairs it by its exact name (see toeTree.file), so
// image.n.2 is image's when Image.n is another operator's.
func readOpNode(tree *toeTree, rel string) opNode {
	data := tree.readFile(rel, ".n")
	if data == nil {
		return opNode{}
	}
	n := opNode{found: true}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, companionFileLimit)
	if sc.Scan() {
		n.family, n.typ, _ = strings.Cut(strings.TrimSpace(sc.Text()), ":")
	}
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "dock "); ok {
			n.dock = strings.TrimSpace(name)
		}
	}
	return n
}

// callbackDATTypes are the DAT types whose text is callbacks TD runs on
// its main thread, whatever the functions are named.
var callbackDATTypes = map[string]bool{
	"execute": true, "chopexec": true, "datexec": true, "parexec": true,
	"panelexec": true, "opexec": true, "script": true,
}

// callbacksOf says whose callbacks a DAT holds, "" for none: its own type
// for an execute-style DAT, the operator it is docked to for a Text DAT
// (a Web Server DAT's or a Script CHOP's callbacks DAT).
func (n opNode) callbacksOf() string {
	switch {
	case n.family != "DAT":
		return ""
	case callbackDATTypes[n.typ]:
		return "DAT:" + n.typ
	case n.typ == "text" && n.dock != "":
		return "docked to " + n.dock
	}
	return ""
}

// declaresOtherLanguage reports a Text DAT whose parameters say its text is
// not Python (GLSL, JSON, ...): a "language" or "extension" parameter.
func declaresOtherLanguage(parm []byte) bool {
	for line := range strings.SplitSeq(string(parm), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || (fields[0] != "language" && fields[0] != "extension") {
			continue
		}
		v := strings.Trim(fields[len(fields)-1], `"`)
		if v != "python" && v != "py" && v != "" {
			return true
		}
	}
	return false
}

// loadDAT loads one .text file of a toeexpand tree if it holds Python.
func loadDAT(trees *toeTrees, inputs []Input, errs []error, path string, limit int64) ([]Input, []error) {
	root, _ := isToeTree(path)
	base, _ := opFileBase(path, ".text")
	rel := strings.TrimPrefix(filepath.ToSlash(base), root+"/")
	tree := trees.tree(root)
	node := readOpNode(tree, rel)
	parm := tree.readFile(rel, ".parm")
	if node.family != "" && (node.family != "DAT" || !pythonDATTypes[node.typ]) {
		return inputs, errs
	}
	raw, err := readRegular(path, limit)
	if err != nil {
		return inputs, append(errs, &LoadError{Path: path, Err: err})
	}
	body, header, damaged := decodeTOEText(raw)
	unreferenced := !node.found || node.typ == "text" && declaresOtherLanguage(parm)
	if file := syncedFile(tree, rel, node, parmRows(parm)); file != "" && trees != nil && trees.syncFiles {
		// The DAT runs the file's text: the file is linted as the DAT,
		// and the tree's copy only compared with it. An empty copy (TD
		// 2025.30280+'s short form) is no copy.
		var embedded *EmbeddedCopy
		if damaged == "" && len(body) > 0 {
			embedded = &EmbeddedCopy{Path: filepath.ToSlash(path), Text: body}
		}
		in, err := syncedInput(tree, rel, node, file, embedded, limit)
		if err == nil {
			in.unreferenced = unreferenced
			return append(inputs, in), errs
		}
		errs = append(errs, err)
	}
	return append(inputs, Input{
		Name:           filepath.ToSlash(path),
		DiskPath:       path,
		OpPath:         "/" + rel,
		Module:         filepath.Base(base),
		Src:            body,
		DiskLineOffset: bytes.Count(header, []byte{'\n'}),
		Disk:           raw,
		TextStart:      len(header),
		NoFix:          damaged,
		CallbacksOf:    node.callbacksOf(),
		unreferenced:   unreferenced,
		tree:           root,
	}), errs
}

// editorDAT is the input of a DAT's .text as an editor holds it, if the
// DAT holds Python. An editor shows each byte of the header's binary
// fields as a character (U+FFFD for one that is not UTF-8), so the header
// is the version line, '*' and 24 characters, whatever their bytes; the
// length field is not trusted, and the text is the rest of the buffer.
func editorDAT(path string, text []byte) (Input, bool) {
	root, _ := isToeTree(path)
	base, _ := opFileBase(path, ".text")
	rel := strings.TrimPrefix(filepath.ToSlash(base), root+"/")
	tree := (*toeTrees)(nil).tree(root)
	node := readOpNode(tree, rel)
	if node.family != "" && (node.family != "DAT" || !pythonDATTypes[node.typ]) {
		return Input{}, false
	}
	header := text[:0]
	if nl := bytes.IndexByte(text, '\n'); nl > 0 && nl <= 8 && strings.Trim(string(text[:nl]), "0123456789") == "" && nl+1 < len(text) && text[nl+1] == '*' {
		i := nl + 2
		for n := 0; n < 6*4 && i < len(text); n++ {
			_, size := utf8.DecodeRune(text[i:])
			i += size
		}
		header = text[:i]
	}
	return Input{
		DiskPath:       path,
		OpPath:         "/" + rel,
		Module:         filepath.Base(base),
		Src:            text[len(header):],
		Decoded:        true,
		DiskLineOffset: bytes.Count(header, []byte{'\n'}),
		Disk:           text,
		TextStart:      len(header),
		CallbacksOf:    node.callbacksOf(),
		unreferenced:   !node.found || node.typ == "text" && declaresOtherLanguage(tree.readFile(rel, ".parm")),
		tree:           root,
	}, true
}

// dropUnreferenced drops the DAT texts that are Python only if code uses
// them as a module: those with no .n beside them (a shader or a note
// copied into a tree, not an operator toeexpand wrote) and Text DATs
// whose language parameter says GLSL, JSON or plain text (rootnotez's
// core module is "text", and reached by mod(op('core'))). Python in the
// same tree uses one by naming it as TD code reaches a module DAT:
// mod.name, mod('name'), mod(op('name')), import name, from name.
func dropUnreferenced(inputs []Input) []Input {
	if !slices.ContainsFunc(inputs, func(in Input) bool { return in.unreferenced }) {
		return inputs
	}
	referenced := func(o *Input) bool {
		root := o.treeRoot()
		name := o.Module
		refs := []string{
			"mod." + name, "mod('" + name + "'", `mod("` + name + `"`,
			"mod(op('" + name + "')", `mod(op("` + name + `")`, "import " + name, "from " + name + " ",
		}
		for i := range inputs {
			in := &inputs[i]
			if in == o || in.unreferenced {
				continue
			}
			if in.treeRoot() != root {
				continue
			}
			for _, ref := range refs {
				if namesWhole(string(in.Src), ref) {
					return true
				}
			}
		}
		return false
	}
	kept := inputs[:0:0]
	for i := range inputs {
		if !inputs[i].unreferenced || referenced(&inputs[i]) {
			kept = append(kept, inputs[i])
		}
	}
	return kept
}

// namesWhole reports ref in src not followed by an identifier character
// (mod.core, not mod.core2).
func namesWhole(src, ref string) bool {
	for {
		i := strings.Index(src, ref)
		if i < 0 {
			return false
		}
		src = src[i+len(ref):]
		if src == "" {
			return true
		}
		if c := src[0]; c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return true
		}
	}
}

// setTreeGrammars gives each DAT of a toeexpand tree the Python of the
// TouchDesigner build that saved the tree.
func setTreeGrammars(inputs []Input) {
	byRoot := make(map[string]pyparse.Version)
	for i := range inputs {
		root := inputs[i].treeRoot()
		if root == "" {
			continue
		}
		v, seen := byRoot[root]
		if !seen {
			v = treePython(filepath.FromSlash(root))
			byRoot[root] = v
		}
		inputs[i].Python = v
	}
}

// treePython reads the build line of a tree's .build ("build 2022.35320").
func treePython(root string) pyparse.Version {
	data, err := readRegular(filepath.Join(root, ".build"), 0)
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if build, ok := strings.CutPrefix(strings.TrimSpace(line), "build "); ok {
			return TDBuildPython(build)
		}
	}
	return 0
}

// TDBuildPython is the Python a TouchDesigner build ships, as a grammar:
// 2022 builds ship 3.9, 2023 and later 3.11 (2025.31550: 3.11.10).
// Earlier builds (3.7 and older) get 3.9, the oldest grammar tdlint has;
// an unreadable build, 0.
func TDBuildPython(build string) pyparse.Version {
	year, _, _ := strings.Cut(strings.TrimSpace(build), ".")
	y, err := strconv.Atoi(year)
	switch {
	case err != nil || y < 1000:
		return 0
	case y <= 2022:
		return pyparse.Py39
	}
	return pyparse.Py311
}
