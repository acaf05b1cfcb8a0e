//go:build unix

package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The repro of the corruption: a fix of line 3 landed two bytes early,
// because the bad byte on line 1 was read as a three-byte U+FFFD.
const (
	badUTF8   = "# caf\xe9\nop(\"x\")\nrun(f, delayMilliseconds=5)\n"
	fixable   = "run(f, delayMilliseconds=5)\n"
	fixedText = "run(f, delayMilliSeconds=5)\n"
)

func writeFile(t *testing.T, path, text string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func TestFixLeavesTextThatDidNotDecodeExactlyAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "a.py"), badUTF8, 0o644)
	// A DAT whose header gives a length past the end of the file.
	var dat bytes.Buffer
	dat.WriteString("2\n*")
	for _, v := range []uint32{1, 1, 1, 1, 2, 4096} {
		_ = binary.Write(&dat, binary.BigEndian, v)
	}
	dat.WriteString(fixable)
	datPath := writeFile(t, filepath.Join(dir, "p.toe.dir", "project1", "text1.text"), dat.String(), 0o644)
	writeFile(t, filepath.Join(dir, "p.toe.dir", "project1", "text1.n"), "DAT:text\n", 0o644)
	good := writeFile(t, filepath.Join(dir, "good.py"), fixable, 0o644)

	out, errs, code := runCLI(t, "", "check", "--diff", dir)
	if strings.Contains(out, "a.py") || strings.Contains(out, "text1.text") || !strings.Contains(out, "good.py") {
		t.Errorf("--diff shows a fix it cannot apply, or not the one it can:\n%s", out)
	}
	if code != exitError || !strings.Contains(errs, "Would fix 1 finding in 1 file; 2 files not fixed (see above).") {
		t.Errorf("--diff: exit %d, stderr:\n%s", code, errs)
	}

	out, errs, code = runCLI(t, "", "check", "--fix", "--output-format", "concise", dir)
	if got := readFile(t, bad); got != badUTF8 {
		t.Errorf("a.py was changed to %q", got)
	}
	if got := readFile(t, datPath); got != dat.String() {
		t.Errorf("the damaged DAT was changed to %q", got)
	}
	if got := readFile(t, good); got != fixedText {
		t.Errorf("good.py: %q", got)
	}
	for _, want := range []string{
		"tdlint check: not fixed: " + filepath.ToSlash(bad) + ": the file does not decode exactly",
		"line 1: (unicode error) 'utf-8' codec can't decode byte 0xe9",
		"tdlint check: not fixed: " + filepath.ToSlash(datPath) + ": its .text header is damaged",
		"Fixed 1 finding in 1 file; 2 files not fixed (see above).",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != exitError || !strings.Contains(out, "a.py:3:8: TD302") {
		t.Errorf("exit %d (want 2); the unfixed finding must be reported:\n%s", code, out)
	}
}

// Another name of the file, outside the tree being fixed, sees the fix;
// so does the target of a symlink, and the link stays a link.
func TestFixWritesHardLinksInPlaceAndSymlinkTargets(t *testing.T) {
	t.Parallel()
	dir, elsewhere := t.TempDir(), t.TempDir()
	linked := writeFile(t, filepath.Join(dir, "linked.py"), fixable, 0o640)
	other := filepath.Join(elsewhere, "other_name.py")
	if err := os.Link(linked, other); err != nil {
		t.Skip("no hard links here:", err)
	}
	target := writeFile(t, filepath.Join(elsewhere, "target.py"), fixable, 0o644)
	link := filepath.Join(dir, "link.py")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(linked)
	_, errs, code := runCLI(t, "", "check", "--fix", dir)
	if code != exitClean || !strings.Contains(errs, "Fixed 2 findings in 2 files.") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, p := range []string{linked, other, target} {
		if got := readFile(t, p); got != fixedText {
			t.Errorf("%s: %q", p, got)
		}
	}
	after, _ := os.Stat(linked)
	if !os.SameFile(before, after) || after.Mode().Perm() != 0o640 {
		t.Errorf("linked.py was replaced (same file %v, mode %v)", os.SameFile(before, after), after.Mode())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.py is no longer a symlink: %v", err)
	}
}

// Run as root, --fix must not hand a user's file to root, nor drop its
// setuid bit.
func TestFixKeepsOwnerGroupAndMode(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another user needs root")
	}
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "tool.py"), fixable, 0o755)
	if err := os.Chown(path, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o755|os.ModeSetuid|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCLI(t, "", "check", "--fix", path); code != exitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != 1234 || st.Gid != 5678 || info.Mode() != 0o755|os.ModeSetuid|os.ModeSetgid {
		t.Errorf("after --fix: uid %d gid %d mode %v", st.Uid, st.Gid, info.Mode())
	}
	if got := readFile(t, path); got != fixedText {
		t.Errorf("not fixed: %q", got)
	}
}

