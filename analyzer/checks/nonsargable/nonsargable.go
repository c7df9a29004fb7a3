// Package nonsargable reports conditions written so that no index on
// their column can be used.
package nonsargable

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the non-sargable check.
var Check = &check.Check{
	Name: "non-sargable",
	Doc: `Condition written so that no index on its column can be used.

Finds, in WHERE and JOIN conditions on a table:

  - a function or cast applied to a column that an index could search
    (its first key, or a key after columns the query compares with =),
    lower(email) = $1 or created_at::date = current_date, when no
    expression index matches the expression (needs a schema, to know the
    indexes; without one, casts of a bare column compared with a value,
    created_at::date = current_date or id::text = $1, are reported);
  - LIKE or ILIKE with a pattern that starts with a wildcard,
    title LIKE '%' || $1 || '%', unless a trigram (pg_trgm) index covers
    the column;
  - arithmetic on the column side of a comparison with a value,
    price * 2 > $1 or created_at + interval '1 day' > now().

Why it matters: an index stores the column's values; a B-tree scan needs
a condition of the form column <op> value. Wrapped in a function, cast or
arithmetic, the column no longer matches the index, so PostgreSQL reads
every row and computes the expression for each. A leading wildcard gives
the B-tree no prefix to search for.

How to fix: move the computation to the value side (price > $1 / 2);
compare a timestamp with a range rather than casting it
(created_at >= current_date AND created_at < current_date + 1); create an
expression index when the expression is what the application needs
(CREATE INDEX ... ON users (lower(email))); for substring search, a
trigram index (CREATE EXTENSION pg_trgm; CREATE INDEX ... USING gin (title
gin_trgm_ops)) or full-text search.

Severity: warning. No threshold.`,
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		st := s.Model
		if st == nil {
			continue
		}
		for i := range st.Queries {
			q := &st.Queries[i]
			if inView(st, q.ID) {
				continue // offsets in a view's definition are not in s.Text
			}
			walk.Predicates(q, func(p *query.Predicate, top bool) {
				if !top || p.Clause == query.ClauseHaving {
					return // HAVING tests groups, not rows an index could find
				}
				table, ok := scanned(*p)
				if !ok {
					return
				}
				var t *catalog.Table
				if pass.HasCatalog && table.Name != "" {
					t = pass.Catalog.Table(table)
				}
				msg, help := inspect(pass.Catalog, t, table, q, *p)
				if msg == "" {
					return
				}
				pass.Reportf(s.PosAt(sqltext.ExprStart(s.Text, walk.Start(*p))), s.Fingerprint, help, "%s", msg)
			})
		}
	}
	return nil
}

// scanned returns the table whose scan p could be an index condition of:
// p's column side reads columns of one FROM item of its block, and its
// value side none of that item's. The table is zero when the column
// could not be traced to a base table.
func scanned(p query.Predicate) (query.TableName, bool) {
	var rel string
	var table query.TableName
	ok := true
	walk.Columns(p.Left, func(c query.ColumnRef) {
		switch {
		case c.Outer > 0:
		case rel == "":
			rel, table = c.Rel, c.Table
		case c.Rel != rel:
			ok = false
		}
	})
	if !ok || rel == "" {
		return query.TableName{}, false
	}
	walk.Columns(p.Right, func(c query.ColumnRef) {
		if c.Outer == 0 && c.Rel == rel {
			ok = false
		}
	})
	return table, ok
}

// inView reports whether block id is (inside) the expanded definition of
// a view.
func inView(st *query.Statement, id int) bool {
	for seen := 0; id >= 0 && id < len(st.Queries) && seen <= len(st.Queries); seen++ {
		if st.Queries[id].Role == query.RoleView {
			return true
		}
		id = st.Queries[id].Parent
	}
	return false
}

// inspect returns the message and help for a non-sargable condition, or
// "" when p is fine.
func inspect(cat *catalog.Catalog, t *catalog.Table, table query.TableName, q *query.Query, p query.Predicate) (msg, help string) {
	switch {
	case (p.Op == query.OpLike || p.Op == query.OpILike) && p.Like == query.LikeInfix:
		return leadingWildcard(cat, t, p)
	case p.Left.Kind == query.ExprOperator && arithmetic[p.Left.Func] != "":
		return columnArithmetic(p)
	case p.Left.Kind == query.ExprFunc || p.Left.Kind == query.ExprCast || p.Left.Kind == query.ExprOther:
		if t == nil {
			return castWithoutSchema(p)
		}
		return wrappedColumn(t, table, fixedColumns(q, p), p)
	}
	return "", ""
}

