package dbconn

import (
	"os"
	"strings"
)

// Target returns the connection string for what a user gave as a
// database, in the forms psql accepts: a postgres:// URL or a key=value
// string as is, and a bare database name as dbname=NAME. Values the
// string leaves out come from the PG* environment variables (PGHOST,
// PGPORT, PGUSER, PGPASSWORD, PGSERVICE, PGSSLMODE...), as in psql.
func Target(db string) string {
	t := strings.TrimSpace(db)
	if t == "" || strings.Contains(t, "://") || strings.Contains(t, "=") {
		return db
	}
	return "dbname=" + quoteValue(t)
}

// quoteValue quotes a key=value value when it needs it.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, ` '\`) {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// FromEnv returns the database the environment names when no connection
// string is given: $DATABASE_URL, else a key=value string of the PG*
// variables that are set (PGPASSWORD is read from the environment when
// connecting, never copied); "" when none is.
func FromEnv() string {
	if u := strings.TrimSpace(os.Getenv("DATABASE_URL")); u != "" {
		return u
	}
	var parts []string
	for _, kv := range [][2]string{
		{"PGSERVICE", "service"}, {"PGHOST", "host"}, {"PGPORT", "port"},
		{"PGDATABASE", "dbname"}, {"PGUSER", "user"},
	} {
		if v := os.Getenv(kv[0]); v != "" {
			parts = append(parts, kv[1]+"="+quoteValue(v))
		}
	}
	return strings.Join(parts, " ")
}
