// Package query is pgadvisor's model of one SQL statement: which tables it
// reads and writes, how it filters, joins, sorts, groups and limits them,
// with every column resolved to the table it belongs to.
//
// The model is built by analyzer/sqlparse from PostgreSQL's own parse tree
// and consumed by the checks and the index advisor. It holds plain values
// only (no pointers into the parse tree, no cycles), so it can be compared
// with go-cmp and printed as JSON in tests.
package query

// Kind is the kind of a statement.
type Kind string

// Statement kinds.
const (
	KindSelect  Kind = "select"
	KindInsert  Kind = "insert"
	KindUpdate  Kind = "update"
	KindDelete  Kind = "delete"
	KindMerge   Kind = "merge"
	KindDDL     Kind = "ddl"     // CREATE, ALTER, DROP, COMMENT, GRANT...
	KindUtility Kind = "utility" // SET, BEGIN, COMMIT, VACUUM, COPY, EXPLAIN, CALL...
)

// Statement is the model of one SQL statement.
type Statement struct {
	Kind Kind `json:"kind"`
	// Tag is PostgreSQL's command tag, e.g. "SELECT", "CREATE INDEX".
	Tag string `json:"tag"`
	// Target is the table written by INSERT, UPDATE, DELETE or MERGE.
	Target *TableName `json:"target,omitempty"`
	// TargetAlias is the alias of Target in the statement ("" if none).
	TargetAlias string `json:"target_alias,omitempty"`
	// InsertColumns are the columns named by INSERT (in order), or nil.
	InsertColumns []string `json:"insert_columns,omitempty"`
	// InsertRows is the number of rows of an INSERT ... VALUES (0 otherwise).
	InsertRows int `json:"insert_rows,omitempty"`
	// OnConflict is the conflict target of INSERT ... ON CONFLICT (columns
	// or constraint name), and whether it updates.
	OnConflict *OnConflict `json:"on_conflict,omitempty"`
	// Set lists the columns assigned by UPDATE, by INSERT ... ON CONFLICT
	// DO UPDATE SET and by MERGE ... UPDATE SET (all WHEN clauses).
	Set []Assignment `json:"set,omitempty"`
	// Returning lists the RETURNING items (also Queries[0].Select).
	Returning []Target `json:"returning,omitempty"`
	// Queries holds every query block of the statement. Queries[0] is the
	// main block: the SELECT itself (or the set operation combining its
	// arms); for INSERT, UPDATE, DELETE and MERGE the write block (Command
	// set) whose From[0] is the target, whose Where is the statement's
	// WHERE and whose Select is RETURNING: UPDATE ... FROM and DELETE ...
	// USING items follow the target as implicit joins, MERGE joins the
	// target and the source with the ON condition, and the SELECT or
	// VALUES feeding an INSERT is a RoleInsert block. Other blocks (CTEs,
	// subqueries, set operation arms, expanded views) follow; each has an
	// ID equal to its index and a Parent.
	Queries []Query `json:"queries,omitempty"`
	// Params is the highest $n parameter number used (0 if none).
	Params int `json:"params,omitempty"`
	// Locking is FOR UPDATE / FOR SHARE ... of the main block, if any
	// (the same as Queries[0].Locking).
	Locking string `json:"locking,omitempty"`
	// CurrentOf is the cursor name of UPDATE/DELETE ... WHERE CURRENT OF
	// cursor: such a statement has no Where but touches one row.
	CurrentOf string `json:"current_of,omitempty"`
	// Merge lists the WHEN clauses of a MERGE, in order.
	Merge []MergeAction `json:"merge,omitempty"`
	// Inner is the model of the statement embedded in a utility or DDL
	// statement that runs it: EXPLAIN stmt, CREATE TABLE ... AS,
	// CREATE MATERIALIZED VIEW ... AS, DECLARE ... CURSOR FOR, PREPARE
	// ... AS, COPY (query) TO. The outer statement itself has only Kind
	// and Tag.
	Inner *Statement `json:"inner,omitempty"`
}

