package parseerror_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/parseerror"
)

func TestParseError(t *testing.T) {
	checktest.Run(t, "testdata", parseerror.Check)
}

// TestPosition pins the exact line and column (in characters) of errors,
// with multibyte text before them and statements that do not start the
// file.
func TestPosition(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []check.Position
	}{
		{"first statement", "SELEC 1;", []check.Position{{File: "f.sql", Line: 1, Column: 1}}},
		{"after another", "SELECT 1;\n  SELEC 1;", []check.Position{{File: "f.sql", Line: 2, Column: 3}}},
		{"multibyte before", "SELECT 'été', \"naïve\" = = 1;", []check.Position{{File: "f.sql", Line: 1, Column: 25}}},
		{"second line of statement", "SELECT a,\n       b c d\n  FROM t;", []check.Position{{File: "f.sql", Line: 2, Column: 12}}},
		{"two errors", "SELEC 1;\nSELECT 2;\nSELECT FROM WHERE;", []check.Position{{File: "f.sql", Line: 1, Column: 1}, {File: "f.sql", Line: 3, Column: 13}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts := checktest.Statements("f.sql", tt.src, catalog.New())
			found := check.Run([]*check.Check{parseerror.Check}, check.Input{Statements: stmts, Catalog: catalog.New()})
			var got []check.Position
			for _, f := range found {
				got = append(got, f.Pos)
				if f.Severity != check.Error {
					t.Errorf("severity %v, want error", f.Severity)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("positions (-want +got):\n%s", diff)
			}
		})
	}
}
