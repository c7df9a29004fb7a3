package missingindex_test

import (
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/missingindex"
)

func TestMissingIndex(t *testing.T) {
	for _, f := range checktest.Run(t, "testdata/shop", missingindex.Check) {
		if f.Fix == nil || f.Severity != check.Warning {
			t.Errorf("%s: fix %v, severity %v: want a fix and a warning", f.Pos, f.Fix, f.Severity)
			continue
		}
		// The fix carries the statement and the index as data; the help
		// points at it rather than repeating it (the engine merges
		// proposals and may rename the index).
		ddl := strings.TrimSuffix(f.Fix.SQL, ";")
		if !strings.HasPrefix(ddl, "CREATE INDEX ") || f.Fix.Index == nil || strings.Contains(f.Help, "CREATE INDEX") {
			t.Errorf("%s: help %q, fix %q, index %v: want the statement and the index in the fix only", f.Pos, f.Help, f.Fix.SQL, f.Fix.Index)
		}
	}
}

// TestSmallTables checks the threshold: with statistics, tables under
// MinRows rows are not reported; bigger ones and never analyzed ones
// (reltuples -1) are.
func TestSmallTables(t *testing.T) {
	checktest.RunWith(t, "testdata/stats", missingindex.Check, checktest.Options{
		Catalog: func(t *testing.T, cat *catalog.Catalog) *catalog.Catalog {
			for name, rows := range map[string]float64{"tiny": missingindex.MinRows - 1, "big": missingindex.MinRows, "unanalyzed": -1} {
				tab := cat.Tables["public."+name]
				if tab == nil {
					t.Fatalf("no table %s", name)
				}
				tab.Stats = &catalog.TableStats{RowEstimate: rows}
			}
			return cat
		},
	})
}

// TestNoSchema checks that the check needs a schema.
func TestNoSchema(t *testing.T) {
	stmts := checktest.Statements("q.sql", "SELECT * FROM t WHERE x = 1", nil)
	if got := check.Run([]*check.Check{missingindex.Check}, check.Input{Statements: stmts, Catalog: catalog.New()}); len(got) != 0 {
		t.Errorf("findings without a schema: %v", got)
	}
}
