package catalog

import (
	"slices"
	"sort"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// MatchKey returns the key an expression key is matched under (Key, else
// Expr), or "" for a column key.
func (k IndexKey) MatchKey() string {
	if k.Key != "" {
		return k.Key
	}
	return k.Expr
}

// Matches reports whether index key k is the expression e of a query on
// the index's table: the same column for a column key (a plain column
// reference in e), the same matching key for an expression key.
func (k IndexKey) Matches(e query.Expr) bool {
	if k.Column != "" {
		return e.Kind == query.ExprColumn && e.Column != nil && e.Column.Column == k.Column
	}
	return e.Kind != query.ExprColumn && k.MatchKey() != "" && k.MatchKey() == e.MatchKey()
}

// LeadingMatch returns how many leading keys of the index match some
// expression of exprs (in any order): the number of index columns an
// index scan can use for equality conditions on exprs. An index serves a
// set of equality filters fully when LeadingMatch equals the number of
// distinct filtered expressions.
func (ix *Index) LeadingMatch(exprs []query.Expr) int {
	n := 0
	for _, k := range ix.Keys {
		if !slices.ContainsFunc(exprs, k.Matches) {
			break
		}
		n++
	}
	return n
}

// LeadingColumns reports whether the index's first len(cols) keys are
// exactly the columns cols, in any order: whether it serves lookups by
// all of them (as a foreign key's checks need).
func (ix *Index) LeadingColumns(cols []string) bool {
	if len(cols) == 0 || len(ix.Keys) < len(cols) {
		return false
	}
	for _, k := range ix.Keys[:len(cols)] {
		if k.Column == "" || !slices.Contains(cols, k.Column) {
			return false
		}
	}
	// Duplicates in cols would let fewer distinct keys match.
	seen := map[string]bool{}
	for _, k := range ix.Keys[:len(cols)] {
		if seen[k.Column] {
			return false
		}
		seen[k.Column] = true
	}
	return true
}

// Partial reports whether the index has a WHERE predicate.
func (ix *Index) Partial() bool { return ix.Predicate != "" }

// Applies reports whether a scan filtered by the conjuncts filters (a
// query.Access's Filters on the index's table) may use the index: always
// for a full index; for a partial index only when query.Implies proves
// that the filters imply its predicate.
func (ix *Index) Applies(filters []query.Predicate) bool {
	if !ix.Partial() {
		return true
	}
	if len(ix.Where) == 0 {
		// A predicate the model could not read: never assume it holds.
		return false
	}
	return query.Implies(filters, ix.Where)
}

// Usable reports whether the index can serve queries at all: it is valid
// (not left over by a failed CREATE INDEX CONCURRENTLY).
func (ix *Index) Usable() bool { return ix.Valid }

// ForeignKeyIndex returns the first index of t (by name) that serves the
// foreign key's lookups: valid, not partial, with fk's columns as its
// leading keys in any order; nil when there is none. For a partitioned
// table an index of the parent counts.
func (t *Table) ForeignKeyIndex(fk *ForeignKey) *Index {
	for _, ix := range t.Indexes {
		if ix.Valid && !ix.Partial() && (ix.Method == "btree" || ix.Method == "hash" && len(fk.Columns) == 1) && ix.LeadingColumns(fk.Columns) {
			return ix
		}
	}
	return nil
}

// sameKeys reports whether two key lists are identical (columns or
// expressions, direction, NULLS order, operator class, collation).
func sameKeys(a, b []IndexKey) bool {
	return slices.EqualFunc(a, b, sameKey)
}

// sameKey compares two keys, expressions by match key.
func sameKey(a, b IndexKey) bool {
	return a.Column == b.Column && a.MatchKey() == b.MatchKey() && a.Desc == b.Desc &&
		a.Nulls == b.Nulls && a.Opclass == b.Opclass && a.Collation == b.Collation
}

// reversed reports whether key a is key b scanned backwards (DESC flips,
// and the NULLS order flips with it).
func reversed(a, b IndexKey) bool {
	if a.Column != b.Column || a.MatchKey() != b.MatchKey() || a.Opclass != b.Opclass || a.Collation != b.Collation || a.Desc == b.Desc {
		return false
	}
	return nullsFirst(a) != nullsFirst(b)
}

// nullsFirst reports whether a key sorts NULLs first.
func nullsFirst(k IndexKey) bool {
	switch k.Nulls {
	case query.NullsFirst:
		return true
	case query.NullsLast:
		return false
	}
	return k.Desc
}

// predicateKey is a partial index's predicate in a form where spellings
// of the same condition agree (status <> 'done' and status <> 'done'::text):
// its conjuncts' match keys, sorted.
func predicateKey(ix *Index) string {
	if len(ix.Where) == 0 {
		return ix.Predicate
	}
	parts := make([]string, len(ix.Where))
	for i, p := range ix.Where {
		parts[i] = p.Left.MatchKey() + " " + string(p.Op) + " " + p.Operator + " " + p.Right.MatchKey()
		if len(p.Or) > 0 || len(p.Not) > 0 || p.Op == query.OpOther {
			parts[i] = p.Text
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " AND ")
}

// SamePredicate reports whether two indexes have the same predicate (both
// none, or the same conjuncts).
func SamePredicate(a, b *Index) bool { return predicateKey(a) == predicateKey(b) }

// Duplicates reports whether a and b are the same index under two names:
// same table, method, keys (with operator classes, collations and order),
// INCLUDE columns (as a set) and predicate. Two B-trees whose keys are
// all reversed, (a DESC, b) and (a, b DESC), are duplicates too: a B-tree
// is scanned in both directions, so they serve the same lookups and
// orderings; a key reverses only with its NULLS order (a DESC is (a)
// backwards, a DESC NULLS LAST is not). Uniqueness may differ: a plain
// index duplicating a unique one is still redundant.
func Duplicates(a, b *Index) bool {
	if a == b || a.Table != b.Table || a.Method != b.Method || !SamePredicate(a, b) {
		return false
	}
	if !sameKeys(a.Keys, b.Keys) && (a.Method != "btree" || !slices.EqualFunc(a.Keys, b.Keys, reversed)) {
		return false
	}
	ai, bi := slices.Clone(a.Include), slices.Clone(b.Include)
	sort.Strings(ai)
	sort.Strings(bi)
	return slices.Equal(ai, bi)
}

// RedundantTo reports whether index a is made redundant by index b on the
// same table: both B-trees with the same predicate, a's keys a leading
// prefix of b's (the whole prefix possibly scanned backwards: (a DESC)
// is (a, b) read backwards, (a DESC NULLS LAST) is not), a's INCLUDE
// columns among b's columns, b valid, and a neither unique, nor backing a
// constraint, nor attached to a partitioned index (dropping it would
// change behaviour, or PostgreSQL refuses to drop it on its own). Exact
// duplicates, reversed or not, are left to Duplicates.
func RedundantTo(a, b *Index) bool {
	if a == b || a.Table != b.Table || a.Method != "btree" || b.Method != "btree" || !SamePredicate(a, b) ||
		a.Unique || a.Constraint != "" || a.Parent != "" || !b.Valid || len(a.Keys) > len(b.Keys) || Duplicates(a, b) {
		return false
	}
	prefix := b.Keys[:len(a.Keys)]
	if !sameKeys(a.Keys, prefix) && !slices.EqualFunc(a.Keys, prefix, reversed) {
		return false
	}
	for _, c := range a.Include {
		if !slices.Contains(b.Include, c) && !slices.ContainsFunc(b.Keys, func(k IndexKey) bool { return k.Column == c }) {
			return false
		}
	}
	if len(a.Keys) == len(b.Keys) && len(a.Include) == len(b.Include) {
		// Same keys and INCLUDE columns in another order: a duplicate in
		// all but order, which Duplicates already reports.
		return false
	}
	return true
}

// DuplicateGroups returns the sets of indexes that duplicate each other
// (two or more each), every group sorted by index name and the groups by
// their first index.
func (c *Catalog) DuplicateGroups() [][]*Index {
	var groups [][]*Index
	for _, t := range c.AllTables() {
		done := map[*Index]bool{}
		for i, a := range t.Indexes {
			if done[a] {
				continue
			}
			group := []*Index{a}
			for _, b := range t.Indexes[i+1:] {
				if !done[b] && Duplicates(a, b) {
					group = append(group, b)
					done[b] = true
				}
			}
			if len(group) > 1 {
				groups = append(groups, group)
			}
		}
	}
	return groups
}

// Redundancy is an index made redundant by a wider one.
type Redundancy struct {
	Index *Index
	// By is the index whose leading keys cover Index's.
	By *Index
}

// RedundantIndexes lists every index made redundant by another index of
// its table (RedundantTo), sorted by index; when several indexes cover
// it, By is the one with the fewest keys, then the first by name.
func (c *Catalog) RedundantIndexes() []Redundancy {
	var out []Redundancy
	for _, t := range c.AllTables() {
		for _, a := range t.Indexes {
			var by *Index
			for _, b := range t.Indexes {
				if RedundantTo(a, b) && (by == nil || len(b.Keys) < len(by.Keys)) {
					by = b
				}
			}
			if by != nil {
				out = append(out, Redundancy{Index: a, By: by})
			}
		}
	}
	return out
}
