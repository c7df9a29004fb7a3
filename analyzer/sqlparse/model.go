package sqlparse

import (
	"errors"
	"sort"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Schema is what the model builder asks of the database schema. The
// catalog implements it; Analyze accepts nil when no schema is known.
type Schema interface {
	// Columns returns the column names of a table, view or materialized
	// view in attribute order, and false when the relation is unknown.
	// The name is as written in the query (Schema may be empty: resolve
	// it through the search path).
	Columns(table query.TableName) ([]string, bool)
	// View reports whether table is a (non-materialized) view and
	// returns its defining SELECT ("" when unknown). A view with a
	// definition is expanded into a RoleView block, so that its columns
	// trace to base tables and its tables get accesses.
	View(table query.TableName) (definition string, ok bool)
}

// ErrSeveralStatements is returned by Analyze for a text holding more
// than one statement.
var ErrSeveralStatements = errors.New("cannot insert multiple commands into a prepared statement")

// maxViewDepth bounds view expansion (views over views, and cycles).
const maxViewDepth = 8

// Analyze builds the model of one SQL statement. Column references are
// resolved with schema when it is not nil; without it, an unqualified
// column resolves to the only FROM item that could hold it, or stays
// unresolved with Candidates.
//
// DML (SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES) gets a full model.
// Any other statement gets Kind and Tag only, plus Inner, the model of
// the query it runs, for EXPLAIN, CREATE TABLE AS, SELECT INTO, CREATE
// MATERIALIZED VIEW, DECLARE CURSOR, PREPARE and COPY (query) TO.
//
// A syntax error is a *Error with the offset in sql; a text without a
// statement gives ErrEmpty, one with several ErrSeveralStatements.
func Analyze(sql string, schema Schema) (*query.Statement, error) {
	tree, err := parseTree(sql)
	if err != nil {
		return nil, err
	}
	switch len(tree.Stmts) {
	case 0:
		return nil, ErrEmpty
	case 1:
	default:
		return nil, ErrSeveralStatements
	}
	return analyzeNode(tree.Stmts[0].Stmt, sql, schema, 0), nil
}

// analyzeNode builds the model of one parsed statement (sql is its text,
// or a text holding it).
func analyzeNode(n *pg_query.Node, sql string, schema Schema, viewDepth int) *query.Statement {
	b := &builder{schema: schema, st: &query.Statement{}, viewDepth: viewDepth, sql: sql}
	if hasModel(n) && mayHaveSubqueries(n, sql) {
		b.subs = deparseSubqueries(n)
	}
	b.statement(n)
	b.finish()
	return b.st
}

// builder builds one statement's model.
type builder struct {
	// renames maps column references to traced base column names that
	// differ from the written name, for matching keys.
	renames map[*pg_query.ColumnRef]string
	// curRef is the column reference being resolved.
	curRef *pg_query.ColumnRef
	schema Schema
	st     *query.Statement
	// rootCasts: see deparser.rootCasts.
	rootCasts bool
	// subs holds the deparsed SELECT of every subquery of the statement.
	subs map[*pg_query.Node]string
	// sql is the statement's text.
	sql       string
	blocks    []*block
	ctes      *cteEnv
	viewDepth int
}

// block is a query block being built.
type block struct {
	q     *query.Query
	depth int
	items []*item
	// using maps a merged JOIN USING column to the item an unqualified
	// reference resolves to.
	using map[string]*item
	// refs collects the references to this block's items (for
	// Query.Columns).
	refs []query.ColumnRef
	// escaping collects references written in this block or below that
	// resolve to enclosing blocks (correlated references).
	escaping []query.ColumnRef
	// outputs are the block's output columns, for tracing.
	outputs []output
	// open lists the items a * expanded without knowing their columns:
	// the outputs are then not exhaustive.
	open []*item
	// targets keeps the select list nodes, to resolve ORDER BY and GROUP
	// BY references to output columns.
	targets []*pg_query.ResTarget
	// hasVolatile is set when an expression of the block calls a
	// volatile function.
	hasVolatile bool
}

// output is one output column of a block, traced to a base table column
// when it projects one unchanged.
type output struct {
	name   string
	table  query.TableName
	column string
}

// item is a FROM item in scope.
type item struct {
	alias string
	kind  query.RelKind
	table query.TableName
	// cols are the item's column names when known.
	cols  []string
	known bool
	// renames maps a column alias (FROM t AS x(a, b)) to the table's
	// column when the table's columns are known.
	renames map[string]string
	// src is the block producing a subquery, CTE, view or VALUES item.
	src *block
	// outputs are src's outputs after column aliases; open as in block.
	outputs []output
	open    []*item
	// members are the items of an aliased join; hidden items are only
	// reachable through such an alias.
	members []*item
	hidden  bool
	// usingOnly restricts a JOIN USING alias to the merged columns.
	usingOnly []string
	// pseudo items (EXCLUDED) are not in Query.From.
	pseudo bool
}

// scope is the name-resolution context of an expression.
type scope struct {
	blk    *block
	parent *scope
	// hideParent hides the parent block's items (a non-LATERAL subquery
	// in FROM, a CTE body); blocks further out stay visible.
	hideParent bool
}

// cteEnv is the chain of WITH queries in scope.
type cteEnv struct {
	name     string
	blk      *block
	cols     []string // column aliases of WITH name(a, b)
	building bool
	parent   *cteEnv
}

func (b *builder) newBlock(role query.Role, parent *block) *block {
	q := &query.Query{ID: len(b.blocks), Parent: -1, Role: role}
	blk := &block{q: q}
	if parent != nil {
		q.Parent = parent.q.ID
		blk.depth = parent.depth + 1
	}
	b.blocks = append(b.blocks, blk)
	return blk
}

// statement dispatches on the statement type.
func (b *builder) statement(n *pg_query.Node) {
	switch v := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		if v.SelectStmt.IntoClause != nil {
			b.st.Kind, b.st.Tag = query.KindDDL, "SELECT INTO"
			into := v.SelectStmt.IntoClause
			v.SelectStmt.IntoClause = nil
			b.st.Inner = analyzeNode(n, b.sql, b.schema, b.viewDepth)
			v.SelectStmt.IntoClause = into
			return
		}
		b.st.Kind, b.st.Tag = query.KindSelect, "SELECT"
		if len(v.SelectStmt.ValuesLists) > 0 && v.SelectStmt.Op == pg_query.SetOperation_SETOP_NONE {
			b.st.Tag = "VALUES"
		}
		blk := b.selectBlock(v.SelectStmt, nil, query.RoleMain, nil, false)
		b.st.Locking = blk.q.Locking
	case *pg_query.Node_InsertStmt:
		b.st.Kind, b.st.Tag = query.KindInsert, "INSERT"
		b.insert(v.InsertStmt, nil, query.RoleMain, nil)
	case *pg_query.Node_UpdateStmt:
		b.st.Kind, b.st.Tag = query.KindUpdate, "UPDATE"
		b.update(v.UpdateStmt, nil, query.RoleMain, nil)
	case *pg_query.Node_DeleteStmt:
		b.st.Kind, b.st.Tag = query.KindDelete, "DELETE"
		b.delete(v.DeleteStmt, nil, query.RoleMain, nil)
	case *pg_query.Node_MergeStmt:
		b.st.Kind, b.st.Tag = query.KindMerge, "MERGE"
		b.merge(v.MergeStmt, nil, query.RoleMain, nil)
	default:
		b.st.Kind, b.st.Tag = utilityKind(n)
		if inner := innerQuery(n); inner != nil {
			b.st.Inner = analyzeNode(inner, b.sql, b.schema, b.viewDepth)
		}
	}
}

