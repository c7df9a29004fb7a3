// Package uniquewithoutindex reports PRIMARY KEY and UNIQUE constraints
// added to existing tables without an index built beforehand.
package uniquewithoutindex

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the unique-without-index check.
var Check = &check.Check{
	Name: "unique-without-index",
	Doc: `PRIMARY KEY or UNIQUE constraint added to an existing table without an existing unique index.

Finds ALTER TABLE ... ADD PRIMARY KEY / ADD UNIQUE (and EXCLUDE) on a
table that existed before the migration, without USING INDEX.

Why it matters: the statement builds the constraint's index while
holding an ACCESS EXCLUSIVE lock: no reads and no writes for the whole
build. (A PRIMARY KEY on nullable columns also scans for NULLs under the
same lock.)

How to fix: CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ...
ADD CONSTRAINT name PRIMARY KEY USING INDEX index (or UNIQUE USING
INDEX), which only takes the lock for an instant.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.EachAlter(pass, func(st *check.Statement, d *sqlparse.AlterTable, t *catalog.Table) {
		for _, cmd := range d.Cmds {
			c := cmd.Constraint
			if cmd.Action != sqlparse.AlterAddConstraint || c == nil || c.UsingIndex != "" {
				continue
			}
			kind := strings.ToUpper(string(c.Type))
			switch c.Type {
			case sqlparse.ConstrPrimary, sqlparse.ConstrUnique, sqlparse.ConstrExclude:
			default:
				continue
			}
			migrate.Report(pass, st, migrate.At(st, c.Pos),
				fmt.Sprintf("adding %s to existing table %s builds its index under an ACCESS EXCLUSIVE lock", kind, migrate.Name(t)),
				"CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... "+kind+" USING INDEX",
				fix(d.Table, c))
		}
	})
	return nil
}

// fix builds the index concurrently and attaches it, for a named
// PRIMARY KEY or UNIQUE constraint on plain columns.
func fix(table query.TableName, c *sqlparse.ConstraintDef) *check.Fix {
	if c.Type == sqlparse.ConstrExclude || c.Name == "" || len(c.Columns) == 0 {
		return nil
	}
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = sqlparse.QuoteIdent(col)
	}
	name := sqlparse.QuoteIdent(c.Name)
	tab := ddl.QualifiedName(table.Schema, table.Name)
	return &check.Fix{
		SQL: fmt.Sprintf("CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s);\nALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s;",
			name, tab, strings.Join(cols, ", "), tab, name, strings.ToUpper(string(c.Type)), name),
	}
}
