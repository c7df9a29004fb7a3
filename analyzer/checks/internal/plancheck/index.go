package plancheck

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Proposal is the index proposed for a plan node.
type Proposal struct {
	*candidate.Index
	// TableSQL is the indexed table as the DDL writes it ("orders",
	// "app.orders"): the partitioned table when the node scans one of
	// its partitions and the query or the schema tells which.
	TableSQL string
	// FromQuery is true when the proposal comes from the plan's query
	// text (its WHERE, joins, ORDER BY and LIMIT), false when it comes
	// from the node's conditions alone.
	FromQuery bool
	// Partitioned is true when the table is partitioned: PostgreSQL
	// cannot build its index concurrently, so DDL is a plain CREATE
	// INDEX.
	Partitioned bool
	// DDL is the CREATE INDEX statement.
	DDL string
}

// ProposeIndex proposes, through advisor/candidate, the index that would
// serve scan node n of plan p.
//
// When the plan carries its query text (auto_explain, --query, a JSON
// "Query Text"), the proposal comes from the query's access to the
// node's relation (matched by alias, or, for a partition PostgreSQL named
// alias_N, to its partitioned table): its filters, its ORDER BY and LIMIT,
// and its join keys when joins is true or the node itself compares with
// another relation (a parameterized scan). Otherwise, or when the query
// does not tell, it comes from conds, the node's conditions as
// PostgreSQL printed them (Filter, Index Cond, Join Filter...): the
// comparisons with constants are filters, those with columns of other
// relations join keys.
//
// The catalog, when not empty, gives column types and statistics (for key
// order, partial predicates, INCLUDE columns) and maps partitions to their
// partitioned table. ProposeIndex returns nil when nothing can use an
// index (OR, leading wildcards, conditions that do not parse).
func ProposeIndex(cat *catalog.Catalog, p *explain.Plan, n *explain.Node, joins bool, conds ...string) *Proposal {
	if n.RelationName == "" {
		return nil
	}
	t := cat.Table(query.TableName{Schema: n.Schema, Name: n.RelationName})
	var where []string
	for _, c := range conds {
		if c = strings.TrimSpace(c); c != "" {
			where = append(where, planCondition(c, t))
		}
	}
	alias := nodeAlias(n)
	parameterized := len(outerRelations(where, alias)) > 0
	if pr := fromQuery(cat, p, n, joins || parameterized); pr != nil {
		return pr
	}
	return fromConditions(cat, n, where)
}

// nodeAlias is the name the node's conditions give its relation.
func nodeAlias(n *explain.Node) string {
	if n.Alias != "" {
		return n.Alias
	}
	return n.RelationName
}

// fromQuery proposes the index from the plan's query, nil when the query
// is unknown, does not parse or does not show the node's access alone.
func fromQuery(cat *catalog.Catalog, p *explain.Plan, n *explain.Node, joins bool) *Proposal {
	if p.Query == "" {
		return nil
	}
	st, err := sqlparse.Analyze(p.Query, cat)
	if err != nil {
		return nil
	}
	if st.Inner != nil {
		st = st.Inner // EXPLAIN, CREATE TABLE AS, PREPARE ...
	}
	accesses := st.Accesses()
	alias := nodeAlias(n)
	var match []query.Access
	for _, a := range accesses {
		if a.Rel == alias && a.Table.Name == n.RelationName && (n.Schema == "" || a.Table.Schema == "" || a.Table.Schema == n.Schema) {
			match = append(match, a)
		}
	}
	partitioned := false
	if len(match) == 0 {
		// PostgreSQL names the partitions of "FROM readings r" r_1, r_2...
		if m := rePartitionAlias.FindStringSubmatch(alias); m != nil {
			for _, a := range accesses {
				if a.Rel == m[1] && partitionOf(cat, n, a.Table) {
					match = append(match, a)
				}
			}
			partitioned = true
		}
	}
	if len(match) != 1 {
		return nil // unknown, or ambiguous (the same alias in several blocks)
	}
	a := match[0]
	if !joins {
		a.JoinKeys = nil
	}
	t := cat.Table(a.Table)
	if t != nil {
		partitioned = t.Kind == catalog.KindPartitioned
	}
	return proposal(cat, a, t, partitioned, true)
}

var rePartitionAlias = regexp.MustCompile(`^(.+)_\d+$`)

// partitionOf reports whether the node's relation may be a partition of
// parent: the catalog says so, or does not know the relation.
func partitionOf(cat *catalog.Catalog, n *explain.Node, parent query.TableName) bool {
	t := cat.Table(query.TableName{Schema: n.Schema, Name: n.RelationName})
	if t == nil {
		return true
	}
	for range 32 { // partitions of partitions; bounded against cycles
		if t.PartitionOf == "" {
			return false
		}
		t = cat.Table(splitName(t.PartitionOf))
		if t == nil {
			return false
		}
		if t.Name == parent.Name && (parent.Schema == "" || parent.Schema == t.Schema) {
			return true
		}
	}
	return false
}

