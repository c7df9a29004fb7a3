package params

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

func str(s string) *string { return &s }

// testCatalog has a table with statistics as pg_stats would give them.
func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat := catalog.New()
	if errs := cat.Apply(`CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, email text, created_at timestamptz);`, "schema.sql"); len(errs) > 0 {
		t.Fatal(errs)
	}
	tab := cat.AllTables()[0]
	tab.Stats = &catalog.TableStats{RowEstimate: 1000}
	stats := map[string]*catalog.ColumnStats{
		"customer_id": {NDistinct: 100, Histogram: []string{"1", "25", "50", "75", "100"}},
		"status":      {NDistinct: 3, MostCommon: []string{"delivered", "pending", "cancelled"}, MostFreqs: []float64{0.9, 0.05, 0.05}},
		"email":       {NDistinct: -1, Histogram: []string{"A@x.com", "M@x.com", "Z@x.com"}},
		"created_at":  {NDistinct: -1, Histogram: []string{"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01", "2024-07-01", "2024-08-01", "2024-09-01", "2024-10-01", "2024-11-01"}},
	}
	for _, c := range tab.Columns {
		c.Stats = stats[c.Name]
	}
	return cat
}

func TestFor(t *testing.T) {
	cat := testCatalog(t)
	vals := func(vs ...string) []*string {
		var out []*string
		for _, v := range vs {
			out = append(out, str(v))
		}
		return out
	}
	tests := []struct {
		name    string
		sql     string
		samples []workload.Sample
		want    []Bound
	}{
		{
			name:    "literals",
			sql:     "SELECT id FROM orders WHERE customer_id = 5",
			samples: []workload.Sample{{Text: "SELECT id FROM orders WHERE customer_id = 5"}, {Text: "SELECT id FROM orders WHERE customer_id = 9"}},
			want: []Bound{
				{Query: queryOf("SELECT id FROM orders WHERE customer_id = 5"), Source: FromLiterals},
				{Query: queryOf("SELECT id FROM orders WHERE customer_id = 9"), Source: FromLiterals},
			},
		},
		{
			name: "log bind values, duplicates once",
			sql:  "SELECT id FROM orders WHERE customer_id = $1",
			samples: []workload.Sample{
				{Text: "SELECT id FROM orders WHERE customer_id = $1", Params: vals("7")},
				{Text: "SELECT id FROM orders WHERE customer_id = $1", Params: vals("7")},
				{Text: "SELECT id FROM orders WHERE customer_id = $1", Params: []*string{nil}},
			},
			want: []Bound{{Query: queryOf("SELECT id FROM orders WHERE customer_id = $1", "7"), Source: FromLog}},
		},
		{
			name: "pg_stats",
			sql:  "SELECT id FROM orders WHERE customer_id = $1 AND status = $2 AND created_at > $3 AND lower(email) = $4 ORDER BY id LIMIT $5",
			want: []Bound{{Query: queryOf("SELECT id FROM orders WHERE customer_id = $1 AND status = $2 AND created_at > $3 AND lower(email) = $4 ORDER BY id LIMIT $5",
				"50", "pending", "2024-10-01", "m@x.com", "10"), Source: FromStats}},
		},
		{
			name: "generic plan when a parameter has no statistics",
			sql:  "SELECT id FROM orders WHERE id + 1 = $1",
			want: []Bound{{Query: whatifGeneric("SELECT id FROM orders WHERE id + 1 = $1", 1), Source: FromGeneric}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sqlparse.Analyze(tt.sql, cat)
			if err != nil {
				t.Fatal(err)
			}
			got := For(st, tt.sql, tt.samples, cat)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("For (-want +got):\n%s", diff)
			}
		})
	}
}

func queryOf(sql string, vals ...string) whatif.Query {
	q := whatif.Query{SQL: sql}
	for _, v := range vals {
		q.Params = append(q.Params, str(v))
	}
	return q
}

func whatifGeneric(sql string, n int) whatif.Query {
	return whatif.Query{SQL: sql, Generic: true, NParams: n}
}
