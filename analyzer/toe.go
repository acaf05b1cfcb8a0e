package analyzer

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
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
	return inTree && strings.HasSuffix(path, ".text")
}

// datType reads FAMILY:type from an operator's .n file ("" if unknown).
func datType(nPath string) (family, typ string) {
	f, err := os.Open(nPath)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() {
		family, typ, _ = strings.Cut(strings.TrimSpace(sc.Text()), ":")
	}
	return family, typ
}

// declaresOtherLanguage reports a Text DAT whose parameters say its text is
// not Python (GLSL, JSON, ...): a "language" or "extension" parameter.
func declaresOtherLanguage(parmPath string) bool {
	data, err := os.ReadFile(parmPath)
	if err != nil {
		return false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
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
func loadDAT(inputs []Input, errs []error, path string) ([]Input, []error) {
	root, _ := isToeTree(path)
	base := strings.TrimSuffix(path, ".text")
	family, typ := datType(base + ".n")
	if family != "" && (family != "DAT" || !pythonDATTypes[typ]) {
		return inputs, errs
	}
	if typ == "text" && declaresOtherLanguage(base+".parm") {
		return inputs, errs
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return inputs, append(errs, &LoadError{Path: path, Err: err})
	}
	body, header, damaged := decodeTOEText(raw)
	rel := strings.TrimPrefix(filepath.ToSlash(base), root+"/")
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
	}), errs
}
