package nplusone

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Rewrite is the batched form of a loop: one query for every value of a
// burst.
type Rewrite struct {
	// Form is "any" (WHERE col = ANY($n)), "any-group-by" (the same with
	// GROUP BY col, for aggregates), "lateral" (unnest($n) joined
	// LATERAL to the loop's query, for queries with LIMIT and friends),
	// "unnest-insert" (INSERT ... SELECT * FROM unnest(...)).
	Form string
	// SQL is the batched query: Param takes an array of the values the
	// loop's calls passed one at a time; the other parameters keep their
	// numbers and values.
	SQL   string
	Param int
	// Column is the column the values are compared to ("" for the
	// lateral and insert forms when none).
	Column string
	// Added is the number of columns put in front of the loop's select
	// list (the key, so that rows can be told apart): 0 or 1.
	Added int
	// Join, when the parent's select list has the column that feeds the
	// loop, is the parent and the loop in one query (parent's parameters
	// first, then the loop's others, renumbered), with JoinColumn, the
	// parent's output column, in front of the loop's columns.
	Join       string
	JoinColumn string
	// Note says what the rewrite does not keep (e.g. the aggregate of a
	// key without rows).
	Note string
}

// Build builds the rewrite of a loop (or batch-writes pattern) from its
// normalized query, its example burst and its parent.
func Build(l *Loop) (*Rewrite, error) {
	rw, err := build(l)
	if err != nil {
		return nil, err
	}
	// What is printed must run: a batched query PostgreSQL's parser
	// rejects, or one without its array parameter, is no rewrite.
	if rw.Param < 1 || !strings.Contains(rw.SQL, fmt.Sprintf("$%d", rw.Param)) {
		return nil, fmt.Errorf("rewrite: no parameter $%d to batch", rw.Param)
	}
	if _, err := sqlparse.Fingerprint(rw.SQL); err != nil {
		return nil, fmt.Errorf("rewrite: the batched query does not parse: %w", err)
	}
	return rw, nil
}

// build is Build without the final check.
func build(l *Loop) (*Rewrite, error) {
	// The example's own text numbers the parameters as its values do
	// (the first text seen of the shape may come from another protocol).
	var first *Call
	if len(l.Example) > 0 {
		first = &l.Example[0]
	}
	loopSQL := callSQL(first, l.Normalized)
	st, err := sqlparse.Analyze(loopSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	if len(st.Queries) == 0 {
		return nil, errors.New("rewrite: no query block")
	}
	k, vals := varying(l.Example)
	q := &st.Queries[0]
	var pred *query.Predicate
	for i := range q.Where {
		p := &q.Where[i]
		if p.Op == query.OpEq && p.Left.Kind == query.ExprColumn && p.Right.Kind == query.ExprParam && (k == 0 || p.Right.Param == k) {
			pred = p
			break
		}
	}
	if k == 0 {
		if pred == nil {
			return nil, errors.New("rewrite: no parameter varies between the calls")
		}
		k = pred.Right.Param
	}
	switch st.Kind {
	case query.KindSelect:
		rw, err := selectRewrite(loopSQL, st, pred, k, vals)
		if err != nil {
			return nil, err
		}
		if l.Parent != nil && pred != nil {
			joinRewrite(rw, loopSQL, callSQL(l.Parent, l.ParentNormalized), pred, k)
		}
		return rw, nil
	case query.KindUpdate, query.KindDelete:
		if pred == nil || count(loopSQL, k) != 1 || othersVary(l.Example, k) {
			return nil, errors.New("rewrite: the write's other values vary between calls")
		}
		sql, err := replaceParam(loopSQL, k, func(p string) string { return "ANY(" + p + ")" })
		if err != nil {
			return nil, err
		}
		return &Rewrite{Form: "any", SQL: sql, Param: k, Column: pred.Left.Column.Column,
			Note: "each value once: a value passed twice by the loop is written once"}, nil
	case query.KindInsert:
		return insertRewrite(loopSQL, st, l.Example)
	}
	return nil, fmt.Errorf("rewrite: no batched form for %s", st.Tag)
}

// callSQL returns the text of a call with $n parameters: its own text
// for the extended protocol, its normalized text for the simple one
// (fallback when c is nil or does not normalize), with white space tidied.
func callSQL(c *Call, fallback string) string {
	sql := fallback
	if c != nil {
		if c.Params != nil {
			sql = c.Text
		} else if n, err := sqlparse.Normalize(c.Text); err == nil {
			sql = n
		}
	}
	return tidy(sql)
}

// tidy folds the white space between tokens to one space (none inside
// parentheses' edges) and drops a trailing semicolon.
func tidy(sql string) string {
	sql = trimSemi(sql)
	var b strings.Builder
	last := 0
	prev := ""
	lx := sqlparse.NewLexer(sql, false)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		gap := sql[last:t.Start]
		tok := t.Text(sql)
		if strings.TrimSpace(gap) == "" && gap != "" {
			if prev != "(" && tok != ")" && tok != "," {
				b.WriteByte(' ')
			}
		} else {
			b.WriteString(gap)
		}
		b.WriteString(tok)
		prev = tok
		last = t.End
	}
	return b.String()
}

