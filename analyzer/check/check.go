// Package check is the framework every pgadvisor check is written in, in
// the style of golang.org/x/tools/go/analysis: a check is a value with a
// name, documentation, a default severity and a run function that reports
// findings through a callback. Checks never print and never choose exit
// codes.
package check

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// Severities.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "info", "warning" or "error" (case-insensitive).
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or error)", name)
}

// Position is a place in an input: file name, 1-based line and column
// (columns count characters, not bytes). Line 0 means the whole file.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// String formats the position as file:line:col.
func (p Position) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Advance returns the position reached after reading text from p.
func (p Position) Advance(text string) Position {
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			p.Column += utf8.RuneCountInString(text)
			break
		}
		p.Line++
		p.Column = 1
		text = text[i+1:]
	}
	return p
}

// Fix is a suggested change that resolves a finding, usually DDL.
type Fix struct {
	// SQL is the statement to run. For an index proposal the engine
	// rewrites it from Index once proposals are merged (one name and one
	// definition per index across every check).
	SQL string `json:"sql"`
	// Index is the proposed index as data, when the fix creates one:
	// checks attach it so that one merge step de-duplicates proposals and
	// one writer prints them.
	Index *candidate.Index `json:"index,omitempty"`
}

// Finding is one problem found by a check.
type Finding struct {
	Check       string   `json:"check"`
	Severity    Severity `json:"severity"`
	Pos         Position `json:"pos"`
	Fingerprint string   `json:"fingerprint,omitempty"`
	// Message says what is wrong; Help what to do about it.
	Message string `json:"message"`
	Help    string `json:"help,omitempty"`
	Fix     *Fix   `json:"fix,omitempty"`
	// Plan and Node identify the plan node a plan check's finding is
	// about (nil for other checks): the engine links findings to plans
	// and aggregates them per query and node by identity, not by lines.
	Plan *explain.Plan `json:"-"`
	Node *explain.Node `json:"-"`
}

// Statement is one statement handed to checks: from a SQL file every
// statement, from a log one per distinct query (its first occurrence).
type Statement struct {
	// Pos is where the statement starts in its input.
	Pos Position
	// Text is the statement as written (for logs, as logged).
	Text        string
	Fingerprint string
	// Model is the statement's model; nil when it did not parse. Set it
	// with SetModel, which derives Accesses too.
	Model *query.Statement
	// Accesses are the table accesses of the query the statement runs
	// (Query().Accesses()), derived once when the model is set so that
	// checks share them; their block IDs index Query().Queries.
	Accesses []query.Access
	// Err is the parse error (nil when the statement parsed). Its offset
	// is relative to Text.
	Err error
	// ErrOffset is the byte offset in Text where parsing failed.
	ErrOffset int
	// Kind is the kind of input it came from: sql, stderr, csvlog, ...
	Kind string
	// Calls and TotalMS are the workload's figures for this query when
	// known (logs, pg_stat_statements), else 0.
	Calls   int64
	TotalMS float64
	// Before is the schema as it stood just before the statement, for
	// the statements of migrations (`pgadvisor check`); nil otherwise.
	Before *catalog.Catalog
	// Migration describes the migration a statement belongs to; nil
	// outside `pgadvisor check`.
	Migration *Migration
	// Trace is what applying the statement to a real PostgreSQL showed
	// (pgadvisor check --trace); nil when it was not traced.
	Trace *Trace
	// Replan compares the plans of a workload query before and after
	// the migrations (pgadvisor check); nil when not planned.
	Replan *Replan
}

// SetModel sets the statement's model and derives its Accesses.
func (s *Statement) SetModel(m *query.Statement) {
	s.Model = m
	s.Accesses = nil
	if q := s.Query(); q != nil {
		s.Accesses = q.Accesses()
	}
}

// Query returns the model of the query the statement runs: Model, or the
// statement it embeds for EXPLAIN, CREATE TABLE ... AS, DECLARE ...
// CURSOR, PREPARE and COPY (query) TO (Model.Inner); nil when the
// statement did not parse.
func (s *Statement) Query() *query.Statement {
	st := s.Model
	for depth := 0; st != nil && st.Inner != nil && depth < 8; depth++ {
		st = st.Inner
	}
	return st
}

// PosAt returns the position of byte offset off in s.Text.
func (s *Statement) PosAt(off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(s.Text) {
		off = len(s.Text)
	}
	return s.Pos.Advance(s.Text[:off])
}

// Reads says what a check inspects, so that a driver runs only the
// checks that have something to look at (explain runs those that read
// plans and statements, not the schema-wide ones).
type Reads uint8

// What checks read.
const (
	// ReadsStatements: the statements of SQL files, logs and
	// pg_stat_statements (and the queries of plans).
	ReadsStatements Reads = 1 << iota
	// ReadsPlans: EXPLAIN plans.
	ReadsPlans
	// ReadsSchema: the catalog as a whole (tables, indexes, keys).
	ReadsSchema
	// ReadsMigration: migration statements, applied in order with the
	// schema before each (Statement.Before and Migration set): `pgadvisor
	// check` runs these checks; elsewhere they have nothing to read.
	ReadsMigration
)

// Check is one check.
type Check struct {
	// Name is the check's identifier, lower-case with dashes.
	Name string
	// Doc is the documentation: a one-line summary, a blank line, then
	// what the check finds, why it matters, how to fix it, and its
	// thresholds.
	Doc string
	// Severity is the default severity of its findings.
	Severity Severity
	// Reads says what the check inspects.
	Reads Reads
	// NeedsCatalog is true when the check can only say something with a
	// schema (--schema or --db); without one it stays silent.
	NeedsCatalog bool
	// Run inspects the pass and reports findings through pass.Report.
	Run func(pass *Pass) error
}

// Summary returns the first line of the documentation.
func (c *Check) Summary() string {
	s, _, _ := strings.Cut(c.Doc, "\n")
	return s
}

// Pass is what a check runs on.
type Pass struct {
	Check *Check
	// Statements in input order.
	Statements []*Statement
	// Catalog is never nil; it is empty when no schema was given.
	Catalog *catalog.Catalog
	// HasCatalog is true when a schema or database was given.
	HasCatalog bool
	// Plans are the EXPLAIN plans read, with their positions.
	Plans []*explain.Plan
	// Loops are the N+1 loops found in the logs' sessions.
	Loops []Loop
	// Report receives every finding.
	Report func(Finding)
}

// Reportf reports a finding of the running check with its default
// severity at pos.
func (p *Pass) Reportf(pos Position, fingerprint, help, format string, args ...any) {
	p.Report(Finding{
		Check:       p.Check.Name,
		Severity:    p.Check.Severity,
		Pos:         pos,
		Fingerprint: fingerprint,
		Message:     fmt.Sprintf(format, args...),
		Help:        help,
	})
}
