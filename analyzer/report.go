package analyzer

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tdlint/tdlint/pyparse"
)

// Formats are the --output-format values.
var Formats = []string{"full", "concise", "json", "json-lines", "github", "sarif", "junit"}

// Location resolves p in f for output: 1-based line (in the file on disk)
// and 1-based column counted in characters, as Ruff prints them.
func Location(f *SourceFile, p pyparse.Pos) Position {
	if f == nil || f.AST == nil {
		return Position{Line: 1, Column: 1}
	}
	pos := f.AST.Position(p)
	if pos.Offset < 0 {
		return Position{Line: 1, Column: 1}
	}
	line := f.AST.Src[pos.Offset-pos.Col : pos.Offset]
	out := Position{Line: pos.Line + f.DiskLineOffset, Column: utf8.RuneCount(line) + 1, Column16: f.AST.UTF16Col(p)}
	if f.DiskLines != nil {
		dl := f.DiskLines[min(max(pos.Line, 1), len(f.DiskLines))-1]
		out.Line = dl.Line
		if dl.Escaped {
			out.Column, out.Column16 = dl.Column, dl.Column-1
		} else {
			out.Column += dl.Column - 1
			out.Column16 += dl.Column - 1
		}
	}
	return out
}

// Write renders diagnostics in one of Formats, without colour.
func Write(w io.Writer, format string, ds []Diagnostic, rules []*Analyzer) error {
	return WriteReport(w, format, ds, nil, rules)
}

// NotesInReport reports whether WriteReport puts notes in format's output.
// The json and json-lines formats are Ruff's arrays of findings, which
// tools read whole and count: a note is no finding, so it goes to stderr
// (the caller's job) rather than into the array.
func NotesInReport(format string) bool { return format != "json" && format != "json-lines" }

// WriteReport renders diagnostics and notes in one of Formats: full and
// concise print "path: note: message" lines after the findings, github a
// ::notice, sarif a tool execution notification, junit a skipped test
// case; json and json-lines leave notes out (see NotesInReport).
func WriteReport(w io.Writer, format string, ds []Diagnostic, notes []Note, rules []*Analyzer) error {
	return WriteReportStyled(w, format, ds, notes, rules, TextStyle{})
}

// WriteStyled is Write in style.
func WriteStyled(w io.Writer, format string, ds []Diagnostic, rules []*Analyzer, style TextStyle) error {
	return WriteReportStyled(w, format, ds, nil, rules, style)
}

// WriteReportStyled is WriteReport with the human formats (full, concise)
// in style; the machine formats ignore it.
func WriteReportStyled(w io.Writer, format string, ds []Diagnostic, notes []Note, rules []*Analyzer, style TextStyle) error {
	switch format {
	case "full", "":
		return writeFull(w, ds, notes, style)
	case "concise":
		return writeConcise(w, ds, notes, style)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ruffJSON(ds))
	case "json-lines":
		enc := json.NewEncoder(w)
		items := ruffJSON(ds)
		for i := range items {
			if err := enc.Encode(&items[i]); err != nil {
				return err
			}
		}
		return nil
	case "github":
		if err := writeGitHub(w, ds); err != nil {
			return err
		}
		for _, n := range notes {
			if _, err := fmt.Fprintf(w, "::notice title=tdlint,file=%s::%s\n", ghEscapeProperty(n.Path), ghEscapeData(n.Message)); err != nil {
				return err
			}
		}
		return nil
	case "sarif":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sarifLog(ds, notes, rules))
	case "junit":
		return writeJUnit(w, ds, notes)
	}
	return fmt.Errorf("unknown output format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// fixable counts the findings --fix would fix.
func fixable(ds []Diagnostic) int {
	n := 0
	for _, d := range ds {
		for _, f := range d.SuggestedFixes {
			if f.Safe {
				n++
				break
			}
		}
	}
	return n
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// jsonLocation is Ruff's {row, column}.
type jsonLocation struct {
	Row    int `json:"row"`
	Column int `json:"column"`
}

type jsonEdit struct {
	Content     string       `json:"content"`
	Location    jsonLocation `json:"location"`
	EndLocation jsonLocation `json:"end_location"`
}

type jsonFix struct {
	Applicability string     `json:"applicability"`
	Message       string     `json:"message"`
	Edits         []jsonEdit `json:"edits"`
}

type jsonRelated struct {
	Filename string       `json:"filename"`
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

// jsonDiagnostic is Ruff's JSON output shape plus tdlint's related chain.
type jsonDiagnostic struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Message     string        `json:"message"`
	Severity    string        `json:"severity"`
	Filename    string        `json:"filename"`
	Location    jsonLocation  `json:"location"`
	EndLocation jsonLocation  `json:"end_location"`
	URL         string        `json:"url"`
	Fix         *jsonFix      `json:"fix"`
	NoqaRow     int           `json:"noqa_row"`
	Related     []jsonRelated `json:"related"`
	// Execution is set by check --confirm.
	Execution string `json:"execution,omitempty"`
}

func loc(f *SourceFile, p pyparse.Pos) jsonLocation {
	l := Location(f, p)
	return jsonLocation{Row: l.Line, Column: l.Column}
}

func ruffJSON(ds []Diagnostic) []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(ds))
	for _, d := range ds {
		f := d.Range.File
		jd := jsonDiagnostic{
			Code: d.Analyzer.Code, Name: d.Analyzer.Name, Message: d.Message, Severity: d.Severity.String(),
			Filename: fileName(f), Location: loc(f, d.Range.Start), EndLocation: loc(f, d.Range.End),
			URL: d.Analyzer.URL(), Related: []jsonRelated{}, Execution: d.Execution,
		}
		jd.NoqaRow = jd.Location.Row
		if len(d.SuggestedFixes) > 0 {
			fix := d.SuggestedFixes[0]
			jf := &jsonFix{Applicability: "unsafe", Message: fix.Message, Edits: []jsonEdit{}}
			if fix.Safe {
				jf.Applicability = "safe"
			}
			for _, e := range fix.TextEdits {
				jf.Edits = append(jf.Edits, jsonEdit{Content: e.NewText, Location: loc(e.Range.File, e.Range.Start), EndLocation: loc(e.Range.File, e.Range.End)})
			}
			jd.Fix = jf
		}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{Filename: fileName(r.Range.File), Location: loc(r.Range.File, r.Range.Start), Message: r.Message})
		}
		out = append(out, jd)
	}
	return out
}

