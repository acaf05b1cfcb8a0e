package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tdlint/tdlint/analyzer"
)

// changedLines is what git says changed since a revision: for each file
// (absolute path), the new-side lines of its hunks; a file git does not
// track yet is new as a whole.
type changedLines struct {
	lines    map[string]map[int]bool
	newFiles map[string]bool
}

// gitChanges asks git, in the repository holding dir, what differs
// between rev and the working tree, as golangci-lint's --new-from-rev does.
func gitChanges(ctx context.Context, dir, rev string) (*changedLines, error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...) //nolint:gosec // the user names the revision; git gets it as one argument after the options
		var errb bytes.Buffer
		cmd.Stderr = &errb
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(errb.String()))
		}
		return out, nil
	}
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := strings.TrimSpace(string(top))
	if _, err := git("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--new-from-rev: %q is not a revision of %s", rev, root)
	}
	diff, err := git("diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", "--end-of-options", rev, "--")
	if err != nil {
		return nil, err
	}
	untracked, err := git("ls-files", "--others", "--exclude-standard", "--full-name", "-z")
	if err != nil {
		return nil, err
	}
	c := &changedLines{lines: make(map[string]map[int]bool), newFiles: make(map[string]bool)}
	for name := range strings.SplitSeq(string(untracked), "\x00") {
		if name != "" {
			c.newFiles[filepath.Join(root, filepath.FromSlash(name))] = true
		}
	}
	var file string
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			file = ""
			if name, ok := strings.CutPrefix(line, "+++ b/"); ok {
				file = filepath.Join(root, filepath.FromSlash(name))
			}
		case strings.HasPrefix(line, "@@ ") && file != "":
			start, count, ok := newSide(line)
			if !ok {
				return nil, fmt.Errorf("git diff: cannot read hunk header %q", line)
			}
			if c.lines[file] == nil {
				c.lines[file] = make(map[int]bool)
			}
			for l := start; l < start+count; l++ {
				c.lines[file][l] = true
			}
		}
	}
	return c, sc.Err()
}

// newSide reads "+c,d" of a hunk header "@@ -a,b +c,d @@".
func newSide(header string) (start, count int, ok bool) {
	fields := strings.Fields(header)
	if len(fields) < 3 || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, false
	}
	s, n, found := strings.Cut(fields[2][1:], ",")
	start, err := strconv.Atoi(s)
	if err != nil {
		return 0, 0, false
	}
	count = 1
	if found {
		if count, err = strconv.Atoi(n); err != nil {
			return 0, 0, false
		}
	}
	return start, count, true
}

// filter keeps the findings on changed lines or in new files; stdin and
// syntax and internal errors are always kept.
func (c *changedLines) filter(ds []analyzer.Diagnostic) (kept []analyzer.Diagnostic, hidden int) {
	for _, d := range ds {
		f := d.Range.File
		if !baselined(&d) || f.DiskPath == "" {
			kept = append(kept, d)
			continue
		}
		abs, err := filepath.Abs(f.DiskPath)
		if err == nil {
			if resolved, err := filepath.EvalSymlinks(abs); err == nil {
				abs = resolved
			}
		}
		if c.newFiles[abs] || c.lines[abs][analyzer.Location(f, d.Range.Start).Line] {
			kept = append(kept, d)
		} else {
			hidden++
		}
	}
	return kept, hidden
}
