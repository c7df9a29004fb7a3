package query_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

type shopSchema struct{}

var shopTables = map[string][]string{
	"users":       {"id", "email", "name", "active", "created_at", "deleted_at"},
	"orders":      {"id", "user_id", "status", "total", "created_at"},
	"order_items": {"order_id", "product_id", "qty", "price"},
}

var shopViews = map[string]string{
	"active_users": "SELECT id, email, name FROM users WHERE deleted_at IS NULL",
	"user_counts":  "SELECT user_id, count(*) AS n FROM orders GROUP BY user_id",
}

func (shopSchema) Columns(t query.TableName) ([]string, bool) {
	c, ok := shopTables[t.Name]
	return c, ok
}

func (shopSchema) View(t query.TableName) (string, bool) {
	v, ok := shopViews[t.Name]
	return v, ok
}

// accessLines renders accesses compactly: one header line per access,
// then its conditions with their key and strategy.
func accessLines(as []query.Access) []string {
	var out []string
	for _, a := range as {
		h := fmt.Sprintf("Q%d %s %s", a.Query, a.Rel, a.Table.String())
		if a.Write {
			h += " write"
		}
		if a.Star {
			h += " star"
		}
		if len(a.Columns) > 0 {
			h += " cols=" + strings.Join(a.Columns, ",")
		}
		out = append(out, h)
		for _, p := range a.Filters {
			out = append(out, fmt.Sprintf("  filter %s key=%s %s", p.Text, p.Key(), p.Strategy()))
		}
		for _, p := range a.JoinKeys {
			out = append(out, fmt.Sprintf("  join %s %s %s key=%s", p.Left.Text, p.Op, p.Right.Text, p.Key()))
		}
		for _, o := range a.OrderBy {
			s := "  order " + o.Expr.MatchKey()
			if o.Desc {
				s += " desc"
			}
			out = append(out, s)
		}
		for _, g := range a.GroupBy {
			out = append(out, "  group "+g.MatchKey())
		}
		if a.Limit != nil {
			out = append(out, "  limit "+a.Limit.Text)
		}
		if a.Offset != nil {
			out = append(out, "  offset "+a.Offset.Text)
		}
	}
	return out
}

