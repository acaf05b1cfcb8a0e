package analyzer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tdlint/tdlint/pyparse"
)

// A fixed DAT text goes back into its .tdn file as one byte edit of the
// dat_content that held it: in a literal block scalar the lines that
// changed, rewritten at the block's indentation; in a double-quoted (JSON)
// string the characters that changed, escaped; in a v1.5 array of lines
// the elements that changed. Every other byte of the file stays. The file
// is then read again as TDN and must give each DAT exactly its new text
// (and a JSON file must still be JSON, which Embody reads first); if not,
// nothing is written. A form this cannot rewrite exactly (a folded or
// single-quoted string, a block whose indentation it cannot place) is
// refused whole, never approximated.

// tdnText is where a DAT's text sits in its .tdn file.
type tdnText struct {
	// ordinal is the DAT's place among the file's Python DATs, as
	// tdnInputs lists them: how the file read again is matched up.
	ordinal int
	content *yaml.Node // its dat_content
}

// tdnUnwritable is why a dat_content cannot take a fix, "" if it can.
func tdnUnwritable(n *yaml.Node) string {
	const why = "fixes are written into a .tdn's dat_content only when it is a literal block (|), a double-quoted string or an array of those"
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.DoubleQuotedStyle) != 0:
		return ""
	case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode || c.Style&yaml.DoubleQuotedStyle == 0 {
				return why
			}
		}
		return ""
	}
	return why
}

// tdnChange is a DAT's text before and after the fixes.
type tdnChange struct {
	at       *tdnText
	old, new string
}

// errTDNRewrite prefixes why a .tdn was left as it was.
var errTDNRewrite = errors.New("the fixed text cannot be written into the .tdn file exactly")

// rewriteTDN is the .tdn file disk (named file) with the DATs' texts
// changed, or why it cannot be.
func rewriteTDN(file string, disk []byte, changes []tdnChange) ([]byte, error) {
	edits, err := tdnEdits(file, disk, changes)
	if err != nil {
		return nil, err
	}
	return pyparse.ApplyEdits(disk, edits), nil
}

// tdnEdits are the byte edits of disk that change the DATs' texts, in
// position order, checked as rewriteTDN describes.
func tdnEdits(file string, disk []byte, changes []tdnChange) ([]pyparse.Edit, error) {
	bom := 0
	if bytes.HasPrefix(disk, []byte("\ufeff")) {
		bom = 3
	}
	raw := disk[bom:]
	starts := []int{0}
	for i, c := range raw {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	var edits []pyparse.Edit
	want := make(map[int]string, len(changes))
	for _, c := range changes {
		e, err := tdnEdit(raw, starts, c)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errTDNRewrite, err)
		}
		e.Start += pyparse.Pos(bom)
		e.End += pyparse.Pos(bom)
		edits = append(edits, e)
		want[c.at.ordinal] = c.new
	}
	slices.SortFunc(edits, func(a, b pyparse.Edit) int { return int(a.Start - b.Start) })
	for i := 1; i < len(edits); i++ {
		if edits[i].Start < edits[i-1].End {
			return nil, fmt.Errorf("%w: two DATs' texts overlap", errTDNRewrite)
		}
	}
	out := pyparse.ApplyEdits(disk, edits)
	if err := checkTDN(file, disk, out, want); err != nil {
		return nil, fmt.Errorf("%w: %w", errTDNRewrite, err)
	}
	return edits, nil
}