// mayHaveSubqueries reports whether the statement can hold a subquery
// expression, from its text: each one starts with SELECT, VALUES or
// TABLE, and a SELECT statement has one of its own. It saves walking the
// parse tree for most statements.
func mayHaveSubqueries(n *pg_query.Node, sql string) bool {
	low := strings.ToLower(sql)
	k := strings.Count(low, "select") + strings.Count(low, "values") + strings.Count(low, "table")
	if n.GetSelectStmt() != nil {
		return k >= 2
	}
	return k >= 1
}

// hasModel reports whether n is a statement with a full model.
func hasModel(n *pg_query.Node) bool {
	switch v := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		return v.SelectStmt.IntoClause == nil
	case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt, *pg_query.Node_MergeStmt:
		return true
	}
	return false
}

// text returns the canonical text and key of an expression node.
func (b *builder) text(n *pg_query.Node) (string, string) {
	return exprTextSubs(n, b.renames, b.rootCasts, b.subs)
}

// predText returns the canonical text of a predicate node (negated when
// neg).
func (b *builder) predText(n *pg_query.Node, neg bool) string {
	if neg {
		n = mkNot(n)
	}
	d := deparser{subs: b.subs}
	d.expr(n, ctxAExpr)
	if d.fallback {
		return fallbackDeparse(n, false, nil, false)
	}
	return d.b.String()
}

