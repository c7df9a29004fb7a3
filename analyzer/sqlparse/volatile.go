package sqlparse

import "strings"

// VolatileFunc reports whether name (a function name as written, with or
// without a pg_catalog qualifier, any case) is one of PostgreSQL's
// built-in volatile functions, the same list the query model marks
// volatile expressions with.
func VolatileFunc(name string) bool {
	name = strings.ToLower(strings.TrimPrefix(strings.ToLower(name), "pg_catalog."))
	return volatileFuncs[name]
}
