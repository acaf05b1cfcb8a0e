package lsp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// callbacks is a callbacks DAT's text: it uses TD, so onFrameStart is a
// main-thread callback, and its sleep is TD201 at 4:4.
const callbacks = `import time
out = op('out')


def onFrameStart(frame):
    time.sleep(0.005)
`

func TestInitializeShutdownExit(t *testing.T) {
	t.Parallel()
	c := startServer(t, Options{Version: "test"})
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != codeServerNotInitialized {
		t.Errorf("a request before initialize: %+v", m.Error)
	}
	res := c.initialize(t.TempDir(), map[string]any{}, nil)
	caps := res.Capabilities
	if caps.PositionEncoding != encodingUTF16 || caps.TextDocumentSync.Change != 2 || !caps.TextDocumentSync.OpenClose ||
		!caps.HoverProvider || !caps.DiagnosticProvider.InterFileDependencies || res.ServerInfo.Name != "tdlint" {
		t.Errorf("capabilities: %+v", res)
	}
	if m := c.call("initialize", map[string]any{"capabilities": map[string]any{}}); m.Error == nil {
		t.Error("a second initialize was accepted")
	}
	if m := c.call("workspace/symbol", map[string]any{"query": "x"}); m.Error == nil || m.Error.Code != -32601 {
		t.Errorf("an unknown method: %+v", m.Error)
	}
	if m := c.call("shutdown", nil); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("shutdown: %+v %s", m.Error, m.Result)
	}
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != -32600 {
		t.Errorf("a request after shutdown: %+v", m.Error)
	}
	c.notify("exit", nil)
	select {
	case code := <-c.exit:
		if code != 0 {
			t.Errorf("exit after shutdown: status %d, want 0", code)
		}
		c.exit <- code
	case <-time.After(wait):
		t.Fatal("the server did not exit")
	}
}

func TestExitWithoutShutdownIsStatus1(t *testing.T) {
	t.Parallel()
	c := startServer(t, Options{})
	c.initialize(t.TempDir(), map[string]any{}, nil)
	c.notify("exit", nil)
	code := <-c.exit
	c.exit <- code
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
}

func TestPositionEncodingIsNegotiated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		offered []string
		want    string
		char    int // where time.sleep starts after the emoji
	}{
		{nil, encodingUTF16, 14},
		{[]string{"utf-32", "utf-16"}, encodingUTF32, 13},
		{[]string{"utf-8"}, encodingUTF8, 16},
	} {
		dir := t.TempDir()
		c := startServer(t, Options{})
		caps := map[string]any{}
		if tc.offered != nil {
			caps["general"] = map[string]any{"positionEncodings": tc.offered}
		}
		if got := c.initialize(dir, caps, nil).Capabilities.PositionEncoding; got != tc.want {
			t.Errorf("offered %v: chose %s, want %s", tc.offered, got, tc.want)
		}
		// Four spaces and "x = '😀'; " are 13 characters, 14 UTF-16 units, 16 bytes.
		text := "import time\nout = op('out')\n\ndef onFrameStart(frame):\n    x = '\U0001F600'; time.sleep(1)\n"
		seen := 0
		uri := c.open(filepath.Join(dir, "cb.py"), text)
		got := c.nextDiagnostics(uri, &seen)
		if len(got.Diagnostics) != 1 || got.Diagnostics[0].Range.Start != (position{Line: 4, Character: tc.char}) {
			t.Errorf("%s: %+v", tc.want, got.Diagnostics)
		}
	}
}

// tasksPy enqueues helpers.work as a TDTask.
const tasksPy = "import helpers\n\ntm = op.TDResources.ThreadManager\n\n\ndef start():\n    tm.EnqueueTask(tm.TDTask(target=helpers.work))\n"

func TestDiagnosticsArePushedWithTheirDetails(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"tasks.py":   tasksPy,
		"helpers.py": "def work():\n    return op('settings').par.Rate.eval()\n",
	})
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	seen := 0
	uri := c.open(filepath.Join(dir, "helpers.py"), "def work():\n    return op('settings').par.Rate.eval()\n")
	got := c.nextDiagnostics(uri, &seen)
	if got.Version == nil || *got.Version != 1 || len(got.Diagnostics) != 1 {
		t.Fatalf("publication: %+v", got)
	}
	d := got.Diagnostics[0]
	if d.Code != "TD101" || d.Source != "tdlint" || d.Severity != severityError ||
		d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.Href, "#TD101") ||
		d.Range != (lspRange{Start: position{1, 11}, End: position{1, 13}}) {
		t.Errorf("diagnostic: %+v", d)
	}
	// The chain starts at the enqueue site, in the other (closed) file.
	if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != pathToURI(filepath.Join(dir, "tasks.py")) ||
		d.RelatedInformation[0].Location.Range.Start.Line != 6 || !strings.Contains(d.RelatedInformation[0].Message, "worker thread starts here") {
		t.Errorf("related information: %+v", d.RelatedInformation)
	}
}

