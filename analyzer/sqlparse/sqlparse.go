// Package sqlparse is the only package that imports pg_query_go,
// PostgreSQL's own parser. It splits SQL files into statements with exact
// byte ranges, normalizes and fingerprints statements, builds the query
// model (package query) and the DDL operations the catalog applies, and
// reports syntax errors with positions in the statement.
package sqlparse

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

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
		return &Error{Message: goErrorMessage(err), Offset: -1}
	}
	return &Error{Message: cutQuoted(pe.Message), Offset: charToByte(sql, pe.Cursorpos)}
}

// maxQuoted is the longest quoted input a message keeps.
const maxQuoted = 60

// cutQuoted shortens the quoted parts of PostgreSQL's message msg
// (`syntax error at or near "..."` quotes the token whole, and a token
// may be a 50 MB string) to maxQuoted bytes and "...".
func cutQuoted(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			break
		}
		j := strings.LastIndexByte(msg, '"')
		if j <= i {
			break
		}
		// The quoted part runs to the last quote: PostgreSQL does not
		// escape quotes inside it.
		inner := msg[i+1 : j]
		if len(inner) <= maxQuoted {
			break
		}
		k := maxQuoted
		for k > 0 && !utf8.RuneStart(inner[k]) {
			k--
		}
		b.WriteString(msg[:i+1])
		b.WriteString(inner[:k])
		b.WriteString(`..."`)
		msg = msg[j+1:]
	}
	b.WriteString(msg)
	return b.String()
}

// goErrorMessage words an error of pg_query's Go side (decoding the
// parse tree) as PostgreSQL would: the user should not see protobuf.
func goErrorMessage(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "recursion depth"):
		return errStackDepth
	case strings.Contains(msg, "invalid UTF-8"):
		return `invalid byte sequence for encoding "UTF8"`
	}
	return msg
}

// charToByte converts PostgreSQL's 1-based character cursor position into
// a 0-based byte offset; 0 (no position) gives -1. It counts characters as
// PostgreSQL does in UTF-8 (pg_mblen: the length announced by the lead
// byte), which matters only for invalid UTF-8.
func charToByte(s string, pos int) int {
	if pos <= 0 {
		return -1
	}
	i := 0
	for n := 1; n < pos && i < len(s); n++ {
		switch c := s[i]; {
		case c < 0x80:
			i++
		case c&0xe0 == 0xc0:
			i += 2
		case c&0xf0 == 0xe0:
			i += 3
		case c&0xf8 == 0xf0:
			i += 4
		default:
			i++
		}
	}
	return min(i, len(s))
}

// pgText returns the text to hand to pg_query for sql, or an *Error.
//
// pg_query reads a C string, so a NUL byte would silently cut the
// statement: it is an error here, as it is for PostgreSQL ("invalid byte
// sequence"). And pg_query's scanner returns comments as tokens, which
// breaks the parser's one-token lookahead after NOT, NULLS, WITH, WITHOUT,
// FORMAT and UESCAPE and before UESCAPE: "a NOT /* c */ IN (1)" is a
// syntax error for pg_query but not for PostgreSQL. Such comments are
// blanked (same length, so offsets are unchanged). Every call of pg_query
// in this package goes through pgText, which first applies the guard
// (guard.go): no text that could crash pg_query reaches it.
func pgText(sql string) (string, error) {
	if err := guard(sql); err != nil {
		return "", err
	}
	if i := strings.IndexByte(sql, 0); i >= 0 {
		return "", &Error{Message: `invalid byte sequence for encoding "UTF8": 0x00`, Offset: i}
	}
	if !strings.Contains(sql, "--") && !strings.Contains(sql, "/*") {
		return sql, nil
	}
	var buf []byte
	lx := NewLexer(sql, false)
	blank := false // comments after prev must be blanked
	for t := lx.Next(); t.Kind != TokEOF; t = lx.Next() {
		if t.Kind != TokComment {
			blank = lookahead(sql, t)
			continue
		}
		if !blank {
			continue
		}
		if buf == nil {
			buf = []byte(sql)
		}
		for i := t.Start; i < t.End; i++ {
			if buf[i] != '\n' && buf[i] != '\r' {
				buf[i] = ' '
			}
		}
	}
	if buf == nil {
		return sql, nil
	}
	return string(buf), nil
}