// selectRewrite builds the ANY form when the loop's query allows it, else
// the lateral form.
func selectRewrite(sql string, st *query.Statement, pred *query.Predicate, k int, vals []string) (*Rewrite, error) {
	q := &st.Queries[0]
	simple := pred != nil && len(st.Queries) == 1 && q.SetOp == query.SetNone && q.Limit == nil && q.Offset == nil &&
		!q.Distinct && !q.Windows && len(q.GroupBy) == 0 && !q.GroupingSets && len(q.Having) == 0 && count(sql, k) == 1
	if !simple {
		return lateral(sql, k, vals, pred)
	}
	col := colText(q, pred.Left.Column)
	rw := &Rewrite{Form: "any", Param: k, Column: pred.Left.Column.Column}
	out, err := replaceParam(sql, k, func(p string) string { return "ANY(" + p + ")" })
	if err != nil {
		return nil, err
	}
	if !selects(q, pred.Left.Column) || q.Aggregates {
		out, err = insertAfterSelect(out, col+", ")
		if err != nil {
			return nil, err
		}
		rw.Added = 1
	}
	if q.Aggregates {
		out = insertGroupBy(out, col)
		rw.Form = "any-group-by"
		rw.Note = "a value without rows gives no row (the loop's aggregate over no rows, e.g. count 0)"
	}
	rw.SQL = out
	return rw, nil
}

// lateral runs the loop's query once per value, in one statement.
func lateral(sql string, k int, vals []string, pred *query.Predicate) (*Rewrite, error) {
	inner, err := replaceParam(trimSemi(sql), k, func(string) string { return "batch_values.value" })
	if err != nil {
		return nil, err
	}
	name := "value"
	if pred != nil {
		name = sqlparse.QuoteIdent(pred.Left.Column.Column)
	}
	rw := &Rewrite{
		Form:  "lateral",
		Param: k,
		Added: 1,
		SQL: fmt.Sprintf("SELECT batch_values.value AS %s, batch_rows.* FROM unnest($%d::%s[]) AS batch_values(value) CROSS JOIN LATERAL (%s) AS batch_rows",
			name, k, arrayType(vals), inner),
	}
	if pred != nil {
		rw.Column = pred.Left.Column.Column
	}
	return rw, nil
}

