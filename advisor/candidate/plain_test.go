package candidate_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

func TestPlainDDL(t *testing.T) {
	tests := []struct {
		ix   candidate.Index
		want string
	}{
		{candidate.Index{Table: query.TableName{Name: "readings"}, Name: "readings_device_idx", Keys: []catalog.IndexKey{{Column: "device"}}},
			"CREATE INDEX IF NOT EXISTS readings_device_idx ON readings (device)"},
		{candidate.Index{Table: query.TableName{Schema: "app", Name: "events"}, Name: "events_kind_idx", Method: "btree",
			Keys: []catalog.IndexKey{{Column: "kind"}}, Predicate: "deleted_at IS NULL"},
			"CREATE INDEX IF NOT EXISTS events_kind_idx ON app.events (kind) WHERE deleted_at IS NULL"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.ix.PlainDDL(); got != tc.want {
				t.Errorf("PlainDDL() = %q, want %q", got, tc.want)
			}
		})
	}
}