// splitName splits "schema.name" as the catalog writes it.
func splitName(s string) query.TableName {
	if schema, name, ok := strings.Cut(s, "."); ok {
		return query.TableName{Schema: schema, Name: name}
	}
	return query.TableName{Name: s}
}

// outerName is the stand-in for the other relations a condition names:
// a relation without columns, so that unqualified columns resolve to the
// scanned relation.
const outerName = "pgadvisor_outer"

// fromConditions proposes the index from the node's conditions: it
// analyzes "SELECT 1 FROM rel AS alias, outer AS o... WHERE conds" and
// takes the access of the scanned relation.
func fromConditions(cat *catalog.Catalog, n *explain.Node, where []string) *Proposal {
	if len(where) == 0 {
		return nil
	}
	alias := nodeAlias(n)
	name := query.TableName{Schema: n.Schema, Name: n.RelationName}
	from := sqlparse.QuoteIdent(n.RelationName)
	if n.Schema != "" {
		from = sqlparse.QuoteIdent(n.Schema) + "." + from
	}
	from += " AS " + sqlparse.QuoteIdent(alias)
	for _, o := range outerRelations(where, alias) {
		from += ", " + outerName + " AS " + sqlparse.QuoteIdent(o)
	}
	st, err := sqlparse.Analyze("SELECT 1 FROM "+from+" WHERE "+strings.Join(where, " AND "), conditionSchema{cat})
	if err != nil {
		return nil
	}
	for _, a := range st.Accesses() {
		if a.Rel != alias || a.Table.Name != n.RelationName {
			continue
		}
		// The columns the query reads are unknown: no INCLUDE columns.
		a.Star = true
		t := cat.Table(name)
		partitioned := false
		// A partition's index is best created on its partitioned table,
		// which gives it to every partition.
		if t != nil && t.PartitionOf != "" {
			if parent := rootTable(cat, t); parent != nil {
				t, partitioned = parent, true
				a.Table = query.TableName{Schema: parent.Schema, Name: parent.Name}
			}
		}
		return proposal(cat, a, t, partitioned || t != nil && t.Kind == catalog.KindPartitioned, false)
	}
	return nil
}

// rootTable returns the partitioned table at the top of t's partition
// tree, nil when it is not in the catalog.
func rootTable(cat *catalog.Catalog, t *catalog.Table) *catalog.Table {
	var root *catalog.Table
	for range 32 {
		if t.PartitionOf == "" {
			return root
		}
		if t = cat.Table(splitName(t.PartitionOf)); t == nil {
			return root
		}
		root = t
	}
	return root
}

// proposal runs candidate.For on access a of table t (nil: unknown).
func proposal(cat *catalog.Catalog, a query.Access, t *catalog.Table, partitioned, fromQuery bool) *Proposal {
	schema := a.Table.Schema
	if t != nil {
		schema = t.Schema
	}
	ix := candidate.For(a, t, candidate.Options{Taken: func(name string) bool {
		return cat.Index(query.TableName{Schema: schema, Name: name}) != nil
	}})
	if ix == nil {
		return nil
	}
	table := sqlparse.QuoteIdent(ix.Table.Name)
	if ix.Table.Schema != "" && ix.Table.Schema != "public" {
		table = sqlparse.QuoteIdent(ix.Table.Schema) + "." + table
	}
	ix.Partitioned = partitioned
	text := ix.Statement() // PlainDDL when the partitions are unknown
	if partitioned && t != nil && t.Kind == catalog.KindPartitioned {
		// Built on each partition without blocking writes, then attached.
		text, _ = ddl.CreateIndex(cat, ix, t)
	}
	return &Proposal{Index: ix, TableSQL: table, FromQuery: fromQuery, Partitioned: partitioned, DDL: text}
}

// conditionSchema answers the model builder for the statement built from
// a node's conditions: the stand-in relations have no columns, the
// scanned relation has the catalog's columns when it knows it.
type conditionSchema struct{ cat *catalog.Catalog }

func (s conditionSchema) Columns(t query.TableName) ([]string, bool) {
	if t.Schema == "" && t.Name == outerName {
		return []string{}, true
	}
	return s.cat.Columns(t)
}

func (conditionSchema) View(query.TableName) (string, bool) { return "", false }

var (
	// reTextCast is a cast of a column to text: PostgreSQL prints a
	// comparison of a varchar column as ((status)::text = 'x'::text),
	// which the column's own index serves.
	reTextCast = regexp.MustCompile(`\(((?:[a-z_][a-z0-9_$]*\.)?[a-z_][a-z0-9_$]*)\)::(?:text|character varying|bpchar)\b`)
	// reSubplanRef is a value computed by an InitPlan or SubPlan: $0 (up
	// to PostgreSQL 15), (InitPlan 1).col1 (16+), (SubPlan 2).
	reSubplanRef = regexp.MustCompile(`\((?:hashed )?(?:InitPlan|SubPlan) \d+\)(?:\.col\d+)?`)
)