// MergeAction is one WHEN clause of a MERGE.
type MergeAction struct {
	// Match is "matched", "not matched" (by target) or "not matched by
	// source".
	Match string `json:"match"`
	// Command is KindUpdate, KindInsert, KindDelete, or "" for DO NOTHING.
	Command Kind `json:"command,omitempty"`
	// Condition holds the conjuncts of WHEN ... AND condition.
	Condition []Predicate `json:"condition,omitempty"`
	// Set lists the UPDATE SET assignments; Columns the INSERT columns
	// and Values the INSERT VALUES.
	Set     []Assignment `json:"set,omitempty"`
	Columns []string     `json:"columns,omitempty"`
	Values  []Expr       `json:"values,omitempty"`
}

// TableName is a possibly schema-qualified relation name as written, with
// identifiers case-folded as PostgreSQL does (unquoted names lower-cased).
type TableName struct {
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
}

// String returns schema.name, or name when no schema was given.
func (t TableName) String() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// OnConflict describes INSERT ... ON CONFLICT.
type OnConflict struct {
	Columns    []string `json:"columns,omitempty"`
	Constraint string   `json:"constraint,omitempty"`
	// TargetWhere is the predicate of ON CONFLICT (cols) WHERE ..., which
	// infers a partial unique index.
	TargetWhere []Predicate `json:"target_where,omitempty"`
	DoUpdate    bool        `json:"do_update"`
	// Where holds the conjuncts of DO UPDATE ... WHERE. The assignments
	// of DO UPDATE SET are in Statement.Set.
	Where []Predicate `json:"where,omitempty"`
}

// Assignment is one SET column = value of an UPDATE.
type Assignment struct {
	Column string `json:"column"`
	Value  Expr   `json:"value"`
}

// Role says where a query block sits in its statement.
type Role string

// Query block roles.
const (
	RoleMain     Role = "main"   // the statement's main block
	RoleCTE      Role = "cte"    // WITH name AS (...)
	RoleFrom     Role = "from"   // subquery in FROM (LATERAL or not)
	RoleSetArm   Role = "setop"  // one arm of UNION / INTERSECT / EXCEPT
	RoleIn       Role = "in"     // x IN (SELECT ...) / x = ANY (SELECT ...)
	RoleNotIn    Role = "not_in" // x NOT IN (SELECT ...) / x <> ALL (SELECT ...)
	RoleExists   Role = "exists" // EXISTS (SELECT ...)
	RoleNotExist Role = "not_exists"
	RoleScalar   Role = "scalar" // (SELECT ...) used as a value
	RoleArray    Role = "array"  // ARRAY(SELECT ...)
	RoleInsert   Role = "insert" // the SELECT (or VALUES) feeding INSERT
	RoleAny      Role = "any"    // x op ANY (SELECT ...) for op other than =
	RoleAll      Role = "all"    // x op ALL (SELECT ...) for op other than <>
	RoleView     Role = "view"   // the definition of a view named in FROM, expanded
)

// SetOp is a set operation combining query blocks.
type SetOp string

// Set operations.
const (
	SetNone      SetOp = ""
	SetUnion     SetOp = "union"
	SetIntersect SetOp = "intersect"
	SetExcept    SetOp = "except"
)

