package pyparse

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The conformance tests compare Dump with CPython's own ast.dump, the
// oracle: on committed golden files everywhere, and on every file of each
// installed CPython 3.11/3.12/3.13 standard library where one is found.

var versions = []Version{Py311, Py312, Py313}

// findPython returns an interpreter for v: pyenv's, else pythonX.Y on PATH.
func findPython(v Version) string {
	if out, err := exec.CommandContext(context.Background(), "pyenv", "versions", "--bare").Output(); err == nil {
		var best string
		for line := range strings.FieldsSeq(string(out)) {
			if strings.HasPrefix(line, v.String()+".") && line > best {
				best = line
			}
		}
		if best != "" {
			if prefix, err := exec.CommandContext(context.Background(), "pyenv", "prefix", best).Output(); err == nil {
				p := filepath.Join(strings.TrimSpace(string(prefix)), "bin", "python"+v.String())
				if _, err := os.Stat(p); err == nil {
					return p
				}
			}
		}
	}
	if p, err := exec.LookPath("python" + v.String()); err == nil {
		return p
	}
	return ""
}

// oracle runs testdata/pyparse/oracle.py over paths and returns each
// path's expected output line.
func oracle(t *testing.T, python string, paths []string) map[string]string {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), python, filepath.Join("..", "testdata", "pyparse", "oracle.py"))
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := make(map[string]string, len(paths))
	r := bufio.NewReaderSize(stdout, 1<<20)
	var path string
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line = strings.TrimSuffix(line, "\n")
		if p, ok := strings.CutPrefix(line, "== "); ok && path == "" {
			path = p
			continue
		}
		want[path] = line
		path = ""
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	return want
}

// dumpOrError is what `tdlint debug ast` prints for one file.
func dumpOrError(path string, src []byte, v Version) string {
	f := ParseFile(path, src, Config{Version: v})
	if len(f.Errors) > 0 {
		e := f.Errors[0]
		return fmt.Sprintf("SyntaxError: %s (%s, line %d)", e.Msg, filepath.Base(path), e.Line)
	}
	return Dump(f, v)
}

// firstDifference shows where two dumps part ways.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(i-120, 0)
	return fmt.Sprintf("\n  ours:    …%s\n  CPython: …%s", got[lo:min(i+120, len(got))], want[lo:min(i+120, len(want))])
}

func TestGoldenDumps(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "pyparse", "golden")
	sources, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil || len(sources) == 0 {
		t.Fatalf("no golden sources in %s", dir)
	}
	for _, src := range sources {
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range versions {
			wantFile := strings.TrimSuffix(src, ".py") + "." + v.String() + ".dump"
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (regenerate with testdata/pyparse/regen-golden)", err)
			}
			got := dumpOrError(filepath.Base(src), text, v)
			if w := strings.TrimSuffix(string(want), "\n"); got != w {
				t.Errorf("%s on %s differs from CPython:%s", filepath.Base(src), v, firstDifference(got, w))
			}
		}
	}
}

func TestStdlibConformance(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the stdlib comparison runs CPython over ~1,800 files per version")
	}
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			python := findPython(v)
			if python == "" {
				t.Skipf("no CPython %s found (pyenv or python%s on PATH): cannot compare its stdlib", v, v)
			}
			out, err := exec.CommandContext(context.Background(), python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").Output()
			if err != nil {
				t.Fatal(err)
			}
			paths := stdlibFiles(t, strings.TrimSpace(string(out)))
			want := oracle(t, python, paths)
			differ := compareAll(t, paths, want, v)
			t.Logf("CPython %s stdlib: %d files, %d identical, %d differ", v, len(paths), len(paths)-len(differ), len(differ))
			for i, d := range differ {
				if i == 20 {
					t.Errorf("... and %d more", len(differ)-20)
					break
				}
				t.Error(d)
			}
		})
	}
}

func stdlibFiles(t *testing.T, root string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "site-packages" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".py") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	return paths
}

// compareAll parses every file on all cores and returns a description of
// each disagreement with the oracle.
func compareAll(t *testing.T, paths []string, want map[string]string, v Version) []string {
	t.Helper()
	var mu sync.Mutex
	var differ []string
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range work {
				src, err := os.ReadFile(p)
				if err != nil {
					mu.Lock()
					differ = append(differ, err.Error())
					mu.Unlock()
					continue
				}
				w, ok := want[p]
				got := dumpOrError(p, src, v)
				if !ok || got != w {
					mu.Lock()
					differ = append(differ, p+firstDifference(got, w))
					mu.Unlock()
				}
			}
		})
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	sort.Strings(differ)
	return differ
}
