package main

import (
	"fmt"
	"io"
)

func runDebug(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tdlint debug: not implemented yet")
	return exitError
}
