// Package plantest is the test harness of the plan checks: each case is a
// plan file that PostgreSQL wrote and the findings the check must report
// on it, with the line of the node each one is about. Only tests import
// it, so the testing package stays out of the binary.
package plantest

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Case is one test of a plan check: a plan file of the check's testdata
// and the regular expressions its findings' "message help fix" must
// match, in order; no Want means the check must stay silent. A want that
// starts with "@N " also asserts that the finding is about the node on
// line N of the file.
type Case struct {
	File string
	Want []string
}

// atLine is the "@N " prefix of a want.
var atLine = regexp.MustCompile(`^@(\d+) `)

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
				want := tc.Want[i]
				if m := atLine.FindStringSubmatch(want); m != nil {
					want = want[len(m[0]):]
					if line, _ := strconv.Atoi(m[1]); f.Pos.Line != line || f.Node == nil || f.Node.Line != line {
						t.Errorf("finding %d is about line %d, want the node on line %d", i, f.Pos.Line, line)
					}
				}
				if !regexp.MustCompile(want).MatchString(text) {
					t.Errorf("finding %d:\n%s\ndoes not match %q", i, text, want)
				}
			}
		})
	}
}
