// Package intkey reports integer primary keys and serial columns that
// new migrations define.
package intkey

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the int-key check.
var Check = &check.Check{
	Name: "int-key",
	Doc: `Primary key of type integer or smallint, or a serial column.

Finds, in migrations, primary-key columns declared integer, smallint,
serial or smallserial, and columns declared serial or bigserial.

Why it matters: an integer key runs out at 2,147,483,647; widening it
later is an ALTER COLUMN TYPE that rewrites the table and every table
whose foreign keys point at it. serial is PostgreSQL's legacy
auto-increment: its sequence is a separate object with its own
permissions, and dumps and copies of the table get it wrong.

How to fix: bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).

Severity: info (style advice; nothing blocks).`,
	Severity: check.Info,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.Columns(pass, func(st *check.Statement, c migrate.ColumnDef) {
		typ := c.Def.Type.Name
		small := c.Def.Type.Builtin && !c.Def.Type.Array && (typ == "integer" || typ == "smallint")
		name := migrate.TableLabel(c.Table) + "." + c.Def.Name
		switch {
		case c.PrimaryKey && small:
			kind := typ
			if c.Def.Serial {
				kind = map[string]string{"integer": "serial", "smallint": "smallserial"}[typ]
			}
			migrate.Report(pass, st, migrate.At(st, c.Def.Pos),
				fmt.Sprintf("primary key %s is %s: it runs out at %s, and widening it later rewrites the table", name, kind, limit(typ)),
				"declare it bigint GENERATED ALWAYS AS IDENTITY", nil)
		case c.Def.Serial:
			migrate.Report(pass, st, migrate.At(st, c.Def.Pos),
				fmt.Sprintf("column %s is serial: prefer an identity column", name),
				"declare it bigint GENERATED ALWAYS AS IDENTITY", nil)
		}
	})
	return nil
}

func limit(typ string) string {
	if typ == "smallint" {
		return "32,767"
	}
	return "2,147,483,647"
}