// writeGitHub prints GitHub Actions workflow commands, which GitHub shows
// as annotations on the pull request.
func writeGitHub(w io.Writer, ds []Diagnostic) error {
	for _, d := range ds {
		f := d.Range.File
		s, e := Location(f, d.Range.Start), Location(f, d.Range.End)
		level := "error"
		switch d.Severity {
		case SeverityWarning:
			level = "warning"
		case SeverityInfo:
			level = "notice"
		case SeverityError:
		}
		var msg strings.Builder
		msg.WriteString(d.Message)
		for _, r := range d.Related {
			rp := Location(r.Range.File, r.Range.Start)
			fmt.Fprintf(&msg, "\n  %s:%d: %s", fileName(r.Range.File), rp.Line, r.Message)
		}
		if _, err := fmt.Fprintf(w, "::%s title=%s,file=%s,line=%d,col=%d,endLine=%d,endColumn=%d::%s\n", level,
			ghEscapeProperty("tdlint ("+d.Analyzer.Code+")"), ghEscapeProperty(fileName(f)), s.Line, s.Column, e.Line, e.Column, ghEscapeData(d.Analyzer.Code+" "+msg.String())); err != nil {
			return err
		}
	}
	return nil
}

func ghEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0

type sarifMessage struct {
	Text     string `json:"text,omitempty"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion  `json:"deletedRegion"`
	InsertedContent sarifMessage `json:"insertedContent"`
}

type sarifChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifFix struct {
	Description     sarifMessage  `json:"description"`
	ArtifactChanges []sarifChange `json:"artifactChanges"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifMessage      `json:"shortDescription"`
	FullDescription      sarifMessage      `json:"fullDescription"`
	HelpURI              string            `json:"helpUri"`
	Help                 sarifMessage      `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifRun struct {
	Tool        map[string]any    `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifDoc struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

func sarifLevel(s Severity) string {
	switch s {
	case SeverityInfo:
		return "note"
	case SeverityWarning:
		return "warning"
	default:
		return "error"
	}
}

func region(f *SourceFile, start, end pyparse.Pos) sarifRegion {
	s, e := Location(f, start), Location(f, end)
	if e.Line < s.Line || (e.Line == s.Line && e.Column < s.Column) {
		e = s
	}
	return sarifRegion{StartLine: s.Line, StartColumn: s.Column, EndLine: e.Line, EndColumn: e.Column}
}

func sarifLog(ds []Diagnostic, notes []Note, rules []*Analyzer) sarifDoc {
	all := append([]*Analyzer{SyntaxErrorAnalyzer, UnusedNoqaAnalyzer, InternalErrorAnalyzer}, rules...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Code < all[j].Code })
	index := make(map[*Analyzer]int)
	var srules []sarifRule
	for i, a := range all {
		index[a] = i
		srules = append(srules, sarifRule{
			ID: a.Code, Name: a.Name, ShortDescription: sarifMessage{Text: a.Summary},
			FullDescription: sarifMessage{Text: a.Summary}, HelpURI: a.URL(),
			Help:                 sarifMessage{Text: a.Summary, Markdown: a.Doc},
			DefaultConfiguration: map[string]string{"level": sarifLevel(a.Severity)},
		})
	}
	results := []sarifResult{}
	for _, d := range ds {
		f := d.Range.File
		r := sarifResult{
			RuleID: d.Analyzer.Code, RuleIndex: index[d.Analyzer], Level: sarifLevel(d.Severity),
			Message:   sarifMessage{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileName(f)}, Region: region(f, d.Range.Start, d.Range.End)}}},
		}
		if d.Execution != "" {
			r.Properties = map[string]any{"execution": d.Execution}
		}
		for i, rel := range d.Related {
			id := i
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileName(rel.Range.File)}, Region: region(rel.Range.File, rel.Range.Start, rel.Range.End)},
				Message:          &sarifMessage{Text: rel.Message},
			})
		}
		for _, fix := range d.SuggestedFixes {
			sf := sarifFix{Description: sarifMessage{Text: fix.Message}}
			for _, e := range fix.TextEdits {
				sf.ArtifactChanges = append(sf.ArtifactChanges, sarifChange{
					ArtifactLocation: sarifArtifact{URI: fileName(e.Range.File)},
					Replacements:     []sarifReplacement{{DeletedRegion: region(e.Range.File, e.Range.Start, e.Range.End), InsertedContent: sarifMessage{Text: e.NewText}}},
				})
			}
			r.Fixes = append(r.Fixes, sf)
		}
		results = append(results, r)
	}
	// A note is about the run, not a result in the user's code: SARIF's
	// place for it is a notification of the invocation, at the file.
	var invocations []sarifInvocation
	if len(notes) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, n := range notes {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "note", Message: sarifMessage{Text: n.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: n.Path}, Region: sarifRegion{StartLine: 1, StartColumn: 1, EndLine: 1, EndColumn: 1}}}},
			})
		}
		invocations = []sarifInvocation{inv}
	}
	return sarifDoc{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: map[string]any{"driver": map[string]any{
				"name": "tdlint", "informationUri": "https://github.com/tdlint/tdlint", "version": Version, "rules": srules,
			}},
			Invocations: invocations,
			Results:     results,
		}},
	}
}

