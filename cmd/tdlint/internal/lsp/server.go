// Package lsp is tdlint's language server: the findings of `tdlint check`
// live in the editor, over JSON-RPC on stdio.
//
// JSON-RPC is github.com/sourcegraph/jsonrpc2 (small, no dependencies of
// its own, request/response bookkeeping for the server's calls to the
// client); the LSP types are our own subset, as Regal does, since the Go
// LSP type packages lag the 3.17 specification (pull diagnostics, position
// encodings). Framing is our own stream, which survives malformed messages.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/tdlint/tdlint/analyzer"
)

// Options configure a server.
type Options struct {
	Version string
	// Log receives the server's log (stderr; never stdout, the protocol's).
	Log io.Writer
	// Rules are the analyzers to run; Lookup finds one (or the driver's
	// own) by code or name, for hovers.
	Rules  []*analyzer.Analyzer
	Lookup func(string) *analyzer.Analyzer
	// ParentPollInterval is how often the client's process is checked
	// when initialize names it (default 2 s); the server exits when it
	// is gone.
	ParentPollInterval time.Duration
	// Limits bound what the workspace index holds (default
	// analyzer.DefaultIndexLimits).
	Limits analyzer.IndexLimits

	// beforeIndex, in tests, runs as an index starts.
	beforeIndex func()
}

type serverState int

const (
	stateNew serverState = iota
	stateRunning
	stateShutdown
)

// server is one session with one client.
type server struct {
	opts Options
	log  *log.Logger
	conn *jsonrpc2.Conn

	mu       sync.Mutex
	state    serverState
	exited   bool
	enc      string
	ws       *analyzer.Workspace
	docs     map[string]*document // by path
	pull     bool                 // the client pulls diagnostics: do not push
	refresh  bool                 // it takes workspace/diagnostic/refresh
	watch    bool                 // it takes dynamic file watchers
	debounce time.Duration
	progress bool // it shows $/progress
	// cancelIndex stops the index in progress (a newer one replaces it);
	// indexGen numbers them, for their progress tokens.
	cancelIndex context.CancelFunc
	indexGen    int
	indexed     chan struct{} // closed when the first index is complete
	indexOnce   sync.Once
	// binariesOnce tells of the workspace's binary .toe/.tox once a session.
	binariesOnce sync.Once
	tooLarge     map[string]bool // open documents over the size limit, told once

	wake chan struct{} // a lint is due (capacity 1: wakes coalesce)
	done chan struct{} // closed when the session ends
}

// Serve runs a session on in and out until the client exits or goes away,
// and returns the process's exit status: 0 after shutdown and exit, 1 if
// the client left without shutting the server down.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) int {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.ParentPollInterval == 0 {
		opts.ParentPollInterval = 2 * time.Second
	}
	s := &server{
		opts: opts, log: log.New(opts.Log, "tdlint server: ", log.LstdFlags|log.Lmsgprefix),
		docs: make(map[string]*document), enc: encodingUTF16,
		wake: make(chan struct{}, 1), done: make(chan struct{}), indexed: make(chan struct{}),
		tooLarge: make(map[string]bool),
	}
	if opts.Limits == (analyzer.IndexLimits{}) {
		s.opts.Limits = analyzer.DefaultIndexLimits
	}
	closer, _ := in.(io.Closer)
	st := newStream(in, out, closer, s.log.Printf)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.conn = jsonrpc2.NewConn(ctx, st, s, jsonrpc2.SetLogger(s.log))
	close(st.ready)
	var lintDone sync.WaitGroup
	lintDone.Go(func() { s.lintLoop(ctx) })
	select {
	case <-s.conn.DisconnectNotify():
	case <-ctx.Done():
		_ = s.conn.Close()
	}
	close(s.done)
	cancel()
	lintDone.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateShutdown {
		return 0
	}
	if !s.exited {
		s.log.Print("the client went away without shutting the server down")
	}
	return 1
}

// errAsync means the handler replies later, from another goroutine.
var errAsync = errors.New("replied asynchronously")

// null is the result of a request that has none (shutdown).
var null = json.RawMessage("null")

