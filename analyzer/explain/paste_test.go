package explain

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestPasted reads plans in the shapes people paste them (written by
// testdata/pasted/generate.sh from one PostgreSQL 15 database): each is
// the plan psql -At prints, up to timings.
func TestPasted(t *testing.T) {
	dir := "testdata/pasted/"
	plain := mustParse(t, dir+"plain.txt")
	var hashJoin *Node
	Walk(plain.Root, func(n, _ *Node) bool {
		if n.Type == "Hash Join" && hashJoin == nil {
			hashJoin = n
		}
		return true
	})
	if hashJoin == nil {
		t.Fatal("plain.txt has no Hash Join")
	}
	// The fragment's root has no parent: its relationship is unknown.
	fragmentRoot := *hashJoin
	fragmentRoot.ParentRelationship = ""
	fragment := &Plan{Root: &fragmentRoot}
	// Costs differ in the last digit between runs of the same statement
	// after the generator's VACUUM ANALYZE; rows and shape do not.
	shape := cmp.Options{volatile, cmpopts.IgnoreFields(Node{}, "StartupCost", "TotalCost", "PlanRows")}
	for _, tc := range []struct {
		file string
		want *Plan
	}{
		{"pgadmin_quoted.txt", plain},
		{"csv_export.txt", plain},
		{"csv_cell.txt", plain},
		{"session.txt", plain},
		{"session_fr.txt", plain},
		{"session_de.txt", plain},
		{"session_es.txt", plain},
		{"session_ja.txt", plain},
		{"unicode_border1.txt", plain},
		{"unicode_border2.txt", plain},
		{"ascii_border2.txt", plain},
		{"fragment.txt", fragment},
		{"fragment_selected.txt", fragment},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := mustParse(t, dir+tc.file)
			if d := cmp.Diff(tc.want, got, shape, cmpopts.IgnoreFields(Plan{}, "HasPlanningTime", "HasExecutionTime")); d != "" {
				t.Errorf("plan differs (-want +got):\n%s", d)
			}
			if got.Root.ActualRows == 0 || got.Root.PlanRows == 0 {
				t.Errorf("root %s: actual rows %v, plan rows %v", got.Root.Type, got.Root.ActualRows, got.Root.PlanRows)
			}
		})
	}
	t.Run("pg84_subquery.txt", func(t *testing.T) {
		p := mustParse(t, dir+"pg84_subquery.txt")
		r := p.Root
		if r.Type != "Subquery Scan" || r.Alias != "ss" || r.PlanRows != 3 || r.ActualRows != 10 || r.TotalCost != 45.23 || !p.HasExecutionTime {
			t.Errorf("root = %+v", r)
		}
		if len(r.Children) != 1 || r.Children[0].ParentRelationship != "Subquery" {
			t.Errorf("children = %+v", r.Children)
		}
	})
}

// TestPastedTimingLines checks that psql's timing lines in every language
// are dropped with the rest of the transcript, not read as plan lines.
func TestPastedTimingLines(t *testing.T) {
	for _, lang := range []string{"", "_fr", "_de", "_es", "_ja"} {
		file := "testdata/pasted/session" + lang + ".txt"
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			plans, err := Parse(data, file)
			if err != nil || len(plans) != 1 {
				t.Fatalf("Parse: %d plans, err %v", len(plans), err)
			}
			if !plans[0].HasExecutionTime || plans[0].ExecutionTime <= 0 {
				t.Errorf("execution time %v", plans[0].ExecutionTime)
			}
		})
	}
}
