package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLFileWithLogLines checks that a .sql file with a pasted log line
// is read as SQL (its DELETE was skipped when it was read as a log), that
// a .sql file of log lines is read as a log, and that both say so.
func TestSQLFileWithLogLines(t *testing.T) {
	const logLine = "2024-05-01 12:00:00.123 UTC [42] LOG:  duration: 1.5 ms  statement: SELECT a FROM t WHERE b = 1\n"
	for _, tc := range []struct {
		name, body, kind, note string
		statements             int
	}{
		{"one pasted log line", "DELETE FROM t;\n" + logLine, KindSQL, "read as SQL", 2},
		{"mostly log lines", logLine + logLine + logLine + "DELETE FROM t;\n", KindStderr, "although named .sql", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.sql")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Read(context.Background(), []string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			in := res.Inputs[0]
			if in.Kind != tc.kind || in.Statements != tc.statements {
				t.Errorf("input %+v, want kind %s with %d statements", in, tc.kind, tc.statements)
			}
			if !strings.Contains(strings.Join(in.Messages, "\n"), tc.note) {
				t.Errorf("messages %q lack %q", in.Messages, tc.note)
			}
			if tc.kind == KindSQL && (len(res.Statements) == 0 || res.Statements[0].Text != "DELETE FROM t") {
				t.Errorf("the DELETE is not in the workload")
			}
		})
	}
}