// Handle serves one message. Messages are handled in order, one at a time
// (a change must be applied before the next); slow answers reply from
// their own goroutine. A panic is an internal error for that request, not
// the end of the session.
func (s *server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("internal error handling %s: %v\n%s", req.Method, r, debug.Stack())
			if !req.Notif {
				_ = conn.ReplyWithError(ctx, req.ID, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprint("internal error: ", r)})
			}
		}
	}()
	if req.Notif {
		if err := s.notification(ctx, req); err != nil {
			s.log.Printf("%s: %v", req.Method, err)
		}
		return
	}
	result, err := s.request(ctx, req)
	switch {
	case errors.Is(err, errAsync):
	case err != nil:
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) {
			rpcErr = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
		}
		_ = conn.ReplyWithError(ctx, req.ID, rpcErr)
	default:
		_ = conn.Reply(ctx, req.ID, result)
	}
}

func rpcErrorf(code int64, format string, args ...any) error {
	return &jsonrpc2.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// codeServerNotInitialized is LSP's error for a request before initialize.
const codeServerNotInitialized = -32002

func (s *server) currentState() serverState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *server) request(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	switch state := s.currentState(); {
	case req.Method == "initialize":
		if state != stateNew {
			return nil, rpcErrorf(jsonrpc2.CodeInvalidRequest, "initialize was already called")
		}
		return s.initialize(req)
	case state == stateNew:
		return nil, rpcErrorf(codeServerNotInitialized, "the server is not initialized")
	case state == stateShutdown:
		return nil, rpcErrorf(jsonrpc2.CodeInvalidRequest, "the server is shut down")
	}
	switch req.Method {
	case "shutdown":
		s.mu.Lock()
		s.state = stateShutdown
		s.mu.Unlock()
		return null, nil
	case "textDocument/diagnostic":
		var p documentDiagnosticParams
		if err := params(req, &p); err != nil {
			return nil, err
		}
		go s.pullDiagnostics(ctx, req.ID, &p)
		return nil, errAsync
	case "textDocument/codeAction":
		var p codeActionParams
		if err := params(req, &p); err != nil {
			return nil, err
		}
		return s.codeActions(&p), nil
	case "textDocument/hover":
		var p hoverParams
		if err := params(req, &p); err != nil {
			return nil, err
		}
		if h := s.hover(&p); h != nil {
			return h, nil
		}
		return null, nil
	}
	return nil, rpcErrorf(jsonrpc2.CodeMethodNotFound, "method not supported: %s", req.Method)
}

// notification handles a notification; what goes wrong is only logged,
// since a notification has no answer.
func (s *server) notification(ctx context.Context, req *jsonrpc2.Request) error {
	if req.Method == "exit" {
		s.mu.Lock()
		s.exited = true
		s.mu.Unlock()
		return s.conn.Close()
	}
	if s.currentState() != stateRunning {
		return nil // before initialize or after shutdown, only exit counts
	}
	switch req.Method {
	case "initialized":
		s.initialized(ctx)
	case "textDocument/didOpen":
		var p didOpenParams
		return withParams(req, &p, func() error { s.didOpen(ctx, &p); return nil })
	case "textDocument/didChange":
		var p didChangeParams
		return withParams(req, &p, func() error { return s.didChange(ctx, &p) })
	case "textDocument/didSave":
		var p didSaveParams
		return withParams(req, &p, func() error { s.didSave(ctx, &p); return nil })
	case "textDocument/didClose":
		var p didCloseParams
		return withParams(req, &p, func() error { s.didClose(ctx, &p); return nil })
	case "workspace/didChangeWatchedFiles":
		var p didChangeWatchedFilesParams
		return withParams(req, &p, func() error { s.didChangeWatchedFiles(ctx, &p); return nil })
	case "workspace/didChangeConfiguration":
		s.reloadConfig(ctx)
	}
	return nil // $/cancelRequest, $/setTrace and the rest need nothing
}

func params(req *jsonrpc2.Request, v any) error {
	if req.Params == nil {
		return rpcErrorf(jsonrpc2.CodeInvalidParams, "%s: params missing", req.Method)
	}
	if err := json.Unmarshal(*req.Params, v); err != nil {
		return rpcErrorf(jsonrpc2.CodeInvalidParams, "%s: %v", req.Method, err)
	}
	return nil
}

func withParams(req *jsonrpc2.Request, v any, f func() error) error {
	if err := params(req, v); err != nil {
		return err
	}
	return f()
}

