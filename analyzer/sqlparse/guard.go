package sqlparse

// The guard keeps inputs that would crash pg_query away from it.
//
// pg_query is PostgreSQL's parser compiled into the process. Its raw
// parser is a table-driven (non-recursive) bison parser, but what runs
// after it recurses once per level of the parse tree: the normalizer and
// the fingerprinter walk the tree in C on the cgo thread's stack, and the
// tree comes back as protobuf, which Go decodes with a recursion limit.
// A statement such as "SELECT 1+1+...+1" with 22,000 terms (44 KB) is a
// tree 22,000 levels deep: the C walk overflows its stack and the process
// dies with SIGSEGV, whatever recovers Go panics. PostgreSQL itself
// refuses such a statement with "stack depth limit exceeded"
// (check_stack_depth), which the guard reproduces, before any call into
// pg_query, from the cgo-free lexer.

import "fmt"

// MaxDepth is the deepest parse tree the guard lets through to pg_query,
// in levels as guardDepth estimates them. pg_query parses every construct
// of TestGuardMargin at least twice as deep: protobuf's recursion limit
// is reached first (about 3,000 nested subqueries, 5,000 chained
// operators), the C walkers crash beyond 20,000. Real statements stay far
// below: an ORM's 500-branch UNION ALL is 1,000 levels by the estimate.
const MaxDepth = 1000

// MaxStatementSize is the longest statement handed to pg_query, in bytes.
// PostgreSQL accepts up to 1 GB; pg_query copies the text several times
// (C string, protobuf, Go tree), so the bound keeps one statement's cost
// at a few hundred MiB.
const MaxStatementSize = 64 << 20

// errStackDepth is PostgreSQL's message for a statement nested too deep.
const errStackDepth = "stack depth limit exceeded"

// guard returns an *Error when sql must not reach pg_query: longer than
// MaxStatementSize, or nested deeper than MaxDepth.
func guard(sql string) error {
	if len(sql) > MaxStatementSize {
		return &Error{
			Message: fmt.Sprintf("statement too long: %d bytes, more than the %d MiB pgadvisor parses", len(sql), MaxStatementSize>>20),
			Offset:  -1,
		}
	}
	if off := guardDepth(sql); off >= 0 {
		return &Error{
			Message: fmt.Sprintf("%s (the statement nests more than %d levels deep)", errStackDepth, MaxDepth),
			Offset:  off,
		}
	}
	return nil
}

// guardDepth estimates the depth of sql's parse tree from its tokens and
// returns the byte offset of the token where it exceeds MaxDepth, or -1.
//
// The estimate is an upper bound of what makes trees deep, per level of
// brackets: each ( [ and CASE opens a level (a function call, a subquery,
// an array, a nested CASE). Within a level, PostgreSQL builds set
// operations and joins left-deep ("q1 UNION q2 UNION q3" is three levels
// deep), which the level's set chain counts until the level ends; and
// operators and the keywords that build binary or postfix nodes (IS,
// LIKE, NOT, COLLATE, AT, ...) nest left-deep too, which its expression
// chain counts until something PostgreSQL builds flat: a list separator
// (the comma, CASE's WHEN, THEN and ELSE), AND and OR (flattened into one
// node with a list of arguments: "a = 1 OR a = 2 OR ..." is one level
// however long) or a clause keyword (SELECT, FROM, WHERE, ...: the
// clauses are siblings). The depth at a token is the sum, over the open
// levels, of one plus the level's two chains.
func guardDepth(sql string) int {
	type level struct{ set, expr int }
	var stack [64]level
	levels := stack[:1]
	depth := 0
	lx := NewLexer(sql, false)
	for t := lx.Next(); t.Kind != TokEOF; t = lx.Next() {
		top := &levels[len(levels)-1]
		role := guardNone
		switch t.Kind {
		case TokOperator:
			role = guardChain
		case TokPunct:
			switch sql[t.Start] {
			case '(', '[':
				role = guardOpen
			case ')', ']':
				role = guardClose
			case ',':
				role = guardSeparator
			case ';':
				role = guardEnd
			}
		case TokIdent:
			role = guardKeyword(sql[t.Start:t.End])
		}
		switch role {
		case guardOpen:
			levels = append(levels, level{})
			depth++
		case guardClose:
			if len(levels) > 1 {
				depth -= 1 + top.set + top.expr
				levels = levels[:len(levels)-1]
			}
		case guardSetChain:
			top.set++
			depth++
		case guardChain:
			top.expr++
			depth++
		case guardSeparator:
			depth -= top.expr
			top.expr = 0
		case guardEnd:
			depth -= top.set + top.expr
			top.set, top.expr = 0, 0
		}
		if depth > MaxDepth {
			return t.Start
		}
	}
	return -1
}

// guardRole is what a token does to the depth estimate.
type guardRole uint8

const (
	guardNone guardRole = iota
	guardOpen
	guardClose
	guardSetChain
	guardChain
	guardSeparator
	guardEnd
)

// guardKeywords are the keywords that matter to guardDepth, upper-case.
// ANY, ALL, ARRAY, EXISTS and ROW are not among them: the bracket after
// them opens a level. Every separator is a reserved keyword: a column
// named like a separator would cut a chain short (VALUES and SET, which
// name columns, are not separators).
var guardKeywords = map[string]guardRole{
	"CASE": guardOpen,
	"END":  guardClose,

	"UNION": guardSetChain, "INTERSECT": guardSetChain, "EXCEPT": guardSetChain,
	"JOIN": guardSetChain,

	"NOT": guardChain, "IS": guardChain, "ISNULL": guardChain,
	"NOTNULL": guardChain, "LIKE": guardChain, "ILIKE": guardChain,
	"SIMILAR": guardChain, "BETWEEN": guardChain, "IN": guardChain,
	"COLLATE": guardChain, "AT": guardChain, "OVERLAPS": guardChain,
	"OPERATOR": guardChain,

	"AND": guardSeparator, "OR": guardSeparator, "WHEN": guardSeparator,
	"THEN": guardSeparator, "ELSE": guardSeparator,
	"SELECT": guardSeparator, "FROM": guardSeparator, "WHERE": guardSeparator,
	"GROUP": guardSeparator, "HAVING": guardSeparator, "ORDER": guardSeparator,
	"LIMIT": guardSeparator, "OFFSET": guardSeparator, "RETURNING": guardSeparator,
	"ON": guardSeparator, "USING": guardSeparator, "WINDOW": guardSeparator,
}

// guardKeyword returns the role of identifier w (any case).
func guardKeyword(w string) guardRole {
	if len(w) < 2 || len(w) > 9 {
		return guardNone
	}
	var buf [9]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return guardKeywords[string(buf[:len(w)])]
}
