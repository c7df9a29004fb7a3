package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
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
