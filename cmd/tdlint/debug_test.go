package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDebugASTMatchesGoldenDump(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "pyparse", "golden", "match.py")
	want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pyparse", "golden", "match.3.12.dump"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"debug", "ast", "--python", "3.12", src}, strings.NewReader(""), &out, &errb); code != exitClean {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if out.String() != string(want) {
		t.Errorf("debug ast output differs from CPython 3.12's dump")
	}
}

func TestDebugASTSyntaxErrorAndStdin(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := run([]string{"debug", "ast", "-"}, strings.NewReader("print 'x'\n"), &out, &errb)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d", code, exitFindings)
	}
	want := "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (-, line 1)\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestDebugASTUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"debug"}, {"debug", "ast"}, {"debug", "ast", "--python", "2.7", "x.py"}, {"debug", "ast", "/no/such/file.py"}} {
		var out, errb bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errb); code != exitError {
			t.Errorf("%v: exit %d, want %d", args, code, exitError)
		}
	}
}