// joinRewrite adds the parent joined with the loop when the parent's
// select list has the column that feeds the loop.
func joinRewrite(rw *Rewrite, loopSQL, parentSQL string, pred *query.Predicate, k int) {
	pst, err := sqlparse.Analyze(parentSQL, nil)
	if err != nil || pst.Kind != query.KindSelect || len(pst.Queries) == 0 {
		return
	}
	feed := feeder(&pst.Queries[0], pred.Left.Column)
	if feed == "" {
		return
	}
	shift := pst.Params
	inner, err := rewriteParams(trimSemi(loopSQL), func(n int) string {
		if n == k {
			return "parent." + sqlparse.QuoteIdent(feed)
		}
		return "$" + strconv.Itoa(n+shift)
	})
	if err != nil {
		return
	}
	rw.Join = fmt.Sprintf("SELECT parent.%s, batch_rows.* FROM (%s) AS parent CROSS JOIN LATERAL (%s) AS batch_rows",
		sqlparse.QuoteIdent(feed), trimSemi(parentSQL), inner)
	rw.JoinColumn = feed
}

// feeder returns the parent's output column whose values the loop takes
// for col, by name: post_id for post_id; posts.id for post_id; user_id or
// the only *_id column for users.id. "" when none or ambiguous.
func feeder(pq *query.Query, col *query.ColumnRef) string {
	type cand struct{ name, table, column string }
	var cands []cand
	for _, t := range pq.Select {
		if t.Star || t.Expr.Kind != query.ExprColumn || t.Expr.Column == nil {
			continue
		}
		cands = append(cands, cand{t.Name, t.Expr.Column.Table.Name, t.Expr.Column.Column})
	}
	// Columns the parent fixes to one value do not feed a loop.
	fixed := map[string]bool{}
	for _, p := range pq.Where {
		if p.Op == query.OpEq && p.Left.Kind == query.ExprColumn && p.Right.IsValue() {
			fixed[p.Left.Column.Column] = true
		}
	}
	for _, c := range cands {
		if c.name == col.Column && col.Column != "id" && !fixed[c.column] {
			return c.name
		}
	}
	for _, c := range cands {
		if c.table != "" && col.Column == singular(c.table)+"_"+c.column {
			return c.name
		}
	}
	if col.Table.Name != "" {
		for _, c := range cands {
			if c.name == singular(col.Table.Name)+"_"+col.Column {
				return c.name
			}
		}
	}
	if col.Column == "id" {
		var ids []string
		for _, c := range cands {
			if strings.HasSuffix(c.name, "_id") && !fixed[c.column] {
				ids = append(ids, c.name)
			}
		}
		if len(ids) == 1 {
			return ids[0]
		}
	}
	return ""
}

// singular drops an English plural's ending from a table name.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return s[:len(s)-1]
	}
	return s
}

// insertRewrite turns a one-row INSERT ... VALUES ($1, $2) into
// INSERT ... SELECT * FROM unnest($1::T[], $2::T[]).
func insertRewrite(sql string, st *query.Statement, calls []Call) (*Rewrite, error) {
	if st.InsertRows != 1 || st.OnConflict != nil || len(st.Returning) > 0 {
		return nil, errors.New("rewrite: only a one-row INSERT ... VALUES without ON CONFLICT or RETURNING is batched")
	}
	var vq *query.Query
	for i := range st.Queries {
		if len(st.Queries[i].Values) == 1 {
			vq = &st.Queries[i]
		}
	}
	if vq == nil {
		return nil, errors.New("rewrite: no VALUES row")
	}
	var args []string
	for _, e := range vq.Values[0] {
		if e.Kind != query.ExprParam {
			return nil, errors.New("rewrite: a VALUES item is not a parameter")
		}
		var vals []string
		for _, c := range calls {
			if v := Values(c); e.Param <= len(v) && v[e.Param-1] != nil {
				vals = append(vals, *v[e.Param-1])
			}
		}
		args = append(args, fmt.Sprintf("$%d::%s[]", e.Param, arrayType(vals)))
	}
	lx := sqlparse.NewLexer(sql, false)
	for {
		t := lx.Next()
		if t.Kind == sqlparse.TokEOF {
			return nil, errors.New("rewrite: no VALUES keyword")
		}
		if t.Kind == sqlparse.TokIdent && strings.EqualFold(t.Text(sql), "values") {
			return &Rewrite{Form: "unnest-insert", Param: 1,
				SQL:  sql[:t.Start] + "SELECT * FROM unnest(" + strings.Join(args, ", ") + ")",
				Note: "each parameter takes the array of its values, in the same order"}, nil
		}
	}
}

