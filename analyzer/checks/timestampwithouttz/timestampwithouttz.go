// Package timestampwithouttz reports columns that migrations declare
// timestamp without time zone.
package timestampwithouttz

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the timestamp-without-time-zone check.
var Check = &check.Check{
	Name: "timestamp-without-time-zone",
	Doc: `Column declared timestamp without time zone.

Finds, in migrations, columns created, added or retyped as timestamp
(timestamp without time zone).

Why it matters: timestamp stores a wall-clock reading with no zone: the
same instant written from sessions with different TimeZone settings is
stored as different values, and comparisons with now() depend on the
session. timestamptz stores an instant (in UTC) and converts on output;
it takes the same 8 bytes.

How to fix: declare it timestamptz (timestamp with time zone).

Severity: info (style advice; nothing blocks).`,
	Severity: check.Info,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.Columns(pass, func(st *check.Statement, c migrate.ColumnDef) {
		t := c.Def.Type
		if !t.Builtin || !strings.HasPrefix(t.Name, "timestamp") || !strings.HasSuffix(t.Name, "without time zone") {
			return
		}
		migrate.Report(pass, st, migrate.At(st, c.Def.Pos),
			fmt.Sprintf("column %s.%s is timestamp without time zone", migrate.TableLabel(c.Table), c.Def.Name),
			"declare it timestamptz, which stores an instant whatever the session's time zone", nil)
	})
	return nil
}
