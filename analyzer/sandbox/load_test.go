package sandbox_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// loaders are the two ways a script is loaded: psql when installed, pgx
// otherwise.
var loaders = []struct {
	name string
	load func(ctx context.Context, conn, path string) error
}{
	{"psql", sandbox.LoadFile},
	{"pgx", func(ctx context.Context, conn, path string) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return sandbox.LoadWithPgx(ctx, conn, path, f)
	}},
}

const sourceSchema = `
CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, note text, tags text[], created date);
INSERT INTO users VALUES
  (1, 'a@example.com', E'tab\there\nnewline \\ backslash', '{x,y}', '2024-01-02'),
  (2, 'b@example.com', NULL, '{}', NULL),
  (3, 'semi;colon', 'it''s $$ dollar -- not a comment', NULL, '2024-03-04');
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id int REFERENCES users, total numeric(10,2));
INSERT INTO orders (user_id, total) SELECT (g % 3) + 1, g * 1.5 FROM generate_series(1, 500) g;
CREATE INDEX orders_user_id_idx ON orders (user_id) WHERE total > 10;
CREATE FUNCTION next_id(x int) RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
  RETURN x + 1; -- a semicolon; in a body
END;
$body$;
CREATE VIEW order_totals AS
  SELECT u.email, count(*) AS n, sum(o.total) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY 1;
COMMENT ON TABLE users IS 'people; with semicolons';
`

// snapshot describes a database's content as text, for comparisons.
var snapshot = []string{
	"SELECT string_agg(format('%s|%s|%s|%s|%s', id, email, note, tags, created), E'\\n' ORDER BY id) FROM users",
	"SELECT count(*) || ' ' || sum(total) || ' ' || max(id) FROM orders",
	"SELECT last_value::text FROM orders_id_seq",
	"SELECT next_id(41)::text",
	"SELECT string_agg(email || ' ' || n || ' ' || total, ', ' ORDER BY email) FROM order_totals",
	"SELECT string_agg(indexdef, '; ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'",
	"SELECT obj_description('users'::regclass)",
}

func takeSnapshot(t *testing.T, conn string) []string {
	t.Helper()
	c := pgtest.Connect(t, conn)
	var out []string
	for _, q := range snapshot {
		var s string
		if err := c.QueryRow(context.Background(), q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, s)
	}
	return out
}

// TestLoadDump loads a real pg_dump file (COPY FROM stdin blocks,
// dollar-quoted bodies, psql meta-commands) with each loader and
// compares the result with the dumped database.
func TestLoadDump(t *testing.T) {
	src := pgtest.NewDatabase(t)
	pgtest.Exec(t, src, sourceSchema)
	want := takeSnapshot(t, src)

	bin, err := sandbox.FindBinDir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pgDump := bin.Tool("pg_dump")
	if pgDump == "" {
		t.Fatalf("no pg_dump in %s", bin.Path)
	}
	dump := filepath.Join(t.TempDir(), "dump.sql")
	if out, err := exec.Command(pgDump, "--no-owner", "--no-privileges", "--file", dump, "--dbname", src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, out)
	}
	text, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"COPY public.users", "FROM stdin;", "AS $$", "\n\\.\n"} {
		if !strings.Contains(string(text), s) {
			t.Fatalf("dump lacks %q, the test would prove nothing", s)
		}
	}
	for _, l := range loaders {
		t.Run(l.name, func(t *testing.T) {
			dst := pgtest.NewDatabase(t)
			if err := l.load(context.Background(), dst, dump); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, takeSnapshot(t, dst)); diff != "" {
				t.Errorf("loaded database differs from the dumped one (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badValue := write("bad_value.sql", "SELECT 1;\nCREATE TABLE a (id int);\nINSERT INTO a\nVALUES ('x')\n;\nSELECT 2;\n")
	badCopy := write("bad_copy.sql", "CREATE TABLE b (id int);\nCOPY b (id) FROM stdin;\n1\nzz\n\\.\n")
	meta := write("meta.sql", "CREATE TABLE c (id int);\n\\connect other_db\n")
	tests := []struct {
		file string
		want map[string]string // loader → error
	}{
		{badValue, map[string]string{
			// psql names the line where the statement (or COPY data)
			// ends, pgx the line the server points at.
			"psql": "load " + badValue + `:5: ERROR: invalid input syntax for type integer: "x"`,
			"pgx":  "load " + badValue + `:4: ERROR: invalid input syntax for type integer: "x"`,
		}},
		{badCopy, map[string]string{
			"psql": "load " + badCopy + `:5: ERROR: invalid input syntax for type integer: "zz"`,
			"pgx":  "load " + badCopy + `:4: ERROR: invalid input syntax for type integer: "zz"`,
		}},
		{meta, map[string]string{
			"psql": "load " + meta + `:2: error: \connect: connection to server`,
			"pgx":  "load " + meta + `:2: psql meta-command \connect needs psql, which is not installed`,
		}},
	}
	for _, tt := range tests {
		for _, l := range loaders {
			t.Run(filepath.Base(tt.file)+"/"+l.name, func(t *testing.T) {
				db := pgtest.NewDatabase(t)
				err := l.load(context.Background(), db, tt.file)
				if err == nil {
					t.Fatal("load succeeded")
				}
				if !strings.HasPrefix(err.Error(), tt.want[l.name]) {
					t.Errorf("error =\n%s\nwant prefix\n%s", err, tt.want[l.name])
				}
			})
		}
	}
}

// TestLoadSQL loads a script from a reader and names it in errors.
func TestLoadSQL(t *testing.T) {
	db := pgtest.NewDatabase(t)
	err := sandbox.LoadSQL(context.Background(), db, "schema.sql", strings.NewReader("CREATE TABLE t (id int);\nCOPY t FROM stdin;\n7\n\\.\nSELECT nope;\n"))
	want := `load schema.sql:5: ERROR: column "nope" does not exist`
	if err == nil || err.Error() != want {
		t.Fatalf("LoadSQL() error = %v, want %s", err, want)
	}
	var n int
	if err := pgtest.Connect(t, db).QueryRow(context.Background(), "SELECT id FROM t").Scan(&n); err != nil || n != 7 {
		t.Errorf("SELECT id FROM t = %d, %v; want 7", n, err)
	}
}