// runAsUser runs this test binary as the tdlint command (see TestMain).
// Run as root, it runs as nobody, for whom permissions apply: the binary
// is copied where nobody may run it and dir is given to nobody first.
// prepare runs after that, before the command.
func runAsUser(t *testing.T, dir string, prepare func(), args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin := os.Args[0]
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		const nobody = 65534
		binDir := t.TempDir()
		for _, d := range []string{filepath.Dir(binDir), binDir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		copyExecutable(t, bin, filepath.Join(binDir, "tdlint"))
		bin = filepath.Join(binDir, "tdlint")
		err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, nobody, nobody)
		})
		if err != nil {
			t.Fatal(err)
		}
		cred = &syscall.Credential{Uid: nobody, Gid: nobody}
	}
	prepare()
	for try := 0; ; try++ {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if errors.Is(err, syscall.ETXTBSY) && try < 100 {
			// A child another test forked while the copy was open for
			// writing still holds it: that child is about to exec.
			continue
		}
		if cmd.ProcessState == nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), cmd.ProcessState.ExitCode()
	}
}

func copyExecutable(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// A read-only file is refused, as Ruff refuses it; a file in a read-only
// folder cannot be replaced atomically and is not fixed; neither counts
// as fixed, and both keep their findings.
func TestFixRefusesWhatItMayNotWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ro := writeFile(t, filepath.Join(dir, "ro.py"), fixable, 0o444)
	inRODir := writeFile(t, filepath.Join(dir, "rodir", "a.py"), fixable, 0o644)
	ok := writeFile(t, filepath.Join(dir, "ok.py"), fixable, 0o644)
	roDir := filepath.Dir(inRODir)
	t.Cleanup(func() { _ = os.Chmod(roDir, 0o755) })
	out, errs, code := runAsUser(t, dir, func() {
		if err := os.Chmod(roDir, 0o555); err != nil {
			t.Fatal(err)
		}
	}, "check", "--fix", "--output-format", "concise", dir)
	if code != exitError {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{
		"tdlint check: not fixed: " + filepath.ToSlash(ro) + ": the file is read-only (mode 0444)",
		"tdlint check: not fixed: " + filepath.ToSlash(inRODir) + ": cannot create a temporary file in " + filepath.Dir(inRODir) + ": permission denied",
		"Fixed 1 finding in 1 file; 2 files not fixed (see above).",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, p := range []string{ro, inRODir} {
		if got := readFile(t, p); got != fixable {
			t.Errorf("%s was changed: %q", p, got)
		}
		if !strings.Contains(out, filepath.ToSlash(p)+":1:8: TD302") {
			t.Errorf("the finding of %s left the report:\n%s", p, out)
		}
	}
	if got := readFile(t, ok); got != fixedText {
		t.Errorf("ok.py: %q", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(inRODir)); len(entries) != 1 {
		t.Errorf("rodir holds %v", entries)
	}
}

// An interrupt while --fix writes a tree leaves every file whole (fixed or
// as it was) and no temporary file, says how many it fixed, and exits
// 128+signal. The child is frozen (SIGSTOP) once it has started writing,
// so the test knows it is caught mid-way before it sends the signal.
func TestFixInterruptedLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	if raceEnabled {
		t.Skip("drives a child process; no concurrency of the test's own")
	}
	size := 300
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for ; ; size *= 2 {
			if size > 20000 {
				t.Fatalf("%v: --fix wrote %d files before the test could stop it", sig, size/2)
			}
			if interruptFix(t, size, sig) {
				break
			}
		}
	}
}

// interruptFix runs --fix on a tree of size files and interrupts it with
// sig while it writes; false when the child had written every file
// before it could be stopped.
func interruptFix(t *testing.T, size int, sig syscall.Signal) bool {
	t.Helper()
	dir := t.TempDir()
	names := make([]string, size)
	for i := range names {
		names[i] = filepath.Join(dir, fmt.Sprintf("cb%05d.py", i))
		writeFile(t, names[i], "import td\n"+fixable, 0o644)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "check", "--fix", "--output-format", "concise", dir)
	cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	fixedCount := func() int {
		n := 0
		for _, p := range names {
			switch got := readFile(t, p); got {
			case "import td\n" + fixedText:
				n++
			case "import td\n" + fixable:
			default:
				t.Errorf("%s is neither as it was nor fixed: %q", p, got)
			}
		}
		return n
	}
	// Files are written in the order they were found: the first changes
	// first.
	for readFile(t, names[0]) != "import td\n"+fixedText {
		select {
		case <-exited:
			return false
		case <-time.After(time.Millisecond):
		}
	}
	if cmd.Process.Signal(syscall.SIGSTOP) != nil {
		<-exited
		return false
	}
	if fixedCount() == size {
		_ = cmd.Process.Signal(syscall.SIGCONT)
		<-exited
		return false
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	<-exited
	if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
		t.Errorf("%v: exit %d (%v), want %d; stderr:\n%s", sig, code, cmd.ProcessState, 128+int(sig), stderr.String())
	}
	n := fixedCount()
	if want := fmt.Sprintf("tdlint check: interrupted (%v): %d file%s fixed before it", sig, n, plural(n)); !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
	if n == size {
		t.Errorf("%v: every file was fixed after the interrupt", sig)
	}
	t.Logf("%v after %d of %d files", sig, n, size)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tdlint-") {
			t.Errorf("%v left %s behind", sig, e.Name())
		}
	}
	if len(entries) != size {
		t.Errorf("%d entries in the tree, want %d", len(entries), size)
	}
	return true
}

