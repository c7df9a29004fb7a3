// Package offsetpagination reports pagination by large or variable
// OFFSET.
package offsetpagination

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Threshold is the largest constant OFFSET that is not reported.
const Threshold = 1000

// Check is the offset-pagination check.
var Check = &check.Check{
	Name: "offset-pagination",
	Doc: fmt.Sprintf(`Pagination with a large or variable OFFSET: every skipped row is read.

Finds OFFSET n with a constant n above %d, and an OFFSET computed from a
parameter (OFFSET $2, OFFSET ($1 - 1) * 20: the application pages through
results, and the deep pages are the slow ones), in any query block
(subqueries and CTEs too).

Why it matters: PostgreSQL has no way to jump to the n-th row: it produces
and throws away all the rows before it, through the index or a sort, so
page 500 costs 500 times page 1. Concurrent inserts and deletes also make
rows appear twice or vanish between pages.

How to fix: use keyset (seek) pagination: remember the sort key of the last
row shown and ask for the next page with WHERE (sort_key, id) > ($1, $2)
ORDER BY sort_key, id LIMIT n, served by an index on (sort_key, id). Each
page then costs the same.

Severity: warning. Threshold: a constant OFFSET above %d rows (OFFSET
%d is not reported).`, Threshold, Threshold, Threshold),
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		if s.Model == nil {
			continue
		}
		for i := range s.Model.Queries {
			q := &s.Model.Queries[i]
			if q.Offset == nil {
				continue
			}
			var what string
			switch o := q.Offset; {
			case o.Kind == query.ExprConst:
				n, err := strconv.ParseInt(strings.TrimSpace(o.Value), 10, 64)
				if err != nil || n <= Threshold {
					continue
				}
				what = fmt.Sprintf("OFFSET %d: PostgreSQL reads and discards %d rows before returning the page", n, n)
			case o.Kind == query.ExprParam || hasParam(o.Text):
				what = fmt.Sprintf("OFFSET %s takes the page position from a parameter: PostgreSQL reads and discards every row before the page, so deep pages get slower and slower", o.Text)
			default:
				continue
			}
			pos := sqltext.Start(s)
			if off := sqltext.Find(s.Text, q.Location, "offset"); off >= 0 {
				pos = s.PosAt(off)
			}
			pass.Reportf(pos, s.Fingerprint, help(q), "%s", what)
		}
	}
	return nil
}

// paramRef matches a $n parameter outside string literals.
var paramRef = regexp.MustCompile(`\$[0-9]+`)

// hasParam reports whether an expression's text uses a $n parameter
// (outside string literals).
func hasParam(text string) bool {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(text); i++ {
		if text[i] == '\'' {
			quoted = !quoted
			continue
		}
		if !quoted {
			b.WriteByte(text[i])
		}
	}
	return paramRef.MatchString(b.String())
}

// help suggests keyset pagination on the block's own sort key.
func help(q *query.Query) string {
	if len(q.OrderBy) == 0 {
		return "paginate by key instead (keyset pagination): ORDER BY a unique key, remember the last key shown and ask for WHERE key > $1 ORDER BY key LIMIT n"
	}
	var keys, params []string
	desc := q.OrderBy[0].Desc
	for i, o := range q.OrderBy {
		keys = append(keys, o.Expr.Text)
		params = append(params, "$"+strconv.Itoa(i+1))
	}
	op, order := ">", ""
	if desc {
		op, order = "<", " DESC"
	}
	var cond string
	if len(keys) == 1 {
		cond = fmt.Sprintf("%s %s %s", keys[0], op, params[0])
	} else {
		cond = fmt.Sprintf("(%s) %s (%s)", strings.Join(keys, ", "), op, strings.Join(params, ", "))
	}
	return fmt.Sprintf("paginate by key instead (keyset pagination): remember the last row's %s and ask for WHERE %s ORDER BY %s%s LIMIT n; add a unique column to the sort key if %s is not unique, and index the sort key",
		strings.Join(keys, ", "), cond, strings.Join(keys, order+", "), order, strings.Join(keys, ", "))
}
