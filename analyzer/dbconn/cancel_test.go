package dbconn_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// TestCancelStopsServerStatement checks that Ctrl-C during a statement
// stops it on the server even when the process exits at once after the
// call returns, as pgadvisor does: a child process runs pg_sleep(30),
// cancels its context after a moment and exits as soon as Exec returns;
// the backend must be idle or gone right after, not running on for 30 s.
func TestCancelStopsServerStatement(t *testing.T) {
	if db := os.Getenv("DBCONN_CANCEL_CHILD"); db != "" {
		cancelChild(db)
		return
	}
	db := pgtest.NewDatabase(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestCancelStopsServerStatement$")
	cmd.Env = append(os.Environ(), "DBCONN_CANCEL_CHILD="+db)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var pid uint32
	if _, err := fmt.Sscanf(string(out), "pid %d", &pid); err != nil {
		t.Fatalf("child output %q: %v", out, err)
	}
	watch := pgtest.Connect(t, db)
	waitState(t, watch, pid, 1500*time.Millisecond, "idle", "gone")
}

// cancelChild is the child process of TestCancelStopsServerStatement.
func cancelChild(db string) {
	c, err := dbconn.Connect(context.Background(), db, dbconn.Options{})
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	fmt.Printf("pid %d\n", c.PgConn().PID())
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = c.Exec(ctx, "SELECT pg_sleep(30)")
	if err == nil {
		os.Exit(3)
	}
	os.Exit(0)
}

// waitState waits up to d for backend pid to be in one of states
// (pg_stat_activity.state; "gone" when the backend has exited).
func waitState(t *testing.T, watch *pgx.Conn, pid uint32, d time.Duration, states ...string) {
	t.Helper()
	var state string
	for end := time.Now().Add(d); ; {
		state = "gone"
		var s *string
		err := watch.QueryRow(context.Background(), "SELECT state FROM pg_stat_activity WHERE pid = $1", pid).Scan(&s)
		if err == nil && s != nil {
			state = *s
		}
		for _, w := range states {
			if state == w {
				return
			}
		}
		if time.Now().After(end) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("backend %d is %q, want %v", pid, state, states)
}
