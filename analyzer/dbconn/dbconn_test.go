package dbconn_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConfig(t *testing.T) {
	tests := []struct {
		name string
		conn string
		opts dbconn.Options
		want map[string]string
	}{
		{
			name: "defaults",
			conn: "postgres://u@h/db?application_name=other",
			want: map[string]string{
				"application_name":              "pgadvisor",
				"statement_timeout":             "30000",
				"lock_timeout":                  "5000",
				"default_transaction_read_only": "on",
			},
		},
		{
			name: "write and custom timeouts",
			conn: "host=h dbname=db default_transaction_read_only=on",
			opts: dbconn.Options{Write: true, StatementTimeout: 2 * time.Minute, LockTimeout: 250 * time.Millisecond},
			want: map[string]string{
				"application_name":  "pgadvisor",
				"statement_timeout": "120000",
				"lock_timeout":      "250",
			},
		},
		{
			name: "timeouts disabled",
			conn: "postgres://h/db",
			opts: dbconn.Options{StatementTimeout: -1, LockTimeout: -1},
			want: map[string]string{
				"application_name":              "pgadvisor",
				"statement_timeout":             "0",
				"lock_timeout":                  "0",
				"default_transaction_read_only": "on",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := dbconn.Config(tt.conn, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfg.RuntimeParams); diff != "" {
				t.Errorf("runtime parameters (-want +got):\n%s", diff)
			}
			if cfg.ConnectTimeout != dbconn.DefaultConnectTimeout {
				t.Errorf("connect timeout = %v, want %v", cfg.ConnectTimeout, dbconn.DefaultConnectTimeout)
			}
		})
	}
}

// TestConnectErrors checks that failures read as one sentence without
// the password, whatever the failure.
func TestConnectErrors(t *testing.T) {
	db := pgtest.NewDatabase(t)
	noDB := strings.Replace(db, "/pgadvisor_test_", "/no_such_db_", 1)
	tests := []struct {
		name string
		conn string
		want string // the whole message, or a prefix ending in "..."
	}{
		{
			name: "refused url",
			conn: "postgres://someone:hunter2@127.0.0.1:1/db",
			want: "cannot connect to postgres://someone@127.0.0.1:1/db: connection refused",
		},
		{
			name: "refused keyword/value",
			conn: "host=127.0.0.1 port=1 user=someone password=hunter2 dbname=db",
			want: "cannot connect to host=127.0.0.1 port=1 user=someone dbname=db: connection refused",
		},
		{
			name: "unknown host",
			conn: "postgres://someone:hunter2@no-such-host.invalid:5432/db",
			want: "cannot connect to postgres://someone@no-such-host.invalid:5432/db: lookup no-such-host.invalid...",
		},
		{
			name: "missing socket",
			conn: "postgres://someone:hunter2@/db?host=/nonexistent/dir",
			want: "cannot connect to postgres://someone@/db?host=/nonexistent/dir: no such file or directory",
		},
		{
			name: "invalid port",
			conn: "postgres://someone:hunter2@host:notaport/db",
			want: "invalid connection string postgres://someone@host:notaport/db: ...",
		},
		{
			name: "invalid keyword",
			conn: "host=h password=hunter2 bogus",
			want: "invalid connection string host=h bogus: ...",
		},
		{
			name: "no such database",
			conn: noDB,
			want: "cannot connect to " + noDB + `: database "` + databaseOf(t, noDB) + `" does not exist`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := dbconn.Connect(ctx, tt.conn, dbconn.Options{})
			if err == nil {
				c.Close(ctx)
				t.Fatal("Connect succeeded")
			}
			checkMessage(t, err, tt.want)
		})
	}
}

