package catalog

import (
	"slices"
	"sort"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// The catalog answers the query model builder's questions about tables.
var _ sqlparse.Schema = (*Catalog)(nil)

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ColumnNames returns the names of t's columns in order.
func (t *Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// path returns the schemas an unqualified relation name is looked up in.
func (c *Catalog) path() []string { return lookupPath(c.SearchPath) }

// lookupPath returns the schemas an unqualified relation name is looked up
// in with search_path path, as PostgreSQL does: pg_temp (temporary
// tables) first, then pg_catalog unless the path places it, then the
// path ("$user" skipped: the catalog knows no current user).
func lookupPath(path []string) []string {
	out := make([]string, 0, len(path)+2)
	out = append(out, "pg_temp")
	if !slices.Contains(path, "pg_catalog") {
		out = append(out, "pg_catalog")
	}
	for _, p := range path {
		if p != "$user" && p != "pg_temp" {
			out = append(out, p)
		}
	}
	return out
}

// Table returns the table, view or materialized view name refers to, or
// nil. An unqualified name is resolved through SearchPath as PostgreSQL
// does, pg_catalog first unless the path places it elsewhere (the catalog
// holds no system relations, so this matters only for user tables created
// in pg_catalog).
func (c *Catalog) Table(name query.TableName) *Table {
	if c == nil {
		return nil
	}
	if name.Schema != "" {
		return c.Tables[Key(name.Schema, name.Name)]
	}
	for _, p := range c.path() {
		if t := c.Tables[Key(p, name.Name)]; t != nil {
			return t
		}
	}
	return nil
}

// Index returns the index name refers to (resolved like Table), or nil.
func (c *Catalog) Index(name query.TableName) *Index {
	if c == nil {
		return nil
	}
	if name.Schema != "" {
		return c.Indexes[Key(name.Schema, name.Name)]
	}
	for _, p := range c.path() {
		if ix := c.Indexes[Key(p, name.Name)]; ix != nil {
			return ix
		}
	}
	return nil
}

// IndexesOn returns the indexes of the table name refers to, sorted by
// name (nil when the table is unknown).
func (c *Catalog) IndexesOn(name query.TableName) []*Index {
	t := c.Table(name)
	if t == nil {
		return nil
	}
	return t.Indexes
}

// AllTables returns every table, view and materialized view, sorted by
// "schema.name".
func (c *Catalog) AllTables() []*Table {
	out := make([]*Table, 0, len(c.Tables))
	for _, k := range sortedKeys(c.Tables) {
		out = append(out, c.Tables[k])
	}
	return out
}

// AllIndexes returns every index, sorted by "schema.name".
func (c *Catalog) AllIndexes() []*Index {
	out := make([]*Index, 0, len(c.Indexes))
	for _, k := range sortedKeys(c.Indexes) {
		out = append(out, c.Indexes[k])
	}
	return out
}

// TableOf returns the table an index belongs to.
func (c *Catalog) TableOf(ix *Index) *Table { return c.Tables[ix.Table] }

// Columns implements sqlparse.Schema: the column names of a table, view
// or materialized view.
func (c *Catalog) Columns(name query.TableName) ([]string, bool) {
	t := c.Table(name)
	if t == nil {
		return nil, false
	}
	return t.ColumnNames(), true
}

// View implements sqlparse.Schema: the defining query of a
// (non-materialized) view.
func (c *Catalog) View(name query.TableName) (string, bool) {
	t := c.Table(name)
	if t == nil || t.Kind != KindView {
		return "", false
	}
	return t.ViewQuery, true
}

// ReferencingForeignKeys returns the foreign keys of other tables (and of
// t itself) that reference t, with their tables, sorted by table then
// name.
func (c *Catalog) ReferencingForeignKeys(t *Table) []TableForeignKey {
	var out []TableForeignKey
	for _, other := range c.AllTables() {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == t.Key() {
				out = append(out, TableForeignKey{Table: other, ForeignKey: fk})
			}
		}
	}
	return out
}

// TableForeignKey is a foreign key with the table it belongs to.
type TableForeignKey struct {
	Table      *Table
	ForeignKey *ForeignKey
}

// normalize sorts every table's indexes and constraints by name so that
// iteration and comparisons are deterministic.
func (c *Catalog) normalize() {
	for _, t := range c.Tables {
		sort.Slice(t.Indexes, func(i, j int) bool { return t.Indexes[i].Name < t.Indexes[j].Name })
		for _, list := range [][]*Constraint{t.Uniques, t.Checks, t.Excludes} {
			sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		}
		sort.Slice(t.ForeignKeys, func(i, j int) bool { return t.ForeignKeys[i].Name < t.ForeignKeys[j].Name })
	}
}
