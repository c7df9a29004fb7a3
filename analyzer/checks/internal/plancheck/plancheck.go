// Package plancheck holds what the EXPLAIN plan checks (the plan-* checks
// under analyzer/checks) share: node positions, the plan's fingerprint and
// the index a node's conditions call for. It is not a check.
package plancheck

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Pos returns the position of node n of plan p (the plan's own position
// when the node's line is unknown).
func Pos(p *explain.Plan, n *explain.Node) check.Position {
	line := p.Line
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return check.Position{File: p.File, Line: line}
}

// Fingerprint returns the fingerprint of the plan's query, "" when the
// query is unknown or does not parse.
func Fingerprint(p *explain.Plan) string {
	if p.Query == "" {
		return ""
	}
	fp, err := sqlparse.Fingerprint(p.Query)
	if err != nil {
		return ""
	}
	return fp
}

// Report reports a finding of the pass's check about node n of plan p.
func Report(pass *check.Pass, p *explain.Plan, n *explain.Node, help string, fix *check.Fix, format string, args ...any) {
	pass.Report(check.Finding{
		Check:       pass.Check.Name,
		Severity:    pass.Check.Severity,
		Pos:         Pos(p, n),
		Fingerprint: Fingerprint(p),
		Message:     fmt.Sprintf(format, args...),
		Help:        help,
		Fix:         fix,
	})
}

// Each calls fn for every node of every plan of the pass, with its parent.
func Each(pass *check.Pass, fn func(p *explain.Plan, n, parent *explain.Node)) {
	for _, p := range pass.Plans {
		explain.Walk(p.Root, func(n, parent *explain.Node) bool {
			fn(p, n, parent)
			return true
		})
	}
}

// Index is an index proposed for a plan node.
type Index struct {
	// Table is the relation as the plan names it (schema-qualified with
	// VERBOSE).
	Table string
	// Keys are the key columns or expressions, in order: equality
	// columns first, then one range column.
	Keys []string
	// Name is the index name PostgreSQL would choose.
	Name string
	// DDL is the CREATE INDEX statement.
	DDL string
}

// ProposeIndex proposes the B-tree index that serves the conditions conds
// (PostgreSQL's deparsed text, e.g. a node's Filter and Index Cond) on the
// node's relation: equality conditions first, then one range condition,
// as a B-tree serves them best. Conditions comparing a column with a
// column of another relation (join keys, parameters from an outer plan)
// count as equalities. It returns nil when no condition can lead an index
// (OR, leading wildcards, a condition that does not parse).
func ProposeIndex(n *explain.Node, conds ...string) *Index {
	if n.RelationName == "" {
		return nil
	}
	var where []string
	for _, c := range conds {
		if strings.TrimSpace(c) != "" {
			where = append(where, c)
		}
	}
	if len(where) == 0 {
		return nil
	}
	alias := n.Alias
	if alias == "" {
		alias = n.RelationName
	}
	table := sqlparse.QuoteIdent(n.RelationName)
	if n.Schema != "" {
		table = sqlparse.QuoteIdent(n.Schema) + "." + table
	}
	from := table + " AS " + sqlparse.QuoteIdent(alias)
	// Other relations the conditions name (join keys, outer references)
	// join the FROM list so that their columns resolve to them.
	others := map[string]bool{alias: true}
	for _, m := range reQualified.FindAllStringSubmatch(strings.Join(where, " "), -1) {
		if !others[m[1]] {
			others[m[1]] = true
			from += ", pgadvisor_outer AS " + sqlparse.QuoteIdent(m[1])
		}
	}
	sql := fmt.Sprintf("SELECT 1 FROM %s WHERE %s", from, strings.Join(where, " AND "))
	st, err := sqlparse.Analyze(sql, nil)
	if err != nil || len(st.Queries) == 0 {
		return nil
	}
	var eq, rng []string
	seen := map[string]bool{}
	for _, p := range st.Queries[0].Where {
		key, ok := predKey(p, alias)
		if !ok || seen[key] {
			continue
		}
		switch p.Op {
		case query.OpEq, query.OpIn, query.OpIsNull, query.OpNotDistinc:
			eq = append(eq, key)
			seen[key] = true
		case query.OpLt, query.OpLe, query.OpGt, query.OpGe, query.OpBetween, query.OpIsNotNull:
			rng = append(rng, key)
			seen[key] = true
		case query.OpLike:
			if p.Like == query.LikePrefix || p.Like == query.LikeExact {
				rng = append(rng, key)
				seen[key] = true
			}
		}
	}
	keys := eq
	if len(rng) > 0 {
		keys = append(keys, rng[0])
	}
	if len(keys) == 0 {
		return nil
	}
	return newIndex(n, table, keys)
}

func newIndex(n *explain.Node, table string, keys []string) *Index {
	parts := []string{n.RelationName}
	cols := make([]string, len(keys))
	for i, k := range keys {
		if isIdent(k) {
			parts = append(parts, k)
			cols[i] = sqlparse.QuoteIdent(k)
		} else {
			parts = append(parts, sqlparse.IndexExprName(k))
			cols[i] = "(" + k + ")"
		}
	}
	name := strings.Join(parts, "_") + "_idx"
	if len(name) > 63 {
		name = name[:63]
	}
	name = sqlparse.QuoteIdent(name)
	return &Index{
		Table: strings.TrimPrefix(n.Relation(), ""),
		Keys:  keys,
		Name:  name,
		DDL:   fmt.Sprintf("CREATE INDEX %s ON %s (%s);", name, table, strings.Join(cols, ", ")),
	}
}

var reQualified = regexp.MustCompile(`(?:^|[^a-z0-9_$."])([a-z_][a-z0-9_$]*)\.[a-z_"]`)

var reIdent = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

func isIdent(s string) bool { return reIdent.MatchString(s) }

// predKey returns the index key a predicate can use on relation alias: a
// column, or an expression over its columns, compared with a value or
// with a column of another relation.
func predKey(p query.Predicate, alias string) (string, bool) {
	if p.Op == query.OpOr || p.Op == query.OpNot || p.Op == query.OpOther {
		return "", false
	}
	side, other := p.Left, p.Right
	if !onAlias(side, alias) && onAlias(other, alias) {
		side, other = other, side
	}
	if !onAlias(side, alias) {
		return "", false
	}
	switch {
	case p.Op == query.OpIsNull || p.Op == query.OpIsNotNull:
	case other.IsValue():
	case other.Kind == query.ExprColumn && !onAlias(other, alias):
	case other.Kind == query.ExprCast && len(other.Columns) > 0 && !onAlias(other, alias):
	default:
		return "", false
	}
	switch side.Kind {
	case query.ExprColumn:
		return side.Column.Column, true
	case query.ExprCast:
		// PostgreSQL prints comparisons of varchar columns as
		// ((col)::text = ...): the plain column's index serves them.
		if len(side.Columns) == 1 && strings.Trim(side.Text, "()") == side.Columns[0].Column+")::text" ||
			len(side.Columns) == 1 && implicitCast(side.Func) {
			return side.Columns[0].Column, true
		}
		return side.Text, true
	case query.ExprFunc, query.ExprOperator:
		if side.Volatile {
			return "", false
		}
		return side.Text, true
	}
	return "", false
}

func implicitCast(typ string) bool {
	switch strings.ToLower(typ) {
	case "text", "varchar", "character varying", "bpchar", "pg_catalog.text":
		return true
	}
	return false
}

// onAlias reports whether e reads only columns of relation alias.
func onAlias(e query.Expr, alias string) bool {
	if len(e.Columns) == 0 {
		return false
	}
	for _, c := range e.Columns {
		// An unqualified column of a scan condition is the scanned relation's.
		if c.Rel != alias && c.Rel != "" {
			return false
		}
	}
	return true
}

// ExistingIndex returns an index of the catalog on the node's table whose
// leading keys are keys (in any order for the equality part), or nil.
func ExistingIndex(cat *catalog.Catalog, n *explain.Node, keys []string) *catalog.Index {
	if cat == nil || len(keys) == 0 {
		return nil
	}
	for _, ix := range cat.IndexesOn(query.TableName{Schema: n.Schema, Name: n.RelationName}) {
		if ix.Predicate != "" || ix.Method != "btree" || len(ix.Keys) < len(keys) {
			continue
		}
		match := true
		for i, k := range keys {
			got := ix.Keys[i].Column
			if got == "" {
				got = ix.Keys[i].Expr
			}
			if got != k {
				match = false
				break
			}
		}
		if match {
			return ix
		}
	}
	return nil
}
