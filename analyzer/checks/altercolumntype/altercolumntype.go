// Package altercolumntype reports ALTER COLUMN ... TYPE changes that
// rewrite an existing table.
package altercolumntype

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the alter-column-type check.
var Check = &check.Check{
	Name: "alter-column-type",
	Doc: `ALTER COLUMN ... TYPE that rewrites an existing table.

Finds ALTER TABLE ... ALTER COLUMN ... TYPE on a table that existed
before the migration, unless the change is one PostgreSQL makes without
touching the rows: varchar(n) to a longer varchar or to text, varchar to
text, text to varchar without a length, numeric(p,s) to a larger
precision with the same scale or to unconstrained numeric, varbit(n) to
a longer varbit, cidr to inet. Any USING clause rewrites.

Why it matters: a rewrite copies the whole table and rebuilds every
index on it under an ACCESS EXCLUSIVE lock, blocking reads and writes
for as long as that takes; clients that read the column may break on
the new type too.

How to fix: add a new column of the new type, write to both from the
application, backfill it in batches, then switch readers and drop the
old column in later migrations.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.EachAlter(pass, func(st *check.Statement, d *sqlparse.AlterTable, t *catalog.Table) {
		cur := st.Before.Table(d.Table)
		for _, cmd := range d.Cmds {
			if cmd.Action != sqlparse.AlterColumnType || cmd.Type == nil {
				continue
			}
			to := cmd.Type.String()
			var col *catalog.Column
			if cur != nil {
				col = cur.Column(cmd.Name)
			}
			if col == nil {
				// The type before is unknown (no schema): only a few
				// changes avoid the rewrite, and they cannot be told.
				migrate.Report(pass, st, migrate.Find(st, 0, "TYPE"),
					fmt.Sprintf("changing %s.%s to %s rewrites existing table %s under an ACCESS EXCLUSIVE lock unless the change is binary-compatible (give --schema to know)", migrate.Name(t), cmd.Name, to, migrate.Name(t)),
					"add a column of the new type, backfill it in batches, switch the application to it, then drop the old column", nil)
				continue
			}
			if cmd.Expr == "" && !rewrites(col.Type, to) {
				continue
			}
			migrate.Report(pass, st, migrate.Find(st, 0, "TYPE"),
				fmt.Sprintf("changing %s.%s from %s to %s rewrites existing table %s and its indexes under an ACCESS EXCLUSIVE lock", migrate.Name(t), cmd.Name, col.Type, to, migrate.Name(t)),
				"add a column of the new type, backfill it in batches, switch the application to it, then drop the old column", nil)
		}
	})
	return nil
}

// typeMod splits a format_type name into its base and its modifiers.
var typeMod = regexp.MustCompile(`^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?$`)

// rewrites reports whether changing a column's type from one format_type
// text to another rewrites the table.
func rewrites(from, to string) bool {
	if from == to {
		return false
	}
	f, t := typeMod.FindStringSubmatch(from), typeMod.FindStringSubmatch(to)
	if f == nil || t == nil {
		return true
	}
	fb, tb := f[1], t[1]
	switch {
	case fb == "character varying" && tb == "text",
		fb == "text" && tb == "character varying" && t[2] == "",
		fb == "cidr" && tb == "inet":
		return false
	case fb == "character varying" && tb == "character varying",
		fb == "bit varying" && tb == "bit varying":
		return t[2] != "" && (f[2] == "" || num(t[2]) < num(f[2]))
	case fb == "numeric" && tb == "numeric":
		if t[2] == "" {
			return false
		}
		return f[2] == "" || num(t[2]) < num(f[2]) || num(t[3]) != num(f[3])
	}
	return true
}

func num(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
