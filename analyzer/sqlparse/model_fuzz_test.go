package sqlparse

import (
	"os"
	"path/filepath"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// FuzzAnalyze checks that no input makes the model builder panic, that
// every model derives its accesses, and that the Go expression renderer
// agrees with pg_query's deparser on every expression of the input.
func FuzzAnalyze(f *testing.F) {
	for _, c := range modelCases {
		f.Add(c.sql)
	}
	for _, e := range deparseCases {
		f.Add("SELECT " + e)
	}
	files, _ := filepath.Glob("testdata/model/*.sql")
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range splitStatements(f, string(text)) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, schema := range []Schema{nil, shop} {
			st, err := Analyze(sql, schema)
			if err != nil {
				if st != nil {
					t.Fatalf("model and error for %q", sql)
				}
				continue
			}
			_ = st.Accesses()
			for i, q := range st.Queries {
				if q.ID != i || (i > 0 && (q.Parent < 0 || q.Parent >= len(st.Queries))) {
					t.Fatalf("bad block ids in %q: %d %+v", sql, i, q)
				}
			}
		}
		tree, err := pg_query.Parse(sql)
		if err != nil || len(tree.Stmts) != 1 {
			return
		}
		subs := deparseSubqueries(tree.Stmts[0].Stmt)
		var walk func(n *pg_query.Node, depth int)
		walk = func(n *pg_query.Node, depth int) {
			if n == nil || depth > 64 {
				return
			}
			if isExprNode(n) {
				checkDeparse(t, sql, n, subs)
			}
			walkChildren(n.ProtoReflect(), func(c *pg_query.Node) { walk(c, depth+1) })
		}
		walk(tree.Stmts[0].Stmt, 0)
	})
}

// isExprNode reports whether n is an expression the renderer handles.
func isExprNode(n *pg_query.Node) bool {
	switch n.Node.(type) {
	case *pg_query.Node_AExpr, *pg_query.Node_BoolExpr, *pg_query.Node_FuncCall, *pg_query.Node_TypeCast,
		*pg_query.Node_NullTest, *pg_query.Node_BooleanTest, *pg_query.Node_CaseExpr, *pg_query.Node_CoalesceExpr,
		*pg_query.Node_MinMaxExpr, *pg_query.Node_AArrayExpr, *pg_query.Node_AIndirection, *pg_query.Node_CollateClause,
		*pg_query.Node_SqlvalueFunction, *pg_query.Node_ParamRef, *pg_query.Node_RowExpr, *pg_query.Node_SubLink:
		return true
	case *pg_query.Node_ColumnRef:
		return true
	}
	return false
}
