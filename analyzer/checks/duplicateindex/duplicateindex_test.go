package duplicateindex_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/duplicateindex"
)

func TestDuplicateIndex(t *testing.T) {
	found := checktest.RunSchema(t, "testdata", duplicateindex.Check)
	// Columns too: a constraint's finding sits on its CONSTRAINT clause,
	// a CREATE INDEX's on the statement.
	want := map[string]check.Position{
		"constraint members_id_key": {File: "testdata/duplicates.sql", Line: 41, Column: 5},
		"index members_email_idx2":  {File: "testdata/duplicates.sql", Line: 47, Column: 1},
	}
	got := map[string]check.Position{}
	for _, f := range found {
		for prefix := range want {
			if strings.HasPrefix(f.Message, prefix+" ") {
				got[prefix] = f.Pos
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}
