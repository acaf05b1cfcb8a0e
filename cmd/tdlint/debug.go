package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tdlint/tdlint/pyparse"
)

// runDebug dispatches the developer tools; `debug ast` is the parser's
// conformance interface: its output must equal CPython's byte for byte.
func runDebug(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "Developer tools.\n\nUsage: tdlint debug ast [OPTIONS] FILE...\n\nRun 'tdlint debug ast --help' for its options.")
		return exitClean
	}
	if len(args) == 0 || args[0] != "ast" {
		fmt.Fprintln(stderr, "usage: tdlint debug ast [--python 3.11|3.12|3.13] FILE...")
		return exitError
	}
	return runDebugAST(args[1:], stdin, stdout, stderr)
}

// runDebugAST prints, per file, what CPython's
// ast.dump(ast.parse(src), include_attributes=True) prints, or
// "SyntaxError: <msg> (<file>, line N)" where CPython raises. With several
// files, each output line is preceded by "== <path>". "-" reads stdin.
// Exit status: 0 all parsed, 1 some had syntax errors, 2 usage or I/O error.
func runDebugAST(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("debug ast", "tdlint debug ast [OPTIONS] FILE...",
		"Print each file's AST as CPython's ast.dump(ast.parse(src), include_attributes=True) does.")
	fs.operands = "  FILE  a Python file; - reads stdin\n"
	python := fs.String("python", "3.11", "Python `VERSION` whose ast module to reproduce: 3.11, 3.12 or 3.13")
	operands, code, done := fs.parse(args, false, stdout, stderr)
	if done {
		return code
	}
	version, err := pyparse.ParseVersion(*python)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint debug ast:", err)
		return exitError
	}
	if len(operands) == 0 {
		return fs.usageError(stderr, "name a file")
	}
	status := exitClean
	for _, path := range operands {
		var src []byte
		var err error
		if path == "-" {
			src, err = io.ReadAll(stdin)
		} else {
			src, err = os.ReadFile(path) //nolint:gosec // the user names the files to dump
		}
		if err != nil {
			fmt.Fprintf(stderr, "tdlint debug ast: %v\n", err)
			return exitError
		}
		if len(operands) > 1 {
			fmt.Fprintf(stdout, "== %s\n", path)
		}
		f := pyparse.ParseFile(path, src, pyparse.Config{Version: version})
		if len(f.Errors) > 0 {
			e := f.Errors[0]
			fmt.Fprintf(stdout, "SyntaxError: %s (%s, line %d)\n", e.Msg, filepath.Base(path), e.Line)
			status = exitFindings
			continue
		}
		fmt.Fprintln(stdout, pyparse.Dump(f, version))
	}
	return status
}
