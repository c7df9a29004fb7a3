// Package migrate gives the migration checks what they share: the
// migration statements of a pass, their DDL, the tables they touch as
// the schema stood before them, and where their clauses are written.
package migrate

import (
	"regexp"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Statements returns the pass's migration statements (Before and
// Migration set), in order.
func Statements(pass *check.Pass) []*check.Statement {
	var out []*check.Statement
	for _, st := range pass.Statements {
		if st.Migration != nil && st.Before != nil {
			out = append(out, st)
		}
	}
	return out
}

// Workload returns the pass's other statements: the workload's queries.
func Workload(pass *check.Pass) []*check.Statement {
	var out []*check.Statement
	for _, st := range pass.Statements {
		if st.Migration == nil && st.Model != nil {
			out = append(out, st)
		}
	}
	return out
}

// DDL returns the schema changes a statement makes (nil for other
// statements and for a statement that does not parse).
func DDL(st *check.Statement) []sqlparse.DDL {
	if st.Model != nil && st.Model.Kind != query.KindDDL {
		return nil
	}
	ops, err := sqlparse.ParseDDL(st.Text)
	if err != nil {
		return nil
	}
	return ops
}

// Existing returns the table name refers to, as the schema stood before
// st, when it existed before st's migration began (a table that may hold
// rows and serve queries); nil for a table the migration created. A name
// the schema does not know (no --schema, or an incomplete one) and no
// earlier statement created names a table of the database the migration
// will run on, or the statement fails there: it is taken as existing, a
// plain table with nothing else known.
func Existing(st *check.Statement, name query.TableName) *catalog.Table {
	t := st.Before.Table(name)
	if t == nil {
		return Unknown(st, name)
	}
	return st.Migration.Existing(t)
}

// Unknown returns a stand-in for a table the schema does not know: a
// plain table named name (its schema the first of the search path when
// unqualified).
func Unknown(st *check.Statement, name query.TableName) *catalog.Table {
	schema := name.Schema
	if schema == "" {
		schema = "public"
		if len(st.Before.SearchPath) > 0 {
			schema = st.Before.SearchPath[0]
		}
	}
	return &catalog.Table{Schema: schema, Name: name.Name, Kind: catalog.KindTable}
}

// Lockable reports whether a relation is one whose lock blocks the
// application: a table, partitioned table or materialized view.
func Lockable(t *catalog.Table) bool {
	return t != nil && (t.Kind == catalog.KindTable || t.Kind == catalog.KindPartitioned || t.Kind == catalog.KindMatView)
}

// Name writes a table's name for messages (public. left out).
func Name(t *catalog.Table) string {
	if t.Schema == "public" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// At returns the position of byte offset off (a DDL node's Pos) in st,
// moved past blanks and comments; a negative offset is the statement's
// first token.
func At(st *check.Statement, off int) check.Position {
	return st.PosAt(sqltext.FirstToken(st.Text, max(off, 0)))
}

// Find returns the position of the first of the words (a phrase such as
// "SET NOT NULL", matched on word boundaries with any blanks between
// words, outside comments and literals) at or after offset from in st, or
// the statement's first token when it is not there.
func Find(st *check.Statement, from int, phrase string) check.Position {
	words := strings.Fields(phrase)
	i := max(from, 0)
	for {
		i = sqltext.Find(st.Text, i, words[0])
		if i < 0 {
			return At(st, from)
		}
		j, ok := i+len(words[0]), true
		for _, w := range words[1:] {
			k := sqltext.FirstToken(st.Text, j)
			if k+len(w) > len(st.Text) || !strings.EqualFold(st.Text[k:k+len(w)], w) {
				ok = false
				break
			}
			j = k + len(w)
		}
		if ok {
			return st.PosAt(i)
		}
		i++
	}
}

// funcCall matches a function name before its opening parenthesis.
var funcCall = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?)\s*\(`)

// literal matches a string literal (” doubling a quote inside).
var literal = regexp.MustCompile(`'(?:[^']|'')*'`)

// VolatileCall returns the first built-in volatile function an
// expression (canonical text) calls, or "".
func VolatileCall(expr string) string {
	for _, m := range funcCall.FindAllStringSubmatch(literal.ReplaceAllString(expr, "''"), -1) {
		if sqlparse.VolatileFunc(m[1]) {
			return m[1]
		}
	}
	return ""
}

// Each calls fn for every schema change of every migration statement of
// the pass, in order.
func Each(pass *check.Pass, fn func(st *check.Statement, op sqlparse.DDL)) {
	for _, st := range Statements(pass) {
		for _, op := range DDL(st) {
			fn(st, op)
		}
	}
}

// EachAlter calls fn for every ALTER TABLE of the pass's migration
// statements on a table that existed before it and that a lock makes
// matter (Lockable), with that table.
func EachAlter(pass *check.Pass, fn func(st *check.Statement, d *sqlparse.AlterTable, t *catalog.Table)) {
	Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		d, ok := op.(*sqlparse.AlterTable)
		if !ok || d.Kind != sqlparse.ObjTable {
			return
		}
		if t := Existing(st, d.Table); Lockable(t) {
			fn(st, d, t)
		}
	})
}

// Report reports a finding of the running check at pos with a fix.
func Report(pass *check.Pass, st *check.Statement, pos check.Position, msg, help string, fix *check.Fix) {
	pass.Report(check.Finding{
		Check:       pass.Check.Name,
		Severity:    pass.Check.Severity,
		Pos:         pos,
		Fingerprint: st.Fingerprint,
		Message:     msg,
		Help:        help,
		Fix:         fix,
	})
}

// ColumnDef is a column a migration defines: in CREATE TABLE, ADD
// COLUMN, or the new type of ALTER COLUMN ... TYPE (Def.Type set, Def.Pos
// the statement's).
type ColumnDef struct {
	Table query.TableName
	Def   sqlparse.ColumnDef
	// PrimaryKey is true when the column is (part of) the table's
	// primary key as defined by the same statement.
	PrimaryKey bool
}

// Columns calls fn for every column definition of every migration
// statement, in order.
func Columns(pass *check.Pass, fn func(st *check.Statement, c ColumnDef)) {
	Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		switch d := op.(type) {
		case *sqlparse.CreateTable:
			pk := map[string]bool{}
			for _, c := range d.Constraints {
				if c.Type == sqlparse.ConstrPrimary {
					for _, col := range c.Columns {
						pk[col] = true
					}
				}
			}
			for _, col := range d.Columns {
				isPK := pk[col.Name]
				for _, c := range col.Constraints {
					isPK = isPK || c.Type == sqlparse.ConstrPrimary
				}
				fn(st, ColumnDef{Table: d.Table, Def: col, PrimaryKey: isPK})
			}
		case *sqlparse.AlterTable:
			for _, cmd := range d.Cmds {
				switch {
				case cmd.Action == sqlparse.AlterAddColumn && cmd.Column != nil:
					isPK := false
					for _, c := range cmd.Column.Constraints {
						isPK = isPK || c.Type == sqlparse.ConstrPrimary
					}
					fn(st, ColumnDef{Table: d.Table, Def: *cmd.Column, PrimaryKey: isPK})
				case cmd.Action == sqlparse.AlterColumnType && cmd.Type != nil:
					fn(st, ColumnDef{Table: d.Table, Def: sqlparse.ColumnDef{Name: cmd.Name, Type: *cmd.Type, Pos: d.Pos}})
				}
			}
		}
	})
}

// TableLabel writes a table name as written in a migration, for
// messages.
func TableLabel(n query.TableName) string {
	if n.Schema == "" || n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}
