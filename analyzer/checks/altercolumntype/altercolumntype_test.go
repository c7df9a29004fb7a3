package altercolumntype

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestAlterColumnType(t *testing.T) {
	checktest.RunMigration(t, "testdata", Check)
}

func TestRewrites(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"character varying(50)", "character varying(100)", false},
		{"character varying(100)", "character varying(50)", true},
		{"character varying(50)", "character varying", false},
		{"character varying", "character varying(50)", true},
		{"character varying(50)", "text", false},
		{"text", "character varying", false},
		{"text", "character varying(10)", true},
		{"numeric(10,2)", "numeric(12,2)", false},
		{"numeric(10,2)", "numeric(12,3)", true},
		{"numeric(10,2)", "numeric", false},
		{"integer", "bigint", true},
		{"cidr", "inet", false},
		{"timestamp without time zone", "timestamp with time zone", true},
	}
	for _, tt := range tests {
		t.Run(tt.from+" to "+tt.to, func(t *testing.T) {
			if got := rewrites(tt.from, tt.to); got != tt.want {
				t.Errorf("rewrites = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestOnPostgres applies the same migrations to a real PostgreSQL: the
// examples are SQL it accepts, the safe rewrites work, and the findings
// are the same with the statements traced.
func TestOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", Check)
}

// TestNoSchema checks migrations without a schema: the tables and
// indexes they did not create are taken as existing.
func TestNoSchema(t *testing.T) {
	checktest.RunMigration(t, "testdata/noschema", Check)
}
