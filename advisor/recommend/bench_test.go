package recommend

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/advisor/selection"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// benchRows is the fact table's size: PGADVISOR_BENCH_ROWS, 300,000 by
// default (small enough for 2 cores; the figures in the README use it).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("PGADVISOR_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 300000
}

// starSchema is a star schema: a sales fact table and four dimensions.
func starSchema(rows int) string {
	return fmt.Sprintf(`
CREATE TABLE dim_date (date_id int PRIMARY KEY, d date NOT NULL, year int NOT NULL, month int NOT NULL, dow int NOT NULL);
INSERT INTO dim_date SELECT g, date '2015-01-01' + g, extract(year FROM date '2015-01-01' + g), extract(month FROM date '2015-01-01' + g), extract(dow FROM date '2015-01-01' + g) FROM generate_series(1, 3650) g;
CREATE TABLE dim_store (store_id int PRIMARY KEY, region text NOT NULL, city text NOT NULL, size_class text NOT NULL);
INSERT INTO dim_store SELECT g, (ARRAY['north','south','east','west'])[1 + g %% 4], 'city' || g, (ARRAY['s','m','l'])[1 + g %% 3] FROM generate_series(1, 200) g;
CREATE TABLE dim_product (product_id int PRIMARY KEY, category text NOT NULL, brand text NOT NULL, price numeric(10,2) NOT NULL);
INSERT INTO dim_product SELECT g, 'cat' || (g %% 50), 'brand' || (g %% 400), (g %% 1000) / 10.0 + 1 FROM generate_series(1, 20000) g;
CREATE TABLE dim_customer (customer_id int PRIMARY KEY, segment text NOT NULL, country char(2) NOT NULL, email text NOT NULL, signup date NOT NULL);
INSERT INTO dim_customer SELECT g, (ARRAY['retail','smb','corp'])[1 + g %% 3], (ARRAY['FR','DE','US','GB','JP'])[1 + g %% 5], 'C' || g || '@Example.com', date '2018-01-01' + g %% 2500 FROM generate_series(1, 100000) g;
CREATE TABLE sales (sale_id bigint PRIMARY KEY, date_id int NOT NULL, store_id int NOT NULL, product_id int NOT NULL, customer_id int NOT NULL,
    qty int NOT NULL, amount numeric(12,2) NOT NULL, discount numeric(4,2) NOT NULL, channel text NOT NULL);
INSERT INTO sales SELECT g, 1 + (g * 37) %% 3650, 1 + g %% 200, 1 + (g::bigint * 7919) %% 20000, 1 + (g::bigint * 104729) %% 100000,
    1 + g %% 10, (g %% 5000) / 10.0, CASE WHEN g %% 997 = 0 THEN 0.5 ELSE (g %% 40) / 100.0 END,
    CASE WHEN g %% 100 = 0 THEN 'phone' WHEN g %% 5 < 3 THEN 'web' ELSE 'store' END
FROM generate_series(1, %d) g;`, rows)
}

