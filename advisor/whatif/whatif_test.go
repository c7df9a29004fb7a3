package whatif

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func str(s string) *string { return &s }

// database returns a fresh database with HypoPG and a
// 100,000-row table.
func database(t *testing.T) string {
	t.Helper()
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, `CREATE EXTENSION hypopg;
		CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v text NOT NULL);
		INSERT INTO t SELECT g, g % 1000, 'v' || g FROM generate_series(1, 100000) g;
		ANALYZE t;`)
	return db
}

func TestEvaluators(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := database(t)
	ctx := context.Background()
	conn := pgtest.Connect(t, db)
	h, err := NewHypoPG(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	ix := Index{Name: "t_k_idx", DDL: "CREATE INDEX t_k_idx ON t (k)"}
	queries := []Query{
		{SQL: "SELECT v FROM t WHERE k = 5"},
		{SQL: "SELECT v FROM t WHERE k = $1", Params: []*string{str("5")}},
		{SQL: "SELECT v FROM t WHERE k = $1", Generic: true, NParams: 1},
	}
	evs := map[string]interface {
		Cost(context.Context, Query, []Index) (Result, error)
	}{"hypopg": h, "real": NewReal(pgtest.Connect(t, db))}
	for name, ev := range evs {
		t.Run(name, func(t *testing.T) {
			for _, q := range queries {
				base, err := ev.Cost(ctx, q, nil)
				if err != nil {
					t.Fatal(err)
				}
				with, err := ev.Cost(ctx, q, []Index{ix})
				if err != nil {
					t.Fatal(err)
				}
				if !with.Uses("t_k_idx") || with.Cost >= base.Cost/5 || base.Uses("t_k_idx") {
					t.Errorf("%s: without %+v, with %+v: want the index used and much cheaper", q.SQL, base, with)
				}
			}
		})
	}
	if n, err := h.Size(ctx, ix); err != nil || n <= 8192 {
		t.Errorf("HypoPG size = %d (%v), want an estimate", n, err)
	}
	// Nothing stays behind: HypoPG's indexes are gone after Close, the
	// real ones were rolled back.
	if err := h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var hypo, real int
	if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM hypopg_list_indexes), (SELECT count(*) FROM pg_class WHERE relname = 't_k_idx')").Scan(&hypo, &real); err != nil {
		t.Fatal(err)
	}
	if hypo != 0 || real != 0 {
		t.Errorf("%d hypothetical and %d real indexes left", hypo, real)
	}
	var prepared int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'pgadvisor_whatif'").Scan(&prepared); err != nil || prepared != 0 {
		t.Errorf("%d prepared statements left (%v)", prepared, err)
	}
}

// TestNoHypoPG checks the error when the extension is missing.
func TestNoHypoPG(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := pgtest.NewDatabase(t)
	if _, err := NewHypoPG(context.Background(), pgtest.Connect(t, db)); err != ErrNoHypoPG {
		t.Errorf("err = %v, want ErrNoHypoPG", err)
	}
}

// TestRecorded records answers from a live evaluator, saves them, and
// replays them offline.
func TestRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := database(t)
	ctx := context.Background()
	h, err := NewHypoPG(ctx, pgtest.Connect(t, db))
	if err != nil {
		t.Fatal(err)
	}
	rec := &Recorded{Live: h}
	q := Query{SQL: "SELECT v FROM t WHERE k = $1", Params: []*string{str("5")}}
	a := Index{Name: "a", DDL: "CREATE INDEX a ON t (k)"}
	b := Index{Name: "b", DDL: "CREATE INDEX b ON t (k, v)"}
	live, err := rec.Cost(ctx, q, []Index{a, b})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plans.json")
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	offline, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := offline.Cost(ctx, q, []Index{b, a}) // any order
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(live, got); diff != "" {
		t.Errorf("replayed result (-live +replayed):\n%s", diff)
	}
	if _, err := offline.Cost(ctx, q, []Index{a}); err == nil {
		t.Error("an unrecorded configuration was answered")
	}
}
