package main

import (
	"fmt"
	"io"
)

func runServer(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tdlint server: not implemented yet")
	return exitError
}
