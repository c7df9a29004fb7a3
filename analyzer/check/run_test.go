package check

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
)

func TestRun(t *testing.T) {
	report := func(msg string) *Check {
		return &Check{Name: "reports-" + msg, Severity: Warning, Run: func(p *Pass) error {
			for _, st := range p.Statements {
				p.Reportf(st.Pos, st.Fingerprint, "", "%s %s", msg, st.Text)
			}
			return nil
		}}
	}
	panics := &Check{Name: "panics", Severity: Info, Run: func(*Pass) error {
		var s []int
		_ = s[len(s)] // an index out of range: a bug in a check
		return nil
	}}
	fails := &Check{Name: "fails", Severity: Info, Run: func(*Pass) error { return errors.New("boom") }}
	needs := &Check{Name: "needs-catalog", NeedsCatalog: true, Severity: Info, Run: func(p *Pass) error {
		p.Reportf(Position{File: "schema.sql"}, "", "", "catalog seen")
		return nil
	}}
	in := Input{
		Statements: []*Statement{{Pos: Position{File: "a.sql", Line: 1, Column: 1}, Text: "SELECT 1", Fingerprint: "f1"}},
		Catalog:    catalog.New(),
	}
	got := Run([]*Check{report("one"), panics, fails, needs, report("two")}, in)
	var names []string
	for _, f := range got {
		names = append(names, f.Check+": "+f.Message)
	}
	want := []string{
		"reports-one: one SELECT 1",
		"panics: check panics failed: panic: runtime error: index out of range [0] with length 0 (run_test.go:24)",
		"fails: check fails failed: boom",
		"reports-two: two SELECT 1",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range got {
		if strings.Contains(f.Message, "/") {
			t.Errorf("message %q carries a path", f.Message)
		}
	}
	in.HasCatalog = true
	if got := Run([]*Check{needs}, in); len(got) != 1 || got[0].Message != "catalog seen" {
		t.Errorf("with a catalog: %+v", got)
	}
}

func TestPositionAdvance(t *testing.T) {
	p := Position{File: "f.sql", Line: 3, Column: 5}
	tests := []struct {
		text string
		want Position
	}{
		{"", Position{File: "f.sql", Line: 3, Column: 5}},
		{"abc", Position{File: "f.sql", Line: 3, Column: 8}},
		{"ñandú", Position{File: "f.sql", Line: 3, Column: 10}},
		{"a\nbc", Position{File: "f.sql", Line: 4, Column: 3}},
		{"a\n\n", Position{File: "f.sql", Line: 5, Column: 1}},
	}
	for _, tt := range tests {
		if got := p.Advance(tt.text); got != tt.want {
			t.Errorf("Advance(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Error} {
		got, err := ParseSeverity(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) succeeded")
	}
}