// databaseOf returns the database name of a connection URL.
func databaseOf(t *testing.T, conn string) string {
	t.Helper()
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func checkMessage(t *testing.T, err error, want string) {
	t.Helper()
	got := err.Error()
	if prefix, ok := strings.CutSuffix(want, "..."); ok {
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("error =\n%s\nwant prefix\n%s", got, prefix)
		}
	} else if got != want {
		t.Errorf("error =\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(got, "hunter2") || strings.Contains(got, "s3cr3t") {
		t.Errorf("error shows the password: %s", got)
	}
	if strings.Contains(got, "\n") {
		t.Errorf("error is not one line: %q", got)
	}
	var e *dbconn.Error
	if !errors.As(err, &e) {
		t.Errorf("error %T is not a *dbconn.Error", err)
	}
}

// TestConnectWrongPassword uses a dedicated server whose pg_hba.conf
// asks for a password, which the shared server must not be changed to.
func TestConnectWrongPassword(t *testing.T) {
	c := pgtest.NewServer(t, sandbox.Options{})
	pgtest.Exec(t, c.URL("postgres"), "CREATE ROLE pwuser LOGIN PASSWORD 's3cr3t'")
	hba := "local all pwuser scram-sha-256\nlocal all all trust\n"
	if err := os.WriteFile(filepath.Join(c.DataDir(), "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, c.URL("postgres"), "SELECT pg_reload_conf()")

	ctx := context.Background()
	good := "postgres://pwuser:s3cr3t@/postgres?host=" + c.Dir()
	var conn interface{ Close(context.Context) error }
	// The reload is asynchronous: wait until the right password works.
	deadline := time.Now().Add(10 * time.Second)
	for {
		cn, err := dbconn.Connect(ctx, good, dbconn.Options{})
		if err == nil {
			conn = cn
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("connect with the right password: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn.Close(ctx)

	bad := "postgres://pwuser:hunter2@/postgres?host=" + c.Dir()
	_, err := dbconn.Connect(ctx, bad, dbconn.Options{})
	if err == nil {
		t.Fatal("Connect with a wrong password succeeded")
	}
	checkMessage(t, err, "cannot connect to postgres://pwuser@/postgres?host="+c.Dir()+`: password authentication failed for user "pwuser"`)
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// TestSafetySettings checks the session settings on a real server: the
// read-only default, timeouts and application_name.
func TestSafetySettings(t *testing.T) {
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, "CREATE TABLE t (id int); INSERT INTO t VALUES (1);")
	ctx := context.Background()

	t.Run("read-only by default", func(t *testing.T) {
		c, err := dbconn.Connect(ctx, db, dbconn.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
			t.Fatalf("read: %d, %v", n, err)
		}
		for _, sql := range []string{"INSERT INTO t VALUES (2)", "CREATE TABLE u (id int)", "CREATE INDEX ON t (id)"} {
			if _, err := c.Exec(ctx, sql); sqlState(err) != "25006" {
				t.Errorf("%s: error %v, want read_only_sql_transaction (25006)", sql, err)
			}
		}
		got := map[string]string{}
		for _, name := range []string{"application_name", "statement_timeout", "lock_timeout", "default_transaction_read_only"} {
			var v string
			if err := c.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
				t.Fatal(err)
			}
			got[name] = v
		}
		want := map[string]string{"application_name": "pgadvisor", "statement_timeout": "30s", "lock_timeout": "5s", "default_transaction_read_only": "on"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("session settings (-want +got):\n%s", diff)
		}
	})

	t.Run("options cannot turn read-only off", func(t *testing.T) {
		sep := "?"
		if strings.Contains(db, "?") {
			sep = "&"
		}
		c, err := dbconn.Connect(ctx, db+sep+"options=-c%20default_transaction_read_only%3Doff", dbconn.Options{})
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "INSERT INTO t VALUES (3)"); sqlState(err) != "25006" {
			t.Errorf("write through options=-c default_transaction_read_only=off: error %v, want 25006", err)
		}
	})

	t.Run("write flag", func(t *testing.T) {
		c, err := dbconn.Connect(ctx, db, dbconn.Options{Write: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "INSERT INTO t VALUES (4)"); err != nil {
			t.Errorf("write with Write: true: %v", err)
		}
	})

	t.Run("statement timeout", func(t *testing.T) {
		c, err := dbconn.Connect(ctx, db, dbconn.Options{StatementTimeout: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "SELECT pg_sleep(5)"); sqlState(err) != "57014" {
			t.Errorf("long statement: error %v, want query_canceled (57014)", err)
		}
	})

	t.Run("lock timeout", func(t *testing.T) {
		holder := pgtest.Connect(t, db)
		tx, err := holder.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, "LOCK TABLE t IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		c, err := dbconn.Connect(ctx, db, dbconn.Options{LockTimeout: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "SELECT count(*) FROM t"); sqlState(err) != "55P03" {
			t.Errorf("read of a locked table: error %v, want lock_not_available (55P03)", err)
		}
	})
}
