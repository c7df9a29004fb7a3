package walk

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

func TestUnfiltered(t *testing.T) {
	tests := []struct {
		sql  string
		want int // blocks that delete every row
	}{
		{"DELETE FROM t", 1},
		{"DELETE FROM t WHERE true", 1},
		{"DELETE FROM t WHERE TRUE IS TRUE", 1},
		{"DELETE FROM t WHERE 1 = 1 AND 2 >= 2 AND 1 <> 2", 1},
		{"DELETE FROM t WHERE 1.5 < 2", 1},
		{"DELETE FROM t WHERE 'a' = 'a'", 1},
		{"DELETE FROM t WHERE NOT false", 1},
		{"DELETE FROM t WHERE NOT (1 = 2 AND x = 1)", 1},
		{"DELETE FROM t WHERE true OR x = 1", 1},
		{"DELETE FROM t WHERE NULL IS NULL", 1},
		{"DELETE FROM t WHERE false", 0},
		{"DELETE FROM t WHERE 1 = 2", 0},
		{"DELETE FROM t WHERE 'a' = 'b'", 0},
		{"DELETE FROM t WHERE '1' = '01'", 0},
		{"DELETE FROM t WHERE '1'::int = 1", 0},
		{"DELETE FROM t WHERE NOT true", 0},
		{"DELETE FROM t WHERE false OR x = 1", 0},
		{"DELETE FROM t WHERE NOT (x = 1)", 0},
		{"DELETE FROM t WHERE $1", 0},
		{"DELETE FROM t WHERE now() > '2020-01-01'", 0},
		{"DELETE FROM t WHERE random() < 2", 0},
		{"DELETE FROM t WHERE 1 IS NULL", 0},
		{"DELETE FROM t WHERE CURRENT OF c", 0},
		{"UPDATE t SET x = 1", 0},
		{"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", 1},
		{"WITH d AS (DELETE FROM t WHERE x = 1 RETURNING *) DELETE FROM u", 1},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			st, err := sqlparse.Analyze(tt.sql, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(Unfiltered(st, query.KindDelete)); got != tt.want {
				t.Errorf("Unfiltered = %d blocks, want %d", got, tt.want)
			}
		})
	}
}
