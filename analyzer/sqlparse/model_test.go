package sqlparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestModelCases(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range modelCases {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			var schema Schema
			if c.schema {
				schema = shop
			}
			st, err := Analyze(c.sql, schema)
			if err != nil {
				t.Fatalf("Analyze(%q): %v", c.sql, err)
			}
			if diff := cmp.Diff(c.want, summarize(st)); diff != "" {
				t.Errorf("Analyze(%q) model mismatch (-want +got):\n%s", c.sql, diff)
			}
		})
	}
}