// fixedColumns returns the columns of p's FROM item that block q compares
// with = (or IN, IS NULL) at top level: an index whose leading keys they
// are can still be searched on the keys that follow.
func fixedColumns(q *query.Query, p query.Predicate) map[string]bool {
	rel := ""
	walk.Columns(p.Left, func(c query.ColumnRef) {
		if c.Outer == 0 && rel == "" {
			rel = c.Rel
		}
	})
	fixed := map[string]bool{}
	add := func(f query.Predicate) {
		switch f.Op {
		case query.OpEq, query.OpIn, query.OpIsNull, query.OpIsTrue, query.OpIsFalse:
		default:
			return
		}
		if c := f.Left.Column; f.Left.Kind == query.ExprColumn && c != nil && c.Outer == 0 && c.Rel == rel {
			fixed[c.Column] = true
		}
	}
	for _, f := range q.Where {
		add(f)
	}
	for _, j := range q.Joins {
		if j.Type == query.JoinInner {
			for _, f := range j.On {
				add(f)
			}
		}
	}
	return fixed
}

// leadingWildcard reports LIKE '%...' unless a trigram index serves it.
func leadingWildcard(cat *catalog.Catalog, t *catalog.Table, p query.Predicate) (string, string) {
	col := ""
	if p.Left.Kind == query.ExprColumn && p.Left.Column != nil {
		col = p.Left.Column.Column
	}
	if t != nil && col != "" && hasTrigramIndex(t, col) {
		return "", ""
	}
	msg := fmt.Sprintf("%s: a pattern that starts with a wildcard cannot use a B-tree index, so every row is read and matched", p.Text)
	help := "for substring search, use a trigram index"
	if t != nil && col != "" {
		ext := "CREATE EXTENSION IF NOT EXISTS pg_trgm; "
		if cat.Extensions["pg_trgm"] {
			ext = ""
		}
		name := candidate.IndexName(t.Name, []string{col, "trgm"}, ddl.Taken(cat, t.Schema))
		help = fmt.Sprintf("for substring search, use a trigram index: %sCREATE INDEX CONCURRENTLY %s ON %s USING gin (%s gin_trgm_ops); or full-text search (tsvector and @@)",
			ext, sqlparse.QuoteIdent(name), ddl.QualifiedName(t.Schema, t.Name), sqlparse.QuoteIdent(col))
	} else {
		help += " (CREATE EXTENSION pg_trgm; CREATE INDEX ... USING gin (column gin_trgm_ops)) or full-text search (tsvector and @@)"
	}
	return msg, help
}

// hasTrigramIndex reports whether a GIN or GiST trigram index covers col.
func hasTrigramIndex(t *catalog.Table, col string) bool {
	for _, ix := range t.Indexes {
		if ix.Method != "gin" && ix.Method != "gist" {
			continue
		}
		for _, k := range ix.Keys {
			if k.Column == col && strings.Contains(k.Opclass, "trgm") {
				return true
			}
		}
	}
	return false
}

// arithmetic are the operators whose use on the column side can be moved
// to the value side, with their inverse.
var arithmetic = map[string]string{"+": "-", "-": "+", "*": "/", "/": "*"}

// comparisons are the operators a rewrite keeps (or flips).
var comparisons = map[query.Op]bool{query.OpEq: true, query.OpNe: true, query.OpLt: true, query.OpLe: true, query.OpGt: true, query.OpGe: true}

// columnArithmetic reports col <arith> value <cmp> value.
func columnArithmetic(p query.Predicate) (string, string) {
	cols := distinctColumns(p.Left.Columns)
	if len(cols) != 1 || !comparisons[p.Op] || !fixed(p.Right) {
		return "", ""
	}
	col := cols[0]
	msg := fmt.Sprintf("%s: arithmetic on the column side keeps PostgreSQL from using any index on %s", p.Text, col)
	help := fmt.Sprintf("move the arithmetic to the value side, so that %s stands alone: %s <op> (value computed from the other side)", col, col)
	if rw, note := rewrite(p, col); rw != "" {
		help = fmt.Sprintf("move the arithmetic to the value side: %s%s", rw, note)
	}
	return msg, help
}

