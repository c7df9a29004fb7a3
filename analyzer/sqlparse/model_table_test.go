package sqlparse

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

func TestExprForTable(t *testing.T) {
	users := query.TableName{Schema: "public", Name: "users"}
	col := func(name string, loc int) query.ColumnRef {
		return query.ColumnRef{Rel: "users", Query: 0, Table: users, Column: name, Location: loc}
	}
	tests := []struct {
		expr string
		want query.Expr
	}{
		{"email", query.Expr{Kind: query.ExprColumn, Text: "email", Column: ptr(col("email", 0)), Columns: []query.ColumnRef{col("email", 0)}}},
		{"lower(email)", query.Expr{Kind: query.ExprFunc, Text: "lower(email)", Func: "lower", Columns: []query.ColumnRef{col("email", 6)}}},
		// pg_get_indexdef's form of the same index: same key.
		{"lower((email)::text)", query.Expr{Kind: query.ExprFunc, Text: "lower(email::text)", Key: "lower(email)", Func: "lower", Columns: []query.ColumnRef{col("email", 7)}}},
		{"((created_at)::date)", query.Expr{Kind: query.ExprCast, Text: "created_at::date", Func: "date", Columns: []query.ColumnRef{col("created_at", 2)}}},
		{"(data ->> 'k'::text)", query.Expr{Kind: query.ExprOperator, Text: "data ->> 'k'::text", Key: "data ->> 'k'", Func: "->>", Columns: []query.ColumnRef{col("data", 1)}}},
		{"date_trunc('day'::text, created_at)", query.Expr{Kind: query.ExprFunc, Text: "date_trunc('day'::text, created_at)", Key: "date_trunc('day', created_at)", Func: "date_trunc", Columns: []query.ColumnRef{col("created_at", 24)}}},
		{"(first_name || ' ' || last_name)", query.Expr{Kind: query.ExprOperator, Text: "(first_name || ' ') || last_name", Func: "||",
			Columns: []query.ColumnRef{col("first_name", 1), col("last_name", 22)}}},
		{"users.email", query.Expr{Kind: query.ExprColumn, Text: "email", Column: ptr(col("email", 0)), Columns: []query.ColumnRef{col("email", 0)}}},
		{"coalesce(deleted_at, 'infinity')", query.Expr{Kind: query.ExprOther, Text: "COALESCE(deleted_at, 'infinity')", Func: "coalesce", Columns: []query.ColumnRef{col("deleted_at", 9)}}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := ExprForTable(tt.expr, users)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ExprForTable(%q) (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
	// Query and index forms share a MatchKey.
	st, err := Analyze("SELECT 1 FROM users u WHERE lower(u.email) = $1 AND date_trunc('day', u.created_at) = $2", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, idx := range []string{"lower((email)::text)", "date_trunc('day'::text, created_at)"} {
		e, err := ExprForTable(idx, users)
		if err != nil {
			t.Fatal(err)
		}
		if q := st.Queries[0].Where[i].Left; q.MatchKey() != e.MatchKey() {
			t.Errorf("query %q key %q, index %q key %q", q.Text, q.MatchKey(), idx, e.MatchKey())
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestExprForTableErrors(t *testing.T) {
	users := query.TableName{Name: "users"}
	tests := []struct {
		expr   string
		offset int // -1: no position
		empty  bool
	}{
		{expr: "", empty: true},
		{expr: "   ", empty: true},
		{expr: "lower(", offset: 6},
		{expr: "a, b", offset: -1},
		{expr: "1; DROP TABLE users", offset: -1},
		{expr: "x AS y", offset: -1},
		{expr: "a FROM t", offset: -1},
		{expr: "a) UNION (SELECT 1", offset: 1},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := ExprForTable(tt.expr, users)
			if tt.empty {
				if !errors.Is(err, ErrEmpty) {
					t.Fatalf("err = %v, want ErrEmpty", err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if pe.Offset != tt.offset {
				t.Errorf("offset = %d, want %d (%s)", pe.Offset, tt.offset, pe.Message)
			}
		})
	}
}

func TestPredicatesForTable(t *testing.T) {
	orders := query.TableName{Name: "orders"}
	tests := []struct {
		where string
		want  []string
	}{
		{"deleted_at IS NULL", []string{`where "deleted_at IS NULL" op=is null L=<column:deleted_at orders.deleted_at(orders)@0> R=<->`}},
		{"status = 'open' AND total > 0", []string{
			`where "status = 'open'" op== L=<column:status orders.status(orders)@0> R=<const:'open' value="open">`,
			`where "total > 0" op=> L=<column:total orders.total(orders)@0> R=<const:0 value="0">`,
		}},
		// pg_get_indexdef's spelling of a partial predicate.
		{"((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", []string{
			`where "status::text = ANY(ARRAY['a'::varchar, 'b'::varchar]::text[])" op=in L=<cast:status::text key=status func=text [orders.status(orders)@0]> ` +
				`R=<list:ARRAY['a'::varchar, 'b'::varchar]::text[] key=ARRAY['a', 'b']::text[] func=array items{const:'a'::varchar key='a' value="a"; const:'b'::varchar key='b' value="b"}>`,
		}},
		{"NOT archived", []string{`where "NOT archived" op=is false L=<column:archived orders.archived(orders)@0> R=<->`}},
		{"0 < total", []string{`where "total > 0" op=> L=<column:total orders.total(orders)@0> R=<const:0 value="0">`}},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			ps, err := PredicatesForTable(tt.where, orders)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, predSummary(p))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PredicatesForTable(%q) (-want +got):\n%s", tt.where, diff)
			}
		})
	}
	for _, bad := range []string{"", "a = ", "a = 1; DELETE FROM t", "a = 1 ORDER BY a"} {
		if _, err := PredicatesForTable(bad, orders); err == nil {
			t.Errorf("PredicatesForTable(%q): no error", bad)
		}
	}
	// Locations are offsets in the WHERE text.
	ps, err := PredicatesForTable("a = 1 AND b IS NULL", orders)
	if err != nil {
		t.Fatal(err)
	}
	if ps[1].Location != 12 || ps[1].Left.Column.Location != 10 {
		t.Errorf("locations %d, %d; want 12, 10", ps[1].Location, ps[1].Left.Column.Location)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		sql    string
		err    error
		offset int
	}{
		{sql: "", err: ErrEmpty},
		{sql: "  -- only a comment\n", err: ErrEmpty},
		{sql: "SELECT 1; SELECT 2", err: ErrSeveralStatements},
		{sql: "SELEC 1", offset: 0},
		{sql: "SELECT * FROM users WHERE", offset: 25},
		{sql: "SELECT 'é' FROM", offset: 16},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			st, err := Analyze(tt.sql, nil)
			if st != nil {
				t.Errorf("model returned with error")
			}
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if pe.Offset != tt.offset {
				t.Errorf("offset = %d, want %d", pe.Offset, tt.offset)
			}
		})
	}
}