// varying returns the first parameter whose value differs between the
// calls, and its values (0, nil when none does).
func varying(calls []Call) (int, []string) {
	if len(calls) < 2 {
		return 0, nil
	}
	all := make([][]*string, len(calls))
	for i, c := range calls {
		all[i] = Values(c)
	}
	for k := range all[0] {
		for _, v := range all[1:] {
			if k < len(v) && !sameValue(all[0][k], v[k]) {
				var vals []string
				for _, w := range all {
					if k < len(w) && w[k] != nil {
						vals = append(vals, *w[k])
					}
				}
				return k + 1, vals
			}
		}
	}
	return 0, nil
}

// othersVary says whether a parameter other than k differs between calls.
func othersVary(calls []Call, k int) bool {
	if len(calls) < 2 {
		return false
	}
	first := Values(calls[0])
	for _, c := range calls[1:] {
		v := Values(c)
		for i := range min(len(v), len(first)) {
			if i+1 != k && !sameValue(first[i], v[i]) {
				return true
			}
		}
	}
	return false
}

func sameValue(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Values returns a call's parameter values in the order of the normalized
// query's $1, $2, ...: its bind parameters (extended protocol), else the
// literals of its text, in order (simple protocol: PostgreSQL's
// normalization numbers them the same way), strings unquoted.
func Values(c Call) []*string {
	if c.Params != nil {
		return c.Params
	}
	var out []*string
	lx := sqlparse.NewLexer(c.Text, false)
	neg := false
	prevOp := true
	for {
		t := lx.Next()
		s := t.Text(c.Text)
		switch t.Kind {
		case sqlparse.TokEOF:
			return out
		case sqlparse.TokComment:
			continue
		case sqlparse.TokInteger, sqlparse.TokNumeric:
			if neg {
				s = "-" + s
			}
			out = append(out, &s)
		case sqlparse.TokString:
			v := unquote(s, t.Flags)
			out = append(out, &v)
		case sqlparse.TokIdent:
			if strings.EqualFold(s, "null") {
				out = append(out, nil)
			}
		}
		// A minus right after an operator, "(" or "," is a sign.
		neg = t.Kind == sqlparse.TokOperator && s == "-" && prevOp
		prevOp = t.Kind == sqlparse.TokOperator || (t.Kind == sqlparse.TokPunct && (s == "(" || s == ","))
	}
}

// unquote returns a string literal's value.
func unquote(s string, f sqlparse.TokenFlag) string {
	if f&(sqlparse.FlagEscape|sqlparse.FlagBit|sqlparse.FlagHex|sqlparse.FlagNational|sqlparse.FlagUnicode) != 0 {
		if i := strings.IndexByte(s, '\''); i >= 0 {
			s = s[i:]
		}
	}
	s = strings.TrimPrefix(s, "'")
	s = strings.TrimSuffix(s, "'")
	return strings.ReplaceAll(s, "''", "'")
}

var (
	intRE  = regexp.MustCompile(`^-?[0-9]+$`)
	numRE  = regexp.MustCompile(`^-?[0-9]*\.[0-9]+$`)
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// arrayType guesses the element type of an array of the values.
func arrayType(vals []string) string {
	match := func(re *regexp.Regexp) bool {
		if len(vals) == 0 {
			return false
		}
		for _, v := range vals {
			if !re.MatchString(v) {
				return false
			}
		}
		return true
	}
	switch {
	case match(intRE):
		return "bigint"
	case match(numRE):
		return "numeric"
	case match(uuidRE):
		return "uuid"
	}
	return "text"
}

// count returns how many times $k occurs in sql.
func count(sql string, k int) int {
	n := 0
	want := "$" + strconv.Itoa(k)
	lx := sqlparse.NewLexer(sql, false)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		if t.Kind == sqlparse.TokParam && t.Text(sql) == want {
			n++
		}
	}
	return n
}

// replaceParam replaces every $k of sql with f("$k").
func replaceParam(sql string, k int, f func(string) string) (string, error) {
	return rewriteParams(sql, func(n int) string {
		p := "$" + strconv.Itoa(n)
		if n == k {
			return f(p)
		}
		return p
	})
}

// rewriteParams replaces every parameter $n of sql with f(n).
func rewriteParams(sql string, f func(int) string) (string, error) {
	var b strings.Builder
	last := 0
	lx := sqlparse.NewLexer(sql, false)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		if t.Kind != sqlparse.TokParam {
			continue
		}
		n, err := strconv.Atoi(t.Text(sql)[1:])
		if err != nil {
			return "", fmt.Errorf("rewrite: parameter %q: %w", t.Text(sql), err)
		}
		b.WriteString(sql[last:t.Start])
		b.WriteString(f(n))
		last = t.End
	}
	b.WriteString(sql[last:])
	return b.String(), nil
}