// rewrite moves "col op k" to the value side: col * k > v becomes
// col > v / k. It returns "" when the shape is not that simple.
func rewrite(p query.Predicate, col string) (string, string) {
	op := p.Left.Func
	l, r, ok := splitTop(p.Left.Text, op)
	if !ok {
		return "", ""
	}
	var operand string
	switch {
	case l == col:
		operand = r
	case r == col && (op == "+" || op == "*"):
		operand = l
	default:
		return "", ""
	}
	value := parenthesize(p.Right.Text)
	operand = parenthesize(operand)
	cmp := sqlOp(p.Op)
	note := ""
	if (op == "*" || op == "/") && p.Op != query.OpEq && p.Op != query.OpNe {
		if f, err := strconv.ParseFloat(operand, 64); err != nil || f <= 0 {
			note = " (reverse the comparison if the factor can be negative)"
		}
	}
	return fmt.Sprintf("%s %s %s %s %s", col, cmp, value, arithmetic[op], operand), note
}

// parenthesize wraps an operand that holds arithmetic of its own, so
// that the rewrite keeps its meaning.
func parenthesize(s string) string {
	for _, op := range []string{" + ", " - ", " * ", " / ", " % ", " ^ "} {
		if strings.Contains(s, op) {
			return "(" + s + ")"
		}
	}
	return s
}

// splitTop splits text at the last top-level occurrence of " op ".
func splitTop(text, op string) (string, string, bool) {
	text = strings.TrimSpace(text)
	for len(text) > 1 && text[0] == '(' && text[len(text)-1] == ')' && matching(text) {
		text = strings.TrimSpace(text[1 : len(text)-1])
	}
	depth, quoted := 0, false
	sep := " " + op + " "
	for i := len(text) - 1; i >= 0; i-- {
		switch c := text[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == ')':
			depth++
		case c == '(':
			depth--
		case depth == 0 && strings.HasPrefix(text[i:], sep):
			return strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+len(sep):]), true
		}
	}
	return "", "", false
}

// matching reports whether the opening parenthesis of text closes at its
// last byte.
func matching(text string) bool {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(text)-1 {
				return false
			}
		}
	}
	return depth == 0
}

func sqlOp(op query.Op) string {
	if op == query.OpNe {
		return "<>"
	}
	return string(op)
}

// fixed reports whether e is a value during a scan: a constant, a
// parameter, or an expression without columns of the scanned block.
func fixed(e query.Expr) bool {
	if e.IsValue() {
		return true
	}
	if e.Volatile || e.Kind == query.ExprSubquery {
		return false
	}
	for _, c := range e.Columns {
		if c.Outer == 0 {
			return false
		}
	}
	return e.Kind != query.ExprColumn || (e.Column != nil && e.Column.Outer > 0)
}

// wrappedColumn reports a function or cast over an indexed column that no
// expression index matches: an index the query could search on the bare
// column (fixed lists the columns compared with = elsewhere in the
// block).
func wrappedColumn(t *catalog.Table, table query.TableName, fixed map[string]bool, p query.Predicate) (string, string) {
	if t == nil || p.Left.Volatile {
		return "", ""
	}
	cols := distinctColumns(p.Left.Columns)
	if len(cols) == 0 {
		return "", ""
	}
	var indexed *catalog.Index
	var col string
	for _, c := range cols {
		if ix := indexOn(t, c, fixed); ix != nil {
			indexed, col = ix, c
			break
		}
	}
	if indexed == nil {
		return "", ""
	}
	for _, ix := range t.Indexes {
		for _, k := range ix.Keys {
			if k.Column == "" && k.Matches(p.Left) {
				return "", "" // an expression index serves it
			}
		}
	}
	what := "the function call on " + col
	switch p.Left.Kind {
	case query.ExprCast:
		what = "the cast of " + col
	case query.ExprOther:
		what = "the expression around " + col
	}
	msg := fmt.Sprintf("%s: %s keeps PostgreSQL from using index %s %s", p.Text, what, indexed.Name, ddl.IndexColumns(indexed))
	var help string
	if rng := dateRange(p, col); rng != "" {
		help = "compare the column itself with a range: " + rng
	} else {
		help = "compare the column itself (apply the function or cast to the value instead), or create an expression index"
		if ix := candidate.For(query.Access{Table: table, Filters: []query.Predicate{p}}, t, candidate.Options{MaxInclude: -1}); ix != nil {
			help += ": " + ix.DDL()
		}
	}
	return msg, help
}

