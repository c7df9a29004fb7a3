package checks_test

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestDemo runs every SQL check on the demo workload of `make demo` and
// compares the findings with testdata/demo.golden, so that a change in any
// check shows up as a reviewable diff of what the demo prints: each check
// that applies must fire on the line the demo's comments describe.
func TestDemo(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "demo")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cat := catalog.New()
	if errs := cat.Apply(read("schema.sql"), "testdata/demo/schema.sql"); len(errs) > 0 {
		t.Fatalf("demo schema: %v", errs)
	}
	stmts := checktest.Statements("testdata/demo/app.sql", read("app.sql"), cat)
	var sqlChecks []*check.Check
	for _, c := range checks.All() {
		if !strings.HasPrefix(c.Name, "plan-") {
			sqlChecks = append(sqlChecks, c)
		}
	}
	found := check.Run(sqlChecks, check.Input{Statements: stmts, Catalog: cat, HasCatalog: true})
	var b strings.Builder
	for _, f := range found {
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Pos, f.Severity, f.Check, f.Message)
		if f.Fix != nil {
			fmt.Fprintf(&b, "\tfix: %s\n", f.Fix.SQL)
		}
	}
	got := sortLines(b.String())
	golden := filepath.Join("testdata", "demo.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := gocmp.Diff(string(want), got); diff != "" {
		t.Errorf("demo findings (-want +got):\n%s", diff)
	}
}

// sortLines orders findings (each a line and its indented fix) by
// position, numerically, so that the golden file reads in file order.
func sortLines(s string) string {
	type entry struct {
		file      string
		line, col int
		text      string
	}
	var entries []entry
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "\t") && len(entries) > 0 {
			entries[len(entries)-1].text += l
			continue
		}
		var e entry
		pos, _, _ := strings.Cut(l, " ")
		parts := strings.Split(pos, ":")
		e.file = parts[0]
		if len(parts) > 1 {
			fmt.Sscan(parts[1], &e.line)
		}
		if len(parts) > 2 {
			fmt.Sscan(parts[2], &e.col)
		}
		e.text = l
		entries = append(entries, e)
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col), strings.Compare(a.text, b.text))
	})
	var out strings.Builder
	for _, e := range entries {
		out.WriteString(e.text)
	}
	return out.String()
}

// BenchmarkSQLChecks runs every SQL check on 10,000 statements (the demo
// workload repeated) against the demo schema, and reports statements per
// second for the checks alone (splitting and parsing excluded).
func BenchmarkSQLChecks(b *testing.B) {
	root := filepath.Join("..", "..", "testdata", "demo")
	schema, err := os.ReadFile(filepath.Join(root, "schema.sql"))
	if err != nil {
		b.Fatal(err)
	}
	app, err := os.ReadFile(filepath.Join(root, "app.sql"))
	if err != nil {
		b.Fatal(err)
	}
	cat := catalog.New()
	cat.Apply(string(schema), "schema.sql")
	// Distinct statement values, as a real file gives: no check may
	// profit from seeing the same statement twice.
	var stmts []*check.Statement
	for len(stmts) < 10000 {
		stmts = append(stmts, checktest.Statements("app.sql", string(app), cat)...)
	}
	stmts = stmts[:10000]
	var sqlChecks []*check.Check
	for _, c := range checks.All() {
		if !strings.HasPrefix(c.Name, "plan-") {
			sqlChecks = append(sqlChecks, c)
		}
	}
	in := check.Input{Statements: stmts, Catalog: cat, HasCatalog: true}
	b.ResetTimer()
	for b.Loop() {
		check.Run(sqlChecks, in)
	}
	b.ReportMetric(float64(len(stmts)*b.N)/b.Elapsed().Seconds(), "statements/s")
}

// TestNoCheckFails runs every SQL check on the SQL files other packages
// test with (a corpus of odd and complex statements, schemas, pg_dump
// output), with and without a schema: no check may fail or panic, which
// check.Run would turn into an error finding naming the check.
func TestNoCheckFails(t *testing.T) {
	schemaFiles := []string{
		filepath.Join("..", "catalog", "testdata", "rich_schema.sql"),
		filepath.Join("..", "..", "testdata", "demo", "schema.sql"),
	}
	inputs := append([]string{
		filepath.Join("..", "sqlparse", "testdata", "corpus.sql"),
		filepath.Join("..", "sqlparse", "testdata", "model", "app.sql"),
		filepath.Join("..", "sqlparse", "testdata", "model", "pgbench.sql"),
		filepath.Join("..", "catalog", "testdata", "pgdump.sql"),
		filepath.Join("..", "..", "testdata", "demo", "app.sql"),
	}, schemaFiles...)
	analyzed, findings := 0, 0
	for _, schema := range append([]string{""}, schemaFiles...) {
		cat := catalog.New()
		if schema != "" {
			b, err := os.ReadFile(schema)
			if err != nil {
				t.Fatal(err)
			}
			cat.Apply(string(b), schema)
		}
		for _, in := range inputs {
			b, err := os.ReadFile(in)
			if os.IsNotExist(err) {
				continue // another package's test data, moved or renamed
			}
			if err != nil {
				t.Fatal(err)
			}
			stmts := checktest.Statements(in, string(b), cat)
			analyzed += len(stmts)
			for _, f := range check.Run(checks.All(), check.Input{Statements: stmts, Catalog: cat, HasCatalog: schema != ""}) {
				findings++
				if strings.Contains(f.Message, "failed:") {
					t.Errorf("schema %q, input %s: %s", schema, in, f.Message)
				}
			}
		}
	}
	// The corpus must really have been run through the checks.
	if analyzed < 300 || findings == 0 {
		t.Errorf("%d statements analyzed, %d findings: the inputs are missing", analyzed, findings)
	}
	t.Logf("%d statements, %d findings", analyzed, findings)
}
