package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// TestFromDBLockedTable checks that reading the schema does not wait for
// a table another session holds exclusively (pg_table_size waited for
// the lock: `analyze --db` then wrote no report at all), and that sizes
// still come from the statistics.
func TestFromDBLockedTable(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pgtest.Exec(t, url, `CREATE TABLE busy (id int PRIMARY KEY, note text);
		INSERT INTO busy SELECT g, 'x' || g FROM generate_series(1, 5000) g;
		CREATE TABLE free (id int PRIMARY KEY, n int DEFAULT 1 + 1 CHECK (n > 0));
		INSERT INTO free SELECT g, 1 FROM generate_series(1, 5000) g;
		ALTER TABLE busy ADD COLUMN n int DEFAULT 2 CHECK (n > 0);
		ANALYZE`)
	holder := pgtest.Connect(t, url)
	ctx := context.Background()
	if _, err := holder.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(ctx, "LOCK TABLE busy IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	defer holder.Exec(ctx, "ROLLBACK")
	conn := pgtest.Connect(t, url)
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	start := time.Now()
	c, err := catalog.FromDB(tctx, conn)
	if err != nil {
		t.Fatalf("FromDB with a locked table: %v (after %v)", err, time.Since(start))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("FromDB took %v", d)
	}
	tb := c.Tables["public.busy"]
	if tb == nil || tb.Stats == nil || tb.Stats.SizeBytes < 8192 {
		t.Fatalf("busy: %+v", tb)
	}
	if ix := c.Indexes["public.free_pkey"]; ix == nil || ix.SizeBytes < 8192 {
		t.Errorf("free_pkey: %+v", ix)
	}
	// The locked table's index definitions cannot be read without
	// waiting: they are skipped, with a message.
	found := false
	for _, e := range c.Errors {
		found = found || strings.Contains(e.Message, "busy_pkey")
	}
	if !found {
		t.Errorf("no message about busy_pkey: %v", c.Errors)
	}
}