// innerQuery returns the query a utility statement runs, if any.
func innerQuery(n *pg_query.Node) *pg_query.Node {
	var q *pg_query.Node
	switch v := n.Node.(type) {
	case *pg_query.Node_ExplainStmt:
		q = v.ExplainStmt.Query
	case *pg_query.Node_CreateTableAsStmt:
		q = v.CreateTableAsStmt.Query
	case *pg_query.Node_DeclareCursorStmt:
		q = v.DeclareCursorStmt.Query
	case *pg_query.Node_PrepareStmt:
		q = v.PrepareStmt.Query
	case *pg_query.Node_CopyStmt:
		q = v.CopyStmt.Query
	}
	if q == nil || q.Node == nil {
		return nil
	}
	return q
}

// finish copies the blocks into the statement, sorted and deduplicated.
func (b *builder) finish() {
	if len(b.blocks) == 0 {
		return
	}
	b.st.Queries = make([]query.Query, len(b.blocks))
	for i, blk := range b.blocks {
		blk.q.Columns = dedupeRefs(blk.refs)
		b.st.Queries[i] = *blk.q
	}
}

// dedupeRefs sorts references by Rel and Column and keeps the first of
// each pair.
func dedupeRefs(refs []query.ColumnRef) []query.ColumnRef {
	if len(refs) == 0 {
		return nil
	}
	out := make([]query.ColumnRef, len(refs))
	copy(out, refs)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rel != out[j].Rel {
			return out[i].Rel < out[j].Rel
		}
		return out[i].Column < out[j].Column
	})
	w := 0
	for i := range out {
		if w > 0 && out[w-1].Rel == out[i].Rel && out[w-1].Column == out[i].Column {
			continue
		}
		out[w] = out[i]
		w++
	}
	return out[:w]
}

// param records a $n parameter.
func (b *builder) param(n int) {
	if n > b.st.Params {
		b.st.Params = n
	}
}

// lookupCTE finds a WITH query by name in scope.
func (b *builder) lookupCTE(name string) *cteEnv {
	for c := b.ctes; c != nil; c = c.parent {
		if c.name == name {
			return c
		}
	}
	return nil
}

// --- column resolution ---

// resolve resolves a column reference written in scope sc. fields are
// the reference's names (qualifiers then column).
func (b *builder) resolve(sc *scope, fields []string, loc int) query.ColumnRef {
	col := fields[len(fields)-1]
	quals := fields[:len(fields)-1]
	ref := query.ColumnRef{Query: sc.blk.q.ID, Column: col, Location: loc}
	level := 0
	hide := false
	for s := sc; s != nil; s = s.parent {
		if !hide {
			var it *item
			var cands []string
			var found bool
			if len(quals) == 0 {
				it, cands, found = s.blk.findColumn(col)
			} else {
				it, found = s.blk.findQualified(quals, col)
			}
			if found {
				if it == nil {
					// Ambiguous: several items could hold the column.
					ref.Query = s.blk.q.ID
					ref.Outer = level
					ref.Candidates = cands
					return ref
				}
				return b.bind(sc, s.blk, level, it, col, loc)
			}
		}
		hide = s.hideParent
		level++
	}
	// A bare name that is no column may be a whole-row reference to a
	// FROM item (SELECT u FROM users u, row_to_json(u)).
	if len(quals) == 0 {
		level, hide = 0, false
		for s := sc; s != nil; s = s.parent {
			if !hide {
				for _, it := range s.blk.items {
					if !it.hidden && it.alias == col && it.members == nil {
						return b.bind(sc, s.blk, level, it, "*", loc)
					}
				}
			}
			hide = s.hideParent
			level++
		}
		// No item of any block in scope is known to have the column:
		// the schema is incomplete. The column then most likely belongs
		// to the only item of its own block.
		var own []*item
		for _, it := range sc.blk.items {
			if !it.pseudo && len(it.members) == 0 {
				own = append(own, it)
			}
		}
		switch {
		case len(own) == 1:
			return b.bind(sc, sc.blk, 0, own[0], col, loc)
		case len(own) > 1:
			ref.Candidates = aliases(own)
		}
	}
	return ref
}

