package migration

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// TestTransactional: only CONCURRENTLY as a keyword keeps a statement out
// of a transaction block, not the word in a comment, a literal or a
// quoted name; REFRESH MATERIALIZED VIEW CONCURRENTLY runs in one.
func TestTransactional(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{"CREATE INDEX CONCURRENTLY t_a_idx ON t (a)", false},
		{"drop index concurrently t_a_idx", false},
		{"ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", false},
		{"-- built CONCURRENTLY later\nCREATE INDEX t_a_idx ON t (a)", true},
		{"COMMENT ON TABLE t IS 'built concurrently'", true},
		{`ALTER TABLE t ADD COLUMN "concurrently" int`, true},
		{"REFRESH MATERIALIZED VIEW CONCURRENTLY mv", true},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			if got := transactional(&check.Statement{Text: tc.sql}); got != tc.want {
				t.Errorf("transactional(%q) = %v, want %v", tc.sql, got, tc.want)
			}
		})
	}
}