func (s *server) initialize(req *jsonrpc2.Request) (any, error) {
	var p initializeParams
	if err := params(req, &p); err != nil {
		return nil, err
	}
	root := ""
	for _, uri := range append([]string{p.RootURI}, folderURIs(p.WorkspaceFolders)...) {
		if path, err := uriToPath(uri); err == nil && uri != "" {
			root = path
			break
		}
	}
	if root == "" {
		root = p.RootPath
	}
	if root == "" {
		root, _ = os.Getwd()
	}
	var opts initializationOptions
	if len(p.InitializationOptions) > 0 && string(p.InitializationOptions) != "null" {
		if err := json.Unmarshal(p.InitializationOptions, &opts); err != nil {
			return nil, rpcErrorf(jsonrpc2.CodeInvalidParams, "initializationOptions: %v", err)
		}
	}
	// The files are read in the background (see index): a workspace can
	// be any folder the editor was opened on.
	ws, err := analyzer.OpenWorkspace(root, s.opts.Rules, s.opts.Limits)
	if err != nil {
		return nil, rpcErrorf(jsonrpc2.CodeInternalError, "workspace %s: %v", root, err)
	}
	s.mu.Lock()
	s.ws = ws
	s.progress = p.Capabilities.Window.WorkDoneProgress
	s.enc = chooseEncoding(p.Capabilities.General.PositionEncodings)
	s.pull = p.Capabilities.TextDocument.Diagnostic != nil
	s.refresh = p.Capabilities.Workspace.Diagnostics.RefreshSupport
	s.watch = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	if d := opts.DebounceMilliseconds; d != nil && *d > 0 {
		// A JSON number: settings UIs send 12.5 as readily as 12.
		s.debounce = time.Duration(*d * float64(time.Millisecond))
	}
	s.state = stateRunning
	enc := s.enc
	s.mu.Unlock()
	s.log.Printf("workspace %s, position encoding %s", root, enc)
	if p.ProcessID != nil && *p.ProcessID > 0 {
		go s.watchParent(*p.ProcessID)
	}
	res := initializeResult{ServerInfo: serverInfo{Name: "tdlint", Version: s.opts.Version}}
	res.Capabilities = serverCapabilities{
		PositionEncoding:   enc,
		TextDocumentSync:   textDocumentSync{OpenClose: true, Change: 2, Save: saveOptions{}},
		DiagnosticProvider: diagnosticOptions{Identifier: "tdlint", InterFileDependencies: true},
		CodeActionProvider: codeActionOptions{CodeActionKinds: []string{kindQuickFix, kindFixAll}},
		HoverProvider:      true,
	}
	return res, nil
}

func folderURIs(fs []workspaceFolder) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.URI)
	}
	return out
}

// initialized asks for file watching, so that edits outside the editor
// (git checkout, TouchDesigner writing its externalised files) and
// configuration changes reach the server, and tells the user of a bad
// configuration.
func (s *server) initialized(ctx context.Context) {
	s.mu.Lock()
	watch := s.watch
	s.mu.Unlock()
	s.startIndex(ctx)
	if !watch {
		return
	}
	go func() {
		params := registrationParams{Registrations: []registration{{
			ID: "tdlint-watch", Method: "workspace/didChangeWatchedFiles",
			RegisterOptions: map[string]any{"watchers": []fileSystemWatcher{
				{GlobPattern: "**/*.py"}, {GlobPattern: "**/*.tdn"}, {GlobPattern: "**/*.text"}, {GlobPattern: "**/*.parm"}, {GlobPattern: "**/pyproject.toml"}, {GlobPattern: "**/tdlint.toml"}, {GlobPattern: "**/.tdlint.toml"},
			}},
		}}}
		if err := s.conn.Call(ctx, "client/registerCapability", params, nil); err != nil {
			s.log.Printf("registering file watchers: %v", err)
		}
	}()
}

