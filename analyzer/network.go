package analyzer

// What a toeexpand network's parameters say about its DATs: a Text DAT
// whose file parameter names a .py runs that file's text (a synced DAT:
// the .py is linted as the DAT, once, at its own lines); a COMP's
// extension parameter makes a DAT's class an extension; a callbacks
// parameter (a Script operator's, a Web Server DAT's, a palette
// component's) makes a DAT a callbacks DAT. The last two reach the DAT's
// input as thread context, as its .n type and dock do.

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// EmbeddedCopy is a synced DAT's text as the tree holds it, beside the
// file TD loads it from.
type EmbeddedCopy struct {
	Path string // the DAT's .text file
	Text []byte
}

// callbacksParameters name the parameters whose value is an operator's
// callbacks DAT: the Script operators', the network DATs' (Web Server,
// OSC In, TCP/IP, ...) and palette components' custom Callbackdat, in
// lower case.
var callbacksParameters = map[string]bool{"callbacks": true, "callbackdat": true, "callbacksdat": true}

// extensionParameter matches a COMP's extension parameters (extension0,
// extension1, ...).
var extensionParameter = regexp.MustCompile(`^extension\d+$`)

// parmRow is one parameter of a .parm file.
type parmRow struct {
	name, value, expr string
}

// parmRows lists a .parm file's parameters.
func parmRows(data []byte) []parmRow {
	var rows []parmRow
	for line := range bytes.SplitSeq(data, []byte{'\n'}) {
		fields, _, _ := parmFields(strings.TrimRight(string(line), "\r"))
		if len(fields) < 3 {
			continue
		}
		r := parmRow{name: fields[0], value: fields[2]}
		if mode, err := strconv.Atoi(fields[1]); err == nil && mode&parmExprBit != 0 && len(fields) > 3 {
			r.expr = strings.TrimSpace(fields[3])
		}
		rows = append(rows, r)
	}
	return rows
}

// text is the Python a parameter holds: its expression, or its value for
// a parameter whose value is Python (an extension parameter).
func (r parmRow) text() string {
	if r.expr != "" {
		return r.expr
	}
	return r.value
}

// parseParExpr parses a parameter's Python expression, nil if it is none.
func parseParExpr(src string) pyparse.Expr {
	f := pyparse.ParseFile("<parameter>", []byte("("+src+")\n"), pyparse.Config{})
	if len(f.Errors) > 0 || len(f.Body) != 1 {
		return nil
	}
	if s, ok := f.Body[0].(*pyparse.ExprStmt); ok {
		return s.Value
	}
	return nil
}

