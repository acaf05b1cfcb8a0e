package pyparse

import (
	"fmt"
	"strings"
)

// SyntaxError is one syntax error. Msg is CPython's message for the same input
// where we know it ("invalid syntax", "'(' was never closed", ...).
type SyntaxError struct {
	Span
	Msg string
	// Line and Col are the 1-based line and 0-based byte column that CPython
	// reports (SyntaxError.lineno, .offset-1). Line 0 means "the file as a
	// whole" (encoding errors), as CPython reports it.
	Line, Col int
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// SyntaxErrors holds the errors of one file, in source order of discovery.
type SyntaxErrors []*SyntaxError

func (l SyntaxErrors) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	b.WriteString(l[0].Error())
	fmt.Fprintf(&b, " (and %d more errors)", len(l)-1)
	return b.String()
}

// Err returns l as an error, or nil when it is empty.
func (l SyntaxErrors) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
