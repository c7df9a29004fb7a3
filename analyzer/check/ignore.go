package check

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// IgnoreDirective is the comment that suppresses findings:
//
//	-- pgadvisor:ignore CHECK[,CHECK...] reason
const IgnoreDirective = "pgadvisor:ignore"

// UnusedIgnoreName is the name of the check that reports ignore
// directives that suppressed nothing; the driver (Run) produces its
// findings, since only it sees every other check's.
const UnusedIgnoreName = "unused-ignore"

// Ignore is one -- pgadvisor:ignore comment of an input.
type Ignore struct {
	Pos Position
	// Checks are the names of the checks it silences.
	Checks []string
	// Reason is the text after the names ("" when none was given).
	Reason string
	// FromLine and ToLine are the lines it covers, set by Run: the
	// statement the comment sits in, or else the next statement.
	FromLine, ToLine int
	used             map[string]bool
}

// ParseIgnores returns the ignore directives of src, the text of file:
// every -- or /* */ comment that starts with pgadvisor:ignore, in order.
// Directives inside string literals are not comments and are not read.
func ParseIgnores(file, src string) []Ignore {
	if !strings.Contains(src, IgnoreDirective) {
		return nil
	}
	var out []Ignore
	lx := sqlparse.NewLexer(src, true)
	pos := Position{File: file, Line: 1, Column: 1}
	last := 0
	for {
		tok := lx.Next()
		if tok.Kind == sqlparse.TokEOF {
			break
		}
		if tok.Kind != sqlparse.TokComment {
			continue
		}
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(tok.Text(src), "--"), "/*"), "*/"))
		rest, ok := strings.CutPrefix(body, IgnoreDirective)
		if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		pos = pos.Advance(src[last:tok.Start])
		last = tok.Start
		names, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
		ig := Ignore{Pos: pos, Reason: strings.TrimSpace(reason)}
		for _, n := range strings.Split(names, ",") {
			if n = strings.TrimSpace(n); n != "" {
				ig.Checks = append(ig.Checks, n)
			}
		}
		out = append(out, ig)
	}
	return out
}

// applyIgnores drops the findings an ignore directive covers and, when
// the unused-ignore check runs, reports the directives that suppressed
// nothing of a check that ran, or that give no check or no reason.
func applyIgnores(checks []*Check, in Input, found []Finding) []Finding {
	if len(in.Ignores) == 0 {
		return found
	}
	ignores := slices.Clone(in.Ignores)
	spans := statementSpans(in.Statements)
	for i := range ignores {
		ig := &ignores[i]
		ig.used = map[string]bool{}
		ig.FromLine, ig.ToLine = ig.Pos.Line, ig.Pos.Line+1
		for _, sp := range spans[ig.Pos.File] {
			if sp.from <= ig.Pos.Line && ig.Pos.Line <= sp.to {
				ig.FromLine, ig.ToLine = sp.from, sp.to
				break
			}
			if sp.from > ig.Pos.Line {
				ig.ToLine = sp.to
				break
			}
		}
	}
	out := found[:0:0]
	for _, f := range found {
		suppressed := false
		for i := range ignores {
			ig := &ignores[i]
			if ig.Pos.File == f.Pos.File && ig.FromLine <= f.Pos.Line && f.Pos.Line <= ig.ToLine && slices.Contains(ig.Checks, f.Check) {
				ig.used[f.Check] = true
				suppressed = true
			}
		}
		if !suppressed {
			out = append(out, f)
		}
	}
	var unused *Check
	ran := map[string]bool{}
	for _, c := range checks {
		ran[c.Name] = true
		if c.Name == UnusedIgnoreName {
			unused = c
		}
	}
	if unused == nil {
		return out
	}
	for _, ig := range ignores {
		report := func(msg, help string) {
			out = append(out, Finding{Check: unused.Name, Severity: unused.Severity, Pos: ig.Pos, Message: msg, Help: help})
		}
		switch {
		case len(ig.Checks) == 0:
			report("pgadvisor:ignore names no check", "write -- pgadvisor:ignore CHECK reason, with the check's name as 'pgadvisor checks' lists it")
			continue
		case ig.Reason == "":
			report(fmt.Sprintf("pgadvisor:ignore %s gives no reason", strings.Join(ig.Checks, ",")), "say after the check's name why the finding does not apply here, for the next reader")
		}
		for _, name := range ig.Checks {
			if ran[name] && !ig.used[name] {
				report(fmt.Sprintf("pgadvisor:ignore %s suppresses no finding", name), "remove the comment, or move it to the statement that has the finding")
			}
		}
	}
	return out
}

// span is the lines of one statement.
type span struct{ from, to int }

// statementSpans returns the line spans of the statements, by file, in
// order.
func statementSpans(stmts []*Statement) map[string][]span {
	out := map[string][]span{}
	for _, st := range stmts {
		end := st.Pos.Advance(st.Text)
		out[st.Pos.File] = append(out[st.Pos.File], span{st.Pos.Line, end.Line})
	}
	for _, list := range out {
		slices.SortFunc(list, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	}
	return out
}
