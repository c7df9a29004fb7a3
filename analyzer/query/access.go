package query

// Access summarizes how one query block reads one base-table FROM item:
// everything an index on that table could serve. It is derived from the
// model by Statement.Accesses; checks and the advisor start from it.
type Access struct {
	// Query is the block ID and Rel the alias of the FROM item.
	Query int       `json:"query"`
	Rel   string    `json:"rel"`
	Table TableName `json:"table"`
	// Filters are the WHERE (and inner-join ON) conjuncts that compare
	// only this item's columns (or expressions over them) with values
	// fixed during the scan: constants, parameters, outer references.
	Filters []Predicate `json:"filters,omitempty"`
	// JoinKeys are the conjuncts that compare this item's columns with
	// columns of other items of the same block (the other side is Right).
	// An index on these columns serves a nested loop with this item inner.
	JoinKeys []Predicate `json:"join_keys,omitempty"`
	// OrderBy is the block's ORDER BY when every item is an expression of
	// this FROM item's columns; nil otherwise.
	OrderBy []OrderItem `json:"order_by,omitempty"`
	// GroupBy is the block's GROUP BY (or DISTINCT list) when every item is
	// an expression of this item's columns.
	GroupBy []Expr `json:"group_by,omitempty"`
	// Limit is the block's LIMIT, when it applies directly to scans of
	// this item (no aggregation, grouping or DISTINCT in between).
	Limit *Expr `json:"limit,omitempty"`
	// Offset is the block's OFFSET under the same condition as Limit.
	Offset *Expr `json:"offset,omitempty"`
	// Columns lists every column of this item referenced anywhere in the
	// block (select list, filters, joins, order), sorted and unique; Star
	// is true when a * makes the list open-ended.
	Columns []string `json:"columns,omitempty"`
	Star    bool     `json:"star,omitempty"`
	// Write is true when the item is the target of UPDATE, DELETE or MERGE.
	Write bool `json:"write,omitempty"`
}