// Query is one query block: a SELECT (or the scan part of a DML statement)
// with its FROM list and clauses.
type Query struct {
	ID     int  `json:"id"`
	Parent int  `json:"parent"` // ID of the enclosing block, -1 for Queries[0]
	Role   Role `json:"role"`
	// Name is the CTE name for RoleCTE.
	Name         string `json:"name,omitempty"`
	Recursive    bool   `json:"recursive,omitempty"`    // WITH RECURSIVE CTE
	Materialized string `json:"materialized,omitempty"` // "materialized", "not_materialized" or ""
	// SetOp combines Arms (IDs of RoleSetArm blocks) when not SetNone; then
	// From, Where and the select list are empty and OrderBy/Limit apply to
	// the combined result.
	SetOp  SetOp `json:"setop,omitempty"`
	SetAll bool  `json:"setop_all,omitempty"`
	Arms   []int `json:"arms,omitempty"`

	// From lists the FROM items in scope of this block, in order, joined
	// items flattened (their join types are in Joins).
	From  []Relation `json:"from,omitempty"`
	Joins []Join     `json:"joins,omitempty"`
	// Where holds the WHERE conjuncts (top-level AND split).
	Where  []Predicate `json:"where,omitempty"`
	Having []Predicate `json:"having,omitempty"`
	// Select is the select list; a * expands to one Target with Star set.
	Select []Target `json:"select,omitempty"`
	// Distinct is true for DISTINCT and DISTINCT ON (DistinctOn then
	// lists the ON expressions).
	Distinct   bool        `json:"distinct,omitempty"`
	DistinctOn []Expr      `json:"distinct_on,omitempty"`
	GroupBy    []Expr      `json:"group_by,omitempty"`
	OrderBy    []OrderItem `json:"order_by,omitempty"`
	Limit      *Expr       `json:"limit,omitempty"` // LIMIT / FETCH FIRST; nil when absent or LIMIT ALL
	Offset     *Expr       `json:"offset,omitempty"`
	// Aggregates is true when the select list or HAVING calls an aggregate.
	Aggregates bool `json:"aggregates,omitempty"`
	// Windows is true when a window function is used.
	Windows bool `json:"windows,omitempty"`
	// GroupingSets is true when GROUP BY uses ROLLUP, CUBE or GROUPING
	// SETS (GroupBy then lists every expression they mention).
	GroupingSets bool `json:"grouping_sets,omitempty"`
	// LimitWithTies is true for FETCH FIRST n ROWS WITH TIES.
	LimitWithTies bool `json:"limit_with_ties,omitempty"`
	// Locking is the FOR UPDATE / FOR NO KEY UPDATE / FOR SHARE / FOR KEY
	// SHARE clause as canonical text ("FOR UPDATE OF t SKIP LOCKED").
	Locking string `json:"locking,omitempty"`
	// Values holds the rows of a VALUES list (VALUES in FROM, a VALUES
	// statement, INSERT ... VALUES), each row a list of expressions.
	Values [][]Expr `json:"values,omitempty"`
	// Command is set on a block that writes: KindUpdate, KindDelete,
	// KindInsert or KindMerge for the main block of such a statement and
	// for a data-modifying CTE. Its From[0] is then the written table,
	// Target its name and Select the RETURNING list.
	Command Kind       `json:"command,omitempty"`
	Target  *TableName `json:"target,omitempty"`
	// Columns lists every column of this block's FROM items referenced in
	// the block or, as a correlated reference, in a nested block: sorted
	// by Rel then Column, one entry per column (the first Location), with
	// Query set to this block and Outer 0. A * or rel.* adds the columns
	// it expands to when they are known.
	Columns []ColumnRef `json:"columns,omitempty"`
	// Location is the byte offset of the block in the statement text:
	// its first select-list item (else FROM item, else VALUES row); the
	// name of a CTE; the subquery expression for a sublink (the operator
	// or keyword PostgreSQL records); the target table of a write block.
	// An expanded view's block has 0, and the locations inside it are
	// offsets in the view's definition.
	Location int `json:"location"`
}

// RelKind is the kind of a FROM item.
type RelKind string

// FROM item kinds.
const (
	RelTable    RelKind = "table"    // a table, view or materialized view named in FROM
	RelCTE      RelKind = "cte"      // a reference to a WITH query
	RelSubquery RelKind = "subquery" // (SELECT ...) AS alias
	RelFunction RelKind = "function" // generate_series(...), unnest(...), ROWS FROM
	RelValues   RelKind = "values"   // (VALUES ...) AS alias
	RelView     RelKind = "view"     // a view the schema knows, expanded into a RoleView block
)

// Relation is one FROM item of a query block.
type Relation struct {
	// Alias is the name the item is referenced by in its block: the alias
	// if given, else the table (or CTE, or function) name.
	Alias string  `json:"alias"`
	Kind  RelKind `json:"kind"`
	// Table is the relation named, for RelTable and RelView (also set for
	// RelCTE, with the CTE name in Name and no schema).
	Table TableName `json:"table"`
	// Query is the ID of the block for RelCTE, RelSubquery, RelValues and
	// an expanded RelView, else -1.
	Query   int  `json:"query"`
	Lateral bool `json:"lateral,omitempty"`
	Only    bool `json:"only,omitempty"` // FROM ONLY t
	// Function is the function name for RelFunction.
	Function string `json:"function,omitempty"`
	// Columns are the column aliases given after the alias, if any.
	Columns  []string `json:"columns,omitempty"`
	Location int      `json:"location"`
}

