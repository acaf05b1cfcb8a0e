package analyzer

import "fmt"

// Program is the whole-program model built once per run from every
// SourceFile: modules and their resolution, scopes and bindings, the call
// graph, the thread context of every function and the TD-value facts.
// Rules read it; nothing writes it after BuildProgram returns.
type Program struct {
	Files []*SourceFile
}

// BuildProgram builds the model for files.
func BuildProgram(files []*SourceFile) *Program {
	return &Program{Files: files}
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
