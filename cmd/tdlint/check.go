package main

import (
	"fmt"
	"io"
)

func runCheck(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tdlint check: not implemented yet")
	return exitError
}
