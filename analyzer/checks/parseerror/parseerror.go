// Package parseerror reports statements PostgreSQL's parser rejects.
package parseerror

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the parse-error check.
var Check = &check.Check{
	Name: "parse-error",
	Doc: `Statement that PostgreSQL's parser rejects.

Finds every statement that does not parse with PostgreSQL's own grammar
(version 17, through pg_query), reported at the place where the parser
stopped, with PostgreSQL's message and the text found there.

Why it matters: the statement would fail at run time, and pgadvisor cannot
analyze it, so no other check says anything about it. The rest of the input
is analyzed normally.

How to fix: correct the statement (a typo in a keyword, a missing comma or
parenthesis, an unterminated string or dollar quote). Statements written
for another database, or templates with placeholders that are not $n
parameters, also land here.

Severity: error. No threshold.`,
	Severity: check.Error,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		if s.Err == nil {
			continue
		}
		off := s.ErrOffset
		var pe *sqlparse.Error
		if errors.As(s.Err, &pe) {
			off = pe.Offset
		}
		pos := sqltext.Start(s)
		if off >= 0 && off <= len(s.Text) {
			pos = s.PosAt(off)
		}
		pass.Report(check.Finding{
			Check:       pass.Check.Name,
			Severity:    pass.Check.Severity,
			Pos:         pos,
			Fingerprint: s.Fingerprint,
			Message:     message(s.Err, s.Text, off),
			Help:        "correct the statement; the rest of the input was analyzed, this statement was not",
		})
	}
	return nil
}

// message is PostgreSQL's message, followed by the text where the parser
// stopped when the message does not already quote it.
func message(err error, text string, off int) string {
	msg := err.Error()
	var pe *sqlparse.Error
	if errors.As(err, &pe) {
		msg = pe.Message
	}
	msg = strings.TrimSpace(msg)
	if strings.Contains(msg, "near \"") || strings.Contains(msg, "end of input") {
		return msg
	}
	if near := nearText(text, off); near != "" {
		return fmt.Sprintf("%s, near %q", msg, near)
	}
	return msg
}

// nearText returns the token at off, or the rest of its line when it is
// short, at most 30 characters.
func nearText(text string, off int) string {
	if off < 0 || off >= len(text) {
		return ""
	}
	rest := text[off:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimRightFunc(rest, unicode.IsSpace)
	if utf8.RuneCountInString(rest) > 30 {
		r := []rune(rest)
		rest = string(r[:30]) + "..."
	}
	return rest
}
