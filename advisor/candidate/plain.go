package candidate

import "strings"

// PlainDDL returns the CREATE INDEX statement without CONCURRENTLY: for a
// partitioned table, on which PostgreSQL cannot build an index
// concurrently (the index is created on every partition, under a lock
// that blocks writes), and for scripts that run inside a transaction
// block, where CONCURRENTLY is refused.
func (ix *Index) PlainDDL() string {
	return strings.Replace(ix.DDL(), "CREATE INDEX CONCURRENTLY ", "CREATE INDEX ", 1)
}
