package plancoldcache

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "cold_scan.txt", Want: []string{`^100 % of the shared blocks were read rather than found in shared buffers \(18,519 read, 0 hit, 144.7 MB\); most by Seq Scan on archive \| run the query again`}},
		{File: "cold_scan.json", Want: []string{`were read rather than found`}},
		// Read mostly, but under 1,000 blocks.
		{File: "misestimate.txt"},
		{File: "pk_lookup.txt"},
	})
}
