package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/tdlint/tdlint/cmd/tdlint/internal/lsp"
	"github.com/tdlint/tdlint/rules"
)

// runServer runs the language server on stdin and stdout until the client
// exits or goes away.
func runServer(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("server", "tdlint server [--stdio]",
		"Run the language server (LSP 3.17) on stdin and stdout, for editors.")
	// --stdio is what editors' LSP clients pass by habit; stdio is the only
	// transport.
	fs.Bool("stdio", true, "speak LSP on stdin and stdout (the only transport)")
	if _, code, done := fs.parse(args, false, stdout, stderr); done {
		return code
	}
	// A client that vanishes must not kill the server with SIGPIPE on
	// its next write: the write fails, and the session ends cleanly.
	signal.Ignore(syscall.SIGPIPE)
	if os.Getenv("GOGC") == "" {
		// Each re-lint allocates a few megabytes that die at once, against
		// a live heap of the workspace's parses: collecting a quarter as
		// often cut a 3,000-line file's re-lint by a fifth. The memory
		// limit makes the collector work harder before the heap grows past
		// what an editor's helper process should take.
		debug.SetGCPercent(400)
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(512 << 20)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return lsp.Serve(ctx, stdin, stdout, lsp.Options{
		Version: strings.TrimPrefix(versionString(), "tdlint "), Log: stderr, Rules: rules.All(), Lookup: rules.Lookup,
	})
}
