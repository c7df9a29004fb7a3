package measure

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func indexExists(t *testing.T, db, name string) bool {
	t.Helper()
	var ok bool
	if err := pgtest.Connect(t, db).QueryRow(context.Background(), "SELECT EXISTS (SELECT FROM pg_class WHERE relname = $1)", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestMeasure builds an index between two series of runs, reports real
// figures, rolls writes back, and drops the index.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v int NOT NULL);
		INSERT INTO t SELECT g, g % 1000, g FROM generate_series(1, 100000) g; ANALYZE t;`)
	conn := pgtest.Connect(t, db)
	k := "7"
	ix := Index{Name: "t_k_idx", Schema: "public", DDL: "CREATE INDEX t_k_idx ON t (k)", Queries: []Query{
		{ID: "read", Query: whatif.Query{SQL: "SELECT v FROM t WHERE k = $1", Params: []*string{&k}}},
		{ID: "write", Query: whatif.Query{SQL: "UPDATE t SET v = v + 1 WHERE k = $1", Params: []*string{&k}}, Write: true},
	}}
	out, err := Measure(context.Background(), conn, ix, Options{Runs: 3})
	if err != nil {
		t.Fatal(err)
	}
	if out.SizeBytes <= 0 || out.BuildMS <= 0 || len(out.Timings) != 2 {
		t.Fatalf("outcome = %+v, want a size, a build time and two timings", out)
	}
	for _, tm := range out.Timings {
		if tm.Err != nil || tm.Runs != 3 || !tm.UsesIndex || tm.AfterMS >= tm.BeforeMS || tm.BeforeHit+tm.BeforeRead == 0 {
			t.Errorf("timing %+v: want 3 runs, faster with the index, which the plan uses, and buffers", tm)
		}
	}
	var sum int64
	if err := conn.QueryRow(context.Background(), "SELECT sum(v) FROM t").Scan(&sum); err != nil || sum != 100000*100001/2 {
		t.Errorf("sum(v) = %d (%v): the measured UPDATE was not rolled back", sum, err)
	}
	if indexExists(t, db, "t_k_idx") {
		t.Error("the index is still there after measuring")
	}
}

// TestMeasureInterrupted cancels the measurement while the index exists:
// the index must be dropped all the same.
func TestMeasureInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g;`)
	conn := pgtest.Connect(t, db)
	// Slow only once the index exists: the cancellation falls after the
	// build, in the second series.
	slow := "SELECT pg_sleep(CASE WHEN EXISTS (SELECT FROM pg_class WHERE relname = 't_k_idx') THEN 30 ELSE 0 END)"
	ix := Index{Name: "t_k_idx", Schema: "public", DDL: "CREATE INDEX t_k_idx ON t (k)", Queries: []Query{{ID: "q", Query: whatif.Query{SQL: slow}}}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := Measure(ctx, conn, ix, Options{Runs: 1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s: the running statement was not cancelled", d)
	}
	if indexExists(t, db, "t_k_idx") {
		t.Error("the index survived the interruption")
	}
}