// startIndex (re)reads the workspace's configuration and files in the
// background, replacing an index in progress, and re-lints the open
// documents when it is done. Lints wait for the first index: a finding
// that depends on a file not read yet would come and go.
func (s *server) startIndex(ctx context.Context) {
	ictx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	if s.cancelIndex != nil {
		s.cancelIndex()
	}
	s.cancelIndex = cancel
	s.indexGen++
	gen, progress, ws := s.indexGen, s.progress, s.ws
	s.mu.Unlock()
	go func() {
		defer cancel()
		report := s.indexProgress(ictx, progress, gen, ws.Root())
		if s.opts.beforeIndex != nil {
			s.opts.beforeIndex()
		}
		errs := ws.Index(ictx, func(p analyzer.IndexProgress) {
			pct := 100 * p.Files / max(p.Total, 1)
			report("report", fmt.Sprintf("%d/%d files", p.Files, p.Total), &pct)
		})
		if ictx.Err() != nil {
			report("end", "superseded", nil)
			return // a newer index replaces this one
		}
		files := len(ws.Files())
		report("end", fmt.Sprintf("%d files", files), nil)
		s.log.Printf("indexed %d files under %s", files, ws.Root())
		s.reportLoadErrors(ctx, errs)
		s.binariesOnce.Do(func() { s.reportBinaries(ctx, ws.Notes()) })
		s.indexOnce.Do(func() { close(s.indexed) })
		s.mu.Lock()
		for _, d := range s.docs {
			d.lint = nil
		}
		s.mu.Unlock()
		s.schedule()
	}()
}

// indexProgress starts a $/progress for an index when the client shows
// them, and returns what reports on it (nothing when it does not).
func (s *server) indexProgress(ctx context.Context, on bool, gen int, root string) func(kind, msg string, pct *int) {
	if !on {
		return func(string, string, *int) {}
	}
	token := fmt.Sprintf("tdlint-index-%d", gen)
	if err := s.conn.Call(ctx, "window/workDoneProgress/create", workDoneProgressCreateParams{Token: token}, nil); err != nil {
		s.log.Printf("creating the index's progress: %v", err)
		return func(string, string, *int) {}
	}
	send := func(kind, msg string, pct *int) {
		v := workDoneProgress{Kind: kind, Message: msg, Percentage: pct}
		if kind == "begin" {
			v.Title = "tdlint: indexing"
		}
		_ = s.conn.Notify(ctx, "$/progress", progressParams{Token: token, Value: v})
	}
	zero := 0
	send("begin", root, &zero)
	ended := false
	return func(kind, msg string, pct *int) {
		if !ended {
			ended = kind == "end"
			send(kind, msg, pct)
		}
	}
}

// awaitIndex waits for the first index, or the end of the session.
func (s *server) awaitIndex(ctx context.Context) bool {
	select {
	case <-s.indexed:
		return true
	case <-ctx.Done():
		return false
	}
}

// reportLoadErrors shows a configuration error or a truncated index to the
// user (unreadable or oversized files only go to the log: the rest is
// linted).
func (s *server) reportLoadErrors(ctx context.Context, errs []error) {
	for _, err := range errs {
		if _, ok := errors.AsType[*analyzer.LoadError](err); ok {
			s.log.Printf("cannot read %v", err)
			continue
		}
		kind := 1
		if errors.Is(err, analyzer.ErrIndexTruncated) {
			kind = 2
		}
		_ = s.conn.Notify(ctx, "window/showMessage", showMessageParams{Type: kind, Message: "tdlint: " + err.Error()})
	}
}

// reportBinaries tells the user once, as information, which files of the
// workspace hold Python tdlint cannot read (binary .toe/.tox), and what to
// do; each file's note goes to the log. Editors do not open them as text
// documents, so there is no document to publish a diagnostic on.
func (s *server) reportBinaries(ctx context.Context, notes []analyzer.Note) {
	if len(notes) == 0 {
		return
	}
	names := make([]string, 0, 4)
	for i, n := range notes {
		s.log.Printf("%s: note: %s", n.Path, n.Message)
		if i < 3 {
			names = append(names, filepath.Base(n.Path))
		}
	}
	if len(notes) > 3 {
		names = append(names, "…")
	}
	msg := fmt.Sprintf("tdlint: the Python in %d binary TouchDesigner file(s) (%s) cannot be read. Lint a toeexpand tree or a TDN export of them, or keep their DATs' Python in .py files.", len(notes), strings.Join(names, ", "))
	_ = s.conn.Notify(ctx, "window/showMessage", showMessageParams{Type: 3, Message: msg})
}

