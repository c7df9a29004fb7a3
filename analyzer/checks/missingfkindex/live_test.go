package missingfkindex

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestPartitionFixOnPostgres loads the partitioned schema of the e2e case
// analyze-partitioned into a real PostgreSQL, reads its catalog from
// there, and runs the fix the check proposes for the foreign key its
// partitions declare: every statement runs (CONCURRENTLY on the
// partitions), and the parent's index and every partition's are valid.
func TestPartitionFixOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	conn := pgtest.Connect(t, url)
	schema, err := os.ReadFile("../../../testdata/e2e/analyze-partitioned/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, string(schema)); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.FromDB(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	got := check.Run([]*check.Check{Check}, check.Input{Catalog: cat, HasCatalog: true})
	if len(got) != 1 || got[0].Fix == nil {
		for _, f := range got {
			t.Logf("finding: %s", f.Message)
		}
		t.Fatalf("%d findings, want 1 with a fix", len(got))
	}
	if !strings.Contains(got[0].Message, "of partitions clicks_2023, clicks_2024 of clicks") {
		t.Errorf("message %q", got[0].Message)
	}
	for _, stmt := range strings.Split(strings.TrimSuffix(got[0].Fix.SQL, ";"), ";\n") {
		// One at a time: CONCURRENTLY refuses a transaction block.
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	rows, err := conn.Query(ctx, `
		select c.relname, i.relname, x.indisvalid
		from pg_class c
		left join pg_index x on x.indrelid = c.oid
		left join pg_class i on i.oid = x.indexrelid
		where c.relname like 'clicks%' and c.relkind in ('r', 'p')
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]bool{}
	for rows.Next() {
		var table string
		var index *string
		var valid *bool
		if err := rows.Scan(&table, &index, &valid); err != nil {
			t.Fatal(err)
		}
		if index == nil || valid == nil || !*valid {
			t.Errorf("%s: index %v, valid %v", table, index, valid)
			continue
		}
		indexed[table] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"clicks", "clicks_2023", "clicks_2024", "clicks_2024_a", "clicks_2024_b"} {
		if !indexed[table] {
			t.Errorf("%s has no valid index", table)
		}
	}
	// The catalog read again: nothing left to report.
	if cat, err = catalog.FromDB(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if got := check.Run([]*check.Check{Check}, check.Input{Catalog: cat, HasCatalog: true}); len(got) != 0 {
		t.Errorf("after the fix: %d findings: %s", len(got), got[0].Message)
	}
}
