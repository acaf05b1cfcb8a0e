package main

import (
	"fmt"
	"io"
)

func runRule(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tdlint rule: not implemented yet")
	return exitError
}
