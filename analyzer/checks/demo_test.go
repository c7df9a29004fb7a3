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
