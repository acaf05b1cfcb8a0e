package analyzer

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tdlint/tdlint/pyparse"
)

// A TDN file (Embody's docs/tdn/specification.md) is a COMP's network as
// YAML (v2) or JSON (v1.x, which YAML reads too): network_path, td_build
// and operators, each with name, type, parameters, children and, for a
// DAT, dat_content (a string, or in v1.5 an array of lines) with
// dat_content_format text or table. Every text DAT that holds Python is
// an Input named by the .tdn file, its OpPath the operator's, with each
// line of its text placed on the .tdn's own lines (SourceFile.DiskLines).

// isTDN reports a .tdn name.
func isTDN(name string) bool { return strings.EqualFold(filepath.Ext(name), ".tdn") }

// tdnPythonDATs maps the TDN types of DATs whose text TD runs as Python
// to the callbacks they hold ("" for a module or script).
var tdnPythonDATs = map[string]string{
	"textDAT":             "",
	"executeDAT":          "DAT:execute",
	"parameterexecuteDAT": "DAT:parexec",
	"panelexecuteDAT":     "DAT:panelexec",
	"chopexecuteDAT":      "DAT:chopexec",
	"datexecuteDAT":       "DAT:datexec",
	"opexecuteDAT":        "DAT:opexec",
}

// loadTDN loads the Python DATs of one .tdn file.
func loadTDN(inputs []Input, errs []error, file string) ([]Input, []error) {
	raw, err := readRegular(file, 0)
	if err != nil {
		return inputs, append(errs, &LoadError{Path: file, Err: err})
	}
	loaded, err := tdnInputs(file, raw)
	if err != nil {
		return inputs, append(errs, &LoadError{Path: file, Err: err})
	}
	return append(inputs, loaded...), errs
}

// tdnInputs are the Python DATs of a .tdn file that holds raw; a file
// that is not a TDN document has none, one YAML cannot read is an error.
func tdnInputs(file string, raw []byte) ([]Input, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(bytes.TrimPrefix(raw, []byte("\ufeff")), &doc); err != nil {
		return nil, err
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode || scalar(field(root, "format")) != "tdn" {
		// Some other tool's .tdn: no DAT of a TDN network in it.
		return nil, nil
	}
	t := tdnLoader{name: filepath.ToSlash(file), disk: file, lines: bytes.Split(raw, []byte("\n")), raw: raw}
	t.python = TDBuildPython(tdnYear(scalar(field(root, "td_build"))))
	network := scalar(field(root, "network_path"))
	if network == "" {
		network = "/"
	}
	t.parameters(root)
	if defaults := field(root, "type_defaults"); defaults != nil && defaults.Kind == yaml.MappingNode {
		for i := 1; i < len(defaults.Content); i += 2 {
			t.parameters(defaults.Content[i])
		}
	}
	t.operators(field(root, "operators"), network)
	if len(t.exprs) > 0 {
		t.inputs = append(t.inputs, expressionInputs(file, network, t.exprs, raw)...)
	}
	return t.inputs, nil
}

type tdnLoader struct {
	name, disk string
	raw        []byte
	lines      [][]byte
	python     pyparse.Version
	inputs     []Input
	exprs      []parmExpr
}

// Parameter expressions in TDN (the specification's Parameter Modes): a
// value "=expr" is an expression, "~expr" a bind, both Python that TD
// evaluates on its main thread (a bind's expression names the parameter
// it follows, op('ctrl').par.x, and is evaluated like any other);
// "==text" and "~~text" are constants that start with "=" or "~", and
// Embody v1.0's {expr: ...} and {bind: ...} mappings are read as Embody's
// importer reads them. They sit in an operator's (and the file's own)
// parameters, custom_pars values and sequences blocks, and in
// type_defaults. TDN records no language for an expression: TD's
// parameter expressions are Python.

// parameters collects the expressions of one operator (or the file's
// root, or a type_defaults entry).
func (t *tdnLoader) parameters(op *yaml.Node) {
	t.valueMap(field(op, "parameters"))
	if seqs := field(op, "sequences"); seqs != nil && seqs.Kind == yaml.MappingNode {
		for i := 1; i < len(seqs.Content); i += 2 {
			if blocks := seqs.Content[i]; blocks.Kind == yaml.SequenceNode {
				for _, b := range blocks.Content {
					t.valueMap(b)
				}
			}
		}
	}
	pages := field(op, "custom_pars")
	if pages == nil || pages.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(pages.Content); i += 2 {
		page := pages.Content[i]
		t.valueMap(page) // a template reference: name -> value
		if page.Kind == yaml.SequenceNode {
			for _, def := range page.Content {
				t.value(field(def, "value"))
				if values := field(def, "values"); values != nil && values.Kind == yaml.SequenceNode {
					for _, v := range values.Content {
						t.value(v)
					}
				}
			}
		}
	}
}

// valueMap collects the expressions of a name -> value mapping.
func (t *tdnLoader) valueMap(m *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(m.Content); i += 2 {
		t.value(m.Content[i])
	}
}

// value collects one parameter value's expression, if it is one.
func (t *tdnLoader) value(v *yaml.Node) {
	if v == nil {
		return
	}
	if v.Kind == yaml.MappingNode {
		e := field(v, "expr")
		if e == nil {
			e = field(v, "bind")
		}
		if e != nil && e.Kind == yaml.ScalarNode && strings.TrimSpace(e.Value) != "" {
			t.exprs = append(t.exprs, t.expr(e, 0))
		}
		return
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" || len(v.Value) < 2 {
		return
	}
	if c := v.Value[0]; c != '=' && c != '~' || v.Value[1] == c || strings.TrimSpace(v.Value[1:]) == "" {
		return
	}
	t.exprs = append(t.exprs, t.expr(v, 1))
}

// expr is the expression of a scalar whose first skip characters are its
// mode prefix, placed like a DAT's line (stringLine).
func (t *tdnLoader) expr(n *yaml.Node, skip int) parmExpr {
	text := n.Value[skip:]
	at := t.stringLine(n, n.Value)
	if at.Escaped {
		at.Column = n.Column + 1 // its "(" is reported at the value's start
	} else {
		at.Column += skip
	}
	return parmExpr{text: text, line: at.Line, column: at.Column, escaped: at.Escaped}
}

// operators loads the DATs of one operators or children list.
func (t *tdnLoader) operators(list *yaml.Node, parent string) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for _, op := range list.Content {
		if op.Kind != yaml.MappingNode {
			continue
		}
		name := scalar(field(op, "name"))
		if name == "" {
			continue
		}
		opPath := path.Join(parent, name)
		t.parameters(op)
		t.operators(field(op, "children"), opPath)
		callbacks, python := tdnPythonDATs[scalar(field(op, "type"))]
		content := field(op, "dat_content")
		if !python || content == nil || scalar(field(op, "dat_content_format")) == "table" {
			continue
		}
		if notPython(field(op, "parameters")) {
			continue
		}
		if callbacks == "" && scalar(field(op, "dock")) != "" {
			callbacks = "docked to " + scalar(field(op, "dock"))
		}
		text, lines, ok := t.text(content)
		if !ok {
			continue
		}
		t.inputs = append(t.inputs, Input{
			Name: t.name, DiskPath: t.disk, OpPath: opPath, Module: name, Src: []byte(text),
			Disk: t.raw, NoFix: tdnUnwritable(content), CallbacksOf: callbacks,
			Python: t.python, DiskLines: lines, tdn: &tdnText{ordinal: len(t.inputs), content: content},
		})
	}
}