// analytical are the 20 queries of the analytical workload.
var analytical = []string{
	"SELECT sum(amount) FROM sales WHERE date_id BETWEEN 3000 AND 3030",
	"SELECT store_id, sum(amount) FROM sales WHERE date_id BETWEEN 3500 AND 3507 GROUP BY store_id",
	"SELECT p.category, sum(s.amount) FROM sales s JOIN dim_product p ON p.product_id = s.product_id WHERE s.date_id BETWEEN 3600 AND 3610 GROUP BY p.category",
	"SELECT count(*) FROM sales WHERE customer_id = 4242",
	"SELECT sale_id, amount, date_id FROM sales WHERE customer_id = 777 ORDER BY date_id DESC LIMIT 20",
	"SELECT sum(qty) FROM sales WHERE product_id = 123 AND date_id > 3000",
	"SELECT c.country, count(*) FROM sales s JOIN dim_customer c ON c.customer_id = s.customer_id WHERE s.store_id = 17 AND s.date_id BETWEEN 3000 AND 3100 GROUP BY c.country",
	"SELECT sum(amount) FROM sales WHERE channel = 'phone' AND date_id BETWEEN 3400 AND 3650",
	"SELECT d.month, sum(s.amount) FROM sales s JOIN dim_date d ON d.date_id = s.date_id WHERE d.year = 2023 GROUP BY d.month",
	"SELECT product_id, sum(amount) FROM sales WHERE store_id = 5 GROUP BY product_id ORDER BY 2 DESC LIMIT 10",
	"SELECT customer_id, segment FROM dim_customer WHERE lower(email) = 'c123@example.com'",
	"SELECT customer_id FROM dim_customer WHERE country = 'FR' AND signup > '2024-06-01'",
	"SELECT product_id, price FROM dim_product WHERE brand = 'brand42' AND price < 20",
	"SELECT sale_id, amount FROM sales WHERE discount > 0.45",
	"SELECT sum(s.amount) FROM sales s JOIN dim_store st ON st.store_id = s.store_id WHERE st.region = 'north' AND s.date_id = 3333",
	"SELECT count(DISTINCT customer_id) FROM sales WHERE date_id BETWEEN 3200 AND 3210 AND store_id = 9",
	"SELECT max(amount) FROM sales WHERE product_id IN (1, 2, 3, 4, 5)",
	"SELECT date_id, count(*) FROM sales WHERE customer_id BETWEEN 1000 AND 1010 GROUP BY date_id",
	"SELECT sale_id FROM sales WHERE qty = 11",
	"SELECT c.segment, sum(s.amount) FROM sales s JOIN dim_customer c USING (customer_id) WHERE c.signup = '2024-01-15' GROUP BY c.segment",
}

// oltp returns the 50 queries of the OLTP workload: lookups, short
// ranges and latest-N queries with various select lists.
func oltp() []string {
	var out []string
	lists := []string{"sale_id", "sale_id, amount", "sale_id, qty, amount", "*", "count(*)"}
	for i, col := range []string{"customer_id", "product_id", "store_id", "date_id"} {
		for j, l := range lists {
			q := fmt.Sprintf("SELECT %s FROM sales WHERE %s = %d", l, col, 10+i*7+j)
			if l != "count(*)" && j%2 == 0 {
				q += " ORDER BY sale_id DESC LIMIT 10"
			}
			out = append(out, q)
		}
		out = append(out, fmt.Sprintf("SELECT sale_id, amount FROM sales WHERE %s = %d AND amount > 400", col, 20+i))
		out = append(out, fmt.Sprintf("SELECT sale_id FROM sales WHERE %s = %d AND channel = 'phone'", col, 30+i))
	}
	for i, l := range []string{"customer_id", "customer_id, segment", "customer_id, country", "*", "email"} {
		out = append(out, fmt.Sprintf("SELECT %s FROM dim_customer WHERE lower(email) = 'c%d@example.com'", l, 100+i))
		out = append(out, fmt.Sprintf("SELECT %s FROM dim_customer WHERE signup BETWEEN '2020-01-01' AND '2020-01-0%d'", l, 2+i))
	}
	for i, l := range []string{"product_id", "product_id, price", "*", "brand", "category, brand", "price", "product_id, brand, price", "count(*)", "max(price)", "min(price)", "product_id, category"} {
		if len(out) >= 50 {
			break
		}
		out = append(out, fmt.Sprintf("SELECT %s FROM dim_product WHERE brand = 'brand%d'", l, i))
	}
	for i := 0; len(out) < 50; i++ {
		out = append(out, fmt.Sprintf("SELECT sale_id, amount FROM sales WHERE customer_id = %d AND date_id > %d ORDER BY date_id LIMIT %d", i, 3000, 5+i))
	}
	return out[:50]
}

