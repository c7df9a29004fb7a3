package candidate_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestZZDebug(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pgtest.Exec(t, url, pgSchema)
	pgtest.Exec(t, url, pgData)
	conn := pgtest.Connect(t, url)
	conn.PgConn().Frontend() // keep import
	ctx := context.Background()
	var notices []string
	_ = notices
	cfg := conn.Config()
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { t.Logf("notice: %s %s", n.Message, n.Detail) }
	c2 := pgtest.Connect(t, url)
	_ = c2
	var s string
	for _, q := range []string{"select txid_current()::text", "select count(*)::text from pg_prepared_xacts", "select count(*)::text from pg_replication_slots", "show vacuum_defer_cleanup_age", "show old_snapshot_threshold", "show server_version", "select string_agg(pid::text||':'||coalesce(backend_xmin::text,'-')||':'||coalesce(backend_xid::text,'-')||':'||backend_type||':'||datname, ', ') from pg_stat_activity"} {
		if err := conn.QueryRow(ctx, q).Scan(&s); err != nil {
			t.Log(q, err)
		}
		t.Logf("%s => %s", q, s)
	}
	rows, _ := conn.Query(ctx, "VACUUM (VERBOSE) orders")
	rows.Close()
	var a int
	conn.QueryRow(ctx, "select relallvisible from pg_class where relname='orders'").Scan(&a)
	t.Logf("allvisible %d", a)
}