// insertAfterSelect inserts s after the main block's SELECT keyword.
func insertAfterSelect(sql, s string) (string, error) {
	depth := 0
	lx := sqlparse.NewLexer(sql, false)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		switch {
		case t.Kind == sqlparse.TokPunct && t.Text(sql) == "(":
			depth++
		case t.Kind == sqlparse.TokPunct && t.Text(sql) == ")":
			depth--
		case depth == 0 && t.Kind == sqlparse.TokIdent && strings.EqualFold(t.Text(sql), "select"):
			return sql[:t.End] + " " + s + strings.TrimLeft(sql[t.End:], " \t\r\n"), nil
		}
	}
	return "", errors.New("rewrite: no SELECT keyword")
}

// insertGroupBy adds GROUP BY col before the main block's first clause
// that follows GROUP BY (HAVING, WINDOW, ORDER BY, LIMIT, OFFSET, FETCH,
// FOR), else at the end.
func insertGroupBy(sql, col string) string {
	sql = trimSemi(sql)
	depth := 0
	lx := sqlparse.NewLexer(sql, false)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		switch {
		case t.Kind == sqlparse.TokPunct && t.Text(sql) == "(":
			depth++
		case t.Kind == sqlparse.TokPunct && t.Text(sql) == ")":
			depth--
		case depth == 0 && t.Kind == sqlparse.TokIdent && slices.Contains([]string{"having", "window", "order", "limit", "offset", "fetch", "for"}, strings.ToLower(t.Text(sql))):
			return sql[:t.Start] + "GROUP BY " + col + " " + sql[t.Start:]
		}
	}
	return sql + " GROUP BY " + col
}

func trimSemi(sql string) string {
	return strings.TrimRight(strings.TrimSpace(sql), "; \t\r\n")
}

// colText is col as the rewrite names it: qualified when the block has
// several FROM items.
func colText(q *query.Query, col *query.ColumnRef) string {
	if len(q.From) > 1 && col.Rel != "" {
		return sqlparse.QuoteIdent(col.Rel) + "." + sqlparse.QuoteIdent(col.Column)
	}
	return sqlparse.QuoteIdent(col.Column)
}

// selects says whether the block's select list outputs col.
func selects(q *query.Query, col *query.ColumnRef) bool {
	for _, t := range q.Select {
		if t.Star && (t.StarRel == "" || t.StarRel == col.Rel) {
			return true
		}
		if t.Expr.Kind == query.ExprColumn && t.Expr.Column != nil && t.Expr.Column.Column == col.Column && t.Expr.Column.Rel == col.Rel {
			return true
		}
	}
	return false
}
