package analyzer

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// rewrite loads the .tdn text doc, replaces its first Python DAT's text
// with text, and returns the file rewriteTDN makes, checked against what
// a YAML and (for a JSON file) a JSON reader see in it.
func rewrite(t *testing.T, doc, text string) (string, error) {
	t.Helper()
	ins, err := tdnInputs("x.tdn", []byte(doc))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no DAT loaded: %v", err)
	}
	out, err := rewriteTDN("x.tdn", []byte(doc), []tdnChange{{at: ins[0].tdn, old: string(ins[0].Src), new: text}})
	if err != nil {
		return "", err
	}
	if got := readContent(t, out); got != text {
		t.Errorf("YAML reads the DAT as %q, want %q", got, text)
	}
	if json.Valid([]byte(doc)) {
		var v struct {
			Operators []struct {
				Content json.RawMessage `json:"dat_content"`
			} `json:"operators"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("not JSON any more: %v", err)
		}
		var s string
		var lines []string
		if json.Unmarshal(v.Operators[0].Content, &s) != nil {
			if err := json.Unmarshal(v.Operators[0].Content, &lines); err != nil {
				t.Fatal(err)
			}
			s = strings.Join(lines, "\n")
		}
		if s != text {
			t.Errorf("JSON reads the DAT as %q, want %q", s, text)
		}
	}
	return string(out), nil
}

// readContent is the first operator's dat_content as a YAML reader sees
// it (an array joined by newlines, as Embody joins it).
func readContent(t *testing.T, data []byte) string {
	t.Helper()
	var v struct {
		Operators []struct {
			Content any `yaml:"dat_content"`
		} `yaml:"operators"`
	}
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("not YAML any more: %v\n%s", err, data)
	}
	switch c := v.Operators[0].Content.(type) {
	case string:
		return c
	case []any:
		var lines []string
		for _, l := range c {
			lines = append(lines, l.(string))
		}
		return strings.Join(lines, "\n")
	}
	t.Fatalf("dat_content is %T", v.Operators[0].Content)
	return ""
}

const blockDoc = "format: tdn\noperators:\n- name: t\n  type: textDAT\n  dat_content: |\n    import time\n\n    def f():\n        time.sleep(1)\n  dat_content_format: text\n- name: u\n  type: noiseTOP\n"

// A block scalar is rewritten line by line at its indentation, lines
// added and removed; the lines around the block are the same bytes.
func TestRewriteTDNBlock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, text, want string }{
		{"one line", "import time\n\ndef f():\n    time.sleep(2)\n", strings.Replace(blockDoc, "sleep(1)", "sleep(2)", 1)},
		{"line added", "import time\n\ndef f():\n    pass\n    time.sleep(1)\n", strings.Replace(blockDoc, "def f():\n", "def f():\n        pass\n", 1)},
		{"lines removed", "def f():\n    time.sleep(1)\n", strings.Replace(blockDoc, "    import time\n\n", "", 1)},
		{"blank line added", "import time\n\n\ndef f():\n    time.sleep(1)\n", strings.Replace(blockDoc, "\n\n", "\n\n\n", 1)},
	} {
		got, err := rewrite(t, blockDoc, tc.text)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
	// CRLF lines stay CRLF.
	crlf := strings.ReplaceAll(blockDoc, "\n", "\r\n")
	got, err := rewrite(t, crlf, "import time\n\ndef f():\n    pass\n    time.sleep(1)\n")
	if err != nil || got != strings.Replace(crlf, "def f():\r\n", "def f():\r\n        pass\r\n", 1) {
		t.Errorf("CRLF: %v\n%q", err, got)
	}
}

// What a block scalar cannot hold as it is written is refused, and the
// file is not touched: other trailing newlines (the chomping indicator
// fixes them), a first line that starts with spaces (the block's
// indentation would be read from it).
func TestRewriteTDNBlockRefused(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"trailing newline": "import time\n\ndef f():\n    time.sleep(1)",
		"indented first":   "  import time\n\ndef f():\n    time.sleep(1)\n",
		"empty":            "\n",
	} {
		if out, err := rewrite(t, blockDoc, text); err == nil {
			t.Errorf("%s: rewritten\n%s", name, out)
		}
	}
}

const jsonDoc = "{\n\t\"format\": \"tdn\",\n\t\"operators\": [\n\t\t{\n\t\t\t\"name\": \"t\",\n\t\t\t\"type\": \"textDAT\",\n\t\t\t\"dat_content\": [\n\t\t\t\t\"import time\",\n\t\t\t\t\"def f():\",\n\t\t\t\t\"    time.sleep(1)  # \\\"é\\\" \\u00e9\"\n\t\t\t]\n\t\t}\n\t]\n}\n"

// An array of lines (v1.5 JSON) is rewritten element by element, adding
// and removing elements with the array's own separator; what no fix
// touched keeps its escapes as they were.
func TestRewriteTDNLines(t *testing.T) {
	t.Parallel()
	last := "    time.sleep(1)  # \"é\" é"
	for _, tc := range []struct{ name, text, want string }{
		{"changed", "import time\ndef g():\n" + last, strings.Replace(jsonDoc, `"def f():"`, `"def g():"`, 1)},
		{"added", "import time\nimport os\ndef f():\n" + last, strings.Replace(jsonDoc, "\"import time\",\n", "\"import time\",\n\t\t\t\t\"import os\",\n", 1)},
		{"removed first", "def f():\n" + last, strings.Replace(jsonDoc, "\"import time\",\n\t\t\t\t", "", 1)},
		{"removed last", "import time\ndef f():", strings.Replace(jsonDoc, ",\n\t\t\t\t\"    time.sleep(1)  # \\\"é\\\" \\u00e9\"", "", 1)},
		{"added last", "import time\ndef f():\n" + last + "\n\tpass\t\x01", strings.Replace(jsonDoc, "\\u00e9\"\n", "\\u00e9\",\n\t\t\t\t\"\\tpass\\t\\u0001\"\n", 1)},
	} {
		got, err := rewrite(t, jsonDoc, tc.text)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// A newline-escaped string (v1.x JSON, or a double-quoted YAML scalar) is
// rewritten character by character; an escape YAML has and JSON has not
// is refused rather than guessed at.
func TestRewriteTDNString(t *testing.T) {
	t.Parallel()
	doc := "{\"format\": \"tdn\", \"operators\": [{\"name\": \"t\", \"type\": \"textDAT\", \"dat_content\": \"x = '\\u00e9😀'\\nrun(f, delayMilliseconds=5)\\n\"}]}"
	got, err := rewrite(t, doc, "x = 'é😀'\nrun(f, delayMilliSeconds=5)\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(doc, "delayMilliseconds", "delayMilliSeconds", 1); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got, err = rewrite(t, doc, "x = 'é😃'\nrun(f, delayMilliSeconds=5)\n\"\\\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `\u00e9😃'\nrun(f, delayMilliSeconds=5)\n\"\\\n"`) {
		t.Errorf("got %s", got)
	}
	yamlDoc := "format: tdn\noperators:\n- name: t\n  type: textDAT\n  dat_content: \"a = 1\\x41\\n\"\n"
	if out, err := rewrite(t, yamlDoc, "a = 2A\n"); err == nil {
		t.Errorf("a YAML-only escape was rewritten:\n%s", out)
	}
}