func (s *server) watchParent(pid int) {
	t := time.NewTicker(s.opts.ParentPollInterval)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if !processAlive(pid) {
				s.log.Printf("the client's process %d is gone; exiting", pid)
				_ = s.conn.Close()
				return
			}
		}
	}
}

// isPython says whether the server lints a document: .py files, .tdn
// files, DATs' .text and operators' .parm files in toeexpand trees, and
// documents the editor says are Python.
func isPython(path, languageID string) bool {
	return strings.EqualFold(filepath.Ext(path), ".py") || analyzer.HoldsPython(path) || languageID == "python"
}

func isConfigFile(path string) bool {
	base := filepath.Base(path)
	return base == "pyproject.toml" || base == "tdlint.toml" || base == ".tdlint.toml"
}

// pathOf is the path of a file: URI; other schemes are not ours.
func pathOf(uri string) (string, bool) {
	path, err := uriToPath(uri)
	return path, err == nil
}

func (s *server) didOpen(ctx context.Context, p *didOpenParams) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok || !isPython(path, p.TextDocument.LanguageID) {
		return // not ours: nothing to say about it
	}
	s.mu.Lock()
	doc := &document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.docs[path] = doc
	s.openLocked(ctx, doc)
	s.scheduleLocked()
	s.mu.Unlock()
}

// openLocked gives the workspace a document's text, unless it is over the
// size limit: then the document is not linted, and the user is told once.
// s.mu is held.
func (s *server) openLocked(ctx context.Context, doc *document) {
	if s.ws.Open(doc.path, doc.text) {
		delete(s.tooLarge, doc.path)
		return
	}
	if !s.tooLarge[doc.path] {
		s.tooLarge[doc.path] = true
		msg := fmt.Sprintf("tdlint: %s is not linted: %d bytes is over the %d-byte limit", filepath.Base(doc.path), len(doc.text), s.opts.Limits.MaxFileBytes)
		go func() {
			_ = s.conn.Notify(ctx, "window/showMessage", showMessageParams{Type: 2, Message: msg})
		}()
	}
}

func (s *server) didChange(ctx context.Context, p *didChangeParams) error {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[path]
	if doc == nil {
		return nil
	}
	text := doc.text
	for _, ch := range p.ContentChanges {
		var err error
		if text, err = applyChange(text, ch, s.enc); err != nil {
			return err
		}
	}
	doc.text, doc.version, doc.lint = text, p.TextDocument.Version, nil
	s.openLocked(ctx, doc)
	s.scheduleLocked()
	return nil
}

func (s *server) didSave(ctx context.Context, p *didSaveParams) {
	path, ok := pathOf(p.TextDocument.URI)
	if ok && isConfigFile(path) {
		s.reloadConfig(ctx)
		return
	}
	s.schedule()
}

func (s *server) didClose(ctx context.Context, p *didCloseParams) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return
	}
	s.mu.Lock()
	doc := s.docs[path]
	delete(s.docs, path)
	pull := s.pull
	if doc != nil {
		s.ws.Close(path)
		delete(s.tooLarge, path)
	}
	s.mu.Unlock()
	if doc != nil && !pull {
		// A closed file's findings leave the editor's problem list.
		_ = s.conn.Notify(ctx, "textDocument/publishDiagnostics", publishDiagnosticsParams{URI: doc.uri, Diagnostics: []diagnostic{}})
	}
	s.schedule() // files that import it now see it as it is on disk
}

func (s *server) didChangeWatchedFiles(ctx context.Context, p *didChangeWatchedFilesParams) {
	reload := false
	for _, ch := range p.Changes {
		path, ok := pathOf(ch.URI)
		switch {
		case !ok:
		case isConfigFile(path):
			reload = true
		default:
			s.ws.DiskChanged(path)
		}
	}
	if reload {
		s.reloadConfig(ctx)
		return
	}
	s.schedule()
}

// reloadConfig reads the configuration (and the files on disk) again, in
// the background, and then re-lints every open file with it.
func (s *server) reloadConfig(ctx context.Context) {
	s.log.Printf("reloading the configuration")
	s.startIndex(ctx)
}

func (s *server) schedule() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scheduleLocked()
}

func (s *server) scheduleLocked() {
	select {
	case s.wake <- struct{}{}:
	default: // a lint is due already; it will see this change too
	}
}
