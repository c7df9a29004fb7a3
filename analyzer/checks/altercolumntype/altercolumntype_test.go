package altercolumntype

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
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