func TestIncrementalChangesAndCrossFileUpdates(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"tasks.py":   tasksPy,
		"helpers.py": "def work():\n    return 1\n",
	})
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	seen := 0
	tasks := c.open(filepath.Join(dir, "tasks.py"), tasksPy)
	helpers := c.open(filepath.Join(dir, "helpers.py"), "def work():\n    return 1\n")
	if got := c.nextDiagnostics(tasks, &seen); len(got.Diagnostics) != 0 {
		t.Fatalf("tasks.py starts with %s", codes(got.Diagnostics))
	}
	// helpers.work now never returns: tasks.py's enqueue holds a pool
	// worker forever, though tasks.py did not change.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": helpers, "version": 2},
		"contentChanges": []map[string]any{{
			"range": lspRange{Start: position{1, 4}, End: position{1, 12}},
			"text":  "while True:\n        pass",
		}},
	})
	got := c.nextDiagnostics(tasks, &seen)
	if codes(got.Diagnostics) != "6:4 TD104" {
		t.Errorf("tasks.py after editing helpers.py: %s", codes(got.Diagnostics))
	}
	// Undo in two edits, one of them a whole-text replacement.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": helpers, "version": 3},
		"contentChanges": []map[string]any{
			{"range": lspRange{Start: position{1, 0}, End: position{2, 12}}, "text": "    pass"},
			{"text": "def work():\n    return 2\n"},
		},
	})
	if got := c.nextDiagnostics(tasks, &seen); len(got.Diagnostics) != 0 {
		t.Errorf("tasks.py after the undo: %s", codes(got.Diagnostics))
	}
	// Closing clears the file's findings.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": tasks}})
	if got := c.nextDiagnostics(tasks, &seen); got.Diagnostics == nil || len(got.Diagnostics) != 0 {
		t.Errorf("after close: %+v", got)
	}
}

func TestCodeActionsFixAndNoqa(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	text := "import time\nout = op('out')\n\ndef onPulse(par):\n    run(reset, delayMilliseconds=500)  # reset later\n    time.sleep(1)\n\n\ndef reset():\n    pass\n"
	seen := 0
	uri := c.open(filepath.Join(dir, "cb.py"), text)
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "4:15 TD302, 5:4 TD201" {
		t.Fatalf("diagnostics: %s", codes(got.Diagnostics))
	}
	actions := func(line int, only []string) []codeAction {
		t.Helper()
		ctx := map[string]any{"diagnostics": []any{}}
		if only != nil {
			ctx["only"] = only
		}
		m := c.call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": uri},
			"range":        lspRange{Start: position{line, 0}, End: position{line, 0}},
			"context":      ctx,
		})
		var out []codeAction
		if m.Error != nil || json.Unmarshal(m.Result, &out) != nil {
			t.Fatalf("codeAction: %+v %s", m.Error, m.Result)
		}
		return out
	}
	byTitle := func(as []codeAction) map[string]codeAction {
		out := make(map[string]codeAction)
		for _, a := range as {
			out[a.Title] = a
		}
		return out
	}
	line4 := byTitle(actions(4, nil))
	fix, ok := line4["Rename to `delayMilliSeconds` (TD302)"]
	if !ok || !fix.IsPreferred || fix.Kind != kindQuickFix {
		t.Fatalf("line 4 actions: %+v", line4)
	}
	if e := fix.Edit.Changes[uri]; len(e) != 1 || e[0].NewText != "delayMilliSeconds" || e[0].Range != (lspRange{position{4, 15}, position{4, 32}}) {
		t.Errorf("fix edit: %+v", e)
	}
	// The line has a comment already: the noqa goes after it.
	if e := line4["Ignore TD302 on this line"].Edit.Changes[uri]; len(e) != 1 || e[0].NewText != "  # noqa: TD302" || e[0].Range.Start != (position{4, 52}) {
		t.Errorf("noqa edit on line 4: %+v", line4["Ignore TD302 on this line"])
	}
	if fixAll := byTitle(actions(0, []string{"source.fixAll"}))["Fix all tdlint findings with safe fixes"]; fixAll.Kind != kindFixAll || len(fixAll.Edit.Changes[uri]) != 1 {
		t.Errorf("fix-all: %+v", fixAll)
	}
	if as := actions(4, []string{"source"}); len(as) != 1 {
		t.Errorf("only source actions: %+v", as)
	}
	// Apply "ignore" on line 5 as the editor would: the finding goes.
	noqa := byTitle(actions(5, nil))["Ignore TD201 on this line"]
	e := noqa.Edit.Changes[uri]
	if len(e) != 1 {
		t.Fatalf("noqa action on line 5: %+v", noqa)
	}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"range": e[0].Range, "text": e[0].NewText}},
	})
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "4:15 TD302" || *got.Version != 2 {
		t.Errorf("after the noqa: %s", codes(got.Diagnostics))
	}
	// A second code joins the existing noqa list.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"range": lspRange{position{5, 4}, position{5, 4}}, "text": "run(reset, delayframes=1); "}},
	})
	c.nextDiagnostics(uri, &seen)
	if e := byTitle(actions(5, nil))["Ignore TD302 on this line"].Edit.Changes[uri]; len(e) != 1 || e[0].NewText != ", TD302" {
		t.Errorf("adding to a noqa list: %+v", e)
	}
}

