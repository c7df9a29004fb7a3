package sqlparse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// The -update flag rewrites golden files. Another test file of the
// package may define it too, so it is registered only once.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGoldens() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// pgbenchSchema is the schema pgbench -i creates.
var pgbenchSchema = testSchema{tables: map[string][]string{
	"pgbench_accounts": {"aid", "bid", "abalance", "filler"},
	"pgbench_branches": {"bid", "bbalance", "filler"},
	"pgbench_tellers":  {"tid", "bid", "tbalance", "filler"},
	"pgbench_history":  {"tid", "bid", "aid", "delta", "mtime", "filler"},
}}

// goldenEntry is one statement of a golden file: its model and accesses.
type goldenEntry struct {
	SQL      string           `json:"sql"`
	Error    string           `json:"error,omitempty"`
	Model    *query.Statement `json:"model,omitempty"`
	Accesses []query.Access   `json:"accesses,omitempty"`
}

// splitStatements splits a test corpus into statements.
func splitStatements(t testing.TB, text string) []string {
	t.Helper()
	parts, err := pg_query.SplitWithParser(text, true)
	if err != nil {
		t.Fatalf("split: %v", err)
	}
	var out []string
	for _, p := range parts {
		// Drop leading comment lines: they belong to the file.
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if len(lines) == 0 && strings.HasPrefix(strings.TrimSpace(l), "--") {
				continue
			}
			lines = append(lines, l)
		}
		if s := strings.TrimSpace(strings.Join(lines, "\n")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// TestModelGolden builds the model and accesses of every statement of
// testdata/model/*.sql and compares them with the .json golden files.
func TestModelGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/model/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var schema Schema = shop
			if strings.Contains(file, "pgbench") {
				schema = pgbenchSchema
			}
			var entries []goldenEntry
			for _, sql := range splitStatements(t, string(text)) {
				e := goldenEntry{SQL: sql}
				st, err := Analyze(sql, schema)
				if err != nil {
					e.Error = err.Error()
				} else {
					e.Model = st
					e.Accesses = st.Accesses()
				}
				entries = append(entries, e)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(entries); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(file, ".sql") + ".json"
			if updateGoldens() {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s differs from the model (-want +got; go test -update rewrites it):\n%s", golden, diff)
			}
		})
	}
}