// The fixes of two DATs of one file go into it together; a form that
// cannot take a fix (a plain scalar) is marked so at load.
func TestRewriteTDNTwoDATs(t *testing.T) {
	t.Parallel()
	doc := blockDoc + "- name: v\n  type: textDAT\n  dat_content: \"a = 1\\n\"\n- name: w\n  type: textDAT\n  dat_content: a = 1\n"
	ins, err := tdnInputs("x.tdn", []byte(doc))
	if err != nil || len(ins) != 3 {
		t.Fatalf("%d inputs, %v", len(ins), err)
	}
	if ins[0].NoFix != "" || ins[1].NoFix != "" || ins[2].NoFix == "" {
		t.Errorf("NoFix %q %q %q", ins[0].NoFix, ins[1].NoFix, ins[2].NoFix)
	}
	out, err := rewriteTDN("x.tdn", []byte(doc), []tdnChange{
		{at: ins[1].tdn, old: "a = 1\n", new: "a = 2\n"},
		{at: ins[0].tdn, old: string(ins[0].Src), new: strings.Replace(string(ins[0].Src), "1", "3", 1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(doc, "sleep(1)", "sleep(3)", 1), `"a = 1\n"`, `"a = 2\n"`, 1)
	if !bytes.Equal(out, []byte(want)) {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Whatever the file and the new text, rewriting never panics, and a
// rewrite it does not refuse reads back as the new text.
func FuzzRewriteTDN(f *testing.F) {
	f.Add(blockDoc, "import time\n\ndef f():\n    pass\n")
	f.Add(jsonDoc, "import time\nx")
	f.Add("format: tdn\noperators:\n- name: t\n  type: textDAT\n  dat_content: |2-\n      a\n    b\n", "  a\nc")
	f.Add("format: tdn\noperators:\n- name: t\n  type: textDAT\n  dat_content: \"a\\tb\\u00e9\"\n", "a\tb\n")
	f.Fuzz(func(t *testing.T, doc, text string) {
		ins, err := tdnInputs("x.tdn", []byte(doc))
		if err != nil {
			return
		}
		for i := range ins {
			in := &ins[i]
			if in.tdn == nil || in.NoFix != "" {
				continue
			}
			out, err := rewriteTDN("x.tdn", []byte(doc), []tdnChange{{at: in.tdn, old: string(in.Src), new: text}})
			if err != nil {
				continue
			}
			again, err := tdnInputs("x.tdn", out)
			if err != nil || len(again) != len(ins) || string(again[in.tdn.ordinal].Src) != text {
				t.Fatalf("rewritten but reads back otherwise:\n%s", out)
			}
		}
	})
}

// A DAT whose new text cannot go into the .tdn leaves the file to the
// DATs whose texts can: they are written, it is reported.
func TestDiskFilesKeepsTheDATsThatFit(t *testing.T) {
	t.Parallel()
	doc := blockDoc + "- name: v\n  type: textDAT\n  dat_content: \"a = 1\\n\"\n"
	ins, err := tdnInputs("x.tdn", []byte(doc))
	if err != nil || len(ins) != 2 {
		t.Fatalf("%d inputs, %v", len(ins), err)
	}
	for i := range ins {
		ins[i].Disk = []byte(doc)
	}
	out, failed := diskFiles(ins, []FixedFile{
		{Index: 0, Name: "x.tdn", DiskPath: "x.tdn", Text: []byte(strings.TrimSuffix(string(ins[0].Src), "\n")), Fixed: 1}, // its block's | keeps one newline
		{Index: 1, Name: "x.tdn", DiskPath: "x.tdn", Text: []byte("a = 2\n"), Fixed: 1},
	})
	if len(out) != 1 || out[0].Index != 1 || len(out[0].Also) != 0 || string(out[0].New) != strings.Replace(doc, `"a = 1\n"`, `"a = 2\n"`, 1) {
		t.Errorf("written: %+v", out)
	}
	if len(failed) != 1 || failed[0].Index != 0 || !strings.Contains(failed[0].err.Error(), "chomping") {
		t.Errorf("refused: %+v", failed)
	}
}
