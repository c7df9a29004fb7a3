// Package sqlfile reads SQL files (as psql reads them: statements,
// meta-commands, COPY data) into positioned statements.
package sqlfile

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Kind is the input kind of SQL files.
const Kind = "sql"

// Statement is one statement of a file with what parsing it told.
type Statement struct {
	check.Statement
	Normalized string
}

// Parse splits src (the content of file name) into statements, in order.
// psql meta-commands and COPY data are not statements and are skipped. A
// statement PostgreSQL's parser rejects has Err set (a *sqlparse.Error
// whose offset is also in ErrOffset) and a Fingerprint made from its text
// (workload.TextKey).
func Parse(name, src string) []*Statement {
	var out []*Statement
	// ParseFile fingerprints and normalizes on all cores.
	for _, st := range sqlparse.ParseFile(src) {
		if st.Kind == sqlparse.PieceSQL {
			out = append(out, convert(name, &st))
		}
	}
	return out
}

// convert makes the Statement of an SQL piece of file name.
func convert(name string, st *sqlparse.Statement) *Statement {
	s := &Statement{
		Statement: check.Statement{
			Pos:         check.Position{File: name, Line: st.Line, Column: st.Column},
			Text:        st.Text,
			Kind:        Kind,
			Fingerprint: st.Fingerprint,
		},
		Normalized: st.Normalized,
	}
	if st.Err != nil {
		s.Fingerprint = workload.TextKey(st.Text)
		s.Normalized = st.Text
		s.ErrOffset, s.Err = describe(&st.Piece, st.Err)
	}
	return s
}

// describe explains why a piece does not parse: an unterminated quote or
// comment, psql variables, or PostgreSQL's syntax error.
func describe(p *sqlparse.Piece, err *sqlparse.Error) (int, error) {
	off := err.Offset
	if p.Open != sqlparse.OpenNone {
		line, col := p.Pos(p.OpenOffset)
		return p.OpenOffset, &sqlparse.Error{
			Message: fmt.Sprintf("%s starting at line %d, column %d", p.Open, line, col),
			Offset:  p.OpenOffset,
		}
	}
	if p.Vars {
		msg := err.Error()
		if !strings.Contains(msg, "psql variable") {
			msg += " (the statement uses psql variables, which psql substitutes before running it)"
		}
		return off, &sqlparse.Error{Message: msg, Offset: off}
	}
	return off, err
}

// Execution returns the statement as a workload execution (one call, no
// duration).
func (s *Statement) Execution() workload.Execution {
	return workload.Execution{
		File:        s.Pos.File,
		Line:        s.Pos.Line,
		Column:      s.Pos.Column,
		Kind:        Kind,
		Text:        s.Text,
		Fingerprint: s.Fingerprint,
		Normalized:  s.Normalized,
		Err:         s.Err,
		Calls:       1,
	}
}
