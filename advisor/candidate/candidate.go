// Package candidate proposes the index that would serve one table access of
// a query (a query.Access): which keys in which order, which partial
// predicate, which INCLUDE columns, its name and its CREATE INDEX DDL.
//
// The rules are PostgreSQL's B-tree rules:
//
//   - equality keys first (=, IN, = ANY, IS NULL, a boolean column, and
//     join keys, which a nested loop looks up by equality), because a
//     B-tree can descend through any number of equality keys;
//   - then either the ORDER BY columns, when the block has a LIMIT (an
//     ordered index scan returns the first rows without sorting and stops
//     early), in the query's directions and NULLS order, skipping columns
//     already fixed by an equality; or at most one range key (<, >,
//     BETWEEN, IS NOT NULL, LIKE 'prefix%'), since a B-tree can only use
//     the first range key it meets to bound the scan;
//   - expressions (lower(email), (created_at)::date, data ->> 'kind') are
//     keys like columns: PostgreSQL matches them against an expression
//     index;
//   - filters on a constant that select a fixed subset (IS NULL, IS NOT
//     NULL, a boolean column, equality with a constant on a column known
//     to have few distinct values) become the partial index predicate
//     instead of keys when other keys remain: the index is smaller and
//     the planner uses it for every query that implies the predicate;
//   - when the query reads only a few other columns (MaxInclude) of
//     narrow types, they become INCLUDE columns so that an index-only scan
//     can answer it without visiting the table;
//   - containment and full-text operators (@>, <@, &&, ?, ?|, ?&, @@) are
//     served by a GIN index when no B-tree key applies.
//
// The checks (missing-index), the EXPLAIN diagnostics and the advisor use
// For; the advisor then costs the candidates and measures them.
package candidate

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Defaults of Options.
const (
	// DefaultMaxKeys bounds the number of key columns: wider keys make
	// the index bigger and slower to maintain for a gain that shrinks
	// with every column.
	DefaultMaxKeys = 3
	// DefaultMaxInclude is the largest number of INCLUDE columns
	// proposed for an index-only scan.
	DefaultMaxInclude = 2
	// DefaultSmallLimit is the LIMIT at or below which no INCLUDE columns
	// are proposed: fetching that many rows from the table costs little,
	// so a covering index is not worth its size.
	DefaultSmallLimit = 100
	// DefaultLowCardinality is the number of distinct values (from
	// statistics) at or below which an equality with a constant becomes
	// a partial index predicate rather than a key.
	DefaultLowCardinality = 10
)

// Options tune For. The zero value uses the defaults.
type Options struct {
	// MaxKeys is the most key columns proposed (DefaultMaxKeys if 0).
	MaxKeys int
	// MaxInclude is the most INCLUDE columns proposed (DefaultMaxInclude
	// if 0; negative: never).
	MaxInclude int
	// SmallLimit is the constant LIMIT at or below which no INCLUDE
	// columns are proposed (DefaultSmallLimit if 0).
	SmallLimit int64
	// LowCardinality is the distinct-value count at or below which an
	// equality with a constant becomes a partial predicate
	// (DefaultLowCardinality if 0). It only applies when the column's
	// statistics are known.
	LowCardinality float64
	// Taken reports whether an index name is already used in the table's
	// schema; For then numbers its proposal (_idx1, _idx2...).
	Taken func(name string) bool
}

func (o Options) maxKeys() int {
	if o.MaxKeys > 0 {
		return o.MaxKeys
	}
	return DefaultMaxKeys
}

func (o Options) maxInclude() int {
	switch {
	case o.MaxInclude < 0:
		return 0
	case o.MaxInclude == 0:
		return DefaultMaxInclude
	}
	return o.MaxInclude
}

func (o Options) smallLimit() int64 {
	if o.SmallLimit > 0 {
		return o.SmallLimit
	}
	return DefaultSmallLimit
}

func (o Options) lowCardinality() float64 {
	if o.LowCardinality > 0 {
		return o.LowCardinality
	}
	return DefaultLowCardinality
}

