package dbconn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestTarget(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"shop", "dbname=shop"},
		{"my shop", `dbname='my shop'`},
		{"host=db dbname=shop", "host=db dbname=shop"},
		{"postgres://u@h/shop", "postgres://u@h/shop"},
		{"", ""},
	} {
		if got := dbconn.Target(tc.in); got != tc.want {
			t.Errorf("Target(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestConnectForms connects to a real database given as psql users give
// it: a bare name with the server in PG* variables, a key=value string,
// and from the environment alone ($DATABASE_URL, else PG* variables).
func TestConnectForms(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", "")
	t.Setenv("PGHOST", cfg.Host)
	t.Setenv("PGPORT", fmt.Sprint(cfg.Port))
	t.Setenv("PGUSER", cfg.User)
	t.Setenv("PGPASSWORD", cfg.Password)
	t.Setenv("PGDATABASE", "")
	t.Setenv("PGSERVICE", "")
	check := func(name, conn string) {
		t.Helper()
		c, err := dbconn.Connect(ctx, conn, dbconn.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer c.Close(ctx)
		var db string
		if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil || db != cfg.Database {
			t.Errorf("%s: connected to %q (%v), want %q", name, db, err, cfg.Database)
		}
	}
	check("bare name", cfg.Database)
	check("key=value", fmt.Sprintf("host=%s port=%d dbname=%s", cfg.Host, cfg.Port, cfg.Database))
	t.Setenv("PGDATABASE", cfg.Database)
	check("PG* variables", dbconn.FromEnv())
	t.Setenv("PGDATABASE", "")
	t.Setenv("DATABASE_URL", url)
	if got := dbconn.FromEnv(); got != url {
		t.Errorf("FromEnv() = %q, want $DATABASE_URL", got)
	}
	check("DATABASE_URL", dbconn.FromEnv())
}
