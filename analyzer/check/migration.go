package check

import "github.com/pgadvisor/pgadvisor/analyzer/catalog"

// Migration is what a migration check knows about the migration a
// statement belongs to, beyond the statement itself.
type Migration struct {
	// File is the migration's file, as named in positions.
	File string
	// Start is the schema as it stood when the migration began: a table
	// in Start exists (and may hold rows) before the migration runs; a
	// table created by an earlier statement of the same migration is new
	// and empty, so locking or rewriting it harms no one.
	Start *catalog.Catalog
	// InTransaction is true when the statement runs inside a
	// transaction block: after BEGIN in the file, or in a file the
	// migration tool wraps in a transaction.
	InTransaction bool
}

// Existing returns the table name refers to when it existed before the
// migration began (resolved in Start), or nil: a table the migration
// created itself, or any table when m is nil.
func (m *Migration) Existing(t *catalog.Table) *catalog.Table {
	if m == nil || m.Start == nil || t == nil {
		return nil
	}
	return m.Start.Tables[t.Key()]
}