// castWithoutSchema reports, when the table's indexes are not known, a
// cast of a bare column compared with a value: whatever index the column
// has, the cast keeps PostgreSQL from using it, and the comparison can be
// written on the column itself (a range for a cast to date).
func castWithoutSchema(p query.Predicate) (string, string) {
	l := p.Left
	if l.Volatile || !comparisons[p.Op] || !fixed(p.Right) {
		return "", ""
	}
	cols := distinctColumns(l.Columns)
	if len(cols) != 1 {
		return "", ""
	}
	col := cols[0]
	if rng := dateRange(p, col); rng != "" {
		what := "the cast of " + col
		if l.Kind == query.ExprFunc {
			what = "the function call on " + col
		}
		return fmt.Sprintf("%s: %s keeps PostgreSQL from using an index on %s", p.Text, what, col),
			"compare the column itself with a range: " + rng
	}
	if l.Kind != query.ExprCast || !bareColumn(l.Text, col) {
		return "", ""
	}
	return fmt.Sprintf("%s: the cast of %s keeps PostgreSQL from using an index on %s", p.Text, col, col),
		fmt.Sprintf("compare the column itself, casting the value to the column's type instead: %s %s %s::<type of %s>", col, sqlOp(p.Op), parenthesize(p.Right.Text), col)
}

// bareColumn says whether cast text is a cast of col alone: col::t,
// alias.col::t or CAST(col AS t).
func bareColumn(text, col string) bool {
	t := strings.TrimSpace(text)
	if inner, ok := strings.CutPrefix(strings.ToUpper(t[:min(len(t), 5)]), "CAST("); ok && inner == "" {
		t = strings.TrimSpace(t[5:])
		if i := strings.LastIndex(strings.ToUpper(t), " AS "); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
	} else if i := strings.Index(t, "::"); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	t = strings.Trim(t, "()")
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return strings.EqualFold(strings.Trim(t, `"`), col)
}

// dateRange rewrites a comparison of col::date (or date(col),
// date_trunc('day', col)) with a value as a comparison of col itself:
// = v is the half-open range col >= v AND col < v + 1 day; <, <=, >, >=
// move to the day's bounds.
func dateRange(p query.Predicate, col string) string {
	if !fixed(p.Right) {
		return ""
	}
	l := p.Left
	isDate := l.Kind == query.ExprCast && strings.EqualFold(l.Func, "date") ||
		l.Kind == query.ExprFunc && (strings.EqualFold(l.Func, "date") ||
			strings.EqualFold(l.Func, "date_trunc") && strings.Contains(l.Text, "'day'"))
	if !isDate {
		return ""
	}
	v := parenthesize(p.Right.Text)
	next := v + " + interval '1 day'"
	if isDateValue(v) {
		next = v + " + 1" // date + integer is a date
	}
	switch p.Op {
	case query.OpEq:
		return fmt.Sprintf("%s >= %s AND %s < %s", col, v, col, next)
	case query.OpGe:
		return fmt.Sprintf("%s >= %s", col, v)
	case query.OpLt:
		return fmt.Sprintf("%s < %s", col, v)
	case query.OpGt:
		return fmt.Sprintf("%s >= %s", col, next)
	case query.OpLe:
		return fmt.Sprintf("%s < %s", col, next)
	}
	return ""
}

// isDateValue says whether v is of type date: current_date, a date
// literal or a cast to date.
func isDateValue(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	return l == "current_date" || strings.HasPrefix(l, "date '") || strings.HasSuffix(l, "::date")
}

// indexOn returns the first valid index (by name) that a condition on
// the bare column col could search: col is its first key, or every key
// before col is a column in fixed.
func indexOn(t *catalog.Table, col string, fixed map[string]bool) *catalog.Index {
	for _, ix := range t.Indexes {
		if !ix.Usable() {
			continue
		}
		for _, k := range ix.Keys {
			if k.Column == col {
				return ix
			}
			if k.Column == "" || !fixed[k.Column] {
				break
			}
		}
	}
	return nil
}

// distinctColumns returns the distinct column names of cols, in order.
func distinctColumns(cols []query.ColumnRef) []string {
	var out []string
	for _, c := range cols {
		if c.Outer == 0 && !slices.Contains(out, c.Column) {
			out = append(out, c.Column)
		}
	}
	return out
}
