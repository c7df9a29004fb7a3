package planheapfetches

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "heap_fetches.txt", Want: []string{`^Index Only Scan using visits_pkey on visits made [0-9,]+ heap fetches for 60,000 rows: .* VACUUM \(ANALYZE\) visits`}},
		{File: "heap_fetches.json", Want: []string{`heap fetches`}},
		// Vacuumed table: no heap fetches.
		{File: "index_only.txt"},
	})
}