// Version is tdlint's version as reported in SARIF.
var Version = "0.1.0-dev"

// ---------------------------------------------------------------------------
// JUnit

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

// writeJUnit groups findings per file: one test suite a file, one failing
// test case a finding; a note is a skipped test case of its file.
func writeJUnit(w io.Writer, ds []Diagnostic, notes []Note) error {
	doc := junitSuites{Name: "tdlint"}
	byFile := make(map[string]*junitSuite)
	var order []string
	for _, d := range ds {
		name := fileName(d.Range.File)
		s := byFile[name]
		if s == nil {
			s = &junitSuite{Name: name}
			byFile[name] = s
			order = append(order, name)
		}
		p := Location(d.Range.File, d.Range.Start)
		s.Cases = append(s.Cases, junitCase{
			Name: fmt.Sprintf("%s:%d:%d %s", name, p.Line, p.Column, d.Analyzer.Code), Classname: name,
			Failure: &junitFailure{Message: d.Message, Type: d.Analyzer.Code, Text: fmt.Sprintf("%s:%d:%d: %s %s", name, p.Line, p.Column, d.Analyzer.Code, d.Message)},
		})
		s.Tests++
		s.Failures++
	}
	for _, n := range notes {
		s := byFile[n.Path]
		if s == nil {
			s = &junitSuite{Name: n.Path}
			byFile[n.Path] = s
			order = append(order, n.Path)
		}
		s.Cases = append(s.Cases, junitCase{Name: n.Path, Classname: n.Path, Skipped: &junitSkipped{Message: n.Message}})
		s.Tests++
		s.Skipped++
	}
	for _, name := range order {
		doc.Suites = append(doc.Suites, *byFile[name])
		doc.Tests += byFile[name].Tests
		doc.Failures += byFile[name].Failures
		doc.Skipped += byFile[name].Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
