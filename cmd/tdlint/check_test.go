package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

var exampleDir = filepath.Join("..", "..", "testdata", "example")

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The example project's findings are its specification: every planted bug
// is found, the good pattern is left alone.
func TestCheckExampleProject(t *testing.T) {
	t.Parallel()
	out, errs, code := runCLI(t, "", "check", exampleDir, "--output-format", "concise")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFindings, errs)
	}
	re := regexp.MustCompile(`(?m)^.*testdata/example/(\S+):(\d+):\d+: (TD\d+) `)
	var got []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+":"+m[2]+" "+m[3])
	}
	sort.Strings(got)
	want := []string{
		"lib/fetch.py:16 TD101",
		"osc/listener.py:19 TD104",
		"weather/callbacks.py:11 TD201",
		"weather/callbacks.py:17 TD301",
		"weather/callbacks.py:19 TD302",
		"weather/callbacks.py:24 TD201",
		"weather/weather_ext.py:24 TD101",
		"weather/weather_ext.py:30 TD201",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckFullFormatShowsChain(t *testing.T) {
	t.Parallel()
	out, _, _ := runCLI(t, "", "check", exampleDir)
	for _, s := range []string{
		"worker thread starts here: TDTask target runs `WeatherExt.download`",
		"`WeatherExt.download` calls `forecast`",
		"`forecast` calls `remember`",
		"help: Rename to `delayMilliSeconds` (safe fix)",
		"Found 8 findings.",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("full output lacks %q", s)
		}
	}
}

func TestCheckJSONIsRuffShaped(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"json", "json-lines"} {
		out, _, code := runCLI(t, "", "check", exampleDir, "--output-format", format)
		if code != exitFindings {
			t.Fatalf("%s: exit %d", format, code)
		}
		var items []map[string]any
		if format == "json" {
			if err := json.Unmarshal([]byte(out), &items); err != nil {
				t.Fatalf("json: %v", err)
			}
		} else {
			for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("json-lines: %v", err)
				}
				items = append(items, m)
			}
		}
		if len(items) != 8 {
			t.Fatalf("%s: %d items, want 8", format, len(items))
		}
		for _, it := range items {
			for _, key := range []string{"code", "message", "filename", "location", "end_location", "url", "fix", "noqa_row"} {
				if _, ok := it[key]; !ok {
					t.Errorf("%s: item lacks %q: %v", format, key, it)
				}
			}
			loc, _ := it["location"].(map[string]any)
			if loc["row"] == nil || loc["column"] == nil {
				t.Errorf("%s: location is not {row, column}: %v", format, it["location"])
			}
		}
	}
}