// JoinType is the type of a join.
type JoinType string

// Join types. JoinImplicit is a comma in FROM; JoinCross is CROSS JOIN.
const (
	JoinInner    JoinType = "inner"
	JoinLeft     JoinType = "left"
	JoinRight    JoinType = "right"
	JoinFull     JoinType = "full"
	JoinCross    JoinType = "cross"
	JoinImplicit JoinType = "implicit"
)

// Join records how a FROM item is joined to the items before it.
type Join struct {
	Type JoinType `json:"type"`
	// Right is the alias of the item joined; Left the aliases already in
	// the join tree on the other side. When the right side is itself a
	// parenthesized join tree, Right is its first alias and RightRels
	// lists all of them.
	Left      []string `json:"left"`
	Right     string   `json:"right"`
	RightRels []string `json:"right_rels,omitempty"`
	Natural   bool     `json:"natural,omitempty"`
	Using     []string `json:"using,omitempty"`
	// On holds the ON conjuncts (also returned, for USING and NATURAL, as
	// equality predicates between the two sides when columns are known).
	On       []Predicate `json:"on,omitempty"`
	Location int         `json:"location"`
}

// ColumnRef is a column reference resolved to the FROM item it belongs to.
type ColumnRef struct {
	// Rel is the alias of the FROM item, in block Query, that the column
	// belongs to; "" when it could not be resolved (an unqualified column
	// with several candidate tables and no catalog to decide).
	Rel string `json:"rel,omitempty"`
	// Query is the ID of the block where Rel is in scope; it differs from
	// the block of the expression for outer (correlated) references.
	Query int `json:"query"`
	// Outer is the number of block levels up (0: the current block).
	Outer int `json:"outer,omitempty"`
	// Table is the base table the column comes from when it could be
	// traced (directly, or through a CTE or subquery that projects it
	// unchanged); zero otherwise.
	Table TableName `json:"table"`
	// Column is the column name (in the base table when traced); "*" for
	// a whole-row reference (row_to_json(u), SELECT u FROM users u).
	Column string `json:"column"`
	// Candidates lists the aliases an unresolved column could belong to.
	Candidates []string `json:"candidates,omitempty"`
	Location   int      `json:"location"`
}

// ExprKind is the kind of an expression.
type ExprKind string

// Expression kinds.
const (
	ExprColumn   ExprKind = "column"   // a plain column reference
	ExprConst    ExprKind = "const"    // a literal (possibly with a cast: '2024-01-01'::date)
	ExprParam    ExprKind = "param"    // $n (also a cast parameter: $1::int)
	ExprNull     ExprKind = "null"     // NULL
	ExprFunc     ExprKind = "func"     // f(args), including lower(email), date_trunc(...)
	ExprCast     ExprKind = "cast"     // CAST(x AS t) / x::t where x is not a constant
	ExprOperator ExprKind = "operator" // a + b, a || b, -a, jsonb ->> key...
	ExprSubquery ExprKind = "subquery" // (SELECT ...)
	ExprList     ExprKind = "list"     // (a, b) row or IN-list / ARRAY[...]
	ExprStar     ExprKind = "star"     // * or rel.* in a select list
	ExprOther    ExprKind = "other"    // CASE, COALESCE, boolean tests, ...
)

