package main

import (
	"fmt"
	"io"
)

func runSimulate(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tdlint simulate: not implemented yet")
	return exitError
}
