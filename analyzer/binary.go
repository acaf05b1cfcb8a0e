package analyzer

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A saved TouchDesigner project (.toe) or component (.tox) is binary:
//
//	.toe: "10" u32be(payload length) u32be(?) payload…   (payload at byte 10)
//	.tox: 00 00 00 01, then the same as a .toe
//
// Checked on 478 public files: every .tox has the prefix, no .toe has it,
// and the length is the rest of the file or less (some files carry more
// after it). The payload is not zlib, xz or bz2, and no public decoder
// exists, so the DATs inside cannot be read: the file gets a Note saying
// so and what to do instead.

// Note is something a run could not lint and wants the user to know; it
// is not a finding in their code and does not change the exit status.
type Note struct {
	Path    string
	Message string
}

// Kinds of TouchDesigner binaries and look-alikes.
const (
	tdBinaryNone = iota
	tdBinaryProject
	tdBinaryComponent
	tdBinaryLFSPointer
)

// isTDBinaryName reports a .toe or .tox name.
func isTDBinaryName(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".toe" || ext == ".tox"
}

// sniffTDBinary tells a TouchDesigner binary from its header.
func sniffTDBinary(head []byte, size int64) int {
	if bytes.HasPrefix(head, []byte("version https://git-lfs.github.com/spec/")) {
		return tdBinaryLFSPointer
	}
	kind := tdBinaryProject
	if bytes.HasPrefix(head, []byte{0, 0, 0, 1}) {
		head, size, kind = head[4:], size-4, tdBinaryComponent
	}
	if len(head) < 10 || head[0] != '1' || head[1] != '0' {
		return tdBinaryNone
	}
	if n := int64(binary.BigEndian.Uint32(head[2:6])); n > size-10 {
		return tdBinaryNone
	}
	return kind
}

// binaryNote explains a .toe or .tox found while loading; ok is false for
// a file that is neither (its name is all it shares with them).
func binaryNote(path string) (note Note, ok bool) {
	f, err := openRegular(path)
	if err != nil {
		return Note{Path: path, Message: "cannot be read: " + err.Error()}, true
	}
	defer f.Close()
	var size int64
	if info, err := f.Stat(); err == nil {
		size = info.Size()
	}
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	name := filepath.ToSlash(path)
	what := "project (.toe)"
	if strings.EqualFold(filepath.Ext(path), ".tox") {
		what = "component (.tox)"
	}
	switch sniffTDBinary(head[:n], size) {
	case tdBinaryProject, tdBinaryComponent:
		return Note{Path: name, Message: "binary TouchDesigner " + what + ": the Python in its DATs cannot be read. " + binaryAdvice(path)}, true
	case tdBinaryLFSPointer:
		return Note{Path: name, Message: "Git LFS pointer to a TouchDesigner " + what + ", not the file itself (git lfs pull fetches it); its Python could not be read either. " + binaryAdvice(path)}, true
	}
	return Note{}, false
}

// binaryAdvice names the layouts tdlint reads, and the expanded tree when
// one sits beside the binary.
func binaryAdvice(path string) string {
	if info, err := os.Stat(path + ".dir"); err == nil && info.IsDir() {
		return "Lint its toeexpand tree " + filepath.ToSlash(path) + ".dir instead."
	}
	return "To lint it, expand it with toeexpand (TouchDesigner's bin folder), export it as TDN (Embody), or keep its DATs' Python in external .py files (a Text DAT's file parameter)."
}
