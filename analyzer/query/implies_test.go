package query_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// filtersOf returns the filters of table t in the query's accesses.
func filtersOf(t *testing.T, sql string) []query.Predicate {
	t.Helper()
	st, err := sqlparse.Analyze(sql, nil)
	if err != nil {
		t.Fatalf("Analyze(%q): %v", sql, err)
	}
	var out []query.Predicate
	for _, a := range st.Accesses() {
		if a.Table.Name == "t" {
			out = append(out, a.Filters...)
		}
	}
	return out
}

func TestImplies(t *testing.T) {
	tests := []struct {
		where string // the query's WHERE on table t
		index string // the partial index predicate
		want  bool
	}{
		{"deleted_at IS NULL", "deleted_at IS NULL", true},
		{"deleted_at IS NULL AND a = 1", "deleted_at IS NULL", true},
		{"a = 1", "deleted_at IS NULL", false},
		{"deleted_at IS NOT NULL", "deleted_at IS NULL", false},
		{"x = 5", "x IS NOT NULL", true},
		{"x = $1", "x IS NOT NULL", true},
		{"x > 3", "x IS NOT NULL", true},
		{"x LIKE 'a%'", "x IS NOT NULL", true},
		{"lower(x) = 'a'", "x IS NOT NULL", false},
		{"x IS NULL", "x IS NOT NULL", false},
		{"x = 5", "x > 3", true},
		{"x = 5", "x >= 5", true},
		{"x = 5", "x > 5", false},
		{"x = 5", "x < 6", true},
		{"x = 5", "x <= 4", false},
		{"x = 5", "x <> 4", true},
		{"x = 5", "x <> 5", false},
		{"x = 'a'", "x <> 'b'", true},
		{"x = 5", "x BETWEEN 1 AND 10", true},
		{"x = 5", "x BETWEEN 6 AND 10", false},
		{"x = 5", "x IN (1, 5, 9)", true},
		{"x = 5", "x IN (1, 9)", false},
		{"x = 5", "x NOT IN (1, 9)", true},
		{"x IN (1, 2)", "x IN (1, 2, 3)", true},
		{"x IN (1, 4)", "x IN (1, 2, 3)", false},
		{"x IN (2, 1)", "x IN (1, 2)", true},
		{"x IN ('a', 'b')", "x IN ('b', 'a')", true},
		{"x IN (4, 5)", "x > 3", true},
		{"x IN (3, 5)", "x > 3", false},
		{"x > 5", "x > 3", true},
		{"x > 3", "x > 5", false},
		{"x > 5", "x >= 5", true},
		{"x >= 5", "x > 5", false},
		{"x >= 5", "x >= 5", true},
		{"x >= 6", "x > 5", true},
		{"x < 3", "x < 5", true},
		{"x <= 5", "x < 5", false},
		{"x < 5", "x <= 5", true},
		{"x > 5", "x < 10", false},
		{"x > 5", "x <> 3", true},
		{"x > 5", "x <> 7", false},
		{"x BETWEEN 2 AND 4", "x > 1", true},
		{"x BETWEEN 2 AND 4", "x BETWEEN 1 AND 5", true},
		{"x BETWEEN 2 AND 6", "x BETWEEN 1 AND 5", false},
		{"x > 2 AND x < 4", "x BETWEEN 1 AND 5", true},
		{"x BETWEEN SYMMETRIC 4 AND 2", "x >= 2", true},
		{"x > 1.5", "x > 1", true},
		{"created_at > '2024-06-01'", "created_at > '2024-01-01'", true},
		{"created_at >= '2024-01-01 10:00'", "created_at > '2024-01-01'", true},
		{"created_at > '2023-06-01'", "created_at > '2024-01-01'", false},
		{"name > 'b'", "name > 'a'", false},
		{"status = 'open'", "status = 'open'", true},
		{"status = 'open'::text", "status = 'open'", true},
		{"status = 'open'", "status = 'closed'", false},
		{"status = $1", "status = 'open'", false},
		{"status = $1", "status = $1", true},
		{"active", "active", true},
		{"active", "active = true", true},
		{"active = true", "active", true},
		{"active IS TRUE", "active", true},
		{"active", "active IS NOT FALSE", true},
		{"active", "NOT active", false},
		{"NOT active", "active = false", true},
		{"NOT active", "active IS NOT TRUE", true},
		{"active = false", "NOT active", true},
		{"a = 1 AND b = 2", "a = 1 AND b = 2", true},
		{"a = 1", "a = 1 AND b = 2", false},
		{"a = 1", "a = 1 OR b = 2", true},
		{"b = 2", "a = 1 OR b = 2", true},
		{"c = 3", "a = 1 OR b = 2", false},
		{"a = 1 OR a = 2", "a IN (1, 2)", true},
		{"a = 1 OR a = 3", "a IN (1, 2)", false},
		{"a = 1 OR b = 2", "a = 1 OR b = 2", true},
		{"lower(email) = 'x'", "lower(email) = 'x'", true},
		{"lower(email) = 'x'", "lower(email) IS NOT NULL", true},
		{"lower(email) = 'x'", "email IS NOT NULL", false},
		{"tags @> '{a}'", "tags @> '{a}'", true},
		{"tags @> '{a}'", "tags IS NOT NULL", true},
		{"x = 5", "x + 1 > 5", false},
		{"status <> 'void'", "status <> 'void'", true},
		{"status NOT IN ('a', 'b')", "status NOT IN ('b', 'a')", true},
		{"data ->> 'k' = 'v'", "(data ->> 'k') = 'v'", true},
		// pg_get_indexdef's spelling of partial predicates on varchar columns.
		{"status = 'open'", "((status)::text = 'open'::text)", true},
		{"status IN ('a', 'b')", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", true},
		{"status = 'a'", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", true},
		{"status = 'c'", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", false},
		{"deleted_at IS NULL AND status = 'x'", "(deleted_at IS NULL)", true},
	}
	for _, tt := range tests {
		t.Run(tt.where+" => "+tt.index, func(t *testing.T) {
			filters := filtersOf(t, "SELECT * FROM t WHERE "+tt.where)
			pred, err := sqlparse.PredicatesForTable(tt.index, query.TableName{Name: "t"})
			if err != nil {
				t.Fatal(err)
			}
			if got := query.Implies(filters, pred); got != tt.want {
				t.Errorf("Implies(%s, %s) = %v, want %v", tt.where, tt.index, got, tt.want)
			}
		})
	}
	// No predicate is implied by anything; an empty filter list implies
	// only an empty predicate.
	if !query.Implies(nil, nil) {
		t.Error("Implies(nil, nil) = false")
	}
	pred, _ := sqlparse.PredicatesForTable("x = 1", query.TableName{Name: "t"})
	if query.Implies(nil, pred) {
		t.Error("Implies(nil, x = 1) = true")
	}
}

func TestPredicateHelpers(t *testing.T) {
	ps, err := sqlparse.PredicatesForTable(
		"a = 1 AND b > $1 AND c LIKE 'x%' AND d LIKE '%x' AND e <> 2 AND f IS NULL AND g IN (1, 2) AND h = random() AND lower(i) = 'x' AND j ILIKE '12%' AND k @> $2 AND l IS NOT NULL AND (m = 1 OR n = 2) AND o ILIKE 'ab%'",
		query.TableName{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Key()+" "+string(p.Strategy()))
	}
	want := []string{
		"a equality", "b range", "c range", "d ", "e ", "f equality", "g equality", "h ", "lower(i) equality",
		"j range", "k ", "l range", " ", "o ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Key/Strategy (-want +got):\n%s", diff)
	}

	// Commute swaps sides and rebuilds the text.
	st, err := sqlparse.Analyze("SELECT 1 FROM a, b WHERE a.x * 2 < b.y AND a.t @> b.u AND a.p ~ b.q", nil)
	if err != nil {
		t.Fatal(err)
	}
	var com []string
	for _, p := range st.Queries[0].Where {
		c, ok := p.Commute()
		com = append(com, c.Text+" "+string(c.Op)+" "+c.Operator)
		if ok != (p.Operator != "~") {
			t.Errorf("Commute(%s) ok = %v", p.Text, ok)
		}
	}
	wantCom := []string{"y > (x * 2) > ", "u <@ t @> <@", "p ~ q ~ ~"}
	if diff := cmp.Diff(wantCom, com); diff != "" {
		t.Errorf("Commute (-want +got):\n%s", diff)
	}

	// Columns gathers both sides and OR branches.
	or := ps[12]
	var cols []string
	for _, c := range or.Columns() {
		cols = append(cols, c.Column)
	}
	if diff := cmp.Diff([]string{"m", "n"}, cols); diff != "" {
		t.Errorf("Columns of OR (-want +got):\n%s", diff)
	}

	// IsFixed: constants, params, outer references, stable functions.
	st, err = sqlparse.Analyze("SELECT 1 FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.a = t.b AND s.c = now() AND s.d = s.e AND s.f = random())", nil)
	if err != nil {
		t.Fatal(err)
	}
	var fixed []bool
	for _, p := range st.Queries[1].Where {
		fixed = append(fixed, p.Right.IsFixed())
	}
	if diff := cmp.Diff([]bool{true, true, false, false}, fixed); diff != "" {
		t.Errorf("IsFixed (-want +got):\n%s", diff)
	}
}
