package planseqscan

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/explain/live"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestProposedIndexIsUsed is the acceptance test of the check: on a real
// PostgreSQL, a sequential scan with a selective filter gets a finding
// whose CREATE INDEX, once built, turns the plan into an index scan.
func TestProposedIndexIsUsed(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `
		create table orders (id bigint primary key, customer_id int not null, status varchar(20) not null, region int not null, note text);
		insert into orders select i, i % 5000, (array['new','paid','shipped'])[1 + i % 3], i % 97, md5(i::text)
		from generate_series(1, 100000) i;
		analyze orders`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, index string }{
		{"select * from orders where customer_id = 42", "orders_customer_id_idx"},
		{"select id from orders where status = 'paid' and region = 7", "orders_status_region_idx"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			before, err := live.Explain(ctx, conn, tc.query, live.Options{Analyze: true})
			if err != nil {
				t.Fatal(err)
			}
			if before.Root.Type != "Seq Scan" {
				t.Fatalf("plan before the index: %s, want a Seq Scan", before.Root.Label())
			}
			findings := check.Run([]*check.Check{Check}, check.Input{Catalog: catalog.New(), Plans: []*explain.Plan{before}})
			if len(findings) != 1 || findings[0].Fix == nil {
				t.Fatalf("findings %+v, want one with a fix", findings)
			}
			ddl := findings[0].Fix.SQL
			if !strings.Contains(ddl, tc.index) || findings[0].Fix.Index == nil || findings[0].Fix.Index.Name != tc.index {
				t.Fatalf("fix %q (help %q), want index %s", ddl, findings[0].Help, tc.index)
			}
			if _, err := conn.Exec(ctx, ddl); err != nil {
				t.Fatalf("%s: %v", ddl, err)
			}
			after, err := live.Explain(ctx, conn, tc.query, live.Options{Analyze: true})
			if err != nil {
				t.Fatal(err)
			}
			used := false
			explain.Walk(after.Root, func(n, _ *explain.Node) bool {
				if strings.Contains(n.Type, "Index") && n.IndexName == tc.index {
					used = true
				}
				return true
			})
			if !used {
				t.Errorf("after %s the plan does not use %s:\n%s", ddl, tc.index, explain.Render(after, nil))
			}
			if again := check.Run([]*check.Check{Check}, check.Input{Catalog: catalog.New(), Plans: []*explain.Plan{after}}); len(again) != 0 {
				t.Errorf("the check still fires after the index: %+v", again)
			}
		})
	}
}