// lookahead reports whether PostgreSQL's parser looks at the token after
// t to decide what t is (base_yylex in parser.c).
func lookahead(sql string, t Token) bool {
	switch t.Kind {
	case TokIdent:
		w := sql[t.Start:t.End]
		switch len(w) {
		case 3:
			return lexEqualFold(w, "not")
		case 4:
			return lexEqualFold(w, "with")
		case 5:
			return lexEqualFold(w, "nulls")
		case 6:
			return lexEqualFold(w, "format")
		case 7:
			return lexEqualFold(w, "without") || lexEqualFold(w, "uescape")
		}
	case TokString, TokQuotedIdent:
		return t.Flags&FlagUnicode != 0
	}
	return false
}

// Fingerprint returns pg_query's 16-hex-digit fingerprint of sql: equal for
// statements that differ only in constants, whitespace and comments. For
// statements on relations whose names hold runs of digits, which
// pg_query's fingerprint ignores (t10 and t11 share one), the names are
// mixed in: statements on different tables get different fingerprints
// (see numberedRelations).
func Fingerprint(sql string) (string, error) {
	text, err := pgText(sql)
	if err != nil {
		return "", err
	}
	fp, err := pg_query.Fingerprint(text)
	if err != nil {
		return "", wrapError(text, err)
	}
	if rels := numberedRelations(text); rels != "" {
		fp = withRelations(fp, rels)
	}
	return fp, nil
}

// Normalize replaces the constants of sql with $n parameters, as
// pg_stat_statements does.
func Normalize(sql string) (string, error) {
	text, err := pgText(sql)
	if err != nil {
		return "", err
	}
	n, err := pg_query.Normalize(text)
	if err != nil {
		return "", wrapError(text, err)
	}
	return n, nil
}

// Statement is one piece of a SQL file with, for an SQL piece, what
// pg_query says of it.
type Statement struct {
	Piece
	// Fingerprint (16 hex digits) and Normalized (constants replaced by
	// $n) are set for an SQL piece that parses.
	Fingerprint string
	Normalized  string
	// Err is set for an SQL piece that does not parse: PostgreSQL's
	// syntax error, or the construct left open at the end of the input
	// (Message is then Open.String()). Err.Offset is a byte offset in
	// Text (-1 when unknown); Pos(Err.Offset) gives its line and column
	// in the file.
	Err *Error
}

// ParseFile splits src with Split and fingerprints and normalizes its SQL
// statements: ParsePieces(Split(src)).
func ParseFile(src string) []Statement {
	return ParsePieces(Split(src))
}

// ParsePieces fingerprints and normalizes the SQL pieces, in parallel on
// all CPUs for long inputs (pg_query is safe for concurrent use). It
// returns one Statement per piece, in the same order; meta-commands and
// COPY data are returned as they are. Each statement is parsed twice by
// pg_query (fingerprint, then normalize), once when it does not parse.
func ParsePieces(pieces []Piece) []Statement {
	out := make([]Statement, len(pieces))
	for i := range pieces {
		out[i].Piece = pieces[i]
	}
	const chunk = 32
	workers := min(runtime.GOMAXPROCS(0), (len(out)+chunk-1)/chunk)
	if workers <= 1 {
		for i := range out {
			parseStatement(&out[i])
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				end := int(next.Add(chunk))
				start := end - chunk
				if start >= len(out) {
					return
				}
				for i := start; i < min(end, len(out)); i++ {
					parseStatement(&out[i])
				}
			}
		})
	}
	wg.Wait()
	return out
}

func parseStatement(st *Statement) {
	if st.Kind != PieceSQL {
		return
	}
	if st.Open != OpenNone {
		st.Err = &Error{Message: st.Open.String(), Offset: st.OpenOffset}
		return
	}
	fp, err := Fingerprint(st.Text)
	if err == nil {
		st.Fingerprint = fp
		st.Normalized, err = Normalize(st.Text)
	}
	if err != nil {
		st.Fingerprint, st.Normalized = "", ""
		if !errors.As(err, &st.Err) {
			st.Err = &Error{Message: err.Error(), Offset: -1}
		}
	}
}

// ErrEmpty is returned for a text with no statement in it.
var ErrEmpty = fmt.Errorf("empty statement")

// parseTree parses sql with pg_query after working around its lexer's
// quirks (pgText), returning a positioned *Error on failure. Every parse
// of user text in this package goes through it.
func parseTree(sql string) (*pg_query.ParseResult, error) {
	text, err := pgText(sql)
	if err != nil {
		return nil, err
	}
	tree, err := pg_query.Parse(text)
	if err != nil {
		// The cursor counts characters of text, where blanked comments
		// are one space a byte: convert there (byte offsets are the same
		// in sql).
		return nil, wrapError(text, err)
	}
	return tree, nil
}
