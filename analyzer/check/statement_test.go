package check_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// TestSetModel checks that the accesses are derived once with the model,
// from the query an EXPLAIN or CREATE TABLE AS runs, and cleared with it.
func TestSetModel(t *testing.T) {
	tests := []struct {
		sql  string
		want []string // table of each access
	}{
		{"SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = 1", []string{"orders", "users"}},
		{"EXPLAIN ANALYZE SELECT * FROM orders WHERE id = 1", []string{"orders"}},
		{"CREATE TABLE recent AS SELECT * FROM events WHERE at > now()", []string{"events"}},
		{"SET search_path TO app", nil},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			m, err := sqlparse.Analyze(tt.sql, nil)
			if err != nil {
				t.Fatal(err)
			}
			s := &check.Statement{Text: tt.sql}
			s.SetModel(m)
			if s.Model != m {
				t.Fatal("SetModel did not set Model")
			}
			var got []string
			for _, a := range s.Accesses {
				got = append(got, a.Table.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("accesses (-want +got):\n%s", diff)
			}
			if q := s.Query(); len(tt.want) > 0 && (q == nil || len(q.Queries) == 0) {
				t.Errorf("Query() = %v, want the statement the accesses index", q)
			}
			s.SetModel(nil)
			if s.Accesses != nil || s.Query() != nil {
				t.Errorf("SetModel(nil) left accesses %v", s.Accesses)
			}
		})
	}
}