// Index is a proposed index.
type Index struct {
	// Table is the indexed table; its schema is omitted when it is
	// public (or unknown), as the DDL writes it.
	Table query.TableName `json:"table"`
	// Name is the proposed index name (see IndexName).
	Name string `json:"name"`
	// Method is "btree" or "gin".
	Method string `json:"method"`
	// Keys are the key columns or expressions, in order. Expression keys
	// carry the query's canonical text in Expr.
	Keys []catalog.IndexKey `json:"keys"`
	// Include lists INCLUDE columns.
	Include []string `json:"include,omitempty"`
	// Where are the query's filters that form the partial predicate, and
	// Predicate their SQL text ("" for a full index).
	Where     []query.Predicate `json:"where,omitempty"`
	Predicate string            `json:"predicate,omitempty"`
	// Serves says, one item per key (then one for the predicate), what of
	// the query each part serves: "user_id = $1", "ORDER BY created_at
	// DESC", "WHERE deleted_at IS NULL".
	Serves []string `json:"serves"`
	// Partitioned is true when the table is partitioned: PostgreSQL
	// cannot build its index concurrently (see Statement).
	Partitioned bool `json:"partitioned,omitempty"`
	// Partitions are a partitioned table's partitions (SetPartitions),
	// for the statements that build the index without blocking writes.
	Partitions []Partition `json:"partitions,omitempty"`
	taken      func(schema, name string) bool
}

// SetPartitions records the partitions of the index's partitioned table,
// and the names already used in the schema (for their indexes' names).
func (ix *Index) SetPartitions(parts []Partition, taken func(schema, name string) bool) {
	ix.Partitions, ix.taken = parts, taken
}

// Statement returns what builds the index; it is what every proposal
// prints. DDL (CONCURRENTLY); on a partitioned table whose partitions are
// known the partition form (PartitionDDL: each partition's index built
// CONCURRENTLY, the parent's ON ONLY, each attached), one statement a
// line; PlainDDL when they are not known.
func (ix *Index) Statement() string {
	switch {
	case ix.Partitioned && len(ix.Partitions) > 0:
		return strings.Join(ix.PartitionDDL(ix.Partitions, ix.taken), ";\n")
	case ix.Partitioned:
		return ix.PlainDDL()
	}
	return ix.DDL()
}

// Kind classifies the index as the JSON report does: "partial",
// "expression", "covering", "composite" or "btree" (the first that
// applies, in that order); a GIN index is "gin".
func (ix *Index) Kind() string {
	switch {
	case ix.Method != "" && ix.Method != "btree":
		return ix.Method
	case ix.Predicate != "":
		return "partial"
	case slices.ContainsFunc(ix.Keys, func(k catalog.IndexKey) bool { return k.Expr != "" }):
		return "expression"
	case len(ix.Include) > 0:
		return "covering"
	case len(ix.Keys) > 1:
		return "composite"
	}
	return "btree"
}

// Columns returns the key columns and expressions as text, in order, as
// the report's "columns" lists them ("user_id", "created_at DESC",
// "lower(email)").
func (ix *Index) Columns() []string {
	out := make([]string, len(ix.Keys))
	for i, k := range ix.Keys {
		out[i] = keySQL(k, false)
	}
	return out
}

// DDL returns the statement that builds the index without blocking
// writes: CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON table USING
// method (keys) INCLUDE (cols) WHERE predicate. Identifiers are quoted
// only when they need it.
func (ix *Index) DDL() string {
	var b strings.Builder
	b.WriteString("CREATE INDEX CONCURRENTLY IF NOT EXISTS ")
	b.WriteString(sqlparse.QuoteIdent(ix.Name))
	b.WriteString(" ON ")
	b.WriteString(QualifiedName(ix.Table))
	if ix.Method != "" && ix.Method != "btree" {
		b.WriteString(" USING ")
		b.WriteString(ix.Method)
	}
	b.WriteString(" (")
	for i, k := range ix.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(keySQL(k, true))
	}
	b.WriteString(")")
	if len(ix.Include) > 0 {
		b.WriteString(" INCLUDE (")
		for i, c := range ix.Include {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(sqlparse.QuoteIdent(c))
		}
		b.WriteString(")")
	}
	if ix.Predicate != "" {
		b.WriteString(" WHERE ")
		b.WriteString(ix.Predicate)
	}
	return b.String()
}

