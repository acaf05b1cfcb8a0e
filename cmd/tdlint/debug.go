package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tdlint/tdlint/pyparse"
)

// runDebug dispatches the developer tools; `debug ast` is the parser's
// conformance interface: its output must equal CPython's byte for byte.
func runDebug(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
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
	fs := flag.NewFlagSet("debug ast", flag.ContinueOnError)
	fs.SetOutput(stderr)
	python := fs.String("python", "3.11", "Python version whose ast module to reproduce: 3.11, 3.12 or 3.13")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	version, err := pyparse.ParseVersion(*python)
	if err != nil {
		fmt.Fprintln(stderr, "tdlint debug ast:", err)
		return exitError
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: tdlint debug ast [--python 3.11|3.12|3.13] FILE...")
		return exitError
	}
	status := exitClean
	for _, path := range fs.Args() {
		var src []byte
		var err error
		if path == "-" {
			src, err = io.ReadAll(stdin)
		} else {
			src, err = os.ReadFile(path)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tdlint debug ast: %v\n", err)
			return exitError
		}
		if fs.NArg() > 1 {
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