func TestHoverOnANoqaCodeShowsTheRule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	uri := c.open(filepath.Join(dir, "cb.py"), "import time\ntime.sleep(1)  # noqa: TD201, td-access-in-worker\nx = op('x')\n")
	hoverAt := func(line, char int) message {
		return c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": position{line, char}})
	}
	var h hover
	if m := hoverAt(1, 25); m.Error != nil || json.Unmarshal(m.Result, &h) != nil ||
		!strings.Contains(h.Contents.Value, "# blocking-call-on-main-thread (TD201)") || h.Contents.Kind != "markdown" ||
		h.Range == nil || *h.Range != (lspRange{position{1, 23}, position{1, 28}}) {
		t.Errorf("hover on TD201: %s", hoverAt(1, 25).Result)
	}
	if m := hoverAt(1, 35); json.Unmarshal(m.Result, &h) != nil || !strings.Contains(h.Contents.Value, "(TD101)") {
		t.Errorf("hover on a rule name: %s", m.Result)
	}
	if m := hoverAt(2, 1); string(m.Result) != "null" {
		t.Errorf("hover elsewhere: %s", m.Result)
	}
}

func TestPullDiagnostics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}, nil)
	uri := c.open(filepath.Join(dir, "cb.py"), callbacks)
	pull := func(previous string) documentDiagnosticReport {
		m := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": uri}, "previousResultId": previous})
		var r documentDiagnosticReport
		if m.Error != nil || json.Unmarshal(m.Result, &r) != nil {
			t.Fatalf("pull: %+v %s", m.Error, m.Result)
		}
		return r
	}
	r := pull("")
	if r.Kind != "full" || codes(r.Items) != "5:4 TD201" || r.ResultID == "" {
		t.Errorf("first pull: %+v", r)
	}
	if again := pull(r.ResultID); again.Kind != "unchanged" || again.ResultID != r.ResultID {
		t.Errorf("pull with the same result id: %+v", again)
	}
	if n := len(c.notesNamed("textDocument/publishDiagnostics")); n != 0 {
		t.Errorf("a pull client got %d pushes", n)
	}
}

func TestConfigurationReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}, nil)
	seen := 0
	uri := c.open(filepath.Join(dir, "cb.py"), callbacks)
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "5:4 TD201" {
		t.Fatalf("before: %s", codes(got.Diagnostics))
	}
	c.waitFor("the file watcher registration", func() bool {
		for _, n := range c.notes {
			if n.Method == "client/registerCapability" && strings.Contains(string(n.Params), "**/tdlint.toml") {
				return true
			}
		}
		return false
	})
	cfg := filepath.Join(dir, "tdlint.toml")
	if err := os.WriteFile(cfg, []byte("ignore = [\"TD201\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := map[string]any{"changes": []map[string]any{{"uri": pathToURI(cfg), "type": 1}}}
	c.notify("workspace/didChangeWatchedFiles", changed)
	if got := c.nextDiagnostics(uri, &seen); len(got.Diagnostics) != 0 {
		t.Errorf("after ignoring TD201: %s", codes(got.Diagnostics))
	}
	// A broken configuration is shown to the user.
	if err := os.WriteFile(cfg, []byte("ignroe = [\"TD201\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", changed)
	c.waitFor("the configuration error", func() bool {
		for _, n := range c.notes {
			if n.Method == "window/showMessage" && strings.Contains(string(n.Params), "ignroe") {
				return true
			}
		}
		return false
	})
}

func TestMalformedMessagesAreAnsweredAndSurvived(t *testing.T) {
	t.Parallel()
	c := startServer(t, Options{})
	c.initialize(t.TempDir(), map[string]any{}, nil)
	c.sendRaw(`{"jsonrpc":"2.0","id":100,"method":`) // cut short
	c.sendRaw(`[1, 2, 3]`)                           // JSON, not JSON-RPC
	c.sendRaw(`{"jsonrpc":"2.0","id":101,"method":"textDocument/hover","params":{"position":"nowhere"}}`)
	c.sendRaw(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":42}`)
	if _, err := c.in.Write([]byte("this is not a header\r\nContent-Type: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	c.waitFor("two error replies without an id", func() bool {
		r, ok := c.replies["null"]
		return ok && r.Error != nil && (r.Error.Code == -32700 || r.Error.Code == -32600)
	})
	if m := c.reply("101"); m.Error == nil || m.Error.Code != -32602 {
		t.Errorf("invalid params: %+v", m.Error)
	}
	// The session goes on.
	if m := c.call("shutdown", nil); m.Error != nil {
		t.Errorf("shutdown after the garbage: %+v", m.Error)
	}
}

func TestAVanishedClientEndsTheSession(t *testing.T) {
	t.Parallel()
	c := startServer(t, Options{})
	c.initialize(t.TempDir(), map[string]any{}, nil)
	_ = c.in.Close()
	select {
	case code := <-c.exit:
		c.exit <- code
		if code != 1 {
			t.Errorf("status %d, want 1 (no shutdown)", code)
		}
	case <-time.After(wait):
		t.Fatal("the server outlived its client")
	}
}

func TestTheClientProcessGoneEndsTheSession(t *testing.T) {
	t.Parallel()
	gone := exec.CommandContext(t.Context(), "true")
	if err := gone.Run(); err != nil {
		t.Skip("no `true` to start:", err)
	}
	c := startServer(t, Options{ParentPollInterval: 10 * time.Millisecond})
	c.call("initialize", map[string]any{"processId": gone.Process.Pid, "rootUri": pathToURI(t.TempDir()), "capabilities": map[string]any{}})
	select {
	case code := <-c.exit:
		c.exit <- code
	case <-time.After(wait):
		t.Fatal("the server outlived its client's process")
	}
}

func TestDebounceOption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startServer(t, Options{})
	// A fractional number is a debounce like any other; findings still come.
	c.initialize(dir, map[string]any{}, map[string]any{"debounceMilliseconds": 12.5})
	seen := 0
	uri := c.open(filepath.Join(dir, "cb.py"), callbacks)
	if got := c.nextDiagnostics(uri, &seen); codes(got.Diagnostics) != "5:4 TD201" {
		t.Errorf("with a debounce: %s", codes(got.Diagnostics))
	}
	bad := startServer(t, Options{})
	m := bad.call("initialize", map[string]any{"rootUri": pathToURI(dir), "capabilities": map[string]any{}, "initializationOptions": map[string]any{"debounceMilliseconds": "soon"}})
	if m.Error == nil || m.Error.Code != -32602 {
		t.Errorf("a debounce that is not a number: %+v", m.Error)
	}
}

// A workspace holding a binary .toe says once, as information, that its
// Python cannot be read.
func TestBinaryProjectIsExplained(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"show.toe": "10\x00\x00\x00\x03\x00\x1e\x8a\x30abc",
		"cb.py":    "x = 1\n",
	})
	c := startServer(t, Options{})
	c.initialize(dir, map[string]any{}, nil)
	c.waitFor("the note on show.toe", func() bool {
		for _, n := range c.notes {
			if n.Method == "window/showMessage" && strings.Contains(string(n.Params), "show.toe") && strings.Contains(string(n.Params), `"type":3`) {
				return true
			}
		}
		return false
	})
}
