package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// New returns an empty catalog with the default search path (public) and
// the public schema.
func New() *Catalog {
	return &Catalog{
		SearchPath: []string{"public"},
		Tables:     map[string]*Table{},
		Indexes:    map[string]*Index{},
		Extensions: map[string]bool{},
		Schemas:    map[string]bool{"public": true},
		Types:      map[string]*Type{},
		sequences:  map[string]bool{},
	}
}

// LoadError is a problem met while applying DDL: the statement at
// File:Line:Column was skipped, or applied only in part.
type LoadError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Message says what went wrong, without the position.
	Message string `json:"message"`
	// Err is the underlying error, if any (a *sqlparse.Error for syntax
	// errors).
	Err error `json:"-"`
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

func (e *LoadError) Unwrap() error { return e.Err }

// LoadFiles applies the DDL files at paths in order, as Apply does. DDL
// problems are collected in c.Errors and loading goes on; the error
// returned reports files that could not be read (the others are loaded).
func (c *Catalog) LoadFiles(ctx context.Context, paths ...string) error {
	var errs []error
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("read schema %q: %w", p, err))
			continue
		}
		c.Apply(string(b), p)
	}
	return errors.Join(errs...)
}

// Apply applies the DDL statements of src, the content of file (a name
// used in error positions), in order, as psql would run them in one
// session: SET search_path affects the statements that follow, up to the
// end of src. Statements that are not DDL are ignored. The problems met
// (syntax errors, ALTER of an unknown table, ...) are returned and also
// appended to c.Errors; loading goes on after each.
func (c *Catalog) Apply(src, file string) []*LoadError {
	s := &session{c: c, file: file, src: src, path: append([]string(nil), c.SearchPath...)}
	for _, st := range splitStatements(src) {
		if st.skip || strings.TrimSpace(st.text) == "" {
			continue
		}
		if st.open != "" {
			s.errorAt(st.offset+st.openOffset, nil, "%s", st.open)
			continue
		}
		if !MayChangeSchema(st.text) {
			continue
		}
		ops, err := sqlparse.ParseDDL(st.text)
		if err != nil {
			off := st.offset
			var pe *sqlparse.Error
			msg := err.Error()
			if errors.As(err, &pe) {
				if pe.Offset >= 0 {
					off += pe.Offset
				}
				msg = pe.Message
			}
			s.errorAt(off, err, "syntax error: %s", msg)
			continue
		}
		for _, op := range ops {
			s.base = st.offset
			s.apply(op)
		}
	}
	c.normalize()
	return s.errs
}

// statement is one statement of a DDL file.
type statement struct {
	text   string
	offset int  // byte offset of text in the file
	skip   bool // a psql meta-command or COPY data, not SQL
	// open is the message for a quote or comment left open at the end of
	// the file, and openOffset where it starts in text.
	open       string
	openOffset int
}

// splitStatements cuts a file into statements with sqlparse's splitter,
// which follows psql's rules (dollar quotes, meta-commands such as
// pg_dump's \restrict, COPY data).
func splitStatements(src string) []statement {
	pieces := sqlparse.Split(src)
	out := make([]statement, 0, len(pieces))
	for _, p := range pieces {
		st := statement{text: p.Text, offset: p.Start, skip: p.Kind != sqlparse.PieceSQL}
		if p.Open != sqlparse.OpenNone {
			st.open, st.openOffset = p.Open.String(), p.OpenOffset
		}
		out = append(out, st)
	}
	return out
}

// skippedCommands are statements that change nothing the catalog models,
// by their first word (or first two): not parsing them saves much of the
// time of loading a pg_dump file.
var skippedCommands = map[string]bool{
	"COMMENT": true, "GRANT": true, "REVOKE": true, "INSERT": true, "UPDATE": true, "DELETE": true,
	"MERGE": true, "COPY": true, "ANALYZE": true, "ANALYSE": true, "VACUUM": true, "BEGIN": true,
	"COMMIT": true, "ROLLBACK": true, "START": true, "END": true, "SAVEPOINT": true, "RELEASE": true,
	"CLUSTER": true, "REINDEX": true, "REFRESH": true, "LOCK": true, "NOTIFY": true, "LISTEN": true,
	"UNLISTEN": true, "DO": true, "CALL": true, "EXPLAIN": true, "TRUNCATE": true, "SECURITY": true,
	"CHECKPOINT": true, "DISCARD": true, "PREPARE": true, "EXECUTE": true, "DEALLOCATE": true,
	"VALUES": true, "TABLE": true, "WITH": true, "FETCH": true, "MOVE": true, "CLOSE": true, "DECLARE": true,
	"CREATE FUNCTION": true, "CREATE PROCEDURE": true, "CREATE TRIGGER": true, "CREATE AGGREGATE": true,
	"CREATE OPERATOR": true, "CREATE CAST": true, "CREATE RULE": true, "CREATE POLICY": true,
	"CREATE PUBLICATION": true, "CREATE SUBSCRIPTION": true, "CREATE SERVER": true, "CREATE ROLE": true,
	"CREATE USER": true, "CREATE GROUP": true, "CREATE DATABASE": true, "CREATE COLLATION": true,
	"CREATE CONVERSION": true, "CREATE LANGUAGE": true, "CREATE EVENT": true, "CREATE STATISTICS": true,
	"CREATE ACCESS": true, "CREATE TRANSFORM": true, "CREATE TABLESPACE": true, "CREATE CONSTRAINT": true,
	"ALTER FUNCTION": true, "ALTER PROCEDURE": true, "ALTER ROUTINE": true, "ALTER AGGREGATE": true,
	"ALTER OPERATOR": true, "ALTER ROLE": true, "ALTER USER": true, "ALTER GROUP": true,
	"ALTER DATABASE": true, "ALTER DEFAULT": true, "ALTER TRIGGER": true, "ALTER POLICY": true,
	"ALTER PUBLICATION": true, "ALTER SUBSCRIPTION": true, "ALTER SERVER": true, "ALTER EVENT": true,
	"ALTER LANGUAGE": true, "ALTER LARGE": true, "ALTER SYSTEM": true, "ALTER TABLESPACE": true,
	"ALTER STATISTICS": true, "ALTER COLLATION": true, "ALTER CONVERSION": true, "ALTER EXTENSION": true,
	"DROP FUNCTION": true, "DROP PROCEDURE": true, "DROP ROUTINE": true, "DROP TRIGGER": true,
	"DROP AGGREGATE": true, "DROP OPERATOR": true, "DROP CAST": true, "DROP RULE": true,
	"DROP POLICY": true, "DROP ROLE": true, "DROP USER": true, "DROP GROUP": true, "DROP DATABASE": true,
	"DROP OWNED": true, "DROP PUBLICATION": true, "DROP SUBSCRIPTION": true, "DROP SERVER": true,
	"DROP EVENT": true, "DROP LANGUAGE": true, "DROP STATISTICS": true, "DROP TABLESPACE": true,
	"CREATE OR REPLACE FUNCTION": true, "CREATE OR REPLACE PROCEDURE": true, "CREATE OR REPLACE TRIGGER": true,
	"CREATE OR REPLACE RULE": true, "CREATE OR REPLACE AGGREGATE": true, "CREATE OR REPLACE LANGUAGE": true,
	"CREATE OR REPLACE TRANSFORM": true, "CREATE CONSTRAINT TRIGGER": true, "CREATE TRUSTED": true,
	"CREATE PROCEDURAL": true, "CREATE DEFAULT": true, "CREATE TEXT": true, "ALTER TEXT": true, "DROP TEXT": true,
}