// planCondition rewrites a condition as PostgreSQL prints it in a plan
// into SQL that the model reads as the same predicate on the column:
// casts to text of character columns (of any column when t, the scanned
// table, is unknown) are dropped, and subplan values become parameters.
func planCondition(c string, t *catalog.Table) string {
	c = reTextCast.ReplaceAllStringFunc(c, func(m string) string {
		col := reTextCast.FindStringSubmatch(m)[1]
		_, name, qualified := strings.Cut(col, ".")
		if !qualified {
			name = col
		}
		if t != nil {
			if c := t.Column(name); c != nil && !characterType(c.Type) {
				return m // (id)::text = '5' is not served by an index on id
			}
		}
		return col
	})
	return reSubplanRef.ReplaceAllString(c, "$$1")
}

// characterType reports whether a column type compares as text.
func characterType(typ string) bool {
	return typ == "text" || strings.HasPrefix(typ, "character") || typ == "bpchar"
}

// outerRelations returns the relations other than alias that conditions
// qualify columns with ("c" in customer_id = c.id), outside literals.
func outerRelations(conds []string, alias string) []string {
	var out []string
	for _, c := range conds {
		for i := 0; i < len(c); i++ {
			switch ch := c[i]; {
			case ch == '\'':
				// Skip the literal ('' is an escaped quote inside it).
				for i++; i < len(c) && c[i] != '\''; i++ {
				}
			case ch == '"' || isIdentStart(ch) && (i == 0 || !isIdentPart(c[i-1]) && c[i-1] != '.'):
				name, end := identAt(c, i)
				if end < len(c) && c[end] == '.' && name != alias && !slices.Contains(out, name) {
					out = append(out, name)
				}
				i = end - 1
			}
		}
	}
	slices.Sort(out)
	return out
}

// identAt reads the identifier (quoted or not) at c[i:], returning it and
// the offset after it.
func identAt(c string, i int) (string, int) {
	if c[i] == '"' {
		var b strings.Builder
		for j := i + 1; j < len(c); j++ {
			if c[j] == '"' {
				if j+1 < len(c) && c[j+1] == '"' {
					b.WriteByte('"')
					j++
					continue
				}
				return b.String(), j + 1
			}
			b.WriteByte(c[j])
		}
		return b.String(), len(c)
	}
	j := i
	for j < len(c) && isIdentPart(c[j]) {
		j++
	}
	return c[i:j], j
}

// isIdentStart reports whether c may start an unquoted identifier.
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// isIdentPart reports whether c may continue an unquoted identifier.
func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

// ExistingIndex returns a B-tree index of the catalog on the proposal's
// table whose leading keys are the proposal's keys (the same set, in any
// order), or nil.
func ExistingIndex(cat *catalog.Catalog, pr *Proposal) *catalog.Index {
	if cat == nil || pr == nil || len(pr.Keys) == 0 {
		return nil
	}
	for _, ix := range cat.IndexesOn(pr.Index.Table) {
		if ix.Predicate != "" || ix.Method != "btree" || len(ix.Keys) < len(pr.Keys) {
			continue
		}
		lead := ix.Keys[:len(pr.Keys)]
		if !slices.ContainsFunc(pr.Keys, func(k catalog.IndexKey) bool {
			return !slices.ContainsFunc(lead, func(l catalog.IndexKey) bool { return candidate.SameKey(k, l) })
		}) {
			return ix
		}
	}
	return nil
}

// Serving describes what the proposed index serves, for messages: "for
// customer_id = 4242, ORDER BY created_at DESC".
func Serving(pr *Proposal) string {
	if len(pr.Serves) == 0 {
		return "on the filtered columns"
	}
	return "for " + strings.Join(pr.Serves, ", ")
}

// Caveat is what to know before running the proposal's DDL, "" when
// nothing: an index on a partitioned table cannot be built concurrently.
func Caveat(pr *Proposal) string {
	if !pr.Partitioned || strings.Contains(pr.DDL, " ON ONLY ") {
		return ""
	}
	return " (" + pr.TableSQL + " is partitioned: the build blocks writes to it; on a busy table, build the index CONCURRENTLY on each partition, create it ON ONLY " + pr.TableSQL + ", then ATTACH the partitions' indexes)"
}

// KeysFrom reports whether a key of the proposal, or a column of its
// partial predicate, is a column that cond (a node's condition as
// PostgreSQL printed it) reads: whether the index serves that condition
// rather than only the others.
func KeysFrom(pr *Proposal, cond string) bool {
	var cols []string
	for _, k := range pr.Keys {
		if k.Column != "" {
			cols = append(cols, k.Column)
		}
		cols = append(cols, k.Columns...)
	}
	for _, p := range pr.Where {
		for _, c := range p.Left.Columns {
			cols = append(cols, c.Column)
		}
	}
	for _, c := range cols {
		name := sqlparse.QuoteIdent(c)
		for i := strings.Index(cond, name); i >= 0; {
			end := i + len(name)
			if (i == 0 || !isIdentPart(cond[i-1])) && (end == len(cond) || !isIdentPart(cond[end])) {
				return true
			}
			next := strings.Index(cond[end:], name)
			if next < 0 {
				break
			}
			i = end + next
		}
	}
	return false
}