// checkTDN reads the rewritten file as TDN again: every Python DAT must
// hold its new text (want, by ordinal) or its old one, and a file that
// was JSON must still be.
func checkTDN(file string, before, after []byte, want map[int]string) error {
	old, err := tdnInputs(file, before)
	if err != nil {
		return err
	}
	now, err := tdnInputs(file, after)
	if err != nil {
		return fmt.Errorf("it would not read as YAML (%w)", err)
	}
	if len(now) != len(old) {
		return errors.New("it would hold other DATs")
	}
	for i := range now {
		text, ok := want[i]
		if !ok {
			text = string(old[i].Src)
		}
		if now[i].OpPath != old[i].OpPath || string(now[i].Src) != text {
			return fmt.Errorf("%s would not read back as its fixed text", old[i].OpPath)
		}
	}
	trim := func(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\ufeff")) }
	if json.Valid(trim(before)) && !json.Valid(trim(after)) {
		return errors.New("it would no longer be JSON")
	}
	return nil
}

// tdnEdit is one DAT's change as an edit of raw (a BOM stripped), whose
// lines start at starts.
func tdnEdit(raw []byte, starts []int, c tdnChange) (pyparse.Edit, error) {
	n := c.at.content
	if why := tdnUnwritable(n); why != "" {
		return pyparse.Edit{}, errors.New(why)
	}
	switch {
	case n.Kind == yaml.SequenceNode:
		return linesEdit(raw, starts, n, c.old, c.new)
	case n.Style&yaml.LiteralStyle != 0:
		return blockEdit(raw, starts, n, c.old, c.new)
	}
	start, ok := nodeOffset(raw, starts, n)
	if !ok {
		return pyparse.Edit{}, errors.New("the string is not where YAML placed it")
	}
	return quotedEdit(raw, start, c.old, c.new)
}

// nodeOffset is the byte offset of a node's first character (YAML counts
// columns in characters).
func nodeOffset(raw []byte, starts []int, n *yaml.Node) (int, bool) {
	if n.Line < 1 || n.Line > len(starts) || n.Column < 1 {
		return 0, false
	}
	off := starts[n.Line-1]
	for range n.Column - 1 {
		if off >= len(raw) || raw[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(raw[off:])
		off += size
	}
	return off, true
}

// commonLines counts the lines a and b share at their start (p) and,
// after that, at their end (s).
func commonLines(a, b []string) (p, s int) {
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return p, s
}

// blockEdit rewrites the changed lines of a literal block scalar. The
// text's trailing newlines are what its chomping indicator (|-, |, |+)
// keeps, so a fix that changes their number is refused.
func blockEdit(raw []byte, starts []int, n *yaml.Node, oldText, newText string) (pyparse.Edit, error) {
	body, nbody := strings.TrimRight(oldText, "\n"), strings.TrimRight(newText, "\n")
	if len(oldText)-len(body) != len(newText)-len(nbody) {
		return pyparse.Edit{}, errors.New("the fix changes the newlines at the end of the text, which the block's chomping indicator fixes")
	}
	if body == "" || nbody == "" {
		return pyparse.Edit{}, errors.New("the text would be empty")
	}
	was, now := strings.Split(body, "\n"), strings.Split(nbody, "\n")
	first := n.Line // 0-based: the line after the indicator's
	if first+len(was) > len(starts) {
		return pyparse.Edit{}, errors.New("the block is not where YAML placed it")
	}
	line := func(k int) string {
		end := len(raw)
		if first+k+1 < len(starts) {
			end = starts[first+k+1]
		}
		return strings.TrimRight(string(raw[starts[first+k]:end]), "\r\n")
	}
	indent := ""
	for k, l := range was {
		if l != "" {
			indent = strings.TrimSuffix(line(k), l)
			break
		}
	}
	if indent == "" || strings.Trim(indent, " ") != "" {
		return pyparse.Edit{}, errors.New("the block's indentation is not spaces")
	}
	for k, l := range was {
		if got := line(k); l == "" && strings.Trim(got, " ") != "" || l != "" && got != indent+l {
			return pyparse.Edit{}, fmt.Errorf("line %d of the block does not hold the text at its indentation", first+k+1)
		}
	}
	p, s := commonLines(was, now)
	after := first + len(was) - s // the first line the edit keeps
	if after >= len(starts) {
		return pyparse.Edit{}, errors.New("the block's last line has no line end")
	}
	eol := "\n"
	if end := starts[after]; end >= 2 && raw[end-2] == '\r' {
		eol = "\r\n"
	}
	var b strings.Builder
	for _, l := range now[p : len(now)-s] {
		if l != "" {
			b.WriteString(indent)
		}
		b.WriteString(l + eol)
	}
	return pyparse.Edit{Start: pyparse.Pos(starts[first+p]), End: pyparse.Pos(starts[after]), Text: b.String()}, nil
}

// decodeQuoted reads the double-quoted string at raw[start] with JSON's
// escapes, which are what Embody's JSON and YAML writers use on one line.
// at[i] is the offset in raw of what gave the text's i-th byte, at[len]
// that of the closing quote; end is past the closing quote.
func decodeQuoted(raw []byte, start int) (text string, at []int, end int, err error) {
	if start >= len(raw) || raw[start] != '"' {
		return "", nil, 0, errors.New("no string where YAML placed it")
	}
	var b strings.Builder
	emit := func(s string, from int) {
		b.WriteString(s)
		for range len(s) {
			at = append(at, from)
		}
	}
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return rune(v), err == nil
	}
	for i := start + 1; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			at = append(at, i)
			return b.String(), at, i + 1, nil
		case c == '\n' || c == '\r':
			return "", nil, 0, errors.New("the string spans lines")
		case c != '\\':
			emit(string(raw[i:i+1]), i)
			i++
			continue
		}
		if i+1 >= len(raw) {
			break
		}
		if r, ok := hex4(i); ok {
			n := 6
			if utf16IsHigh(r) {
				lo, ok := hex4(i + 6)
				if !ok || !utf16IsLow(lo) {
					return "", nil, 0, errors.New("a lone surrogate escape")
				}
				r, n = 0x10000+(r-0xd800)<<10+(lo-0xdc00), 12
			}
			emit(string(r), i)
			i += n
			continue
		}
		simple := map[byte]string{'"': `"`, '\\': `\`, '/': "/", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t"}
		s, ok := simple[raw[i+1]]
		if !ok {
			return "", nil, 0, fmt.Errorf("the escape \\%c is not JSON's", raw[i+1])
		}
		emit(s, i)
		i += 2
	}
	return "", nil, 0, errors.New("the string does not end")
}

func utf16IsHigh(r rune) bool { return r >= 0xd800 && r < 0xdc00 }
func utf16IsLow(r rune) bool  { return r >= 0xdc00 && r < 0xe000 }

// quoteJSON is s as the inside of a double-quoted string that JSON and
// YAML read alike: quotes, backslashes, control and line-separator
// characters escaped, other text as it is.
func quoteJSON(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return "", errors.New("the text is not UTF-8")
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), nil
}

// quotedEdit rewrites the characters of a double-quoted string between
// what the old and new texts share at their start and end.
func quotedEdit(raw []byte, start int, old, replacement string) (pyparse.Edit, error) {
	text, at, _, err := decodeQuoted(raw, start)
	if err != nil {
		return pyparse.Edit{}, err
	}
	if text != old {
		return pyparse.Edit{}, errors.New("the string does not read as the DAT's text with JSON's escapes")
	}
	p := 0
	for p < len(old) && p < len(replacement) && old[p] == replacement[p] {
		p++
	}
	for p > 0 && p < len(old) && !utf8.RuneStart(old[p]) {
		p--
	}
	s := 0
	for s < len(old)-p && s < len(replacement)-p && old[len(old)-1-s] == replacement[len(replacement)-1-s] {
		s++
	}
	for s > 0 && !utf8.RuneStart(old[len(old)-s]) {
		s--
	}
	mid, err := quoteJSON(replacement[p : len(replacement)-s])
	if err != nil {
		return pyparse.Edit{}, err
	}
	return pyparse.Edit{Start: pyparse.Pos(at[p]), End: pyparse.Pos(at[len(old)-s]), Text: mid}, nil
}

// linesEdit rewrites the changed elements of an array of lines (v1.5),
// adding or removing elements with the separator the array already uses.
func linesEdit(raw []byte, starts []int, n *yaml.Node, old, replacement string) (pyparse.Edit, error) {
	var was []string
	var from, to []int // each element's span, its quotes included
	for _, c := range n.Content {
		start, ok := nodeOffset(raw, starts, c)
		if !ok {
			return pyparse.Edit{}, errors.New("an element is not where YAML placed it")
		}
		text, _, end, err := decodeQuoted(raw, start)
		if err != nil {
			return pyparse.Edit{}, err
		}
		if text != c.Value || strings.Contains(text, "\n") {
			return pyparse.Edit{}, errors.New("an element is not one line of the text")
		}
		was, from, to = append(was, text), append(from, start), append(to, end)
	}
	if strings.Join(was, "\n") != old {
		return pyparse.Edit{}, errors.New("the array does not join to the DAT's text")
	}
	now := strings.Split(replacement, "\n")
	sep := ", "
	if len(was) > 1 {
		sep = string(raw[to[0]:from[1]])
	}
	quoted := make([]string, 0, len(now))
	for _, l := range now {
		q, err := quoteJSON(l)
		if err != nil {
			return pyparse.Edit{}, err
		}
		quoted = append(quoted, `"`+q+`"`)
	}
	p, s := commonLines(was, now)
	gone, added := len(was)-p-s, len(now)-p-s
	text := strings.Join(quoted[p:p+added], sep)
	switch {
	case gone > 0 && added > 0:
		return pyparse.Edit{Start: pyparse.Pos(from[p]), End: pyparse.Pos(to[p+gone-1]), Text: text}, nil
	case gone > 0 && p+gone < len(was): // removed before an element that stays
		return pyparse.Edit{Start: pyparse.Pos(from[p]), End: pyparse.Pos(from[p+gone])}, nil
	case gone > 0 && p > 0: // removed after one
		return pyparse.Edit{Start: pyparse.Pos(to[p-1]), End: pyparse.Pos(to[p+gone-1])}, nil
	case added > 0 && p < len(was):
		return pyparse.Edit{Start: pyparse.Pos(from[p]), End: pyparse.Pos(from[p]), Text: text + sep}, nil
	case added > 0 && p > 0:
		return pyparse.Edit{Start: pyparse.Pos(to[p-1]), End: pyparse.Pos(to[p-1]), Text: sep + text}, nil
	}
	return pyparse.Edit{}, errors.New("nothing to change")
}
