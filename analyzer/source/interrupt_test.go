package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// TestInterruptedStdin checks Ctrl-C on `tail -f x | pgadvisor analyze -`:
// the lines that came (less than the 64 KiB detection head, or more) are
// read and reported, a line cut by the interruption is dropped rather than
// reported as garbage, and Read returns the cancellation.
func TestInterruptedStdin(t *testing.T) {
	logLine := func(i int) string {
		return fmt.Sprintf("2024-05-01 12:00:00.123 UTC [42] LOG:  duration: 1.5 ms  statement: SELECT a FROM t WHERE b = %d\n", i)
	}
	for _, tc := range []struct {
		name  string
		lines int
		sql   bool
	}{
		{"log within the head", 3, false},
		{"log past the head", 2000, false},
		{"sql within the head", 3, true},
		{"sql past the head", 5000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				for i := range tc.lines {
					if tc.sql {
						fmt.Fprintf(pw, "SELECT a FROM t WHERE b = %d;\n", i)
					} else {
						io.WriteString(pw, logLine(i))
					}
				}
				// Half a line, then silence (the pipe stays open).
				if tc.sql {
					io.WriteString(pw, "SELECT a FROM t WH")
				} else {
					io.WriteString(pw, "2024-05-01 12:00:00.123 UTC [42] LOG:  durat")
				}
				time.Sleep(200 * time.Millisecond)
				cancel()
			}()
			res, err := Read(ctx, []string{"-"}, Options{Stdin: pr})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if res == nil || len(res.Inputs) != 1 {
				t.Fatalf("result %+v", res)
			}
			in := res.Inputs[0]
			if in.Statements != tc.lines || in.SkippedLines != 0 || in.Errors != 0 {
				t.Errorf("input %+v, want %d statements, nothing skipped", in, tc.lines)
			}
			if q := res.Workload.Top(1); len(q) != 1 || q[0].Calls != int64(tc.lines) {
				t.Errorf("workload %+v", q)
			}
		})
	}
}

// TestInterruptedSQLFile checks that a cancelled read of a long SQL file
// stops within a chunk and keeps what was read.
func TestInterruptedSQLFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.sql")
	if err := os.WriteFile(path, []byte(strings.Repeat("SELECT a FROM t WHERE b = 1;\n", 500000)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	start := time.Now()
	res, err := Read(ctx, []string{path}, Options{OnExecution: func(*workload.Execution) {
		if n++; n == 1000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %v", d)
	}
	if in := res.Inputs[0]; in.Statements < 1000 || in.Statements >= 500000 {
		t.Errorf("input %+v: want what was read before the interruption", in)
	}
}
