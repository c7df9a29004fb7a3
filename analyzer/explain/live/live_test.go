package live

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func connect(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	if _, err := conn.Exec(ctx, `create table t (id int primary key, v int);
		insert into t select i, i % 10 from generate_series(1, 1000) i; analyze t`); err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestExplain(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	conn := connect(t)

	p, err := Explain(ctx, conn, "select * from t where v = 3;", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Root.Type != "Seq Scan" || p.Root.RelationName != "t" || p.Analyzed() || p.Query != "select * from t where v = 3" || p.File != "--query" {
		t.Errorf("plan without ANALYZE: %+v (query %q)", p.Root, p.Query)
	}

	p, err = Explain(ctx, conn, "select * from t where v = 3", Options{Analyze: true, File: "q.sql"})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Analyzed() || p.Root.ActualRows != 100 || p.Root.RowsRemovedByFilter != 900 || !p.HasExecutionTime || p.Root.Buffers.SharedHit+p.Root.Buffers.SharedRead == 0 {
		t.Errorf("plan with ANALYZE: %+v", p.Root)
	}

	// A write is executed by ANALYZE, then rolled back.
	p, err = Explain(ctx, conn, "delete from t where v = 3", Options{Analyze: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Root.Type != "ModifyTable" || p.Root.Operation != "Delete" {
		t.Errorf("delete plan: %+v", p.Root)
	}
	// Nodes are numbered in plan order.
	for i, n := range p.Nodes() {
		if n.Line != i+1 {
			t.Errorf("node %d (%s) at line %d", i+1, n.Label(), n.Line)
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from t").Scan(&n); err != nil || n != 1000 {
		t.Errorf("after EXPLAIN ANALYZE DELETE: %d rows (%v), want 1000: the delete was not rolled back", n, err)
	}
	// A SELECT runs read-only: a function that writes fails.
	if _, err := conn.Exec(ctx, `create function bump() returns int language sql as 'insert into t values (5000, 0) returning 1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Explain(ctx, conn, "select bump()", Options{Analyze: true}); err == nil {
		t.Error("EXPLAIN ANALYZE of a SELECT that writes succeeded; want a read-only error")
	}
}

func TestRefused(t *testing.T) {
	for _, sql := range []string{
		"", "drop table t", "vacuum t", "select 1; select 2", "begin", "copy t to stdout",
		"explain select 1", "create index on t (v)", "set work_mem = '1GB'",
	} {
		t.Run(sql, func(t *testing.T) {
			// No connection is needed: the check comes first.
			_, err := Explain(context.Background(), nil, sql, Options{Analyze: true})
			if !errors.Is(err, ErrNotExplainable) {
				t.Errorf("Explain(%q) = %v, want ErrNotExplainable", sql, err)
			}
		})
	}
}
