package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tdlint/tdlint/rules"
)

// testClient is the editor's side of a session, speaking raw JSON-RPC so
// that tests can also send what a well-behaved client would not.
type testClient struct {
	t    *testing.T
	in   *io.PipeWriter // the server's stdin
	out  *io.PipeReader // the server's stdout
	exit chan int

	mu       sync.Mutex
	cond     *sync.Cond
	nextID   int
	replies  map[string]message // by id
	notes    []message          // notifications and requests from the server
	readDone bool
}

type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// wait bounds every wait of a test: a server that never answers fails the
// test instead of hanging it. It is not a measurement.
const wait = 20 * time.Second

func startServer(t *testing.T, opts Options) *testClient {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &testClient{t: t, in: inW, out: outR, exit: make(chan int, 1), replies: make(map[string]message)}
	c.cond = sync.NewCond(&c.mu)
	if opts.Rules == nil {
		opts.Rules, opts.Lookup = rules.All(), rules.Lookup
	}
	if opts.Log == nil {
		opts.Log = testLog{t}
	}
	go func() {
		code := Serve(context.Background(), inR, outW, opts)
		_ = outW.Close()
		_ = inR.Close()
		c.exit <- code
	}()
	go c.readLoop()
	t.Cleanup(func() {
		_ = inW.Close()
		select {
		case <-c.exit:
		case <-time.After(wait):
			t.Error("the server did not stop when its input closed")
		}
	})
	return c
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (c *testClient) readLoop() {
	r := bufio.NewReader(c.out)
	defer func() {
		c.mu.Lock()
		c.readDone = true
		c.cond.Broadcast()
		c.mu.Unlock()
	}()
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent invalid JSON: %s", body)
			return
		}
		c.mu.Lock()
		if m.Method == "" {
			c.replies[string(m.ID)] = m
		} else {
			c.notes = append(c.notes, m)
			if len(m.ID) > 0 {
				// A request from the server (registerCapability, refresh):
				// answer it as an editor would.
				go c.sendRaw(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, m.ID))
			}
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

func (c *testClient) sendRaw(body string) {
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Logf("send: %v", err)
	}
}

func (c *testClient) send(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(string(data))
}

func (c *testClient) notify(method string, params any) {
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and waits for its reply.
func (c *testClient) call(method string, params any) message {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := strconv.Itoa(c.nextID)
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params})
	return c.reply(id)
}

func (c *testClient) reply(id string) message {
	c.t.Helper()
	var m message
	c.waitFor("the reply to request "+id, func() bool {
		var ok bool
		m, ok = c.replies[id]
		return ok
	})
	return m
}

// waitFor waits until cond (called with c.mu held) holds.
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(wait)
	timer := time.AfterFunc(wait, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !cond() {
		if c.readDone || time.Now().After(deadline) {
			c.t.Fatalf("gave up waiting for %s", what)
		}
		c.cond.Wait()
	}
}

// diagnostics waits for the next publication for uri after the first seen
// ones, and returns it.
func (c *testClient) nextDiagnostics(uri string, after *int) publishDiagnosticsParams {
	c.t.Helper()
	var got publishDiagnosticsParams
	c.waitFor("diagnostics for "+uri, func() bool {
		for i := *after; i < len(c.notes); i++ {
			if c.notes[i].Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p publishDiagnosticsParams
			if json.Unmarshal(c.notes[i].Params, &p) == nil && p.URI == uri {
				got, *after = p, i+1
				return true
			}
		}
		return false
	})
	return got
}

func (c *testClient) notesNamed(method string) []message {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []message
	for _, n := range c.notes {
		if n.Method == method {
			out = append(out, n)
		}
	}
	return out
}

func (c *testClient) initialize(root string, caps, initOpts map[string]any) initializeResult {
	c.t.Helper()
	params := map[string]any{"processId": nil, "rootUri": pathToURI(root), "capabilities": caps}
	if initOpts != nil {
		params["initializationOptions"] = initOpts
	}
	m := c.call("initialize", params)
	if m.Error != nil {
		c.t.Fatalf("initialize: %s", m.Error.Message)
	}
	var res initializeResult
	if err := json.Unmarshal(m.Result, &res); err != nil {
		c.t.Fatal(err)
	}
	c.notify("initialized", map[string]any{})
	return res
}

func (c *testClient) open(path, text string) string {
	uri := pathToURI(path)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "python", "version": 1, "text": text,
	}})
	return uri
}

// writeFiles lays out a workspace.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func codes(ds []diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d:%d %s", d.Range.Start.Line, d.Range.Start.Character, d.Code))
	}
	return strings.Join(out, ", ")
}