// benchInput loads the statements of a workload against db.
func benchInput(b *testing.B, db string, queries []string) Input {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "workload.sql")
	if err := os.WriteFile(path, []byte(strings.Join(queries, ";\n")+";\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := source.Read(ctx, []string{path}, source.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.FromDB(ctx, pgtest.Connect(b, db))
	if err != nil {
		b.Fatal(err)
	}
	var stmts []*check.Statement
	for _, st := range res.Statements {
		m, err := sqlparse.Analyze(st.Text, cat)
		if err != nil {
			b.Fatalf("%s: %v", st.Text, err)
		}
		st.SetModel(m)
		stmts = append(stmts, st)
	}
	return Input{Catalog: cat, Statements: stmts, Workload: workload.New()}
}

// BenchmarkAdvise advises for a 20-query analytical workload on a star
// schema and a 50-query OLTP workload, at three budgets, and prints the
// what-if calls, the advising time and the workload's estimated cost
// relative to no index, next to a reference search with far more
// candidates (every single column and ordered pair, as Dexter proposes)
// and no limit on calls; then the size estimates of the chosen indexes
// next to their real sizes.
func BenchmarkAdvise(b *testing.B) {
	db := pgtest.NewDatabase(b)
	pgtest.Exec(b, db, "CREATE EXTENSION hypopg;"+starSchema(benchRows()))
	pgtest.Exec(b, db, "VACUUM ANALYZE")
	pgtest.Exec(b, db, "VACUUM")
	conn := pgtest.Connect(b, db)
	ctx := context.Background()
	var tableBytes int64
	if err := conn.QueryRow(ctx, "SELECT sum(pg_table_size(oid))::bigint FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace").Scan(&tableBytes); err != nil {
		b.Fatal(err)
	}
	workloads := []struct {
		name    string
		queries []string
	}{{"analytical-20", analytical}, {"oltp-50", oltp()}}
	budgets := []struct {
		name  string
		share float64
	}{{"5%", 0.05}, {"20%", 0.20}, {"unlimited", 0}}
	fmt.Printf("fact rows %d, tables %.0f MB\n", benchRows(), float64(tableBytes)/(1<<20))
	fmt.Printf("%-14s %-10s %-10s %8s %8s %9s %8s %9s\n", "workload", "budget", "search", "indexes", "calls", "time", "rel.cost", "size MB")
	for _, w := range workloads {
		in := benchInput(b, db, w.queries)
		for _, bud := range budgets {
			for _, exhaustive := range []bool{false, true} {
				search := "advisor"
				if exhaustive {
					search = "reference"
				}
				b.Run(w.name+"/"+bud.name+"/"+search, func(b *testing.B) {
					var p *Plan
					var elapsed time.Duration
					for range b.N {
						ev, err := whatif.NewHypoPG(ctx, conn)
						if err != nil {
							b.Fatal(err)
						}
						start := time.Now()
						p, err = Choose(ctx, ev, in, Options{Options: selection.Options{MaxIndexes: 0, MinImprovement: DefaultMinImprovement},
							BudgetShare: bud.share, Exhaustive: exhaustive})
						elapsed = time.Since(start)
						_ = ev.Close(ctx)
						if err != nil {
							b.Fatal(err)
						}
					}
					s := p.Selection
					var size int64
					for _, c := range s.Chosen {
						size += c.Size
					}
					rel := s.CostAfter / s.CostBefore
					b.ReportMetric(float64(s.Planned), "whatif-calls")
					b.ReportMetric(rel, "rel-cost")
					fmt.Printf("%-14s %-10s %-10s %8d %8d %8.2fs %8.3f %9.1f\n", w.name, bud.name, search, len(s.Chosen), s.Planned, elapsed.Seconds(), rel, float64(size)/(1<<20))
					if bud.share == 0 && !exhaustive {
						sizes(b, conn, p)
					}
				})
			}
		}
	}
}

// sizes builds each chosen index for real and prints its estimated and
// real size.
func sizes(b *testing.B, conn *pgx.Conn, p *Plan) {
	ctx := context.Background()
	h, err := whatif.NewHypoPG(ctx, conn)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close(ctx)
	for _, c := range p.Selection.Chosen {
		ix := c.Index
		hypo, err := h.Size(ctx, whatif.Index{Name: ix.Name, DDL: ix.PlainDDL()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.Exec(ctx, ix.PlainDDL()); err != nil {
			b.Fatal(err)
		}
		var real int64
		err = conn.QueryRow(ctx, "SELECT pg_relation_size($1::regclass)", ix.Name).Scan(&real)
		if _, dropErr := conn.Exec(ctx, "DROP INDEX "+ix.Name); dropErr != nil || err != nil {
			b.Fatal(err, dropErr)
		}
		fmt.Printf("  size %-40s estimated %8.2f MB, real %8.2f MB (%+.0f %%), HypoPG %8.2f MB (%+.0f %%)\n", ix.Name,
			float64(c.Size)/(1<<20), float64(real)/(1<<20), 100*(float64(c.Size)/float64(real)-1), float64(hypo)/(1<<20), 100*(float64(hypo)/float64(real)-1))
	}
}
