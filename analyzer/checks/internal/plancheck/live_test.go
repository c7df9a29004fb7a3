package plancheck

import (
	"context"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/explain/live"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestProposalsOnPostgres runs queries on a real PostgreSQL, proposes the
// index for the node a plan check would flag, builds it, and checks that
// the new plan uses it: from the query (ORDER BY ... LIMIT), for a
// partitioned table (the index goes on the partitioned table, without
// CONCURRENTLY), and for the inner side of a nested loop.
func TestProposalsOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	conn := pgtest.Connect(t, pgtest.NewDatabase(t))
	if _, err := conn.Exec(ctx, `
		create table orders (id bigint primary key, customer_id int not null, status varchar(20) not null, created_at timestamptz not null, note text);
		insert into orders select i, i % 5000, (array['new','paid','shipped','refunded'])[1 + (i * 7) % 97 % 4], timestamptz '2024-01-01' + i * interval '1 minute', md5(i::text)
		from generate_series(1, 100000) i;
		update orders set status = 'lost' where id % 1000 = 0;
		create index orders_created_at_idx on orders (created_at);
		create table readings (id int not null, device int not null, value float8 not null) partition by list (device);
		create table readings_1 partition of readings for values in (1);
		create table readings_2 partition of readings for values in (2);
		insert into readings select i, 1 + i % 2, i * 0.5 from generate_series(1, 100000) i;
		create table customers (id int primary key, city text not null);
		insert into customers select i, 'city ' || (i % 100) from generate_series(1, 5000) i;
		create table shipments (id int primary key, customer_id int not null);
		insert into shipments select i, 1 + (i * 37) % 5000 from generate_series(1, 20000) i;
		analyze`); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.FromDB(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, setup, query string
		// node picks the node the check would flag.
		node  func(n *explain.Node) bool
		joins bool
		want  string // the proposal's DDL
	}{
		{
			name:  "ORDER BY LIMIT from the query",
			query: "select * from orders where status = 'lost' order by created_at desc limit 10",
			node:  func(n *explain.Node) bool { return n.RelationName == "orders" },
			// status has few distinct values: it becomes the predicate.
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx1 ON orders (created_at DESC) WHERE status = 'lost'",
		},
		{
			name:  "partitions of a partitioned table",
			setup: "set max_parallel_workers_per_gather = 0",
			query: "select * from readings r where r.id = 4242",
			node:  func(n *explain.Node) bool { return n.Type == "Seq Scan" },
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS readings_1_id_idx ON readings_1 (id);\n" +
				"CREATE INDEX CONCURRENTLY IF NOT EXISTS readings_2_id_idx ON readings_2 (id);\n" +
				"CREATE INDEX IF NOT EXISTS readings_id_idx ON ONLY readings (id);\n" +
				"ALTER INDEX readings_id_idx ATTACH PARTITION readings_1_id_idx;\n" +
				"ALTER INDEX readings_id_idx ATTACH PARTITION readings_2_id_idx",
		},
		{
			name:  "inner side of a nested loop",
			setup: "set enable_hashjoin = off; set enable_mergejoin = off; set max_parallel_workers_per_gather = 0",
			query: "select c.id, s.id from customers c join shipments s on s.customer_id = c.id where c.city = 'city 3'",
			node:  func(n *explain.Node) bool { return n.RelationName == "shipments" },
			joins: true,
			// s.id too, for an index-only scan.
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_customer_id_idx ON shipments (customer_id) INCLUDE (id)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != "" {
				if _, err := conn.Exec(ctx, tc.setup); err != nil {
					t.Fatal(err)
				}
			}
			before, err := live.Explain(ctx, conn, tc.query, live.Options{Analyze: true})
			if err != nil {
				t.Fatal(err)
			}
			var n *explain.Node
			explain.Walk(before.Root, func(x, _ *explain.Node) bool {
				if n == nil && tc.node(x) {
					n = x
				}
				return n == nil
			})
			if n == nil {
				t.Fatalf("no node to index in:\n%s", explain.Render(before, nil))
			}
			pr := ProposeIndex(cat, before, n, tc.joins, n.Filter, n.IndexCond, n.JoinFilter)
			if pr == nil || pr.DDL != tc.want || !pr.FromQuery {
				t.Fatalf("proposal %+v, want %s from the query", pr, tc.want)
			}
			// One statement at a time: CONCURRENTLY refuses a
			// multi-statement (transaction) block.
			for _, stmt := range strings.Split(pr.DDL, ";\n") {
				if _, err := conn.Exec(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			after, err := live.Explain(ctx, conn, tc.query, live.Options{Analyze: true})
			if err != nil {
				t.Fatal(err)
			}
			used := false
			explain.Walk(after.Root, func(x, _ *explain.Node) bool {
				// The partitions' indexes are named after them:
				// readings_1_id_idx for readings_id_idx.
				partition := pr.Partitioned && strings.HasPrefix(x.IndexName, pr.Index.Table.Name+"_") &&
					strings.HasSuffix(x.IndexName, strings.TrimPrefix(pr.Name, pr.Index.Table.Name))
				if x.IndexName == pr.Name || partition {
					used = true
				}
				return true
			})
			if !used {
				t.Errorf("after %s the plan does not use it:\n%s", pr.DDL, explain.Render(after, nil))
			}
			if before.TotalTime() <= after.TotalTime() {
				t.Logf("no faster: %.3f ms before, %.3f ms after", before.TotalTime(), after.TotalTime())
			}
		})
	}
}