// text is a dat_content's text and where each of its lines sits.
func (t *tdnLoader) text(n *yaml.Node) (string, []DiskLine, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style&yaml.LiteralStyle != 0 {
			return n.Value, t.blockLines(n), true
		}
		var lines []DiskLine
		for range strings.Count(n.Value, "\n") + 1 {
			lines = append(lines, t.stringLine(n, n.Value))
		}
		return n.Value, lines, true
	case yaml.SequenceNode:
		// v1.5: an array of lines, joined with "\n".
		var b strings.Builder
		var lines []DiskLine
		for i, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", nil, false
			}
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(c.Value)
			for range strings.Count(c.Value, "\n") + 1 {
				lines = append(lines, t.stringLine(c, c.Value))
			}
		}
		return b.String(), lines, true
	default:
		return "", nil, false
	}
}

// blockLines places a literal block scalar's lines: they follow its
// indicator line, indented alike.
func (t *tdnLoader) blockLines(n *yaml.Node) []DiskLine {
	indent := -1
	for l := n.Line; l < len(t.lines); l++ { // t.lines[l] is line l+1
		if s := bytes.TrimRight(t.lines[l], "\r"); len(bytes.TrimLeft(s, " ")) > 0 {
			indent = len(s) - len(bytes.TrimLeft(s, " "))
			break
		}
	}
	count := strings.Count(n.Value, "\n") + 1
	lines := make([]DiskLine, count)
	for i := range lines {
		lines[i] = DiskLine{Line: n.Line + 1 + i, Column: max(indent, 0) + 1}
	}
	return lines
}

// stringLine places a quoted or plain string: character for character
// after its opening quote when the file holds the text as it is, else
// (escapes, folding) at the string's start.
func (t *tdnLoader) stringLine(n *yaml.Node, value string) DiskLine {
	col := n.Column
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		col++
	}
	if !strings.Contains(value, "\n") && n.Line <= len(t.lines) {
		if line := t.lines[n.Line-1]; col-1 <= len(line) && bytes.HasPrefix(line[col-1:], []byte(value)) {
			return DiskLine{Line: n.Line, Column: col}
		}
	}
	return DiskLine{Line: n.Line, Column: n.Column, Escaped: true}
}

// field is a mapping's value for key, nil if it has none.
func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// tdnYear is the build in a td_build: "2025.32050", or Embody's
// "099.2025.33070" with the version in front.
func tdnYear(build string) string {
	if v, rest, ok := strings.Cut(build, "."); ok && len(v) == 3 {
		return rest
	}
	return build
}

// notPython reports a DAT whose parameters say its text is not Python:
// its language (input: its input's, Python by default), its extension,
// or the extension of the file it is synced to (a .glsl shader).
func notPython(pars *yaml.Node) bool {
	if lang := scalar(field(pars, "language")); lang != "" && lang != "python" && lang != "input" {
		return true
	}
	if ext := scalar(field(pars, "extension")); ext != "" && ext != "py" && ext != "python" {
		return true
	}
	file := scalar(field(pars, "file"))
	if strings.HasPrefix(file, "=") || strings.HasPrefix(file, "~") {
		return false // an expression: its value is not known here
	}
	ext := strings.ToLower(path.Ext(file))
	return file != "" && ext != "" && ext != ".py"
}
