package candidate

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Indexable reports whether expression e over table t can be an index
// key: PostgreSQL accepts only IMMUTABLE expressions in an index, and
// several common ones are only STABLE because they depend on the
// session's TimeZone or DateStyle: casting a timestamptz to date, time,
// timestamp or text, casting a date or timestamp to timestamptz, parsing
// text as a date or time, date_trunc/date_part/extract/to_char/age on a
// timestamptz. An index on them fails with "functions in index expression
// must be marked IMMUTABLE"; the query must compare the column with a
// range instead. An expression over a column t does not have is not
// indexable either. Without the table (t nil) column types are unknown
// and only the type-independent rules apply.
func Indexable(e query.Expr, t *catalog.Table) bool {
	if t != nil {
		// A column the table does not have cannot be indexed (the
		// query itself would fail).
		for _, c := range e.Columns {
			if t.Column(c.Column) == nil {
				return false
			}
		}
		if e.Column != nil && t.Column(e.Column.Column) == nil {
			return false
		}
	}
	switch e.Kind {
	case query.ExprColumn:
		return true
	case query.ExprFunc, query.ExprCast, query.ExprOperator, query.ExprOther:
	default:
		return false
	}
	if e.Volatile || len(e.Columns) == 0 {
		return false
	}
	var types []string
	for _, c := range e.Columns {
		if col := column(t, c.Column); col != nil {
			types = append(types, col.Type)
		}
	}
	name := strings.ToLower(e.Func)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	switch e.Kind {
	case query.ExprCast:
		target := castTarget(e, name)
		for _, src := range types {
			if stableCast(src, target) {
				return false
			}
		}
	case query.ExprFunc:
		switch name {
		case "date", "date_part", "extract", "to_char", "age":
			if hasTZ(types) {
				return false
			}
		case "date_trunc":
			// date_trunc(field, timestamptz) reads TimeZone; the
			// three-argument form names the zone and is immutable.
			if hasTZ(types) && topLevelArgs(e.Text) < 3 {
				return false
			}
		}
	}
	return true
}

// castTarget returns the normalized target type of a cast.
func castTarget(e query.Expr, name string) string {
	if name == "" {
		if i := strings.LastIndex(e.Text, "::"); i >= 0 {
			name = strings.ToLower(strings.TrimSpace(e.Text[i+2:]))
		}
	}
	return normalizeType(name)
}

// normalizeType maps type spellings to one name per type.
func normalizeType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	t = strings.TrimPrefix(t, "pg_catalog.")
	switch t {
	case "timestamp with time zone", "timestamptz":
		return "timestamptz"
	case "timestamp without time zone", "timestamp":
		return "timestamp"
	case "time with time zone", "timetz":
		return "timetz"
	case "time without time zone", "time":
		return "time"
	case "character varying", "varchar", "character", "char", "bpchar", "text", "name":
		return "text"
	}
	return t
}

// stableCast reports whether casting a value of type src to target
// depends on session settings.
func stableCast(src, target string) bool {
	src = normalizeType(src)
	switch {
	case src == "timestamptz":
		return target == "date" || target == "time" || target == "timestamp" || target == "text"
	case src == "date" || src == "timestamp":
		return target == "timestamptz"
	case src == "text":
		return target == "date" || target == "time" || target == "timetz" || target == "timestamp" || target == "timestamptz" || target == "interval"
	}
	return false
}

// hasTZ reports whether some type is timestamptz.
func hasTZ(types []string) bool {
	for _, t := range types {
		if normalizeType(t) == "timestamptz" {
			return true
		}
	}
	return false
}

// topLevelArgs counts the arguments of the outermost call in text.
func topLevelArgs(text string) int {
	open := strings.IndexByte(text, '(')
	if open < 0 {
		return 0
	}
	depth, quoted, n := 0, false, 1
	for i := open; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return n
			}
		case c == ',' && depth == 1:
			n++
		}
	}
	return n
}
