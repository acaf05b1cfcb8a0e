package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validation checks a document against a JSON Schema file.
func validation(schemaPath, doc string) error {
	f, err := os.Open(schemaPath)
	if err != nil {
		return err
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	url := "file://" + filepath.ToSlash(schemaPath)
	if err := c.AddResource(url, schemaDoc); err != nil {
		return err
	}
	schema, err := c.Compile(url)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return schema.Validate(inst)
}

func TestJSONOutputValidatesAgainstItsSchema(t *testing.T) {
	t.Parallel()
	schema := filepath.Join("..", "..", "testdata", "schemas", "tdlint-json.schema.json")
	out, _, _ := runCLI(t, "", "check", exampleDir, "--output-format", "json")
	if err := validation(schema, out); err != nil {
		t.Errorf("json output does not validate: %v", err)
	}
	// A schema that cannot fail is no test: a broken document must fail it.
	broken := strings.Replace(out, `"code": "TD`, `"code": "XX`, 1)
	if validation(schema, broken) == nil {
		t.Error("the JSON schema accepts a malformed code")
	}
}

// The SARIF 2.1.0 schema that GitHub code scanning uses ships in an npm
// package; .ci/run installs it (npm ci in testdata/schemas).
func TestSARIFOutputValidatesAgainstSARIF210(t *testing.T) {
	t.Parallel()
	schema := filepath.Join("..", "..", "testdata", "schemas", "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")
	if _, err := os.Stat(schema); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SARIF schema not installed in CI: %v", err)
		}
		t.Skip("SARIF 2.1.0 schema not installed: run `npm ci --prefix testdata/schemas`")
	}
	// A binary .toe beside the Python adds a tool execution notification.
	withBinary := t.TempDir()
	toe := []byte{'1', '0', 0, 0, 0, 3, 0, 0x1e, 0x8a, 0x30, 'a', 'b', 'c'}
	if err := os.WriteFile(filepath.Join(withBinary, "show.toe"), toe, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withBinary, "a.py"), []byte("if x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, stdin := range []string{"", "x = 1\n", "binary"} {
		args := []string{"check", exampleDir, "--output-format", "sarif"}
		switch stdin {
		case "binary":
			args, stdin = []string{"check", withBinary, "--output-format", "sarif"}, ""
		case "":
		default:
			args = []string{"check", "-", "--output-format", "sarif"}
		}
		out, _, _ := runCLI(t, stdin, args...)
		if err := validation(schema, out); err != nil {
			t.Errorf("sarif output does not validate against SARIF 2.1.0: %v", err)
		}
	}
}