// Expr is an expression, summarized for index matching.
type Expr struct {
	Kind ExprKind `json:"kind"`
	// Text is a canonical deparsed text with columns unqualified, e.g.
	// "lower(email)", "(created_at)::date", "price * 2", "$1", "'x'::text".
	// Expression index keys in the catalog use the same canonical form, so
	// equal Text means the same expression.
	Text string `json:"text"`
	// Key is the expression's matching key when it differs from Text
	// (see MatchKey): Text with casts to text, varchar and bpchar around
	// columns and string literals removed, functions unqualified from
	// pg_catalog and public, and SQL-syntax forms (x AT TIME ZONE z,
	// EXTRACT(f FROM x), SUBSTRING(...)) written as plain calls. An index
	// key expression and a query expression are the same expression when
	// their MatchKey are equal, even where PostgreSQL's pg_get_indexdef
	// prints lower((email)::text) for a query's lower(email).
	Key string `json:"key,omitempty"`
	// Column is set for ExprColumn.
	Column *ColumnRef `json:"column,omitempty"`
	// Func is the function name for ExprFunc, the type name for ExprCast,
	// the operator for ExprOperator.
	Func string `json:"func,omitempty"`
	// Columns are all columns referenced inside the expression (for
	// ExprColumn, the column itself; for ExprStar, the columns it expands
	// to when they are known; for ExprSubquery, the correlated references
	// from inside the subquery to this block or blocks around it, with
	// Outer counted from this block).
	Columns []ColumnRef `json:"columns,omitempty"`
	// Value is the literal's value for ExprConst (without quotes or cast).
	Value string `json:"value,omitempty"`
	// Param is n for ExprParam.
	Param int `json:"param,omitempty"`
	// Items holds the elements of an ExprList.
	Items []Expr `json:"items,omitempty"`
	// Query is the block ID for ExprSubquery, else 0 and unused.
	Query int `json:"query,omitempty"`
	// Volatile is true when the expression calls a volatile function
	// (random(), now() is stable and not volatile, clock_timestamp() is).
	Volatile bool `json:"volatile,omitempty"`
	// Aggregate is true when the expression calls an aggregate (count(*),
	// sum(x) ...) of its own block, and Window when it calls a window
	// function: such an expression is computed after the scans, so no
	// index on the FROM items can provide it.
	Aggregate bool `json:"aggregate,omitempty"`
	Window    bool `json:"window,omitempty"`
}

// MatchKey returns the key under which e matches an index expression:
// Key when set, else Text. Two expressions over the same table are the
// same index expression when their MatchKey are equal.
func (e Expr) MatchKey() string {
	if e.Key != "" {
		return e.Key
	}
	return e.Text
}

// IsValue reports whether e is a constant or a parameter, or a list of
// them: something fixed for one execution, that an index scan can use as a
// key.
func (e Expr) IsValue() bool {
	switch e.Kind {
	case ExprConst, ExprParam, ExprNull:
		return true
	case ExprList:
		for _, it := range e.Items {
			if !it.IsValue() {
				return false
			}
		}
		return true
	}
	return false
}

// Op is a predicate's operator, normalized so that the column side is on
// the left (5 < x becomes x > 5).
type Op string

// Predicate operators.
const (
	OpEq         Op = "="
	OpNe         Op = "<>"
	OpLt         Op = "<"
	OpLe         Op = "<="
	OpGt         Op = ">"
	OpGe         Op = ">="
	OpBetween    Op = "between"     // Right is a list of the two bounds
	OpNotBetween Op = "not between" // Right is a list of the two bounds
	OpIn         Op = "in"          // IN (list), = ANY(array or $1): Right is the list / array / param
	OpNotIn      Op = "not in"      // NOT IN (list), <> ALL(...)
	OpInSubquery Op = "in subquery" // IN (SELECT ...): Right is the subquery
	OpNotInSub   Op = "not in subquery"
	OpExists     Op = "exists" // EXISTS (SELECT ...): Left is empty, Right the subquery
	OpNotExists  Op = "not exists"
	OpLike       Op = "like"
	OpNotLike    Op = "not like"
	OpILike      Op = "ilike"
	OpNotILike   Op = "not ilike"
	OpSimilar    Op = "similar to"
	OpNotSimilar Op = "not similar to"
	OpRegex      Op = "~" // ~, ~*, !~, !~* (Predicate.Operator holds the exact operator)
	OpIsNull     Op = "is null"
	OpIsNotNull  Op = "is not null"
	OpIsTrue     Op = "is true"      // also a bare boolean column: WHERE active
	OpIsFalse    Op = "is false"     // also NOT boolean_column
	OpIsNotTrue  Op = "is not true"  // IS NOT TRUE: false or null
	OpIsNotFalse Op = "is not false" // IS NOT FALSE: true or null
	OpIsDistinct Op = "is distinct from"
	OpNotDistinc Op = "is not distinct from"
	OpContains   Op = "@>" // array/jsonb/range containment and other GIN/GiST operators: @> <@ && ? ?| ?& @@ -|-
	OpOr         Op = "or" // a disjunction: see Predicate.Or
	OpNot        Op = "not"
	OpOther      Op = "other" // any other boolean expression
)

