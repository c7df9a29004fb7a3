package candidate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

func TestPartitionDDL(t *testing.T) {
	ix := &Index{
		Table: query.TableName{Name: "events"}, Name: "events_user_id_idx", Method: "btree",
		Keys: []catalog.IndexKey{{Column: "user_id"}}, Predicate: "deleted_at IS NULL",
	}
	parts := []Partition{
		{Table: query.TableName{Name: "events_2023"}},
		{Table: query.TableName{Name: "events_2024"}, Parts: []Partition{
			{Table: query.TableName{Name: "events_2024_h1"}},
			{Table: query.TableName{Schema: "archive", Name: "events_2024_h2"}},
		}},
	}
	taken := func(schema, name string) bool { return schema == "" && name == "events_2023_user_id_idx" }
	got := ix.PartitionDDL(parts, taken)
	want := []string{
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2023_user_id_idx1 ON events_2023 (user_id) WHERE deleted_at IS NULL",
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2024_h1_user_id_idx ON events_2024_h1 (user_id) WHERE deleted_at IS NULL",
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2024_h2_user_id_idx ON archive.events_2024_h2 (user_id) WHERE deleted_at IS NULL",
		"CREATE INDEX IF NOT EXISTS events_2024_user_id_idx ON ONLY events_2024 (user_id) WHERE deleted_at IS NULL",
		"ALTER INDEX events_2024_user_id_idx ATTACH PARTITION events_2024_h1_user_id_idx",
		"ALTER INDEX events_2024_user_id_idx ATTACH PARTITION archive.events_2024_h2_user_id_idx",
		"CREATE INDEX IF NOT EXISTS events_user_id_idx ON ONLY events (user_id) WHERE deleted_at IS NULL",
		"ALTER INDEX events_user_id_idx ATTACH PARTITION events_2023_user_id_idx1",
		"ALTER INDEX events_user_id_idx ATTACH PARTITION events_2024_user_id_idx",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PartitionDDL (-want +got):\n%s", d)
	}
}
