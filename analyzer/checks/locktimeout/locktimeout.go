// Package locktimeout reports migrations that take locks on existing
// tables without setting lock_timeout first.
package locktimeout

import (
	"fmt"
	"regexp"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the lock-timeout check.
var Check = &check.Check{
	Name: "lock-timeout",
	Doc: `Migration that takes locks on existing tables without a lock_timeout.

Finds, once per migration file, the first statement that takes a lock
that blocks the application on a table that existed before the
migration (ALTER TABLE, CREATE INDEX without CONCURRENTLY, DROP, RENAME,
CREATE TRIGGER, a foreign key to an existing table, LOCK, TRUNCATE,
VACUUM FULL, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW) when no SET
lock_timeout (or SET LOCAL, or set_config('lock_timeout', ...)) with a
value other than 0 comes before it in the file.

Why it matters: a DDL statement waits for its lock behind every running
transaction on the table, a long report or a forgotten idle session, and
while it waits every new query on the table queues behind it: a
statement that needs its lock for a millisecond can stop the application
for minutes.

How to fix: begin the migration with SET lock_timeout = '5s' (a value
your traffic tolerates), and retry the migration when it times out.

Severity: warning.`,
	Severity: check.Warning,
	Reads:    check.ReadsMigration,
	Run:      run,
}

// setLockTimeout matches a statement that sets lock_timeout, capturing
// the value.
var setLockTimeout = regexp.MustCompile(`(?is)^\s*(?:SET\s+(?:LOCAL\s+|SESSION\s+)?lock_timeout\s*(?:=|TO)\s*|SELECT\s+(?:pg_catalog\.)?set_config\s*\(\s*'lock_timeout'\s*,\s*)'?([^';,)\s]*)`)

func run(pass *check.Pass) error {
	set := map[string]bool{}      // files where lock_timeout is set, so far
	reported := map[string]bool{} // files already reported
	for _, st := range migrate.Statements(pass) {
		file := st.Migration.File
		if m := setLockTimeout.FindStringSubmatch(st.Text); m != nil {
			set[file] = m[1] != "0" && m[1] != "" && m[1] != "DEFAULT" && m[1] != "default"
			continue
		}
		if set[file] || reported[file] {
			continue
		}
		table := locks(st)
		if table == "" {
			continue
		}
		reported[file] = true
		migrate.Report(pass, st, migrate.At(st, 0),
			fmt.Sprintf("%s locks existing table %s with no lock_timeout set: waiting for the lock, it blocks every query on the table", st.Model.Tag, table),
			"begin the migration with SET lock_timeout = '5s' and retry it when it times out", nil)
	}
	return nil
}

// locks returns the name of an existing table the statement takes a
// blocking lock on, or "".
func locks(st *check.Statement) string {
	if st.Model == nil {
		return ""
	}
	switch st.Model.Tag {
	case "LOCK TABLE", "TRUNCATE TABLE", "CLUSTER", "REINDEX", "REFRESH MATERIALIZED VIEW", "CREATE TRIGGER":
		if st.Model.Tag == "REINDEX" || st.Model.Tag == "REFRESH MATERIALIZED VIEW" {
			if sqltext.Find(st.Text, 0, "CONCURRENTLY") >= 0 {
				return ""
			}
		}
		return "(" + st.Model.Tag + ")"
	case "VACUUM":
		if sqltext.Find(st.Text, 0, "FULL") >= 0 {
			return "(VACUUM FULL)"
		}
		return ""
	}
	for _, op := range migrate.DDL(st) {
		switch d := op.(type) {
		case *sqlparse.AlterTable:
			if t := migrate.Existing(st, d.Table); migrate.Lockable(t) {
				return migrate.Name(t)
			}
			for _, cmd := range d.Cmds {
				if c := cmd.Constraint; c != nil && c.Type == sqlparse.ConstrForeign {
					if t := migrate.Existing(st, c.RefTable); t != nil {
						return migrate.Name(t)
					}
				}
			}
		case *sqlparse.CreateIndex:
			if t := migrate.Existing(st, d.Table); !d.Concurrently && migrate.Lockable(t) {
				return migrate.Name(t)
			}
		case *sqlparse.Drop:
			if d.Concurrently {
				continue
			}
			for _, n := range d.Names {
				switch d.Kind {
				case sqlparse.ObjTable, sqlparse.ObjMatView:
					if t := migrate.Existing(st, n); t != nil {
						return migrate.Name(t)
					}
				case sqlparse.ObjIndex:
					if ix := st.Before.Index(n); ix != nil {
						if t := st.Migration.Existing(st.Before.TableOf(ix)); t != nil {
							return migrate.Name(t)
						}
					}
				}
			}
		case *sqlparse.Rename:
			if d.Kind != sqlparse.ObjSchema {
				if t := migrate.Existing(st, d.Table); t != nil {
					return migrate.Name(t)
				}
			}
		case *sqlparse.CreateTable:
			for _, c := range d.Constraints {
				if c.Type == sqlparse.ConstrForeign {
					if t := migrate.Existing(st, c.RefTable); t != nil {
						return migrate.Name(t)
					}
				}
			}
			for _, col := range d.Columns {
				for _, c := range col.Constraints {
					if c.Type == sqlparse.ConstrForeign {
						if t := migrate.Existing(st, c.RefTable); t != nil {
							return migrate.Name(t)
						}
					}
				}
			}
		}
	}
	return ""
}