// bind makes the reference to column col of item it in block tb, written
// level blocks below it, and records it.
func (b *builder) bind(sc *scope, tb *block, level int, it *item, col string, loc int) query.ColumnRef {
	if len(it.members) > 0 {
		// A join alias: the column belongs to one of the joined items.
		m, cands, _ := findIn(it.members, col, tb.using)
		if m == nil {
			if cands == nil {
				cands = aliases(it.members)
			}
			return query.ColumnRef{Query: tb.q.ID, Outer: level, Column: col, Candidates: cands, Location: loc}
		}
		it = m
	}
	ref := query.ColumnRef{Rel: it.alias, Query: tb.q.ID, Outer: level, Column: col, Location: loc}
	if col != "*" {
		if t, c, ok := b.trace(it, col, 0); ok {
			ref.Table, ref.Column = t, c
			if c != col && b.curRef != nil {
				if b.renames == nil {
					b.renames = map[*pg_query.ColumnRef]string{}
				}
				b.renames[b.curRef] = c
			}
		}
	} else if it.kind == query.RelTable {
		ref.Table = it.table
	}
	rec := ref
	rec.Outer = 0
	tb.refs = append(tb.refs, rec)
	if level > 0 {
		// Correlated: every block between the writer and tb sees it
		// escape.
		for s := sc; s != nil && s.blk != tb; s = s.parent {
			s.blk.escaping = append(s.blk.escaping, ref)
		}
	}
	return ref
}

// trace follows column col of item it down to a base table column.
func (b *builder) trace(it *item, col string, depth int) (query.TableName, string, bool) {
	if depth > 32 {
		return query.TableName{}, "", false
	}
	switch it.kind {
	case query.RelTable:
		if r, ok := it.renames[col]; ok {
			return it.table, r, true
		}
		if it.renames != nil && !it.known {
			return query.TableName{}, "", false
		}
		return it.table, col, true
	case query.RelCTE, query.RelSubquery, query.RelView:
		for _, o := range it.outputs {
			if o.name == col {
				if o.table.Name == "" {
					return query.TableName{}, "", false
				}
				return o.table, o.column, true
			}
		}
		if len(it.open) == 1 {
			return b.trace(it.open[0], col, depth+1)
		}
	}
	return query.TableName{}, "", false
}

// hasColumn reports whether item it has column col (known) and whether
// its columns are known at all.
func (it *item) hasColumn(col string) (has, known bool) {
	if len(it.members) > 0 {
		if it.usingOnly != nil {
			for _, c := range it.usingOnly {
				if c == col {
					return true, true
				}
			}
			return false, true
		}
		anyUnknown := false
		for _, m := range it.members {
			h, k := m.hasColumn(col)
			if h {
				return true, true
			}
			if !k {
				anyUnknown = true
			}
		}
		return false, !anyUnknown
	}
	if !it.known {
		return false, false
	}
	for _, c := range it.cols {
		if c == col {
			return true, true
		}
	}
	return false, true
}

// knownColumn reports whether an item of the block is known to have
// column col.
func (blk *block) knownColumn(col string) bool {
	for _, it := range blk.items {
		if it.pseudo || len(it.members) > 0 {
			continue
		}
		if has, _ := it.hasColumn(col); has {
			return true
		}
	}
	if _, ok := blk.using[col]; ok {
		return true
	}
	return false
}

// findColumn resolves an unqualified column among the block's items. It
// returns the item; or nil with the candidates when ambiguous; found is
// false when no item of this block can hold the column.
func (blk *block) findColumn(col string) (*item, []string, bool) {
	var items []*item
	for _, it := range blk.items {
		if len(it.members) > 0 || it.pseudo {
			continue // join aliases and EXCLUDED are reached qualified
		}
		items = append(items, it)
	}
	return findIn(items, col, blk.using)
}

func findIn(items []*item, col string, using map[string]*item) (*item, []string, bool) {
	if it, ok := using[col]; ok {
		for _, x := range items {
			if x == it {
				return it, nil, true
			}
		}
	}
	var known, unknown []*item
	for _, it := range items {
		has, k := it.hasColumn(col)
		switch {
		case has:
			known = append(known, it)
		case !k:
			unknown = append(unknown, it)
		}
	}
	switch {
	case len(known) == 1:
		return known[0], nil, true
	case len(known) > 1:
		return nil, aliases(known), true
	case len(unknown) == 1:
		return unknown[0], nil, true
	case len(unknown) > 1:
		return nil, aliases(unknown), true
	}
	return nil, nil, false
}

func aliases(items []*item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.alias
	}
	return out
}

// findQualified resolves rel.col or schema.rel.col in the block.
func (blk *block) findQualified(quals []string, col string) (*item, bool) {
	rel := quals[len(quals)-1]
	var schema string
	if len(quals) >= 2 {
		schema = quals[len(quals)-2]
	}
	for _, it := range blk.items {
		if it.hidden || it.alias != rel {
			continue
		}
		if schema != "" && it.table.Schema != "" && it.table.Schema != schema {
			continue
		}
		return it, true
	}
	return nil, false
}
