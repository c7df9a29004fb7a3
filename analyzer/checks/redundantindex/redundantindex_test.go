package redundantindex_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/redundantindex"
)

func TestRedundantIndex(t *testing.T) {
	checktest.RunSchema(t, "testdata", redundantindex.Check)
}

// TestInvalidWider checks that an invalid index (as a live database
// reports one left by a failed CREATE INDEX CONCURRENTLY) makes nothing
// redundant.
func TestInvalidWider(t *testing.T) {
	checktest.RunSchemaWith(t, "testdata/invalid", redundantindex.Check, checktest.Options{
		Catalog: func(t *testing.T, cat *catalog.Catalog) *catalog.Catalog {
			ix := cat.Indexes["public.orders_status_created_idx"]
			if ix == nil {
				t.Fatal("no index orders_status_created_idx")
			}
			ix.Valid = false
			return cat
		},
	})
}