// MayChangeSchema reports whether a statement could change what the
// catalog models (Apply parses only those): false for commands known not to (skippedCommands), for
// SET of a parameter other than search_path, for SELECT other than
// pg_dump's set_config call, and for a lone ALTER ... OWNER TO.
func MayChangeSchema(text string) bool {
	words := leadingWords(text, 4)
	if len(words) == 0 {
		return true
	}
	one := words[0]
	two := one
	if len(words) > 1 {
		two = one + " " + words[1]
	}
	switch {
	case skippedCommands[one] || skippedCommands[two]:
		return false
	case len(words) > 3 && skippedCommands[strings.Join(words[:4], " ")]:
		return false
	case one == "SET":
		return len(words) < 2 || words[1] == "SEARCH_PATH" || words[1] == "SCHEMA" || words[1] == "LOCAL" || words[1] == "SESSION"
	case one == "RESET":
		return len(words) < 2 || words[1] == "SEARCH_PATH" || words[1] == "ALL"
	case one == "SELECT":
		return strings.Contains(text, "set_config")
	case one == "ALTER" && !strings.ContainsAny(text, ",;"):
		// ALTER TABLE t OWNER TO r, ALTER TYPE t OWNER TO r, ...
		return !ownerTo.MatchString(text)
	}
	return true
}

// ownerTo matches a statement ending with OWNER TO role.
var ownerTo = regexp.MustCompile(`(?i)\sOWNER\s+TO\s+("[^"]*"|[a-z_][a-z0-9_$]*)\s*$`)

// leadingWords returns up to n leading keywords of a statement, upper-cased.
func leadingWords(text string, n int) []string {
	var out []string
	i := 0
	for len(out) < n {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
			i++
		}
		j := i
		for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] == '_') {
			j++
		}
		if j == i {
			break
		}
		out = append(out, strings.ToUpper(text[i:j]))
		i = j
	}
	return out
}

// session is the state of one Apply call.
type session struct {
	c    *Catalog
	file string
	src  string
	// path is the session's search_path.
	path []string
	// base is the file offset of the statement being applied.
	base int
	// lineStarts caches the offsets of the file's lines.
	lineStarts []int
	errs       []*LoadError
}

// position returns the 1-based line and column (in characters) of byte
// offset off of the file.
func (s *session) position(off int) (int, int) {
	if s.lineStarts == nil {
		s.lineStarts = []int{0}
		for i := 0; i < len(s.src); i++ {
			if s.src[i] == '\n' {
				s.lineStarts = append(s.lineStarts, i+1)
			}
		}
	}
	if off > len(s.src) {
		off = len(s.src)
	}
	if off < 0 {
		off = 0
	}
	i := sort.SearchInts(s.lineStarts, off+1) - 1
	return i + 1, utf8.RuneCountInString(s.src[s.lineStarts[i]:off]) + 1
}

// line returns the line of offset off of the current statement.
func (s *session) line(off int) int {
	l, _ := s.position(s.base + off)
	return l
}

// at returns the line and column of offset off of the current statement;
// a negative offset (a node the parser did not locate) is the
// statement's start.
func (s *session) at(off int) (line, col int) {
	return s.position(s.base + max(off, 0))
}

// errorAt records a problem at file offset off.
func (s *session) errorAt(off int, err error, format string, args ...any) {
	line, col := s.position(off)
	e := &LoadError{File: s.file, Line: line, Column: col, Message: fmt.Sprintf(format, args...), Err: err}
	s.errs = append(s.errs, e)
	s.c.Errors = append(s.c.Errors, e)
}

// errorf records a problem with the statement at offset off of the
// current statement.
func (s *session) errorf(off int, format string, args ...any) {
	s.errorAt(s.base+off, nil, format, args...)
}
