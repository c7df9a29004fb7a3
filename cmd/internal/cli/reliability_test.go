package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// deepExpr is "1+1+...+1" with n terms: 22,000 of them crashed the
// process (SIGSEGV in pg_query) before the guard.
func deepExpr(n int) string { return strings.Repeat("1+", n-1) + "1" }

// runMain runs pgadvisor with args in dir and returns its exit code,
// stdout and stderr.
func runMain(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, Streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// TestDeepStatementEveryPath checks that a statement nested too deep for
// PostgreSQL's parser gets "stack depth limit exceeded" and the rest is
// analyzed, from every path that reaches the parser: a SQL file, a log
// line, stdin, a --schema DEFAULT expression and a plan's Filter.
func TestDeepStatementEveryPath(t *testing.T) {
	dir := t.TempDir()
	deep := "SELECT " + deepExpr(30000)
	union := "SELECT 1" + strings.Repeat(" UNION ALL SELECT 1", 50000)
	files := map[string]string{
		"deep.sql":   deep + ";\n" + union + ";\nDELETE FROM t;\n",
		"deep.log":   "2024-05-01 12:00:00.123 UTC [42] LOG:  duration: 1.000 ms  statement: " + deep + "\n2024-05-01 12:00:00.124 UTC [42] LOG:  duration: 1.000 ms  statement: SELECT 2\n",
		"ok.sql":     "SELECT c FROM u WHERE c = 1;\n",
		"schema.sql": "CREATE TABLE t (a int DEFAULT " + deepExpr(30000) + ", b int);\nCREATE TABLE u (c int);\n",
		"plan.txt":   "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=0.01..0.02 rows=1 loops=1)\n  Filter: (" + strings.Repeat("a + ", 30000) + "a = 1)\nPlanning Time: 0.1 ms\nExecution Time: 0.1 ms\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"sql file", "", []string{"analyze", "--format", "json", "deep.sql"}, []string{"stack depth limit exceeded", "DELETE FROM t"}},
		{"log", "", []string{"analyze", "--format", "json", "deep.log"}, []string{"stack depth limit exceeded", `"SELECT $1"`}},
		{"stdin", deep + ";\nSELECT 3;\n", []string{"analyze", "--format", "json", "-"}, []string{"stack depth limit exceeded", `"SELECT $1"`}},
		{"schema default", "", []string{"analyze", "--format", "json", "--schema", "schema.sql", "ok.sql"}, []string{"stack depth limit exceeded", "SELECT c FROM u"}},
		{"plan filter", "", []string{"explain", "--format", "json", "plan.txt"}, []string{`"plans"`}},
		{"plan filter in analyze", "", []string{"analyze", "--format", "json", "plan.txt"}, []string{`"plans"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, dir, tc.stdin, tc.args...)
			if code > 1 && tc.name != "plan filter" {
				t.Errorf("exit %d; stderr:\n%s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%.2000s\nstderr:\n%.2000s", w, out, errOut)
				}
			}
		})
	}
}

// TestDeepQueryOnDB checks explain --db --query with a statement too deep
// to parse: a clean usage or input error, no crash.
func TestDeepQueryOnDB(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	url := pgtest.NewDatabase(t)
	code, _, errOut := runMain(t, "", "", "explain", "--db", url, "--query", "SELECT "+deepExpr(30000))
	if code != ExitUsage && code != ExitInput {
		t.Errorf("exit %d, want 2 or 3; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "stack depth limit exceeded") {
		t.Errorf("stderr %q does not say stack depth limit exceeded", errOut)
	}
}

// TestExplainEndlessInput checks that explain never reads an endless
// input without a bound (it read /dev/zero until the kernel killed it):
// binary data is refused at once, and endless text stops at the plan
// size limit, which the message gives.
func TestExplainEndlessInput(t *testing.T) {
	start := time.Now()
	code, _, errOut := runMain(t, "", "", "explain", "/dev/zero")
	if code != ExitInput {
		t.Errorf("exit %d, want %d", code, ExitInput)
	}
	if !strings.Contains(errOut, "binary data") {
		t.Errorf("stderr %q does not refuse binary data", errOut)
	}
	var out, errBuf bytes.Buffer
	code = Main(context.Background(), []string{"explain", "-"}, Streams{In: endlessText{}, Out: &out, Err: &errBuf})
	if code != ExitInput {
		t.Errorf("endless text: exit %d, want %d", code, ExitInput)
	}
	if !strings.Contains(errBuf.String(), "128 MiB") {
		t.Errorf("stderr %q does not give the limit", errBuf.String())
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("took %v", d)
	}
}

// endlessText is an endless plan-like text.
type endlessText struct{}

func (endlessText) Read(p []byte) (int, error) {
	const line = "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	for i := range p {
		p[i] = line[i%len(line)]
	}
	return len(p), nil
}

// TestOneExitRule checks that every command exits 3 when nothing could
// be read: analyze exited 0 on a plan file whose plan did not parse.
func TestOneExitRule(t *testing.T) {
	dir := t.TempDir()
	deep := `[{"Plan": ` + strings.Repeat(`{"Node Type": "Seq Scan", "Plans": [`, 20000) + `{"Node Type": "Seq Scan"}` + strings.Repeat(`]}`, 20000) + `}]`
	if err := os.WriteFile(filepath.Join(dir, "deep.json"), []byte(deep), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"analyze", "explain"} {
		code, _, errOut := runMain(t, dir, "", cmd, "deep.json")
		if code != ExitInput {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", cmd, code, ExitInput, errOut)
		}
	}
}

// TestBadFilterOptions checks that option values that cannot work are
// usage errors (exit 2), not input failures.
func TestBadFilterOptions(t *testing.T) {
	for _, args := range [][]string{
		{"--log-prefix", "%"},
		{"--min-duration", "-5ms"},
		{"--log-format", "xml"},
	} {
		code, _, errOut := runMain(t, "", "SELECT 1;", append(append([]string{"analyze"}, args...), "-")...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", args, code, ExitUsage, errOut)
		}
	}
}