// evalParString is the string a parameter expression makes, where me is
// the operator at rel: string constants, f-strings and + of those, with
// me.name, me.parent().name and parent().name. ok is false for anything
// else, which is left alone.
func evalParString(e pyparse.Expr, rel string) (string, bool) {
	switch x := e.(type) {
	case *pyparse.Constant:
		if x.Value.Kind == pyparse.ConstStr {
			return x.Value.Str, true
		}
	case *pyparse.BinOp:
		if x.Op != pyparse.Add {
			return "", false
		}
		l, ok1 := evalParString(x.Left, rel)
		r, ok2 := evalParString(x.Right, rel)
		if ok1 && ok2 {
			return l + r, true
		}
	case *pyparse.JoinedStr:
		var b strings.Builder
		for _, v := range x.Values {
			if fv, ok := v.(*pyparse.FormattedValue); ok {
				if fv.FormatSpec != nil || fv.Conversion != -1 && fv.Conversion != 's' {
					return "", false
				}
				v = fv.Value
			}
			s, ok := evalParString(v, rel)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	case *pyparse.Attribute:
		if x.Attr != "name" {
			return "", false
		}
		switch {
		case isName(x.Value, "me"):
			return path.Base(rel), true
		case isParentCall(x.Value):
			if dir := path.Dir(rel); dir != "." {
				return path.Base(dir), true
			}
		}
	}
	return "", false
}

func isName(e pyparse.Expr, name string) bool {
	n, ok := e.(*pyparse.Name)
	return ok && n.ID == name
}

// isParentCall reports me.parent() or parent().
func isParentCall(e pyparse.Expr) bool {
	c, ok := e.(*pyparse.Call)
	if !ok || len(c.Args) != 0 || len(c.Keywords) != 0 {
		return false
	}
	if isName(c.Func, "parent") {
		return true
	}
	a, ok := c.Func.(*pyparse.Attribute)
	return ok && a.Attr == "parent" && isName(a.Value, "me")
}

// resolveOpPath is the tree path of the operator an op() path names from
// the operator at rel: "./x" and "../x" from it, "x" from its network
// (a sibling), "/project1/x" from the tree's top. ok is false for a path
// that leaves the tree.
func resolveOpPath(rel, p string) (string, bool) {
	var out string
	switch {
	case p == "":
		return "", false
	case strings.HasPrefix(p, "/"):
		out = path.Clean(strings.TrimPrefix(p, "/"))
	case p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../"):
		out = path.Join(rel, p)
	default:
		out = path.Join(path.Dir(rel), p)
	}
	if out == "." || out == ".." || strings.HasPrefix(out, "../") {
		return "", false
	}
	return out, true
}

// opCallPath is the path of op('path') or mod('path').
func opCallPath(e pyparse.Expr, fn string) (string, bool) {
	c, ok := e.(*pyparse.Call)
	if !ok || len(c.Args) != 1 || !isName(c.Func, fn) {
		return "", false
	}
	if k, ok := c.Args[0].(*pyparse.Constant); ok && k.Value.Kind == pyparse.ConstStr {
		return k.Value.Str, true
	}
	return "", false
}

// extensionTarget reads an extension parameter, op('./X').module.C(me)
// or mod('./X').C(me): the DAT's path as written and the class.
func extensionTarget(e pyparse.Expr) (dat, class string, ok bool) {
	c, ok := e.(*pyparse.Call)
	if !ok {
		return "", "", false
	}
	a, ok := c.Func.(*pyparse.Attribute)
	if !ok {
		return "", "", false
	}
	if p, ok := opCallPath(a.Value, "mod"); ok {
		return p, a.Attr, true
	}
	if m, ok := a.Value.(*pyparse.Attribute); ok && m.Attr == "module" {
		if p, ok := opCallPath(m.Value, "op"); ok {
			return p, a.Attr, true
		}
	}
	return "", "", false
}

// refKind is what a parameter makes of the DAT it names.
type refKind int

const (
	refExtension refKind = iota // its class is an extension
	refCallbacks                // its functions are callbacks
)

// netRef is one parameter naming a DAT of the same tree.
type netRef struct {
	root  string // the tree
	dat   string // the DAT's tree path ("project1/comp/MyExt")
	kind  refKind
	class string // refExtension: the class it makes
	by    string // the operator and parameter ("/project1/comp extension0")
}

// networkRefs lists what the parameters of the operator at rel say about
// other DATs.
func networkRefs(tree *toeTree, rel string, node opNode, rows []parmRow) []netRef {
	var refs []netRef
	for _, r := range rows {
		by := "/" + rel + " " + r.name
		switch name := strings.ToLower(r.name); {
		case node.family == "COMP" && extensionParameter.MatchString(name):
			e := parseParExpr(r.text())
			if e == nil {
				continue
			}
			p, class, ok := extensionTarget(e)
			if !ok {
				continue
			}
			if dat, ok := resolveOpPath(rel, p); ok {
				refs = append(refs, netRef{root: tree.root, dat: dat, kind: refExtension, class: class, by: by})
			}
		case callbacksParameters[name]:
			p := r.value
			if r.expr != "" {
				e := parseParExpr(r.expr)
				var ok bool
				if p, ok = opCallPath(e, "op"); !ok {
					if p, ok = evalParString(e, rel); !ok {
						continue
					}
				}
			}
			if dat, ok := resolveOpPath(rel, p); ok {
				refs = append(refs, netRef{root: tree.root, dat: dat, kind: refCallbacks, by: by})
			}
		}
	}
	return refs
}

// syncedFile is the .py a DAT runs instead of its embedded text, "" for
// none: its file parameter, a constant or an expression evalParString
// reads, when the DAT loads it (syncfile or loadonstart on). A relative
// path is from the project's folder, the one that holds the tree.
func syncedFile(tree *toeTree, rel string, node opNode, rows []parmRow) string {
	if node.family != "DAT" || !pythonDATTypes[node.typ] {
		return ""
	}
	var file string
	loads := false
	for _, r := range rows {
		switch r.name {
		case "file":
			file = r.value
			if r.expr != "" {
				e := parseParExpr(r.expr)
				s, ok := evalParString(e, rel)
				if e == nil || !ok {
					return ""
				}
				file = s
			}
		case "syncfile", "loadonstart":
			loads = loads || r.value == "on" || r.value == "1"
		}
	}
	if file == "" || !loads || !strings.EqualFold(path.Ext(file), ".py") {
		return ""
	}
	p := filepath.FromSlash(file)
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(filepath.FromSlash(tree.root)), p)
	}
	if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
		return ""
	}
	return p
}