// CatalogIndex returns the proposal as a catalog index (not valid until
// built), so that it can be matched and costed like an existing one.
func (ix *Index) CatalogIndex(schema string) *catalog.Index {
	if schema == "" {
		schema = cmp.Or(ix.Table.Schema, "public")
	}
	return &catalog.Index{
		Schema:     schema,
		Name:       ix.Name,
		Table:      schema + "." + ix.Table.Name,
		Method:     cmp.Or(ix.Method, "btree"),
		Keys:       slices.Clone(ix.Keys),
		Include:    slices.Clone(ix.Include),
		Predicate:  ix.Predicate,
		Where:      slices.Clone(ix.Where),
		Definition: ix.DDL(),
		Scans:      -1,
	}
}

// QualifiedName writes a relation name as SQL, schema-qualified unless
// public, each part quoted only when it needs it.
func QualifiedName(t query.TableName) string {
	if t.Schema == "" || t.Schema == "public" {
		return sqlparse.QuoteIdent(t.Name)
	}
	return sqlparse.QuoteIdent(t.Schema) + "." + sqlparse.QuoteIdent(t.Name)
}

// keySQL writes one index key. In DDL an expression other than a plain
// function call must be parenthesized.
func keySQL(k catalog.IndexKey, ddl bool) string {
	var s string
	switch {
	case k.Column != "":
		s = sqlparse.QuoteIdent(k.Column)
	case ddl && !isFuncCall(k.Expr):
		s = "(" + k.Expr + ")"
	default:
		s = k.Expr
	}
	if k.Collation != "" {
		s += " COLLATE " + sqlparse.QuoteIdent(k.Collation)
	}
	if k.Opclass != "" {
		s += " " + k.Opclass
	}
	if k.Desc {
		s += " DESC"
	}
	switch {
	case k.Nulls == query.NullsFirst && !k.Desc:
		s += " NULLS FIRST"
	case k.Nulls == query.NullsLast && k.Desc:
		s += " NULLS LAST"
	}
	return s
}