func TestAccesses(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{
			name: "filters join keys order limit",
			sql: `SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id AND o.status = 'paid'
				WHERE lower(u.email) = $1 AND o.created_at > now() - interval '1 day' ORDER BY o.created_at DESC LIMIT 10`,
			want: []string{
				"Q0 u users cols=email,id",
				"  filter lower(email) = $1 key=lower(email) equality",
				"  join id = user_id key=id",
				"Q0 o orders cols=created_at,status,total,user_id",
				"  filter created_at > (now() - '1 day'::interval) key=created_at range",
				"  filter status = 'paid' key=status equality",
				"  join user_id = id key=user_id",
				"  order created_at desc",
				"  limit 10",
			},
		},
		{
			name: "join key oriented per item",
			sql:  "SELECT 1 FROM orders o, order_items i WHERE i.order_id = o.id AND o.total < i.price",
			want: []string{
				"Q0 o orders cols=id,total",
				"  join id = order_id key=id",
				"  join total < price key=total",
				"Q0 i order_items cols=order_id,price",
				"  join order_id = id key=order_id",
				"  join price > total key=price",
			},
		},
		{
			name: "single table order limit offset",
			sql:  "SELECT id FROM users WHERE active ORDER BY created_at, id LIMIT 20 OFFSET 40",
			want: []string{
				"Q0 users users cols=active,created_at,id",
				"  filter active key=active equality",
				"  order created_at",
				"  order id",
				"  limit 20",
				"  offset 40",
			},
		},
		{
			name: "limit without order on single table",
			sql:  "SELECT * FROM users WHERE email LIKE $1 LIMIT 1",
			want: []string{
				"Q0 users users star cols=active,created_at,deleted_at,email,id,name",
				"  filter email LIKE $1 key=email ",
				"  limit 1",
			},
		},
		{
			name: "order on two tables applies to none",
			sql:  "SELECT 1 FROM users u JOIN orders o ON o.user_id = u.id ORDER BY u.name, o.created_at LIMIT 5",
			want: []string{
				"Q0 u users cols=id,name",
				"  join id = user_id key=id",
				"Q0 o orders cols=created_at,user_id",
				"  join user_id = id key=user_id",
			},
		},
		{
			name: "aggregation blocks limit, group by",
			sql:  "SELECT status, count(*) FROM orders WHERE user_id = $1 GROUP BY status ORDER BY status LIMIT 3",
			want: []string{
				"Q0 orders orders cols=status,user_id",
				"  filter user_id = $1 key=user_id equality",
				"  order status",
				"  group status",
			},
		},
		{
			name: "distinct is grouping",
			sql:  "SELECT DISTINCT user_id FROM orders WHERE status = 'x'",
			want: []string{
				"Q0 orders orders cols=status,user_id",
				"  filter status = 'x' key=status equality",
				"  group user_id",
			},
		},
		{
			name: "distinct on",
			sql:  "SELECT DISTINCT ON (user_id) * FROM orders ORDER BY user_id, created_at DESC",
			want: []string{
				"Q0 orders orders star cols=created_at,id,status,total,user_id",
				"  order user_id",
				"  order created_at desc",
				"  group user_id",
			},
		},
		{
			name: "left join: ON filters the right side only, IS NULL stays out",
			sql: `SELECT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status = 'open' AND u.active
				WHERE o.id IS NULL AND u.created_at > $1 AND o.total > 5`,
			want: []string{
				"Q0 u users cols=active,created_at,id",
				"  filter created_at > $1 key=created_at range",
				"Q0 o orders cols=id,status,total,user_id",
				"  filter total > 5 key=total range",
				"  filter status = 'open' key=status equality",
				"  join user_id = id key=user_id",
			},
		},
		{
			name: "correlated exists: outer reference is a fixed value",
			sql:  "SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status <> 'void')",
			want: []string{
				"Q0 u users cols=id",
				"Q1 o orders cols=status,user_id",
				"  filter user_id = id key=user_id equality",
				"  filter status <> 'void' key=status ",
			},
		},
		{
			name: "or of one table is a filter, across tables is not",
			sql:  "SELECT 1 FROM users u JOIN orders o ON o.user_id = u.id WHERE (o.status = 'a' OR o.status = 'b') AND (u.active OR o.total > 5)",
			want: []string{
				"Q0 u users cols=active,id",
				"  join id = user_id key=id",
				"Q0 o orders cols=status,total,user_id",
				"  filter status = 'a' OR status = 'b' key= ",
				"  join user_id = id key=user_id",
			},
		},
		{
			name: "volatile value is no filter",
			sql:  "SELECT 1 FROM orders WHERE total > random() AND id = 1",
			want: []string{
				"Q0 orders orders cols=id,total",
				"  filter id = 1 key=id equality",
			},
		},
		{
			name: "inlined cte pushdown",
			sql:  "WITH x AS (SELECT * FROM users) SELECT * FROM x WHERE email = $1 ORDER BY created_at LIMIT 5",
			want: []string{
				"Q1 users users star cols=active,created_at,deleted_at,email,id,name",
				"  filter email = $1 key=email equality",
				"  order created_at",
				"  limit 5",
			},
		},
		{
			name: "materialized cte keeps its conditions",
			sql:  "WITH x AS MATERIALIZED (SELECT * FROM users) SELECT * FROM x WHERE email = $1",
			want: []string{
				"Q1 users users star cols=active,created_at,deleted_at,email,id,name",
			},
		},
		{
			name: "cte referenced twice is not inlined",
			sql:  "WITH x AS (SELECT id, email FROM users) SELECT * FROM x a JOIN x b ON a.id = b.id WHERE a.email = $1",
			want: []string{
				"Q1 users users cols=email,id",
			},
		},
		{
			name: "subquery pushdown through alias",
			sql:  "SELECT * FROM (SELECT id, email AS mail FROM users WHERE active) s JOIN orders o ON o.user_id = s.id WHERE s.mail LIKE 'a%'",
			want: []string{
				"Q0 o orders star cols=created_at,id,status,total,user_id",
				"  join user_id = id key=user_id",
				"Q1 users users cols=active,email,id",
				"  filter active key=active equality",
				"  filter mail LIKE 'a%' key=email range",
				"  join id = user_id key=id",
			},
		},
		{
			name: "aggregating subquery is not pulled up",
			sql:  "SELECT * FROM (SELECT user_id, count(*) n FROM orders GROUP BY user_id) s WHERE s.user_id = 1",
			want: []string{
				"Q1 orders orders cols=user_id",
				"  group user_id",
			},
		},
		{
			name: "view pushdown",
			sql:  "SELECT name FROM active_users WHERE email = $1",
			want: []string{
				"Q1 users users cols=deleted_at,email,id,name",
				"  filter deleted_at IS NULL key=deleted_at equality",
				"  filter email = $1 key=email equality",
			},
		},
		{
			name: "update target",
			sql:  "UPDATE orders o SET status = 'x' FROM users u WHERE u.id = o.user_id AND u.email = $1",
			want: []string{
				"Q0 o orders write cols=user_id",
				"  join user_id = id key=user_id",
				"Q0 u users cols=email,id",
				"  filter email = $1 key=email equality",
				"  join id = user_id key=id",
			},
		},
		{
			name: "delete and insert select",
			sql:  "WITH d AS (DELETE FROM orders WHERE created_at < $1 RETURNING *) INSERT INTO order_items (order_id) SELECT id FROM d",
			want: []string{
				"Q0 order_items order_items write",
				"Q1 orders orders write star cols=created_at,id,status,total,user_id",
				"  filter created_at < $1 key=created_at range",
			},
		},
		{
			name: "expression and arithmetic filters",
			sql:  "SELECT id FROM orders WHERE total * 2 > $1 AND created_at::date = current_date AND status ILIKE 'ab%' AND status LIKE '%x'",
			want: []string{
				"Q0 orders orders cols=created_at,id,status,total",
				"  filter (total * 2) > $1 key=total * 2 range",
				"  filter created_at::date = current_date key=created_at::date equality",
				"  filter status ILIKE 'ab%' key=status ",
				"  filter status LIKE '%x' key=status ",
			},
		},
		{
			name: "in subquery filter",
			sql:  "SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > 100)",
			want: []string{
				"Q0 users users cols=id",
				"  filter id IN (SELECT user_id FROM orders WHERE total > 100) key=id equality",
				"Q1 orders orders cols=total,user_id",
				"  filter total > 100 key=total range",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sqlparse.Analyze(tt.sql, shopSchema{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, accessLines(st.Accesses())); diff != "" {
				t.Errorf("Accesses of %s (-want +got):\n%s", tt.sql, diff)
			}
		})
	}
}
