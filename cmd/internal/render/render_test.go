package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a report with every section and the awkward characters each
// format must escape (pipes, backticks, newlines, tabs, multibyte text).
func sample() *report.Report {
	return &report.Report{
		Version: report.Version,
		Command: "analyze",
		Inputs: []report.Input{
			{Path: "schema.sql", Kind: "schema", Statements: 3},
			{Path: "logs/postgresql.log", Kind: "stderr", Statements: 1200, Errors: 1, SkippedLines: 2},
		},
		Queries: []report.Query{
			{Fingerprint: "a1b2c3d4e5f60718", Normalized: "SELECT id FROM users WHERE email = $1", Calls: 1000, TotalMS: 1234.5, MeanMS: 1.2345, MaxMS: 20},
			{Fingerprint: "0f1e2d3c4b5a6978", Normalized: "SELECT *\n  FROM \"tablé\"\tWHERE a || b = $1", Calls: 2, TotalMS: 0.5, MeanMS: 0.25, MaxMS: 0.3},
		},
		Findings: []report.Finding{
			{Check: "missing-index", Severity: "warning", File: "logs/postgresql.log", Line: 12, Column: 0, Fingerprint: "a1b2c3d4e5f60718",
				Message: "no index of users serves email = $1", Help: "create the index", Fix: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"},
			{Check: "parse-error", Severity: "error", File: "app.sql", Line: 3, Column: 7, Message: "syntax error at or near \"|\" in `a | b`"},
			{Check: "select-star", Severity: "info", File: "app.sql", Line: 1, Column: 8, Message: "SELECT * returns every column", Help: "list the columns\nthe application uses"},
		},
	}
}

func TestFormats(t *testing.T) {
	rules := []Rule{
		{Name: "missing-index", Summary: "Filter no index serves.", Doc: "Filter no index serves.\n\nLonger text.", Severity: "warning"},
		{Name: "parse-error", Summary: "Statement the parser rejects.", Doc: "Statement the parser rejects.", Severity: "error"},
		{Name: "select-star", Summary: "SELECT *.", Doc: "SELECT *.", Severity: "info"},
	}
	tests := []struct {
		name   string
		format Format
		opts   Options
	}{
		{"table_aligned.golden", Table, Options{Aligned: true, Width: 100}},
		{"table_piped.golden", Table, Options{}},
		{"markdown.golden", Markdown, Options{}},
		{"json.golden", JSON, Options{}},
		{"sarif.golden", SARIF, Options{Rules: rules, ToolVersion: "v0.1.0"}},
		{"github.golden", GitHub, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.format, sample(), tt.opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update): %v", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSARIFValid validates the SARIF output against the SARIF 2.1.0
// schema, with and without findings (GitHub needs "results": []).
func TestSARIFValid(t *testing.T) {
	for _, rep := range []*report.Report{sample(), {Version: report.Version}} {
		var b bytes.Buffer
		if err := Write(&b, SARIF, rep, Options{}); err != nil {
			t.Fatal(err)
		}
		doc, err := sarif.FromBytes(b.Bytes())
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if err := doc.Validate(); err != nil {
			t.Errorf("invalid SARIF: %v", err)
		}
		var raw struct {
			Runs []struct {
				Results json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &raw); err != nil || len(raw.Runs) != 1 || string(raw.Runs[0].Results) == "null" {
			t.Errorf("want one run with a results array, got %s (err %v)", b.String(), err)
		}
	}
}

// TestJSONEmptyLists checks that an empty report has [] lists, not null.
func TestJSONEmptyLists(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, JSON, &report.Report{Version: report.Version}, Options{}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"inputs", "queries", "findings"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s = %v, want a list", k, m[k])
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"table": Table, "JSON": JSON, "md": Markdown, "markdown": Markdown, "sarif": SARIF, "github": GitHub} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
}
