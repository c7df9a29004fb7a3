package catalog

import (
	"slices"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// exprFor returns the canonical text, matching key and columns of index
// key expression expr over table t, in the query model's form (so that
// checks compare them with a query's expressions). An expression the
// model cannot read keeps its text.
func exprFor(expr string, t *Table) (text, key string, cols []string) {
	e, err := sqlparse.ExprForTableColumns(expr, t.TableName(), t.ColumnNames())
	if err != nil {
		return expr, "", nil
	}
	for _, c := range e.Columns {
		if !slices.Contains(cols, c.Column) {
			cols = append(cols, c.Column)
		}
	}
	text = e.Text
	if e.MatchKey() != text {
		key = e.MatchKey()
	}
	return text, key, cols
}

// predicatesFor returns the conjuncts of a partial index's predicate over
// table t as the query model's predicates (nil if it cannot read them).
func predicatesFor(where string, t *Table) []query.Predicate {
	ps, err := sqlparse.PredicatesForTable(where, t.TableName())
	if err != nil {
		return nil
	}
	return ps
}
