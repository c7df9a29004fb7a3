package candidate

import (
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Variants returns the indexes worth costing for access a of table t:
// For's index, then narrower ones the advisor may prefer because they are
// smaller or serve more queries: without INCLUDE columns, without the
// ORDER BY keys, one per single indexable filter, and one for the join
// keys alone. Duplicates (same definition) are dropped; the first keeps
// its place. Names are chosen with opts.Taken and
// differ from each other.
func Variants(a query.Access, t *catalog.Table, opts Options) []*Index {
	var out []*Index
	seen := map[string]bool{}
	used := map[string]bool{}
	outer := opts.Taken
	opts.Taken = func(name string) bool { return used[name] || outer != nil && outer(name) }
	add := func(sub query.Access, o Options) {
		ix := For(sub, t, o)
		if ix == nil {
			return
		}
		k := Definition(ix)
		if seen[k] {
			return
		}
		seen[k] = true
		used[ix.Name] = true
		out = append(out, ix)
	}
	add(a, opts)
	noInclude := opts
	noInclude.MaxInclude = -1
	add(a, noInclude)
	if a.Limit != nil {
		sub := a
		sub.OrderBy, sub.Limit = nil, nil
		add(sub, noInclude)
	}
	for _, p := range a.Filters {
		if use, _ := Classify(p); use == UseNone {
			continue
		}
		sub := query.Access{Query: a.Query, Rel: a.Rel, Table: a.Table, Filters: []query.Predicate{p}, Columns: a.Columns, Star: a.Star, Write: a.Write}
		add(sub, noInclude)
	}
	if len(a.JoinKeys) > 0 {
		sub := query.Access{Query: a.Query, Rel: a.Rel, Table: a.Table, JoinKeys: a.JoinKeys, Columns: a.Columns, Star: a.Star, Write: a.Write}
		add(sub, noInclude)
	}
	return out
}

// Definition returns the index's definition without its name: two
// proposals with the same definition are the same index.
func Definition(ix *Index) string {
	c := *ix
	c.Name = "_"
	return c.PlainDDL()
}
