// Package charcolumn reports columns that migrations declare char(n).
package charcolumn

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the char-column check.
var Check = &check.Check{
	Name: "char-column",
	Doc: `Column declared char(n).

Finds, in migrations, columns created, added or retyped as char(n)
(character(n), bpchar).

Why it matters: char(n) pads values with spaces to n characters, stores
the padding, and ignores trailing spaces in comparisons but not in
LIKE, regular expressions or client code: surprising results, no saving
in space or speed over text.

How to fix: text, or varchar(n) / text with a CHECK (length(col) <= n)
when the length must be limited.

Severity: info (style advice; nothing blocks).`,
	Severity: check.Info,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.Columns(pass, func(st *check.Statement, c migrate.ColumnDef) {
		t := c.Def.Type
		if !t.Builtin || !(t.Name == "character" || strings.HasPrefix(t.Name, "character(") || t.Name == "bpchar") {
			return
		}
		migrate.Report(pass, st, migrate.At(st, c.Def.Pos),
			fmt.Sprintf("column %s.%s is %s, which pads values with spaces", migrate.TableLabel(c.Table), c.Def.Name, t.Name),
			"declare it text (with a CHECK on its length if it must be limited)", nil)
	})
	return nil
}
