package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tdlint/tdlint/rules"
)

var repoRoot = filepath.Join("..", "..")

// The documentation a clone carries links only to what the clone has or
// to public pages: no ../shared/... of the workspace tdlint grew up in,
// no relative link to a missing file, and a rule's "blob/main/PATH" link
// names a file of this repository.
func TestDocsLinkOnlyToWhatExists(t *testing.T) {
	t.Parallel()
	docs := map[string]string{} // name → text
	for _, pattern := range []string{"README.md", "docs/*.md", "editors/vscode/README.md"} {
		paths, _ := filepath.Glob(filepath.Join(repoRoot, pattern))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			docs[p] = string(b)
		}
	}
	for _, a := range rules.All() {
		docs[filepath.Join(repoRoot, "rules", a.Code+".md")] = a.Doc
	}
	if len(docs) < 5 {
		t.Fatalf("found only %d documents", len(docs))
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	blob := regexp.MustCompile(`^https://github\.com/tdlint/tdlint/blob/main/([^#]+)`)
	for name, text := range docs {
		if strings.Contains(text, "shared/spec") || strings.Contains(text, "../shared") {
			t.Errorf("%s refers to shared/..., which a clone does not have", name)
		}
		for _, m := range link.FindAllStringSubmatch(text, -1) {
			target := m[1]
			var path string
			switch {
			case blob.MatchString(target):
				path = filepath.Join(repoRoot, blob.FindStringSubmatch(target)[1])
			case strings.Contains(target, "://"), strings.HasPrefix(target, "#"), strings.HasPrefix(target, "mailto:"):
				continue
			default:
				path = filepath.Join(filepath.Dir(name), strings.SplitN(target, "#", 2)[0])
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links to %s, which does not exist", name, target)
			}
		}
	}
}

// A code or name is the same rule in any case: on the command line, in
// the selection and in a noqa comment.
func TestRuleCodesAreCaseInsensitive(t *testing.T) {
	t.Parallel()
	want, _, _ := runCLI(t, "", "rule", "TD101")
	for _, spelling := range []string{"td101", "Td101", "TD-ACCESS-IN-WORKER", " td101 "} {
		if out, errs, code := runCLI(t, "", "rule", spelling); code != exitClean || out != want {
			t.Errorf("rule %q: exit %d, %s", spelling, code, errs)
		}
	}
	blocking := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	for _, args := range [][]string{
		{"--ignore", "td201"}, {"--ignore", "Blocking-Call-On-Main-Thread"}, {"--select", "td3"}, {"--select", "RUN-CALL-RESULT"},
	} {
		if _, errs, code := runCLI(t, blocking, append([]string{"check", "-"}, args...)...); code != exitClean {
			t.Errorf("%v: exit %d, want the finding gone (stderr %s)", args, code, errs)
		}
	}
	if _, _, code := runCLI(t, blocking, "check", "-", "--select", "td2"); code != exitFindings {
		t.Errorf("--select td2: exit %d, want the finding", code)
	}
	noqa := strings.Replace(blocking, "time.sleep(1)", "time.sleep(1)  # noqa: td201", 1)
	if out, _, code := runCLI(t, noqa, "check", "-", "--output-format", "concise"); code != exitClean {
		t.Errorf("# noqa: td201: exit %d, %s", code, out)
	}
}
