package migration

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const traceSchema = `CREATE TABLE users (id bigint PRIMARY KEY, email text, n int);
INSERT INTO users SELECT g, 'u' || g, g FROM generate_series(1, 50000) g;
CREATE TABLE empty (id bigint PRIMARY KEY);
`

// traced builds and traces one migration on a fresh database holding
// traceSchema.
func traced(t *testing.T, src string, inTx bool) ([]*Migration, error) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	pgtest.Exec(t, url, traceSchema)
	cat := catalog.New()
	cat.Apply(traceSchema, "schema.sql")
	path := write(t, t.TempDir(), "1_m.sql", src)
	ms, err := Build(context.Background(), cat, []string{path}, Options{InTransaction: inTx})
	if err != nil {
		t.Fatal(err)
	}
	return ms, Trace(context.Background(), url, ms, inTx)
}

func TestTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ms, err := traced(t, `ALTER TABLE users ADD COLUMN note text;
ALTER TABLE users ALTER COLUMN n TYPE bigint;
CREATE INDEX users_email ON users (email);
CREATE INDEX CONCURRENTLY users_n ON users (n);
BEGIN;
ALTER TABLE empty ADD COLUMN x int;
SELECT count(*) FROM users;
COMMIT;
`, false)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Line      int
		Locks     []string
		Rewritten []string
	}
	var got []row
	for _, st := range ms[0].Statements {
		r := row{Line: st.Pos.Line, Rewritten: st.Trace.Rewritten}
		for _, l := range st.Trace.Locks {
			r.Locks = append(r.Locks, l.Table+" "+l.Mode)
			if l.Table == "public.users" && l.Rows != 50000 {
				t.Errorf("line %d: users has %v rows, want 50000", st.Pos.Line, l.Rows)
			}
		}
		got = append(got, r)
	}
	want := []row{
		{Line: 1, Locks: []string{"public.users AccessExclusiveLock"}},
		{Line: 2, Locks: []string{"public.users AccessExclusiveLock", "public.users ShareLock"}, Rewritten: []string{"public.users"}},
		{Line: 3, Locks: []string{"public.users ShareLock"}},
		{Line: 4, Locks: []string{"public.users ShareUpdateExclusiveLock"}},
		{Line: 5},
		{Line: 6, Locks: []string{"public.empty AccessExclusiveLock"}},
		{Line: 7, Locks: []string{"public.users AccessShareLock"}},
		{Line: 8},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("traces (-want +got):\n%s", diff)
	}
	// The lock taken at line 6 is held until COMMIT, after line 7.
	if l := ms[0].Statements[5].Trace.Locks[0]; l.HeldMS < ms[0].Statements[6].Trace.DurationMS {
		t.Errorf("lock held %v ms, less than the statement after it ran (%v ms)", l.HeldMS, ms[0].Statements[6].Trace.DurationMS)
	}
}

func TestTraceRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	_, err := traced(t, `ALTER TABLE users ADD COLUMN note text;
ALTER TABLE users
  ADD COLUMN email2 text REFERENCES nowhere (id);
`, false)
	var ee *ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("err = %v, want *ExecError", err)
	}
	// PostgreSQL gives no position for this error: the statement's.
	if ee.Pos.Line != 2 || ee.Message != `ERROR: relation "nowhere" does not exist (SQLSTATE 42P01)` {
		t.Errorf("error = %v at line %d", ee.Message, ee.Pos.Line)
	}
}

func TestTraceConcurrentlyInTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	_, err := traced(t, "CREATE INDEX CONCURRENTLY users_n ON users (n);\n", true)
	var ee *ExecError
	if !errors.As(err, &ee) || ee.Message != "ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE 25001)" {
		t.Fatalf("err = %v, want PostgreSQL's refusal", err)
	}
}
