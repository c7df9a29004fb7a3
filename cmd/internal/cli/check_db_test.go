package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

const checkDBSchema = `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric(10,2));
CREATE INDEX orders_user_id ON orders (user_id);
`

const checkDBData = `INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' || g FROM generate_series(1, 20000) g;
INSERT INTO orders SELECT g, 1 + g % 20000, g FROM generate_series(1, 40000) g;
`

// checkDB runs `pgadvisor check --trace-db` on a fresh database holding
// checkDBSchema and checkDBData, with the migration files and the
// workload given, and returns the report, the exit code and stderr.
func checkDB(t *testing.T, migrations map[string]string, workload string) (report.Report, int, string) {
	t.Helper()
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, checkDBSchema+checkDBData)
	dir := t.TempDir()
	for name, src := range migrations {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wl := filepath.Join(t.TempDir(), "queries.sql")
	if err := os.WriteFile(wl, []byte(workload), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"check", "--trace-db", db, "--workload", wl, "--format", "json", dir},
		Streams{Out: &out, Err: &errOut})
	var rep report.Report
	if out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("decode report: %v\n%s", err, out.String())
		}
	}
	return rep, code, errOut.String()
}

// TestCheckTraceDB applies a migration set to a real PostgreSQL: the
// dropped index of a workload query is caught with the query and the
// statement named, the rewrite and the ACCESS EXCLUSIVE lock are
// measured on the table with rows.
func TestCheckTraceDB(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	rep, code, stderr := checkDB(t, map[string]string{
		"001_lock_timeout.sql": "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN age int;\n",
		"002_drop.sql":         "SET lock_timeout = '5s';\nDROP INDEX CONCURRENTLY orders_user_id;\nALTER TABLE users ALTER COLUMN name TYPE varchar(40);\n",
	}, "SELECT id, total FROM orders WHERE user_id = $1;\nSELECT name FROM users WHERE id = $1;\n")
	if code != ExitFindings {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	want := []struct {
		check, at string
		parts     []string
	}{
		{"workload-regression", "002_drop.sql:2", []string{"dropping index orders_user_id slows down the workload query at ", "queries.sql:1 (SELECT id, total FROM orders WHERE user_id = $1)", "now a sequential scan of orders"}},
		{"traced-rewrite", "002_drop.sql:3", []string{"the statement rewrote table users (20000 rows)"}},
		{"traced-lock", "002_drop.sql:3", []string{"ALTER TABLE held an ACCESS EXCLUSIVE lock on users (20000 rows)"}},
		{"alter-column-type", "002_drop.sql:3", []string{"changing users.name from text to character varying(40)"}},
	}
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			if f.Check != w.check || filepath.Base(f.File)+":"+itoa(f.Line) != w.at {
				continue
			}
			ok := true
			for _, p := range w.parts {
				ok = ok && strings.Contains(f.Message, p)
			}
			found = found || ok
		}
		if !found {
			t.Errorf("no %s finding at %s saying %q; findings:\n%s", w.check, w.at, w.parts, findingsText(rep))
		}
	}
}

// TestCheckTraceSafe applies a safe migration set: exit 0, no finding.
func TestCheckTraceSafe(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	rep, code, stderr := checkDB(t, map[string]string{
		"001_index.sql": "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_total ON orders (user_id) INCLUDE (total);\nDROP INDEX CONCURRENTLY IF EXISTS orders_user_id;\n",
		"002_fk.sql":    "SET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n",
	}, "SELECT id, total FROM orders WHERE user_id = $1;\n")
	if code != ExitOK || len(rep.Findings) != 0 {
		t.Fatalf("exit code %d, findings:\n%s\nstderr:\n%s", code, findingsText(rep), stderr)
	}
}

// TestCheckTraceRejected applies a migration PostgreSQL rejects: exit 3,
// its error with file and line, and the migrations applied before it.
func TestCheckTraceRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	_, code, stderr := checkDB(t, map[string]string{
		"001_ok.sql":   "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN age int;\n",
		"002_bad.sql":  "SET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (nope) NOT VALID;\n",
		"003_next.sql": "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN x int;\n",
	}, "SELECT 1;\n")
	if code != ExitInput {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, ExitInput, stderr)
	}
	for _, w := range []string{"002_bad.sql:2:1: ERROR: column \"nope\" referenced in foreign key constraint does not exist", "migrations applied before it: ", "001_ok.sql)"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func findingsText(rep report.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(f.Check + " " + filepath.Base(f.File) + ":" + itoa(f.Line) + ": " + f.Message + "\n")
	}
	return b.String()
}
