package analyzer

// Parameter expressions in toeexpand trees: a .parm file's rows are
// `name mode value [expression]`. TD evaluates an expression on its main
// thread whenever the parameter cooks, so each is Python run on the main
// thread: a syntax error there is TD001 at the parameter's line, and what
// it calls (mod.utils.f(), a DAT module's function) runs on the main
// thread. In the public trees, a row has an expression exactly when its
// mode has the 0x10 bit (16, 17, 48, 49 do; 0 and 32 do not — FORMAT.md's
// own `y 32 200` has none), not 0x30 as was thought.

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/pyparse"
)

// parmExprBit marks a .parm row whose parameter holds an expression.
const parmExprBit = 0x10

// isParmFile reports whether a path is an operator's .parm in a toeexpand
// tree.
func isParmFile(path string) bool {
	_, inTree := isToeTree(path)
	_, ok := opFileBase(path, ".parm")
	return inTree && ok
}

// parmExpr is one parameter's expression and where it sits.
type parmExpr struct {
	name    string
	text    string
	line    int // 1-based line in the .parm file
	column  int // 1-based column of the expression's first character
	escaped bool
}

// parmExpressions lists the expressions of a .parm file's rows.
func parmExpressions(data []byte) []parmExpr {
	var out []parmExpr
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		row := strings.TrimRight(string(line), "\r")
		fields, starts, quoted := parmFields(row)
		if len(fields) < 4 {
			continue
		}
		mode, err := strconv.Atoi(fields[1])
		if err != nil || mode&parmExprBit == 0 || strings.TrimSpace(fields[3]) == "" {
			continue
		}
		col := starts[3] + 1
		if quoted[3] {
			col++ // past the opening quote
		}
		out = append(out, parmExpr{
			name: fields[0], text: fields[3], line: i + 1, column: col,
			escaped: quoted[3] && strings.Contains(row[starts[3]:], `\`),
		})
	}
	return out
}

// parmFields splits a row at spaces; a field that starts with a double
// quote runs to its closing quote, backslash escapes inside. It returns
// each field's text (unquoted), its start in the row, and whether it was
// quoted. The fourth field is the rest of the row when unquoted.
func parmFields(row string) (fields []string, starts []int, quoted []bool) {
	for i := 0; i < len(row); {
		if row[i] == ' ' {
			i++
			continue
		}
		start := i
		if row[i] == '"' {
			var b strings.Builder
			j := i + 1
			for ; j < len(row) && row[j] != '"'; j++ {
				if row[j] == '\\' && j+1 < len(row) {
					j++
				}
				b.WriteByte(row[j])
			}
			fields, starts, quoted = append(fields, b.String()), append(starts, start), append(quoted, true)
			i = j + 1
			continue
		}
		end := strings.IndexByte(row[i:], ' ')
		if end < 0 || len(fields) == 3 {
			end = len(row) - i // an unquoted expression is the rest of the row
		}
		fields, starts, quoted = append(fields, row[i:i+end]), append(starts, start), append(quoted, false)
		i += end
	}
	return fields, starts, quoted
}

// loadParm makes the inputs of a .parm file's expressions (see
// expressionInputs). It also says what the parameters make of other DATs
// (networkRefs), and loads the .py of a synced DAT that has no .text in
// the tree.
func loadParm(trees *toeTrees, path string, limit int64) (inputs []Input, refs []netRef, errs []error) {
	raw, err := readRegular(path, limit)
	if err != nil {
		return nil, nil, []error{&LoadError{Path: path, Err: err}}
	}
	root, _ := isToeTree(path)
	base, _ := opFileBase(path, ".parm")
	rel := strings.TrimPrefix(filepath.ToSlash(base), root+"/")
	tree := trees.tree(root)
	node := readOpNode(tree, rel)
	rows := parmRows(raw)
	refs = networkRefs(tree, rel, node, rows)
	if trees != nil && trees.syncFiles && tree.file(rel, ".text") == "" {
		if file := syncedFile(tree, rel, node, rows); file != "" {
			in, err := syncedInput(tree, rel, node, file, nil, limit)
			if err != nil {
				errs = append(errs, err)
			} else {
				inputs = append(inputs, in)
			}
		}
	}
	return append(inputs, parmInputs(path, raw)...), refs, errs
}

// parmInputs are the inputs of the expressions of a .parm file that holds
// data.
func parmInputs(path string, data []byte) []Input {
	exprs := parmExpressions(data)
	if len(exprs) == 0 {
		return nil
	}
	root, _ := isToeTree(path)
	base, _ := opFileBase(path, ".parm")
	rel := strings.TrimPrefix(filepath.ToSlash(base), root+"/")
	ex := expressionInputs(path, "/"+rel, exprs, data)
	for i := range ex {
		ex[i].tree = root
	}
	return ex
}

// parametersSuffix ends the operator path of an input that holds an
// operator's parameter expressions ("/project1/label#parameters").
const parametersSuffix = "#parameters"

// HoldsParameterExpressions reports whether the file is an operator's
// parameter expressions, which TD evaluates on the main thread.
func (f *SourceFile) HoldsParameterExpressions() bool {
	return strings.HasSuffix(f.OpPath, parametersSuffix)
}

// expressionInputs are the inputs of the parameter expressions a file
// holds (a .parm or a .tdn file): each parenthesised on its own line, so
// that only an expression parses (`a = 1` is an error, as in TD), and
// placed at its own line and column of the file; the lines after the
// first of an expression that spans lines are placed at its start. The
// expressions that parse make one input; each that does not is an input
// of its own, so that every broken expression gets its TD001, as each is
// its own code in TD. disk is the file's bytes.
func expressionInputs(path, opPath string, exprs []parmExpr, disk []byte) []Input {
	opPath += parametersSuffix
	var src strings.Builder
	var lines []DiskLine
	var out []Input
	for _, e := range exprs {
		text := "(" + e.text + ")\n"
		at := []DiskLine{{Line: e.line, Column: e.column - 1, Escaped: e.escaped}} // the "(" sits one column before
		for range strings.Count(e.text, "\n") {
			at = append(at, DiskLine{Line: e.line, Column: e.column, Escaped: true})
		}
		if len(pyparse.ParseFile(path, []byte(text), pyparse.Config{Decoded: true}).Errors) > 0 {
			out = append(out, expressionInput(path, opPath, text, at, disk))
			continue
		}
		src.WriteString(text)
		lines = append(lines, at...)
	}
	if src.Len() > 0 {
		out = append([]Input{expressionInput(path, opPath, src.String(), lines, disk)}, out...)
	}
	return out
}

func expressionInput(path, opPath, src string, lines []DiskLine, disk []byte) Input {
	return Input{
		Name:      filepath.ToSlash(path),
		DiskPath:  path,
		OpPath:    opPath,
		Src:       []byte(src),
		Decoded:   true,
		DiskLines: lines,
		Disk:      disk,
		NoFix:     "parameter expressions are not rewritten",
	}
}
