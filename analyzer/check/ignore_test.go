package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

func TestIgnores(t *testing.T) {
	src := `-- pgadvisor:ignore flags-every reason: reviewed
SELECT 1;
SELECT 2; -- pgadvisor:ignore flags-every,other trailing comment

SELECT 3;
/* pgadvisor:ignore flags-every */
SELECT
  4;
SELECT 'pgadvisor:ignore flags-every not a comment';
-- pgadvisor:ignore other nothing to suppress
SELECT 6;
-- pgadvisor:ignore
SELECT 7;
`
	var stmts []*Statement
	for _, p := range sqlparse.Split(src) {
		stmts = append(stmts, &Statement{Pos: Position{File: "m.sql", Line: p.Line, Column: p.Column}, Text: p.Text})
	}
	flags := &Check{Name: "flags-every", Severity: Warning, Run: func(p *Pass) error {
		for _, st := range p.Statements {
			p.Reportf(st.Pos, "", "", "%s", st.Text)
		}
		return nil
	}}
	other := &Check{Name: "other", Severity: Info, Run: func(*Pass) error { return nil }}
	unused := &Check{Name: UnusedIgnoreName, Severity: Info, Run: func(*Pass) error { return nil }}
	in := Input{Statements: stmts, Catalog: catalog.New(), Ignores: ParseIgnores("m.sql", src)}
	if len(in.Ignores) != 5 {
		t.Fatalf("ParseIgnores found %d directives, want 5: %+v", len(in.Ignores), in.Ignores)
	}
	var got []string
	for _, f := range Run([]*Check{flags, other, unused}, in) {
		got = append(got, f.Pos.String()+" "+f.Check+": "+f.Message)
	}
	want := []string{
		"m.sql:5:1 flags-every: SELECT 3",
		"m.sql:9:1 flags-every: SELECT 'pgadvisor:ignore flags-every not a comment'",
		"m.sql:11:1 flags-every: SELECT 6",
		"m.sql:13:1 flags-every: SELECT 7",
		"m.sql:3:11 unused-ignore: pgadvisor:ignore other suppresses no finding",
		"m.sql:6:1 unused-ignore: pgadvisor:ignore flags-every gives no reason",
		"m.sql:10:1 unused-ignore: pgadvisor:ignore other suppresses no finding",
		"m.sql:12:1 unused-ignore: pgadvisor:ignore names no check",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	t.Run("without unused-ignore", func(t *testing.T) {
		if n := len(Run([]*Check{flags}, in)); n != 4 {
			t.Errorf("got %d findings, want the 4 not suppressed", n)
		}
	})
}