// LikeKind classifies a LIKE / ILIKE pattern.
type LikeKind string

// LIKE pattern kinds.
const (
	LikeExact    LikeKind = "exact"    // no wildcard: same as =
	LikePrefix   LikeKind = "prefix"   // 'abc%': a B-tree can serve it (with text_pattern_ops or C collation)
	LikeInfix    LikeKind = "leading"  // '%abc', '%abc%', '_abc': leading wildcard, no B-tree
	LikeUnknown  LikeKind = "unknown"  // a parameter or expression: unknown until run time
	LikeNotConst LikeKind = "nonconst" // unused; reserved
)

// Clause says where a predicate was written.
type Clause string

// Predicate clauses.
const (
	ClauseWhere  Clause = "where"
	ClauseOn     Clause = "on"
	ClauseHaving Clause = "having"
	ClauseUsing  Clause = "using" // JOIN USING / NATURAL
)

// Predicate is one boolean condition (a conjunct of WHERE, ON or HAVING).
type Predicate struct {
	Op Op `json:"op"`
	// Left is the column side (after normalization), or the whole
	// expression for OpIsTrue, OpOther and friends; zero for OpExists,
	// OpNotExists, OpOr and OpNot (use Columns).
	Left Expr `json:"left"`
	// Right is the value side: a constant, parameter, column, list,
	// subquery or other expression. Zero for unary operators.
	Right Expr `json:"right"`
	// Operator is the SQL operator exactly as written after commutation
	// (e.g. "~*", "@>", "&&", "?", "= ANY", "> ALL"), for OpRegex,
	// OpContains and OpOther; "between symmetric" / "not between
	// symmetric" for the SYMMETRIC forms of OpBetween / OpNotBetween.
	Operator string `json:"operator,omitempty"`
	// Like classifies the pattern of LIKE / ILIKE / NOT LIKE; LikePrefix
	// keeps the literal prefix in Prefix.
	Like   LikeKind `json:"like,omitempty"`
	Prefix string   `json:"prefix,omitempty"`
	// Or holds the branches of an OpOr predicate, each a list of ANDed
	// predicates; Not holds the negated predicates of OpNot.
	Or  [][]Predicate `json:"or,omitempty"`
	Not []Predicate   `json:"not,omitempty"`
	// Clause is where the predicate was written.
	Clause Clause `json:"clause"`
	// Text is the predicate's deparsed canonical text, as normalized
	// (x > 5 for 5 < x, x <> 1 for NOT x = 1), columns unqualified.
	Text     string `json:"text"`
	Location int    `json:"location"`
}

// Target is one item of a select list or RETURNING list. A * or rel.*
// is one Target with Star set and an ExprStar expression.
type Target struct {
	Expr Expr `json:"expr"`
	// Name is the output column name (the alias, or what PostgreSQL would
	// call it for a plain column).
	Name string `json:"name,omitempty"`
	// Star is true for * and rel.*; StarRel is the alias of rel.* ("" for *).
	Star    bool   `json:"star,omitempty"`
	StarRel string `json:"star_rel,omitempty"`
}

// Nulls is the NULLS FIRST / LAST option of an ORDER BY item or index key.
type Nulls string

// NULLS options.
const (
	NullsDefault Nulls = ""
	NullsFirst   Nulls = "first"
	NullsLast    Nulls = "last"
)

// OrderItem is one ORDER BY item. An ORDER BY of an output column number
// or alias is resolved to the select list expression.
type OrderItem struct {
	Expr  Expr  `json:"expr"`
	Desc  bool  `json:"desc,omitempty"`
	Nulls Nulls `json:"nulls,omitempty"`
	// Using is the operator of ORDER BY x USING op, if given.
	Using string `json:"using,omitempty"`
}
