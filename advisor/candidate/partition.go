package candidate

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Partition is a partition of a partitioned table, with its own
// partitions when it is partitioned in turn.
type Partition struct {
	Table query.TableName
	Parts []Partition
}

// PartitionDDL returns the statements that build the index ix on a
// partitioned table without blocking writes, which one CREATE INDEX
// cannot do (PostgreSQL refuses CONCURRENTLY on a partitioned table and
// builds every partition's index under a lock): CREATE INDEX CONCURRENTLY
// on each leaf partition, CREATE INDEX ... ON ONLY the parent (invalid
// until every partition has its index attached), then ALTER INDEX ...
// ATTACH PARTITION for each, which makes the parent's index valid. A
// partition that is partitioned itself gets the same form. taken reports
// the relation names already used in a schema, for naming the
// partitions' indexes; names the statements give are taken in turn.
func (ix *Index) PartitionDDL(parts []Partition, taken func(schema, name string) bool) []string {
	used := map[string]bool{}
	isTaken := func(schema, name string) bool {
		return used[schema+"."+name] || taken != nil && taken(schema, name)
	}
	used[ix.Table.Schema+"."+ix.Name] = true
	var out []string
	ix.partitionDDL(parts, isTaken, used, &out)
	return out
}

func (ix *Index) partitionDDL(parts []Partition, taken func(schema, name string) bool, used map[string]bool, out *[]string) {
	var attach []string
	for _, p := range parts {
		child := *ix
		child.Table = p.Table
		child.Name = IndexName(p.Table.Name, ix.nameParts(), func(n string) bool { return taken(p.Table.Schema, n) })
		used[p.Table.Schema+"."+child.Name] = true
		if len(p.Parts) > 0 {
			child.partitionDDL(p.Parts, taken, used, out)
		} else {
			*out = append(*out, child.DDL())
		}
		attach = append(attach, "ALTER INDEX "+QualifiedName(query.TableName{Schema: ix.Table.Schema, Name: ix.Name})+
			" ATTACH PARTITION "+QualifiedName(query.TableName{Schema: p.Table.Schema, Name: child.Name}))
	}
	only := strings.Replace(ix.DDL(), "CREATE INDEX CONCURRENTLY IF NOT EXISTS ", "CREATE INDEX IF NOT EXISTS ", 1)
	only = strings.Replace(only, " ON "+QualifiedName(ix.Table), " ON ONLY "+QualifiedName(ix.Table), 1)
	*out = append(*out, only)
	*out = append(*out, attach...)
}

// nameParts are the words of the index's name after the table's: its key
// columns (expressions named by ExprName).
func (ix *Index) nameParts() []string {
	var parts []string
	for _, k := range ix.Keys {
		if k.Column != "" {
			parts = append(parts, k.Column)
		} else {
			parts = append(parts, ExprName(k.Expr))
		}
	}
	return parts
}