// syncedInput is the input of a DAT synced to the .py at file: the file's
// text, under the DAT's name and thread context. embedded is the DAT's
// text in the tree, nil if it holds none.
func syncedInput(tree *toeTree, rel string, node opNode, file string, embedded *EmbeddedCopy, limit int64) (Input, error) {
	src, err := readRegular(file, limit)
	if err != nil {
		return Input{}, &LoadError{Path: file, Err: err}
	}
	return Input{
		Name:        filepath.ToSlash(file),
		DiskPath:    file,
		OpPath:      "/" + rel,
		Module:      path.Base(rel),
		Src:         src,
		Disk:        src,
		CallbacksOf: node.callbacksOf(),
		Embedded:    embedded,
		tree:        tree.root,
	}, nil
}

// applyNetwork lints each synced .py once, as its DAT (a plain input of
// the same file, or a second DAT synced to it, is dropped), and gives the
// DATs that parameters name their thread context. A DAT a parameter
// names is Python whatever its language parameter says.
func applyNetwork(inputs []Input, refs []netRef) []Input {
	inputs = dropSyncedDuplicates(inputs)
	if len(refs) == 0 {
		return inputs
	}
	byOp := make(map[string]*Input, len(inputs))
	for i := range inputs {
		if root := inputs[i].treeRoot(); root != "" && inputs[i].OpPath != "" {
			byOp[root+"\x00"+inputs[i].OpPath] = &inputs[i]
		}
	}
	for _, r := range refs {
		in := byOp[r.root+"\x00/"+r.dat]
		if in == nil {
			continue
		}
		in.unreferenced = false
		switch r.kind {
		case refExtension:
			in.Extensions = append(in.Extensions, r.class)
		case refCallbacks:
			if in.CallbacksOf == "" {
				in.CallbacksOf = "named by " + r.by
			}
		}
	}
	return inputs
}

// dropSyncedDuplicates keeps one input of each synced .py: the first DAT
// synced to it. The file's plain input, and other DATs synced to it, go.
// One file is found under two spellings of its path too (Scripts/a.py
// and scripts/a.py on a case-insensitive disk).
func dropSyncedDuplicates(inputs []Input) []Input {
	type syncedID struct {
		path string // absolute
		info os.FileInfo
	}
	var ids []syncedID
	idOf := func(in *Input) int {
		abs := samePath(in.DiskPath)
		for j, id := range ids {
			if id.path == abs {
				return j
			}
		}
		for j, id := range ids {
			if id.info == nil || !strings.EqualFold(filepath.Base(id.path), filepath.Base(abs)) {
				continue
			}
			if info, err := os.Stat(in.DiskPath); err == nil && os.SameFile(info, id.info) {
				return j
			}
		}
		return -1
	}
	isSynced := func(in *Input) bool {
		return in.tree != "" && in.DiskPath != "" && !isDATText(in.DiskPath) && !isParmFile(in.DiskPath)
	}
	for i := range inputs {
		if in := &inputs[i]; isSynced(in) && idOf(in) < 0 {
			info, _ := os.Stat(in.DiskPath)
			ids = append(ids, syncedID{path: samePath(in.DiskPath), info: info})
		}
	}
	if len(ids) == 0 {
		return inputs
	}
	kept := make([]bool, len(ids))
	return slicesDeleteFunc(inputs, func(in *Input) bool {
		if in.DiskPath == "" || !isSynced(in) && !strings.EqualFold(filepath.Ext(in.DiskPath), ".py") {
			return false
		}
		j := idOf(in)
		switch {
		case j < 0:
			return false
		case !isSynced(in) || kept[j]:
			return true // the plain .py, or a second DAT synced to it
		}
		kept[j] = true
		return false
	})
}

// samePath is a key equal for two spellings of one path.
func samePath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// slicesDeleteFunc is slices.DeleteFunc with a pointer to each element
// (an Input is large).
func slicesDeleteFunc(s []Input, del func(*Input) bool) []Input {
	out := s[:0]
	for i := range s {
		if !del(&s[i]) {
			out = append(out, s[i])
		}
	}
	clear(s[len(out):])
	return out
}

// treeRoot is the toeexpand tree an input belongs to, "" for none.
func (in *Input) treeRoot() string {
	if in.tree != "" {
		return in.tree
	}
	root, _ := isToeTree(in.Name)
	return root
}
