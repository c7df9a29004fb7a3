package plancheck

import (
	"os"
	"regexp"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Case is one test of a plan check: a plan file of the check's testdata
// and the regular expressions its findings' "message help fix" must
// match, in order; no Want means the check must stay silent.
type Case struct {
	File string
	Want []string
}

// RunCases runs c on each case's plan and compares its findings. Tests
// of the plan checks call it.
func RunCases(t *testing.T, c *check.Check, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.File, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.File)
			if err != nil {
				t.Fatal(err)
			}
			plans, err := explain.Parse(data, tc.File)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := check.Run([]*check.Check{c}, check.Input{Catalog: catalog.New(), Plans: plans})
			if len(got) != len(tc.Want) {
				for _, f := range got {
					t.Logf("finding: %s: %s | %s", f.Pos, f.Message, f.Help)
				}
				t.Fatalf("%d findings, want %d", len(got), len(tc.Want))
			}
			for i, f := range got {
				if f.Check != c.Name || f.Pos.File != tc.File || f.Pos.Line == 0 {
					t.Errorf("finding %d: check %q at %s, want %q at a line of %s", i, f.Check, f.Pos, c.Name, tc.File)
				}
				text := f.Message + " | " + f.Help
				if f.Fix != nil {
					text += " | " + f.Fix.SQL
				}
				if !regexp.MustCompile(tc.Want[i]).MatchString(text) {
					t.Errorf("finding %d:\n%s\ndoes not match %q", i, text, tc.Want[i])
				}
			}
		})
	}
}