func TestCheckSARIFAndJUnitAndGitHub(t *testing.T) {
	t.Parallel()
	out, _, _ := runCLI(t, "", "check", exampleDir, "--output-format", "sarif")
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []any  `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 8 || len(sarif.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("sarif: unexpected shape: %+v", sarif)
	}
	for _, r := range sarif.Runs[0].Tool.Driver.Rules {
		if r.HelpURI == "" {
			t.Errorf("sarif rule %s has no helpUri", r.ID)
		}
	}

	out, _, _ = runCLI(t, "", "check", exampleDir, "--output-format", "junit")
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil || suites.Failures != 8 {
		t.Fatalf("junit: %v, %+v", err, suites)
	}

	out, _, _ = runCLI(t, "", "check", exampleDir, "--output-format", "github")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	ghRE := regexp.MustCompile(`^::(error|warning|notice) title=tdlint \(TD\d+\),file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+::TD\d+ `)
	if len(lines) != 8 {
		t.Fatalf("github: %d lines", len(lines))
	}
	for _, l := range lines {
		if !ghRE.MatchString(l) {
			t.Errorf("github: malformed annotation %q", l)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	clean := "import time\n\ndef f():\n    return 1\n"
	blocking := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	longLived := "tm = op.TDResources.ThreadManager\ndef loop():\n    while True:\n        pass\ntm.EnqueueTask(tm.TDTask(target=loop))\n"
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"clean stdin", clean, []string{"check", "-", "--stdin-filename", "clean.py"}, exitClean},
		{"findings", blocking, []string{"check", "-"}, exitFindings},
		{"exit-zero", blocking, []string{"check", "--exit-zero", "-"}, exitClean},
		{"warning below fail-level error", longLived, []string{"check", "--fail-level", "error", "-"}, exitClean},
		{"warning at fail-level warning", longLived, []string{"check", "--fail-level", "warning", "-"}, exitFindings},
		{"ignore the rule", blocking, []string{"check", "--ignore", "TD201", "-"}, exitClean},
		{"select by name", blocking, []string{"check", "--select", "run-call-result", "-"}, exitClean},
		{"select by prefix", blocking, []string{"check", "--select", "TD2", "-"}, exitFindings},
		{"unknown format", clean, []string{"check", "--output-format", "xml", "-"}, exitError},
		{"unknown rule", clean, []string{"check", "--select", "TD777", "-"}, exitError},
		{"bad fail-level", clean, []string{"check", "--fail-level", "fatal", "-"}, exitError},
		{"bad python", clean, []string{"check", "--python", "2.7", "-"}, exitError},
		{"unreadable path", "", []string{"check", "/no/such/dir/x.py"}, exitError},
		{"syntax error", "def f(:\n", []string{"check", "-"}, exitFindings},
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, c.stdin, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (stderr: %s)", c.name, code, c.code, errs)
		}
	}
	_, errs, _ := runCLI(t, "", "check", "/no/such/dir/x.py")
	if !strings.Contains(errs, "/no/such/dir/x.py") {
		t.Errorf("unreadable path error does not name the path: %q", errs)
	}
	out, _, _ := runCLI(t, "x = (\n", "check", "-", "--stdin-filename", "dat.py", "--output-format", "concise")
	if !strings.HasPrefix(out, "dat.py:1:5: TD001 error: SyntaxError: '(' was never closed") {
		t.Errorf("stdin syntax error: %q", out)
	}
}

func TestRuleDocs(t *testing.T) {
	t.Parallel()
	out, _, code := runCLI(t, "", "rule", "TD101")
	if code != exitClean || !strings.Contains(out, "## Why is this bad") {
		t.Fatalf("rule TD101: exit %d, %q", code, out)
	}
	byName, _, _ := runCLI(t, "", "rule", "td-access-in-worker")
	if byName != out {
		t.Error("rule by name differs from rule by code")
	}
	list, _, _ := runCLI(t, "", "rule", "--all")
	if !strings.Contains(list, "TD302  run-unknown-keyword") {
		t.Errorf("rule --all: %q", list)
	}
	if _, _, code := runCLI(t, "", "rule", "TD000"); code != exitError {
		t.Errorf("unknown rule: exit %d", code)
	}
}

// Diagnostics link to docs/rules.md#CODE: the page must exist, have every
// rule's anchor, and say what the rules say now.
func TestRulesReferenceIsCurrent(t *testing.T) {
	t.Parallel()
	want, _, _ := runCLI(t, "", "rule", "--all", "--output-format", "markdown")
	got, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil || string(got) != want {
		t.Fatalf("docs/rules.md is missing or stale (%v); regenerate it with\n  go run ./cmd/tdlint rule --all --output-format markdown > docs/rules.md", err)
	}
	for _, code := range []string{"TD001", "TD101", "TD302", "TD900", "TD999"} {
		if !strings.Contains(want, `<a id="`+code+`"></a>`) {
			t.Errorf("no anchor for %s", code)
		}
	}
}

// A toeexpand tree: Python DATs are linted from their .text files (behind
// the binary header), with lines as in the file on disk; a GLSL DAT is not.
func TestCheckToeexpandTree(t *testing.T) {
	t.Parallel()
	out, errs, code := runCLI(t, "", "check", filepath.Join("..", "..", "testdata", "toe"), "--output-format", "concise")
	if code != exitFindings {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	re := regexp.MustCompile(`(?m)weather\.toe\.dir/project1/weather/(\S+):(\d+):\d+: (TD\d+) `)
	var got []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+":"+m[2]+" "+m[3])
	}
	want := "WeatherExt.text:14 TD101, fetch.text:7 TD101, parexec1.text:6 TD201, parexec1.text:7 TD302"
	if strings.Join(got, ", ") != want {
		t.Errorf("findings = %v, want %s", got, want)
	}
	if strings.Contains(out, "shader_pixel") {
		t.Error("the GLSL DAT was linted as Python")
	}
}

func TestCheckUsesConfigAndReportsBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "import time\n\ndef onFrameStart(frame):\n    op('x')\n    time.sleep(1)\n"
	mustWrite(t, filepath.Join(dir, "cb.py"), src)
	mustWrite(t, filepath.Join(dir, "pyproject.toml"), "[tool.tdlint]\nignore = [\"blocking-call-on-main-thread\"]\n")
	if _, errs, code := runCLI(t, "", "check", dir); code != exitClean {
		t.Errorf("config ignore not applied: exit %d, %s", code, errs)
	}
	mustWrite(t, filepath.Join(dir, "pyproject.toml"), "[tool.tdlint]\nignroe = [\"TD201\"]\n")
	_, errs, code := runCLI(t, "", "check", dir)
	if code != exitError || !strings.Contains(errs, "ignroe") {
		t.Errorf("unknown key: exit %d, stderr %q", code, errs)
	}
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testdata/network: what a toeexpand network's parameters say about its
// DATs. The Execute DAT synced to scripts/timer_exec.py is linted once, as
// that file (TD201 by the DAT's type, TD002 for the older copy in the
// tree); the extension class its COMP's parameter names and the callbacks
// DAT of a Script CHOP run on the main thread; image (image.n.2) is the
// Execute DAT, not the Movie File In TOP Image.
func TestCheckNetworkParameters(t *testing.T) {
	t.Parallel()
	out, errs, code := runCLI(t, "", "check", filepath.Join("..", "..", "testdata", "network"), "--output-format", "concise")
	if code != exitFindings {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	re := regexp.MustCompile(`(?m)testdata/network/(\S+):(\d+):\d+: (TD\d+) `)
	var got []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+":"+m[2]+" "+m[3])
	}
	want := "scripts/timer_exec.py:5 TD002, scripts/timer_exec.py:5 TD201, show.toe.dir/project1/image.text:6 TD201, " +
		"show.toe.dir/project1/loader/LoaderExt.text:10 TD201, show.toe.dir/project1/script1_callbacks.text:6 TD201"
	if strings.Join(got, ", ") != want {
		t.Errorf("findings = %v, want %s\n%s", got, want, out)
	}
}

// TestCheckIsDeterministic: the same input gives the same report, chains
// included. A handler class's methods were worker starts in map order, so
// the chain of a helper they share changed from run to run.
func TestCheckIsDeterministic(t *testing.T) {
	src := `import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


def record(handler):
    op('log').text = handler.path


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        record(self)

    def do_POST(self):
        record(self)

    def do_PUT(self):
        record(self)

    def do_DELETE(self):
        record(self)

    def do_OPTIONS(self):
        record(self)
`
	first, _, _ := runCLI(t, src, "check", "--output-format", "json", "--exit-zero", "--stdin-filename", "bridge.py", "-")
	if !strings.Contains(first, "TD101") {
		t.Fatalf("no TD101 to compare:\n%s", first)
	}
	for range 20 {
		if out, _, _ := runCLI(t, src, "check", "--output-format", "json", "--exit-zero", "--stdin-filename", "bridge.py", "-"); out != first {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, out)
		}
	}
}
