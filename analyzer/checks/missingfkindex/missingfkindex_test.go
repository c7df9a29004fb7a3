package missingfkindex_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/missingfkindex"
)

func TestMissingFKIndex(t *testing.T) {
	checktest.RunSchema(t, "testdata", missingfkindex.Check)
}

// TestSmallTables checks the threshold: with statistics, referencing
// tables under MinRows rows are not reported, bigger ones (and ones
// never analyzed) are.
func TestSmallTables(t *testing.T) {
	checktest.RunSchemaWith(t, "testdata/stats", missingfkindex.Check, checktest.Options{
		Catalog: func(t *testing.T, cat *catalog.Catalog) *catalog.Catalog {
			for name, rows := range map[string]float64{"small": missingfkindex.MinRows - 1, "big": missingfkindex.MinRows, "unanalyzed": -1} {
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