// isFuncCall reports whether expr is a single function call, name(...),
// that CREATE INDEX accepts without extra parentheses.
func isFuncCall(expr string) bool {
	i := strings.IndexByte(expr, '(')
	if i <= 0 || !strings.HasSuffix(expr, ")") {
		return false
	}
	for _, r := range expr[:i] {
		if !(r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	// The parenthesis opened after the name must close at the very end.
	depth, quoted := 0, false
	for j := i; j < len(expr); j++ {
		switch c := expr[j]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 && j != len(expr)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// Use is how an index can use one predicate.
type Use int

// Uses of a predicate by an index.
const (
	// UseNone: no index scan can use it (<>, NOT IN, leading-wildcard
	// LIKE, ILIKE, regular expressions, OR, arithmetic on the column).
	UseNone Use = iota
	// UseEq: a B-tree equality key (=, IN, = ANY, IS NULL, a boolean
	// column, IN (SELECT ...)).
	UseEq
	// UseRange: a B-tree range key (<, <=, >, >=, BETWEEN, IS NOT NULL).
	UseRange
	// UsePattern: LIKE 'prefix%', a range on a B-tree with a pattern
	// operator class (text_pattern_ops) or the C collation.
	UsePattern
	// UseGIN: containment or full-text operators served by GIN (and
	// GiST) indexes, not by B-trees.
	UseGIN
)

// String names the use.
func (u Use) String() string {
	switch u {
	case UseEq:
		return "equality"
	case UseRange:
		return "range"
	case UsePattern:
		return "pattern"
	case UseGIN:
		return "gin"
	}
	return "none"
}

// ginOperators are the operators GIN's built-in operator classes serve
// (arrays, jsonb, tsvector).
var ginOperators = map[string]bool{"@>": true, "<@": true, "&&": true, "?": true, "?|": true, "?&": true, "@@": true, "@?": true}

// Classify returns how an index could use p, and the index key it needs
// (the predicate's column or expression side). Arithmetic on the column
// side (price * 2 > $1) is UseNone: rewrite the predicate instead (the
// non-sargable check says how).
func Classify(p query.Predicate) (Use, catalog.IndexKey) {
	k, ok := KeyOf(p.Left)
	if !ok {
		return UseNone, catalog.IndexKey{}
	}
	switch p.Op {
	case query.OpEq, query.OpIn, query.OpIsNull, query.OpInSubquery:
		return UseEq, k
	case query.OpIsTrue, query.OpIsFalse:
		return UseEq, k
	case query.OpLt, query.OpLe, query.OpGt, query.OpGe, query.OpBetween, query.OpIsNotNull:
		return UseRange, k
	case query.OpLike:
		if p.Like == query.LikePrefix || p.Like == query.LikeExact {
			return UsePattern, k
		}
	case query.OpContains:
		if ginOperators[p.Operator] || p.Operator == "" {
			return UseGIN, k
		}
	}
	return UseNone, k
}

// arithmetic are the operators whose use on the column side can be moved
// to the value side.
var arithmetic = map[string]bool{"+": true, "-": true, "*": true, "/": true}

// KeyOf returns the index key that would match e: its column, or its
// canonical expression (Expr, with the matching key in Key) for a
// function, cast or operator over columns. A volatile expression, one without columns, or
// arithmetic on a column has no key.
func KeyOf(e query.Expr) (catalog.IndexKey, bool) {
	switch e.Kind {
	case query.ExprColumn:
		if e.Column == nil || e.Column.Column == "" {
			return catalog.IndexKey{}, false
		}
		return catalog.IndexKey{Column: e.Column.Column}, true
	case query.ExprOperator:
		if arithmetic[e.Func] {
			return catalog.IndexKey{}, false
		}
		fallthrough
	case query.ExprFunc, query.ExprCast, query.ExprOther:
		if e.Volatile || len(e.Columns) == 0 || hasOuter(e.Columns) {
			return catalog.IndexKey{}, false
		}
		return catalog.IndexKey{Expr: e.Text, Key: e.Key, Columns: columnNames(e.Columns)}, true
	}
	return catalog.IndexKey{}, false
}

// hasOuter reports whether some column belongs to an enclosing block:
// such an expression is not a function of the scanned table alone.
func hasOuter(cols []query.ColumnRef) bool {
	return slices.ContainsFunc(cols, func(c query.ColumnRef) bool { return c.Outer > 0 })
}

// columnNames returns the sorted distinct column names of cols.
func columnNames(cols []query.ColumnRef) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Column)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SameKey reports whether two keys name the same column or expression
// (direction, opclass and collation aside).
func SameKey(a, b catalog.IndexKey) bool {
	if a.Column != "" || b.Column != "" {
		return a.Column == b.Column
	}
	return a.MatchKey() == b.MatchKey()
}

// keyLabel is the part of an index name that stands for a key.
func keyLabel(k catalog.IndexKey) string {
	if k.Column != "" {
		return k.Column
	}
	return ExprName(k.Expr)
}

// keyed is a key with what it serves.
type keyed struct {
	key    catalog.IndexKey
	serves string
	// distinct estimates the key's number of distinct values (0:
	// unknown), to put the most selective equality first.
	distinct float64
}

// For returns the index that would best serve access a of table t, or nil
// when nothing in a can use an index. t may be nil (no catalog): then no
// statistics, types or schema are known, so no INCLUDE columns and no
// low-cardinality partial predicates are proposed.
func For(a query.Access, t *catalog.Table, opts Options) *Index {
	ix := &Index{Table: a.Table, Method: "btree"}
	if t != nil {
		ix.Table = query.TableName{Schema: t.Schema, Name: t.Name}
	}
	if ix.Table.Schema == "public" {
		ix.Table.Schema = ""
	}

	var eqs, ranges, partial []keyed
	var partialPreds []query.Predicate
	var gin *keyed
	addTo := func(list *[]keyed, k keyed) {
		if !slices.ContainsFunc(*list, func(o keyed) bool { return SameKey(o.key, k.key) }) {
			*list = append(*list, k)
		}
	}
	consider := func(p query.Predicate, join bool) {
		use, k := Classify(p)
		if use != UseNone && !Indexable(p.Left, t) {
			return
		}
		kd := keyed{key: k, serves: predText(p), distinct: distinct(t, k)}
		switch use {
		case UseEq:
			if !join && partialEligible(p, t, opts) {
				partial = append(partial, kd)
				partialPreds = append(partialPreds, p)
				return
			}
			addTo(&eqs, kd)
		case UseRange:
			if !join && p.Op == query.OpIsNotNull && k.Column != "" {
				c := column(t, k.Column)
				switch {
				case c != nil && c.NotNull:
					// Always true (the planner adds it to min/max
					// lookups): it selects nothing.
					return
				case c != nil && (c.Stats == nil || c.Stats.NullFrac >= 0.5):
					// A nullable column, mostly NULL or of unknown
					// spread: the index need not hold the NULLs.
					partial = append(partial, kd)
					partialPreds = append(partialPreds, p)
					return
				}
			}
			addTo(&ranges, kd)
		case UsePattern:
			kd.key.Opclass = patternOpclass(t, k)
			addTo(&ranges, kd)
		case UseGIN:
			if gin == nil && k.Column != "" {
				gin = &kd
			}
		}
	}
	for _, p := range a.Filters {
		consider(p, false)
	}
	for _, p := range a.JoinKeys {
		consider(p, true)
	}

	// Most selective equality first when statistics tell; stable
	// otherwise (the query's order).
	slices.SortStableFunc(eqs, func(x, y keyed) int {
		if x.distinct == 0 || y.distinct == 0 {
			return 0
		}
		return cmp.Compare(y.distinct, x.distinct)
	})

	keys := slices.Clone(eqs)
	// A range on a column already fixed by an equality adds nothing.
	ranges = slices.DeleteFunc(ranges, func(r keyed) bool {
		return slices.ContainsFunc(eqs, func(e keyed) bool { return SameKey(e.key, r.key) })
	})
	if order := orderKeys(a, t, eqs); len(order) > 0 {
		keys = append(keys, order...)
	} else if len(ranges) > 0 {
		keys = append(keys, ranges[0])
	}
	switch {
	case len(keys) > 0:
	case gin != nil:
		ix.Method = "gin"
		keys = []keyed{*gin}
	default:
		// Only subset filters: they become the keys themselves (an index
		// on deleted_at serves deleted_at IS NULL).
		for _, p := range partial {
			if !slices.ContainsFunc(keys, func(o keyed) bool { return SameKey(o.key, p.key) }) {
				keys = append(keys, p)
			}
		}
		partial, partialPreds = nil, nil
	}
	if len(keys) == 0 {
		return nil
	}
	if len(keys) > opts.maxKeys() {
		keys = keys[:opts.maxKeys()]
	}
	var parts []string
	for _, k := range keys {
		ix.Keys = append(ix.Keys, k.key)
		ix.Serves = append(ix.Serves, k.serves)
		parts = append(parts, keyLabel(k.key))
	}
	if len(partial) > 0 {
		var texts []string
		for _, p := range partialPreds {
			texts = append(texts, partialSQL(p))
		}
		ix.Where = partialPreds
		ix.Predicate = strings.Join(texts, " AND ")
		ix.Serves = append(ix.Serves, "WHERE "+ix.Predicate)
	}
	if ix.Method == "btree" {
		ix.Include = includeColumns(a, t, ix, opts)
	}
	ix.Name = IndexName(ix.Table.Name, parts, opts.Taken)
	return ix
}

// Rename gives the index the name IndexName chooses for its keys when
// taken reports its current name as used (by another proposal, or by a
// relation of the schema).
func (ix *Index) Rename(taken func(string) bool) {
	if !taken(ix.Name) {
		return
	}
	parts := make([]string, len(ix.Keys))
	for i, k := range ix.Keys {
		parts[i] = keyLabel(k)
	}
	ix.Name = IndexName(ix.Table.Name, parts, taken)
}

// orderKeys returns the ORDER BY items of a as keys when a LIMIT makes an
// ordered index scan worthwhile, skipping items fixed by an equality
// filter; nil when there is no such ORDER BY or an item cannot be a key.
func orderKeys(a query.Access, t *catalog.Table, eqs []keyed) []keyed {
	if a.Limit == nil || len(a.OrderBy) == 0 {
		return nil
	}
	var out []keyed
	for _, o := range a.OrderBy {
		if o.Using != "" {
			return nil
		}
		k, ok := KeyOf(o.Expr)
		if !ok || !Indexable(o.Expr, t) {
			return nil
		}
		if slices.ContainsFunc(eqs, func(e keyed) bool { return SameKey(e.key, k) }) {
			continue
		}
		k.Desc = o.Desc
		// Keep NULLS only when it differs from the direction's default
		// (ASC NULLS LAST, DESC NULLS FIRST), as PostgreSQL prints it.
		switch {
		case o.Nulls == query.NullsFirst && !o.Desc, o.Nulls == query.NullsLast && o.Desc:
			k.Nulls = o.Nulls
		}
		serves := "ORDER BY " + o.Expr.Text
		if o.Desc {
			serves += " DESC"
		}
		if k.Nulls != "" {
			serves += " NULLS " + strings.ToUpper(string(k.Nulls))
		}
		out = append(out, keyed{key: k, serves: serves})
	}
	return out
}

// partialEligible reports whether an equality-like filter selects a fixed
// subset that a partial predicate can hold: IS NULL or a boolean test on a
// column, or equality with a constant on a boolean column or on a column
// with few distinct values (statistics needed).
func partialEligible(p query.Predicate, t *catalog.Table, opts Options) bool {
	if p.Left.Kind != query.ExprColumn || p.Left.Column == nil {
		return false
	}
	switch p.Op {
	case query.OpIsNull, query.OpIsTrue, query.OpIsFalse:
		return true
	case query.OpEq:
		if p.Right.Kind != query.ExprConst {
			return false
		}
		c := column(t, p.Left.Column.Column)
		if c == nil {
			return false
		}
		if c.Type == "boolean" {
			return true
		}
		n := distinctOf(t, c)
		return n > 0 && n <= opts.lowCardinality()
	}
	return false
}

// partialSQL writes a partial-index predicate for one eligible filter,
// with the column unqualified (an index predicate names the table's
// columns directly).
func partialSQL(p query.Predicate) string {
	col := sqlparse.QuoteIdent(p.Left.Column.Column)
	switch p.Op {
	case query.OpIsNull:
		return col + " IS NULL"
	case query.OpIsNotNull:
		return col + " IS NOT NULL"
	case query.OpIsTrue:
		return col
	case query.OpIsFalse:
		return "NOT " + col
	}
	return col + " = " + p.Right.Text
}

// predText describes a predicate for Index.Serves, the other side of a
// join key qualified with its alias (user_id = u.id).
func predText(p query.Predicate) string {
	r := p.Right
	if r.Kind == query.ExprColumn && r.Column != nil && r.Column.Rel != "" && p.Left.Text != "" {
		switch p.Op {
		case query.OpEq, query.OpLt, query.OpLe, query.OpGt, query.OpGe:
			return fmt.Sprintf("%s %s %s.%s", p.Left.Text, p.Op, r.Column.Rel, r.Column.Column)
		}
	}
	if p.Text != "" {
		return p.Text
	}
	return strings.TrimSpace(p.Left.Text + " " + string(p.Op) + " " + p.Right.Text)
}

// patternOpclass returns the operator class a B-tree needs to serve LIKE
// 'prefix%' on k under a non-C collation.
func patternOpclass(t *catalog.Table, k catalog.IndexKey) string {
	if k.Column == "" {
		return "text_pattern_ops"
	}
	c := column(t, k.Column)
	if c == nil {
		return "text_pattern_ops"
	}
	if c.Collation == "C" || c.Collation == "POSIX" {
		return ""
	}
	switch {
	case strings.HasPrefix(c.Type, "character varying"):
		return "varchar_pattern_ops"
	case strings.HasPrefix(c.Type, "character"):
		return "bpchar_pattern_ops"
	}
	return "text_pattern_ops"
}

// includeColumns returns the INCLUDE columns that let an index-only scan
// answer the access: the other columns it reads (and the columns inside
// expression keys, which PostgreSQL needs too), when there are at most
// MaxInclude of them, all of narrow known types, the access reads rather
// than writes, has no *, and has no small constant LIMIT.
func includeColumns(a query.Access, t *catalog.Table, ix *Index, opts Options) []string {
	if t == nil || a.Star || a.Write || opts.maxInclude() == 0 {
		return nil
	}
	if a.Limit != nil && a.Limit.Kind == query.ExprConst {
		if n, err := strconv.ParseInt(a.Limit.Value, 10, 64); err == nil && n <= opts.smallLimit() {
			return nil
		}
	}
	keyCols := map[string]bool{}
	for _, k := range ix.Keys {
		if k.Column != "" {
			keyCols[k.Column] = true
		}
	}
	// Columns tested only by the partial predicate are not needed by an
	// index-only scan: PostgreSQL knows every indexed row satisfies it.
	for _, p := range ix.Where {
		if p.Left.Column != nil {
			keyCols[p.Left.Column.Column] = true
		}
	}
	var rest []string
	for _, c := range a.Columns {
		if !keyCols[c] {
			rest = append(rest, c)
		}
	}
	for _, k := range ix.Keys {
		for _, c := range k.Columns {
			if !keyCols[c] && !slices.Contains(rest, c) {
				rest = append(rest, c)
			}
		}
	}
	if len(rest) == 0 || len(rest) > opts.maxInclude() {
		return nil
	}
	for _, name := range rest {
		c := column(t, name)
		if c == nil || wideType(c.Type) {
			return nil
		}
	}
	slices.Sort(rest)
	return rest
}

// wideType reports whether values of a type are usually too wide, or of
// unbounded width, to copy into an index as INCLUDE columns.
func wideType(typ string) bool {
	switch {
	case strings.HasSuffix(typ, "[]"):
		return true
	case typ == "character varying":
		return true
	}
	switch typ {
	case "text", "json", "jsonb", "bytea", "xml", "tsvector":
		return true
	}
	return false
}

// column returns t's column name, or nil.
func column(t *catalog.Table, name string) *catalog.Column {
	if t == nil {
		return nil
	}
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// distinct estimates the number of distinct values of a column key from
// statistics, 0 when unknown.
func distinct(t *catalog.Table, k catalog.IndexKey) float64 {
	if k.Column == "" {
		return 0
	}
	return distinctOf(t, column(t, k.Column))
}

// distinctOf turns pg_stats.n_distinct into a count: negative values are
// a fraction of the table's rows.
func distinctOf(t *catalog.Table, c *catalog.Column) float64 {
	if c == nil || c.Stats == nil {
		return 0
	}
	n := c.Stats.NDistinct
	if n < 0 {
		if t.Stats == nil || t.Stats.RowEstimate <= 0 {
			return 0
		}
		n = -n * t.Stats.RowEstimate
	}
	return n
}
