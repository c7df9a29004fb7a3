// Package params finds representative values for a query's $n
// parameters, so that it is planned and run as the application runs it:
// the bind values a log recorded, the literals of the logged text, else
// values from the column statistics (pg_stats), never NULL. When no value
// can be found for every parameter, the query is planned generically.
package params

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Sources of values.
const (
	FromLog      = "log bind values"
	FromLiterals = "literals"
	FromStats    = "pg_stats"
	FromGeneric  = "generic plan"
)

// Bound is a query ready to plan and run, and where its values come from.
type Bound struct {
	Query  whatif.Query
	Source string
}

// MaxSamples is the most distinct samples bound per query.
const MaxSamples = 3

// For returns the queries to plan for one workload query whose model is
// st: one per distinct sample (at most MaxSamples) when the samples have
// literals or bind values, else one with values from statistics, else a
// generic plan. text is the query's example text (used when there are no
// samples).
func For(st *query.Statement, text string, samples []workload.Sample, cat *catalog.Catalog) []Bound {
	n := 0
	if st != nil {
		n = st.Params
	}
	var out []Bound
	seen := map[string]bool{}
	add := func(b Bound) {
		if k := b.Query.Key(); !seen[k] && len(out) < MaxSamples {
			seen[k] = true
			out = append(out, b)
		}
	}
	for _, s := range samples {
		switch {
		case n == 0:
			add(Bound{Query: whatif.Query{SQL: s.Text}, Source: FromLiterals})
		case len(s.Params) >= n && !hasNull(s.Params[:n]):
			add(Bound{Query: whatif.Query{SQL: s.Text, Params: s.Params[:n]}, Source: FromLog})
		}
	}
	if len(out) > 0 {
		return out
	}
	if n == 0 {
		return []Bound{{Query: whatif.Query{SQL: text}, Source: FromLiterals}}
	}
	if vals := FromStatistics(st, cat); vals != nil {
		return []Bound{{Query: whatif.Query{SQL: text, Params: vals}, Source: FromStats}}
	}
	return []Bound{{Query: whatif.Query{SQL: text, Generic: true, NParams: n}, Source: FromGeneric}}
}

func hasNull(ps []*string) bool {
	for _, p := range ps {
		if p == nil {
			return true
		}
	}
	return false
}

// FromStatistics returns a value for every $n of st from the statistics
// of the column it is compared with (equality: the histogram's middle
// bound, else the most common value; a lower bound: a high quantile and
// an upper bound a low one, so that the range stays selective), LIMIT
// $n = 10 and OFFSET $n = 0; nil when some parameter has none.
func FromStatistics(st *query.Statement, cat *catalog.Catalog) []*string {
	if st == nil || st.Params == 0 {
		return nil
	}
	vals := make([]*string, st.Params)
	set := func(e query.Expr, v string) {
		if e.Kind == query.ExprParam && e.Param >= 1 && e.Param <= len(vals) && vals[e.Param-1] == nil {
			vals[e.Param-1] = &v
		}
	}
	for _, q := range st.Queries {
		if q.Limit != nil {
			set(*q.Limit, "10")
		}
		if q.Offset != nil {
			set(*q.Offset, "0")
		}
	}
	for _, a := range st.Accesses() {
		t := cat.Table(a.Table)
		if t == nil {
			continue
		}
		for _, p := range append(append([]query.Predicate(nil), a.Filters...), a.JoinKeys...) {
			col, fold := columnOf(p.Left, t)
			if col == nil || col.Stats == nil {
				continue
			}
			pick := func(q float64) (string, bool) {
				v, ok := quantile(col.Stats, q)
				if ok && fold {
					v = strings.ToLower(v)
				}
				return v, ok
			}
			switch p.Op {
			case query.OpEq, query.OpLike:
				if v, ok := pick(0.5); ok {
					set(p.Right, v)
				}
			case query.OpIn:
				for i, it := range p.Right.Items {
					if v, ok := pick(0.2 + 0.6*float64(i)/float64(max(1, len(p.Right.Items)))); ok {
						set(it, v)
					}
				}
				if v, ok := pick(0.5); ok {
					set(p.Right, v) // = ANY($1) takes an array
					if p.Right.Kind == query.ExprParam && vals[p.Right.Param-1] != nil && *vals[p.Right.Param-1] == v {
						arr := "{" + quoteArrayItem(v) + "}"
						vals[p.Right.Param-1] = &arr
					}
				}
			case query.OpGt, query.OpGe:
				if v, ok := pick(0.9); ok {
					set(p.Right, v)
				}
			case query.OpLt, query.OpLe:
				if v, ok := pick(0.1); ok {
					set(p.Right, v)
				}
			case query.OpBetween:
				if len(p.Right.Items) == 2 {
					if v, ok := pick(0.45); ok {
						set(p.Right.Items[0], v)
					}
					if v, ok := pick(0.55); ok {
						set(p.Right.Items[1], v)
					}
				}
			}
		}
	}
	for _, v := range vals {
		if v == nil {
			return nil
		}
	}
	return vals
}

// columnOf returns the column a predicate's left side reads: the column
// itself, or the one column under lower()/upper() (fold tells to lower
// the value) or a cast.
func columnOf(e query.Expr, t *catalog.Table) (c *catalog.Column, fold bool) {
	switch e.Kind {
	case query.ExprColumn:
		if e.Column != nil {
			return t.Column(e.Column.Column), false
		}
	case query.ExprFunc, query.ExprCast:
		if len(e.Columns) != 1 {
			return nil, false
		}
		fold = e.Kind == query.ExprFunc && (e.Func == "lower" || strings.HasSuffix(e.Func, ".lower"))
		if e.Kind == query.ExprFunc && !fold {
			return nil, false
		}
		return t.Column(e.Columns[0].Column), fold
	}
	return nil, false
}

// quantile returns a value near the q-th quantile of a column: from the
// histogram of its less common values when there is one, else the most
// common value nearest to it.
func quantile(s *catalog.ColumnStats, q float64) (string, bool) {
	if n := len(s.Histogram); n > 0 {
		i := int(q * float64(n-1))
		return s.Histogram[min(max(i, 0), n-1)], true
	}
	if n := len(s.MostCommon); n > 0 {
		i := int(q * float64(n-1))
		return s.MostCommon[min(max(i, 0), n-1)], true
	}
	return "", false
}

// quoteArrayItem quotes a value as an element of an array literal.
func quoteArrayItem(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}
