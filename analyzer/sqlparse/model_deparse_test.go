package sqlparse

import (
	"os"
	"path/filepath"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// deparseCases are expressions whose Go rendering must equal pg_query's
// deparser (with qualifiers stripped), in text and in key mode.
var deparseCases = []string{
	"a", "t.a", "s.t.a", `"Mixed"`, `t."order"`, `"user"`, "x1", "_x", `"a b"`, `"a""b"`,
	"1", "-1", "1.5", "-1.5", "'x'", "'it''s'", `'a\b'`, "E'\\n'", "true", "false", "NULL", "B'101'", "X'1F'",
	"$1", "$12",
	"a = 1", "a <> 1", "a != 1", "a < 1", "a <= $1", "a > b", "a >= 2", "5 < a",
	"a + b * c", "(a + b) * c", "a - -1", "-a", "- (a + 1)", "a || 'x'", "a % 2", "a ^ 2", "|/ a", "@ a",
	"a = 1 AND b = 2", "a = 1 OR b = 2", "a = 1 AND (b = 2 OR c = 3)", "(a = 1 OR b = 2) AND c = 3",
	"NOT a", "NOT (a AND b)", "NOT a = 1", "NOT (a = 1 OR b = 2)", "a AND NOT b",
	"a IS NULL", "a IS NOT NULL", "(a + 1) IS NULL", "a IS TRUE", "a IS NOT TRUE", "a IS FALSE",
	"a IS NOT FALSE", "a IS UNKNOWN", "a IS NOT UNKNOWN", "(a AND b) IS TRUE",
	"a IS DISTINCT FROM b", "a IS NOT DISTINCT FROM b", "(a + 1) IS DISTINCT FROM (b + 1)",
	"a IN (1, 2, 3)", "a NOT IN (1, 2)", "(a, b) IN ((1, 2), (3, 4))", "a IN ($1)",
	"a = ANY($1)", "a = ANY(ARRAY[1, 2])", "a <> ALL($1)", "a > ANY('{1,2}')", "a LIKE ANY($1)",
	"a LIKE 'x%'", "a NOT LIKE '%x'", "a ILIKE 'x%'", "a NOT ILIKE $1", "a ~~ 'x%'", "a !~~ 'x'",
	"a ~~* 'x'", "a LIKE 'x!%' ESCAPE '!'", "a SIMILAR TO 'x%'", "a NOT SIMILAR TO 'x' ESCAPE '#'",
	"a ~ '^x'", "a ~* 'x'", "a !~ 'x'", "a !~* 'x'",
	"a BETWEEN 1 AND 2", "a NOT BETWEEN $1 AND $2", "a BETWEEN SYMMETRIC 2 AND 1",
	"a NOT BETWEEN SYMMETRIC 1 AND 2", "a BETWEEN b + 1 AND c",
	"tags @> ARRAY['x']", "ARRAY['x'] <@ tags", "tags && $1", "data ? 'k'", "data ?| ARRAY['a', 'b']",
	"data ?& $1", "tsv @@ to_tsquery('x')", "data @? '$.a'", "r -|- s",
	"data -> 'a'", "data ->> 'a'", "data #> '{a,b}'", "data #>> '{a}'", "(data ->> 'a')::int",
	"data -> 'a' ->> 'b'", "(data -> 'a') ->> 'b'",
	"lower(email)", "lower(t.email)", "upper(lower(email))", "count(*)", "count(DISTINCT a)",
	"sum(a)", "coalesce(a, b, 0)", "COALESCE(a, 0)", "GREATEST(a, b)", "LEAST(a, 1)", "NULLIF(a, 0)",
	"date_trunc('day', ts)", "date_part('year', ts)", "now()", "random()", "f()", "s.f(a)",
	"pg_catalog.lower(a)", "public.f(a)", "f(VARIADIC a)", "f(a, VARIADIC ARRAY[1, 2])", "f(x => 1)",
	"f(x := 1, y := a)",
	"a::date", "a::text", "a::varchar", "a::varchar(10)", "CAST(a AS character varying(5))",
	"a::character varying", "a::int", "a::integer", "a::bigint", "a::smallint", "a::int4", "a::int8",
	"a::numeric", "a::numeric(10, 2)", "a::decimal", "a::real", "a::float", "a::float4", "a::float8",
	"a::double precision", "a::boolean", "a::bool", "a::timestamp", "a::timestamptz",
	"a::timestamp with time zone", "a::timestamp(3) with time zone", "a::timestamp(3)", "a::time",
	"a::timetz", "a::interval", "a::char", "a::char(2)", "a::bpchar", "a::json", "a::jsonb", "a::uuid",
	"a::text[]", "a::int[]", "a::int[3]", "a::public.mytype", "a::\"MyType\"", "a::regclass",
	"'2024-01-01'::date", "'1 day'::interval", "'x'::text", "1::text", "-1::text", "(-1)::text",
	"1.5::numeric", "'t'::boolean", "'f'::bool", "'x'::char", "$1::int", "$1::text[]", "NULL::int",
	"(a + b)::text", "(a = b)::int", "date '2024-01-01'", "timestamp '2024-01-01'", "interval '1 day'",
	"int '1'", "point '(1,2)'", "'(1,2)'::point", "bool 't'",
	"CASE WHEN a THEN 1 ELSE 2 END", "CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END", "CASE WHEN a = 1 THEN b END",
	"ARRAY[1, 2, 3]", "ARRAY[]::int[]", "ARRAY[[1, 2], [3, 4]]", "ROW(1, 2)", "(1, 2)", "(a, b) > (1, 2)",
	"arr[1]", "arr[1:2]", "arr[:2]", "t.arr[1]", "(arr)[1]", "(f(a))[1]", "(t.comp).field", "(comp).field",
	"(f(a)).field", "(a::comp).x", "(ROW(1, 2)).f1",
	"a COLLATE \"C\"", "(a || b) COLLATE \"C\"", "lower(a) COLLATE \"en_US\"", "a COLLATE pg_catalog.\"default\"",
	"current_date", "current_timestamp", "current_timestamp(3)", "localtime", "localtimestamp",
	"current_user", "session_user", "user", "current_role", "current_schema", "current_catalog",
	"a = DEFAULT",
	"EXTRACT(year FROM ts)", "ts AT TIME ZONE 'UTC'", "substring(a FROM 1 FOR 2)", "substring(a, 1, 2)",
	"position('x' IN a)", "trim(a)", "trim(both 'x' FROM a)", "overlay(a PLACING 'x' FROM 1 FOR 2)",
	"a IS NORMALIZED", "(a, b) OVERLAPS (c, d)",
	"count(*) FILTER (WHERE a > 1)", "string_agg(a, ',' ORDER BY b)", "rank() OVER (ORDER BY a)",
	"percentile_cont(0.5) WITHIN GROUP (ORDER BY a)", "sum(a) OVER w",
	"EXISTS (SELECT 1 FROM t WHERE t.a = b)", "a IN (SELECT b FROM t)", "(SELECT max(a) FROM t)",
	"ARRAY(SELECT a FROM t)", "a = ANY (SELECT b FROM t)", "a > ALL (SELECT b FROM t)",
	"a OPERATOR(pg_catalog.=) b", "a OPERATOR(public.===) b",
	"x.y.z.w", "\"X\".a", "t.*", "*",
	"json_build_object('a', a)", "jsonb_build_array(a, b)", "to_char(ts, 'YYYY')",
	"a::text || b::text", "lower(a::text)", "lower((a)::text)", "lower(t.a::varchar)",
	"a = 'x'::text", "a::text = 'x'", "'x'::varchar", "$1::varchar",
}

// stripTarget parses SELECT expr and returns the expression node.
func parseExpr(t testing.TB, expr string) *pg_query.Node {
	t.Helper()
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil {
		t.Fatalf("parse %q: %v", expr, err)
	}
	return tree.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val
}

// checkDeparse compares the Go rendering of n with pg_query's, in both
// modes, when the Go renderer handles n.
func checkDeparse(t testing.TB, what string, n *pg_query.Node, subs map[*pg_query.Node]string) {
	t.Helper()
	for _, key := range []bool{false, true} {
		d := deparser{key: key, subs: subs}
		d.expr(n, ctxAExpr)
		if d.fallback {
			continue
		}
		got := d.b.String()
		want := fallbackDeparse(n, key, nil, false)
		if got != want {
			t.Errorf("%s (key=%v): Go rendering %q, pg_query %q", what, key, got, want)
		}
		if !key && !d.keyDiff {
			k := deparser{key: true, subs: subs}
			k.expr(n, ctxAExpr)
			if !k.fallback && k.b.String() != got {
				t.Errorf("%s: key %q differs from text %q without keyDiff", what, k.b.String(), got)
			}
		}
	}
}

func TestDeparseMatchesPgQuery(t *testing.T) {
	handled := 0
	for _, c := range deparseCases {
		t.Run(c, func(t *testing.T) {
			n := parseExpr(t, c)
			d := deparser{}
			d.expr(n, ctxAExpr)
			if !d.fallback {
				handled++
			}
			checkDeparse(t, c, n, deparseSubqueries(n))
			// exprText always gives the deparser's text.
			text, _ := exprText(n)
			if want := fallbackDeparse(n, false, nil, false); text != want {
				t.Errorf("exprText %q, want %q", text, want)
			}
		})
	}
	// The Go renderer must cover the common cases, or performance
	// suffers: most of the list above.
	if handled < len(deparseCases)*3/4 {
		t.Errorf("Go renderer handled %d of %d cases", handled, len(deparseCases))
	}
}

func TestQuoteIdent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"email", "email"}, {"Email", `"Email"`}, {"user", `"user"`}, {"order", `"order"`},
		{"select", `"select"`}, {"name", "name"}, {"text", "text"}, {"a b", `"a b"`},
		{`a"b`, `"a""b"`}, {"1a", `"1a"`}, {"_a1", "_a1"}, {"", `""`}, {"between", `"between"`},
		{"left", `"left"`}, {"value", "value"}, {"int", `"int"`}, {"été", `"été"`},
	}
	for _, tt := range tests {
		if got := QuoteIdent(tt.in); got != tt.want {
			t.Errorf("QuoteIdent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExprKey(t *testing.T) {
	// Pairs that must share a matching key: what a query writes and what
	// pg_get_indexdef prints for the same index expression.
	same := [][2]string{
		{"lower(email)", "lower((email)::text)"},
		{"lower(u.email)", "lower((email)::character varying)"},
		{"upper(name)", "upper((name)::bpchar)"},
		{"date_trunc('day', created_at)", "date_trunc('day'::text, created_at)"},
		{"(data ->> 'k')", "(data ->> 'k'::text)"},
		{"created_at::date", "((created_at)::date)"},
		{"created_at AT TIME ZONE 'UTC'", "timezone('UTC'::text, created_at)"},
		{"EXTRACT(year FROM ts)", "EXTRACT(year FROM ts)"},
		{"f(a)", "public.f(a)"},
		{"lower(email)", "pg_catalog.lower(email)"},
		{"coalesce(a, 0)", "COALESCE(a, 0)"},
		{"email::text", "(email)::text"},
		{"lower(email || 'x')", "lower(((email)::text || 'x'::text))"},
	}
	for _, p := range same {
		a, b := parseExpr(t, p[0]), parseExpr(t, p[1])
		if ka, kb := exprKey(a), exprKey(b); ka != kb {
			t.Errorf("key(%s) = %q, key(%s) = %q: want equal", p[0], ka, p[1], kb)
		}
	}
	differ := [][2]string{
		{"lower(email)", "upper(email)"},
		{"created_at::date", "created_at::timestamp"},
		{"(data ->> 'k')", "(data -> 'k')"},
		{"date_trunc('day', a)", "date_trunc('hour', a)"},
		{"a::int", "a"},
		{"id::text", "id"},
		{"email::varchar", "email"},
	}
	for _, p := range differ {
		a, b := parseExpr(t, p[0]), parseExpr(t, p[1])
		if ka, kb := exprKey(a), exprKey(b); ka == kb {
			t.Errorf("key(%s) = key(%s) = %q: want different", p[0], p[1], ka)
		}
	}
}

// TestForEachChild checks that the typed walk reaches every expression
// node (subquery, column, parameter, function call) the reflection walk
// reaches, on the whole test corpus; it skips only name lists and type
// names, where none can be.
func TestForEachChild(t *testing.T) {
	var stmts []string
	for _, c := range modelCases {
		stmts = append(stmts, c.sql)
	}
	for _, e := range deparseCases {
		stmts = append(stmts, "SELECT "+e)
	}
	count := func(root *pg_query.Node, typed bool) int {
		n := 0
		var walk func(x *pg_query.Node)
		walk = func(x *pg_query.Node) {
			if x == nil || x.Node == nil {
				return
			}
			switch x.Node.(type) {
			case *pg_query.Node_SubLink, *pg_query.Node_ColumnRef, *pg_query.Node_ParamRef, *pg_query.Node_FuncCall:
				n++
			}
			if typed {
				forEachChild(x, walk)
			} else {
				walkChildren(x.ProtoReflect(), walk)
			}
		}
		walk(root)
		return n
	}
	files, _ := filepath.Glob("testdata/model/*.sql")
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, splitStatements(t, string(text))...)
	}
	for _, sql := range stmts {
		tree, err := pg_query.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		root := tree.Stmts[0].Stmt
		if typed, refl := count(root, true), count(root, false); typed != refl {
			t.Errorf("%s: typed walk reached %d nodes, reflection %d", sql, typed, refl)
		}
	}
}

// exprText returns the canonical text of n and, when it differs, its
// matching key ("" when equal to the text).
func exprText(n *pg_query.Node) (text, key string) {
	return exprTextSubs(n, nil, false, nil)
}

// exprKey returns the matching key of n.
func exprKey(n *pg_query.Node) string { return exprKeySubs(n, nil, false, nil) }
