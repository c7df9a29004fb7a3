package live

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSideEffects checks that EXPLAIN ANALYZE refuses, unless allowed,
// the statements whose effects survive the rollback: a sequence moved
// by an INSERT or by nextval, pg_stat_reset, pg_terminate_backend; and
// that ordinary statements and harmless volatile functions run.
func TestSideEffects(t *testing.T) {
	conn := connect(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `create table s (id serial primary key, note text);
		create table g (id int generated always as identity, note text);
		create sequence q`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sql  string
		want string // "" when it runs
	}{
		{"select * from t where v = 1", ""},
		{"select random(), clock_timestamp(), gen_random_uuid() from t limit 1", ""},
		{"update t set v = v + 1 where id = 1", ""},
		{"insert into t (id, v) values (5000, 1)", ""},
		{"insert into s (id, note) values (1, 'x')", ""},
		{"insert into s (note) values ('x')", "column id takes its value from a sequence"},
		{"insert into g (note) values ('x')", "column id takes its value from a sequence"},
		{"select nextval('q')", "calls nextval()"},
		{"select pg_stat_reset()", "calls pg_stat_reset()"},
		{"select pg_terminate_backend(0) from t limit 1", "calls pg_terminate_backend()"},
		{`select "pg_reload_conf"()`, "calls pg_reload_conf()"},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := Explain(ctx, conn, tc.sql, Options{Analyze: true})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var se *SideEffectError
			if !errors.As(err, &se) || !errors.Is(err, ErrSideEffects) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a side effect %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "--allow-side-effects") {
				t.Errorf("the message does not say how to run it anyway: %v", err)
			}
			// Plain EXPLAIN does not run it: no refusal.
			if _, err := Explain(ctx, conn, tc.sql, Options{}); err != nil {
				t.Errorf("EXPLAIN without ANALYZE: %v", err)
			}
		})
	}
	// Allowed, the INSERT runs and its sequence value is gone for good.
	if _, err := Explain(ctx, conn, "insert into s (note) values ('x')", Options{Analyze: true, AllowSideEffects: true}); err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := conn.QueryRow(ctx, "select last_value from s_id_seq where is_called").Scan(&last); err != nil {
		t.Fatal(err)
	}
	if last != 1 {
		t.Errorf("sequence at %d after the allowed run, want 1 (the rollback does not undo it)", last)
	}
}

func TestCalledNames(t *testing.T) {
	got := calledNames(`SELECT lower(a), public.f (b), "Quoted"(c), x::varchar(10) FROM t WHERE a IN (1) -- g(
		AND h /* c */ (1)`)
	want := []string{"Quoted", "f", "h", "in", "lower", "varchar"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