// --diff shows exactly the bytes --fix writes: patch applies its output
// to get, byte for byte, what --fix leaves, whatever the newlines, BOM or
// coding of the file.
func TestDiffIsWhatFixWrites(t *testing.T) {
	t.Parallel()
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch(1) here")
	}
	files := map[string]string{
		"crlf.py":    "import td\r\nrun(f, delayMilliseconds=5)\r\nx = 1\r\n",
		"bom.py":     "\xef\xbb\xbfimport td\r\nrun(f, delayMilliseconds=5)\n",
		"latin1.py":  "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nrun(f, delayMilliseconds=5)\n",
		"lone_cr.py": "import td\rrun(f, delayMilliseconds=5)\rx = 1\r",
		"no_eol.py":  "import td\nrun(f, delayMilliseconds=5)",
	}
	diffDir, fixDir := t.TempDir(), t.TempDir()
	for _, dir := range []string{diffDir, fixDir} {
		for name, text := range files {
			writeFile(t, filepath.Join(dir, name), text, 0o644)
		}
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "check", "--diff", ".")
	cmd.Dir = diffDir
	cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
	diff, err := cmd.Output()
	if code := cmd.ProcessState.ExitCode(); code != exitFindings {
		t.Fatalf("--diff: exit %d (%v)", code, err)
	}
	apply := exec.CommandContext(t.Context(), patch, "-p1", "--binary", "-s", "-d", diffDir)
	apply.Stdin = bytes.NewReader(diff)
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s\ndiff:\n%q", err, out, diff)
	}
	if _, errs, code := runCLI(t, "", "check", "--fix", fixDir); code != exitClean {
		t.Fatalf("--fix: exit %d\n%s", code, errs)
	}
	for name, text := range files {
		patched, fixed := readFile(t, filepath.Join(diffDir, name)), readFile(t, filepath.Join(fixDir, name))
		if patched != fixed || fixed == text {
			t.Errorf("%s: --diff gives %q, --fix %q (was %q)", name, patched, fixed, text)
		}
	}
}

// A write that fails half-way (here the file size limit, as a full disk
// would) leaves the file as it was and no temporary file; the file is
// not counted as fixed and keeps its finding.
func TestFixFailedWriteKeepsTheFileAndItsFinding(t *testing.T) {
	t.Parallel()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("no prlimit(1) here")
	}
	dir := t.TempDir()
	bigText := "import td\n" + fixable + strings.Repeat("# padding\n", 100)
	big := writeFile(t, filepath.Join(dir, "big.py"), bigText, 0o644)
	small := writeFile(t, filepath.Join(dir, "small.py"), fixable, 0o644)
	cmd := exec.CommandContext(t.Context(), prlimit, "--fsize=512", os.Args[0], "check", "--fix", "--output-format", "concise", dir)
	cmd.Env = append(os.Environ(), "TDLINT_AS_COMMAND=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if code := cmd.ProcessState.ExitCode(); code != exitError {
		t.Errorf("exit %d (%v), want 2", code, err)
	}
	for _, want := range []string{
		"tdlint check: not fixed: " + filepath.ToSlash(big) + ": cannot write the fixed text: file too large",
		"Fixed 1 finding in 1 file; 1 file not fixed (see above).",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if !strings.Contains(string(out), filepath.ToSlash(big)+":2:8: TD302") {
		t.Errorf("the finding of big.py left the report:\n%s", out)
	}
	if got := readFile(t, big); got != bigText {
		t.Errorf("big.py was changed: %q", got)
	}
	if got := readFile(t, small); got != fixedText {
		t.Errorf("small.py: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %v", entries)
	}
}
