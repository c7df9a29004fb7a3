package dbconn_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// startPgBouncer runs PgBouncer in transaction pooling mode in front of
// the database at url and returns the URL to connect through it. It
// fails the test when PgBouncer is not installed (CI installs it).
func startPgBouncer(t *testing.T, url string) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/pgbouncer"); serr != nil {
			t.Fatalf("pgbouncer is not installed (apt-get install pgbouncer): %v", err)
		}
		bin = "/usr/sbin/pgbouncer"
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "pgadvisor-pgbouncer")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	ini := fmt.Sprintf(`[databases]
db = host=%s port=%d dbname=%s user=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
ignore_startup_parameters = extra_float_digits
logfile = %s
pidfile = %s
`, cfg.Host, cfg.Port, cfg.Database, cfg.User, port, filepath.Join(dir, "users.txt"),
		filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"))
	for name, data := range map[string]string{
		"pgbouncer.ini": ini,
		"users.txt":     fmt.Sprintf("%q \"\"\n", cfg.User),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{filepath.Join(dir, "pgbouncer.ini")}
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		// PgBouncer refuses to run as root.
		args = append([]string{"-u", "postgres"}, args...)
	}
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for i := 0; i < 100; i++ {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/db?sslmode=disable", cfg.User, port)
}

// TestPgBouncerTransactionMode connects through PgBouncer in transaction
// mode, which refuses statement_timeout, lock_timeout and
// default_transaction_read_only as startup parameters: Connect sets them
// after connecting, and statements with parameters run many times
// without named prepared statements.
func TestPgBouncerTransactionMode(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	url := startPgBouncer(t, pgtest.NewDatabase(t))
	// The pooler refuses the parameters: the plain pgx connection fails.
	raw, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	raw.RuntimeParams["statement_timeout"] = "1000"
	if c, err := pgx.ConnectConfig(ctx, raw); err == nil {
		c.Close(ctx)
		t.Fatal("PgBouncer accepted statement_timeout as a startup parameter: the test proves nothing")
	} else if !strings.Contains(err.Error(), "unsupported startup parameter") {
		t.Fatalf("unexpected failure: %v", err)
	}

	c, err := dbconn.Connect(ctx, url, dbconn.Options{StatementTimeout: 7 * time.Second, LockTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for name, want := range map[string]string{"statement_timeout": "7s", "lock_timeout": "3s", "default_transaction_read_only": "on"} {
		var got string
		if err := c.QueryRow(ctx, "SHOW "+name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for i := 0; i < 5; i++ {
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM generate_series(1, $1::int)", i+1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("query %d through PgBouncer: %d, %v", i, n, err)
		}
	}
	if _, err := c.Exec(ctx, "CREATE TABLE t (id int)"); err == nil {
		t.Error("the session is not read-only")
	}
}
