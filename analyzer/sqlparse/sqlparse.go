// Package sqlparse is the only package that imports pg_query_go,
// PostgreSQL's own parser. It splits SQL files into statements with exact
// byte ranges, normalizes and fingerprints statements, builds the query
// model (package query) and the DDL operations the catalog applies, and
// reports syntax errors with positions in the statement.
package sqlparse

import (
	"errors"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// Error is a syntax error at a byte offset of the parsed text.
type Error struct {
	Message string
	// Offset is the byte offset in the parsed text where PostgreSQL's
	// parser stopped (computed from pg_query's character-based
	// Cursorpos), or -1 when the parser gave no position.
	Offset int
}

func (e *Error) Error() string { return e.Message }

// wrapError turns a pg_query error into *Error, converting the 1-based
// character position into a byte offset of sql.
func wrapError(sql string, err error) error {
	var pe *parser.Error
	if !errors.As(err, &pe) {
		return &Error{Message: err.Error(), Offset: -1}
	}
	return &Error{Message: pe.Message, Offset: charToByte(sql, pe.Cursorpos)}
}

// charToByte converts PostgreSQL's 1-based character cursor position into
// a 0-based byte offset; 0 (no position) gives -1.
func charToByte(s string, pos int) int {
	if pos <= 0 {
		return -1
	}
	n := 0
	for i := range s {
		n++
		if n == pos {
			return i
		}
	}
	return len(s)
}

// Fingerprint returns pg_query's 16-hex-digit fingerprint of sql: equal for
// statements that differ only in constants, whitespace and comments.
func Fingerprint(sql string) (string, error) {
	fp, err := pg_query.Fingerprint(sql)
	if err != nil {
		return "", wrapError(sql, err)
	}
	return fp, nil
}

// Normalize replaces the constants of sql with $n parameters, as
// pg_stat_statements does.
func Normalize(sql string) (string, error) {
	n, err := pg_query.Normalize(sql)
	if err != nil {
		return "", wrapError(sql, err)
	}
	return n, nil
}

// Check parses sql and returns nil or the positioned *Error.
func Check(sql string) error {
	if _, err := pg_query.Parse(sql); err != nil {
		return wrapError(sql, err)
	}
	return nil
}

// ErrEmpty is returned for a text with no statement in it.
var ErrEmpty = fmt.Errorf("empty statement")
