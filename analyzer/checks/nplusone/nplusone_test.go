package nplusone

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

func TestRun(t *testing.T) {
	loops := []check.Loop{
		{Kind: "loop", Pos: check.Position{File: "app.log", Line: 14}, Fingerprint: "a", Normalized: "SELECT id, name FROM users WHERE id = $1",
			ParentNormalized: "SELECT id, author_id FROM posts WHERE blog_id = $1", Bursts: 3, MaxRepeats: 8, TotalCalls: 24, TotalMS: 2.4,
			SavedCalls: 21, SavedMS: 2.1, Suggestion: "run it once", SQL: "SELECT id, name FROM users WHERE id = ANY($1)"},
		{Kind: "batch-writes", Pos: check.Position{File: "app.log", Line: 96}, Fingerprint: "b", Normalized: "UPDATE counters SET hits = hits + 1 WHERE id = $1",
			Bursts: 1, MaxRepeats: 10, TotalCalls: 10, TotalMS: 1, Suggestion: "batch them"},
		{Kind: "cache", Pos: check.Position{File: "app.log", Line: 85}, Fingerprint: "c", Normalized: "SELECT value FROM settings WHERE key = $1",
			Bursts: 1, MaxRepeats: 7, TotalCalls: 7, TotalMS: 0.7, Suggestion: "keep it"},
		{Kind: "suspect", Pos: check.Position{File: "pg_stat_statements"}, Fingerprint: "d", Normalized: "SELECT name FROM users WHERE id = $1",
			TotalCalls: 50000, TotalMS: 1500, RowsPerCall: 1, Suggestion: "confirm"},
	}
	got := check.Run([]*check.Check{Check}, check.Input{Catalog: catalog.New(), Loops: loops})
	want := []check.Finding{
		{Check: "n-plus-one", Severity: check.Warning, Pos: check.Position{File: "app.log", Line: 14}, Fingerprint: "a",
			Message: "N+1 loop: SELECT id, name FROM users WHERE id = $1 ran once per row of SELECT id, author_id FROM posts WHERE blog_id = $1: 24 calls in 3 bursts (up to 8 in one), 2.400 ms; batched, 21 calls and about 2.100 ms disappear",
			Help:    "run it once", Fix: &check.Fix{SQL: "SELECT id, name FROM users WHERE id = ANY($1)"}},
		{Check: "n-plus-one", Severity: check.Info, Pos: check.Position{File: "app.log", Line: 96}, Fingerprint: "b",
			Message: "repeated single-row writes: UPDATE counters SET hits = hits + 1 WHERE id = $1 ran 10 times in 1 bursts (up to 10 in one), with no parent query, 1.000 ms: batch them",
			Help:    "batch them"},
		{Check: "n-plus-one", Severity: check.Info, Pos: check.Position{File: "app.log", Line: 85}, Fingerprint: "c",
			Message: "the same query with the same values: SELECT value FROM settings WHERE key = $1 ran 7 times in 1 bursts (up to 7 in one), 0.700 ms: cache the result",
			Help:    "keep it"},
		{Check: "n-plus-one", Severity: check.Info, Pos: check.Position{File: "pg_stat_statements"}, Fingerprint: "d",
			Message: "suspected N+1 loop (pg_stat_statements, no sessions to confirm it): SELECT name FROM users WHERE id = $1: 50000 calls, 0.030 ms each, 1.00 rows per call",
			Help:    "confirm"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
