// Package proposal merges the index proposals that checks attach to their
// findings (check.Fix.Index) into one list: the same definition proposed
// by several checks or for several queries once; a proposal that a wider
// one serves (its keys a prefix of the other's, its INCLUDE columns among
// the other's columns, no predicate the other lacks) folded into the
// wider one; one name per index across all of them; and each finding's
// fix rewritten from the one definition writer, candidate.Index.DDL.
package proposal

import (
	"cmp"
	"slices"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// Merged is one index proposal after merging.
type Merged struct {
	// Index is the index to create.
	Index *candidate.Index
	// Key identifies the proposal in a report: its index name, unique
	// among the merged proposals.
	Key string
	// Findings are the positions, in the slice given to Merge, of the
	// findings that ask for this index (directly or through a narrower
	// proposal it serves), in order.
	Findings []int
}

// Merge merges the index proposals of fs, rewrites each such finding's
// Fix (SQL from the merged index, Index pointing at it), and returns the
// merged proposals in the order of their first finding. Checks keep the
// DDL out of their help text: the fix carries it. cat, when not nil, gives
// the names already used in the schema.
func Merge(fs []check.Finding, cat *catalog.Catalog) []*Merged {
	var groups []*Merged
	byDef := map[string]*Merged{}
	for i, f := range fs {
		if f.Fix == nil || f.Fix.Index == nil {
			continue
		}
		def := candidate.Definition(f.Fix.Index)
		g := byDef[def]
		if g == nil {
			ix := *f.Fix.Index
			ix.Serves = slices.Clone(ix.Serves)
			g = &Merged{Index: &ix}
			byDef[def] = g
			groups = append(groups, g)
		} else {
			// The same index: what it serves is said by its first
			// proposal (later ones differ only in the query's literals).
			g.Index.Partitioned = g.Index.Partitioned || f.Fix.Index.Partitioned
		}
		g.Findings = append(g.Findings, i)
	}

	// Fold each proposal into the widest proposal that serves it.
	order := slices.Clone(groups)
	slices.SortStableFunc(order, func(a, b *Merged) int {
		return cmp.Compare(width(b.Index), width(a.Index))
	})
	into := map[*Merged]*Merged{}
	for i, narrow := range order {
		for _, wide := range order[:i] {
			if into[wide] == nil && Serves(wide.Index, narrow.Index) {
				into[narrow] = wide
				wide.Findings = append(wide.Findings, narrow.Findings...)
				wide.Index.Serves = union(wide.Index.Serves, narrow.Index.Serves)
				break
			}
		}
	}
	var out []*Merged
	for _, g := range groups {
		if into[g] == nil {
			slices.Sort(g.Findings)
			out = append(out, g)
		}
	}

	// One name per index: the first proposal keeps the name its check
	// chose unless the schema has it; the others are renumbered.
	used := map[string]bool{}
	for _, g := range out {
		schema := cmp.Or(g.Index.Table.Schema, "public")
		g.Index.Rename(func(name string) bool {
			if used[schema+"."+name] {
				return true
			}
			if cat == nil {
				return false
			}
			k := catalog.Key(schema, name)
			return cat.Tables[k] != nil || cat.Indexes[k] != nil
		})
		used[schema+"."+g.Index.Name] = true
		g.Key = qualified(g.Index.Table.Schema, g.Index.Name)
	}

	for _, g := range out {
		sql := g.Index.Statement()
		for _, i := range g.Findings {
			fs[i].Fix.SQL, fs[i].Fix.Index = sql+";", g.Index
		}
	}
	return out
}

// qualified names an index as a key: schema-qualified unless public.
func qualified(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "." + name
}

// width orders proposals for folding: more keys and INCLUDE columns
// first, a full index before a partial one of the same keys.
func width(ix *candidate.Index) int {
	w := 4 * (len(ix.Keys) + len(ix.Include))
	if ix.Predicate == "" {
		w++
	}
	return w
}

// Serves reports whether index wide serves every use of index narrow:
// the same definition, or narrow made redundant by wide, by the rules of
// package catalog (catalog.Duplicates, catalog.RedundantTo), the ones the
// duplicate-index and redundant-index checks apply to existing indexes.
func Serves(wide, narrow *candidate.Index) bool {
	w, n := catalogIndex(wide), catalogIndex(narrow)
	return catalog.Duplicates(n, w) || catalog.RedundantTo(n, w)
}

// catalogIndex is a proposal as a valid catalog index, for the catalog's
// rules.
func catalogIndex(ix *candidate.Index) *catalog.Index {
	c := ix.CatalogIndex("")
	c.Valid = true
	return c
}

// union appends the items of b that a lacks.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}
