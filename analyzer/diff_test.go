package analyzer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiffFormat(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	after := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	var out bytes.Buffer
	if err := UnifiedDiff(&out, "x.py", []byte(old), []byte(after)); err != nil {
		t.Fatal(err)
	}
	want := `--- a/x.py
+++ b/x.py
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
\ No newline at end of file
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := UnifiedDiff(&out, "x.py", []byte(old), []byte(old)); err != nil || out.Len() != 0 {
		t.Errorf("no change printed %q", out.String())
	}
}

var hunkRE = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// patch applies a unified diff to old, checking every context line.
func patch(old []byte, diff string) (string, error) {
	a := splitLines(old)
	lines := strings.SplitAfter(diff, "\n")
	var out []string
	at := 0
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		m := hunkRE.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			return "", fmt.Errorf("line %d: not a hunk header: %q", i, lines[i])
		}
		start, _ := strconv.Atoi(m[1])
		if m[2] == "0" {
			start++
		}
		for ; at < start-1; at++ {
			out = append(out, string(a[at]))
		}
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@") {
			i++
			l := lines[i]
			body := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if at >= len(a) || string(a[at]) != body {
					return "", fmt.Errorf("context mismatch at old line %d: %q vs %q", at+1, body, a[min(at, len(a)-1)])
				}
				if l[0] == ' ' {
					out = append(out, body)
				}
				at++
			case '+':
				out = append(out, body)
			}
		}
	}
	for ; at < len(a); at++ {
		out = append(out, string(a[at]))
	}
	return strings.Join(out, ""), nil
}

func TestUnifiedDiffPatchesOldIntoNew(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"a\n", "b\n", "c\n", "d\n", "run(f)\n", "\n"}
	gen := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[rng.IntN(len(words))])
		}
		s := b.String()
		if rng.IntN(4) == 0 {
			s = strings.TrimSuffix(s, "\n")
		}
		return s
	}
	for range 500 {
		old := gen(rng.IntN(30))
		lines := strings.SplitAfter(old, "\n")
		for range rng.IntN(4) {
			i := rng.IntN(len(lines))
			switch rng.IntN(3) {
			case 0:
				lines[i] = words[rng.IntN(len(words))]
			case 1:
				lines = append(lines[:i], lines[i+1:]...)
			default:
				lines = append(lines[:i], append([]string{"new\n"}, lines[i:]...)...)
			}
			if len(lines) == 0 {
				lines = []string{""}
			}
		}
		after := strings.Join(lines, "")
		var out bytes.Buffer
		if err := UnifiedDiff(&out, "f.py", []byte(old), []byte(after)); err != nil {
			t.Fatal(err)
		}
		if old == after {
			if out.Len() != 0 {
				t.Fatalf("diff of equal texts: %q", out.String())
			}
			continue
		}
		got, err := patch([]byte(old), out.String())
		if err != nil || got != after {
			t.Fatalf("old %q after %q\ndiff:\n%s\npatched %q (%v)", old, after, out.String(), got, err)
		}
	}
}
