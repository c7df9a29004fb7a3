// Package source reads what a database runs (SQL files, PostgreSQL logs
// of every format, pg_stat_statements, EXPLAIN plans) into one workload,
// the statements the checks look at, and a record of each input.
//
// Inputs are recognized by content (a log's format and log_line_prefix
// too), may be compressed (.gz, .bz2, .zst, by magic number) and "-" is
// standard input. Logs stream: memory grows with the number of distinct
// query shapes, not with the size of the log, and both cores parse.
//
// Example:
//
//	res, err := source.Read(ctx, []string{"postgresql.log.gz", "queries.sql"}, source.Options{
//		Top:         20,
//		MinDuration: 5 * time.Millisecond,
//		Progress:    os.Stderr, // only when stderr is a terminal
//	})
//	if err != nil {
//		return err // cancelled: res still holds what was read
//	}
//	for _, q := range res.Workload.Top(20) {
//		fmt.Println(q.Fingerprint, q.Calls, q.TotalMS, q.P95MS(), q.Normalized)
//	}
//	// res.Statements go to the checks (after sqlparse.Analyze fills
//	// their Model), res.Inputs to the report, res.Plans to explain.
//	if res.NothingRead() {
//		os.Exit(3)
//	}
package source

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source/pglog"
	"github.com/pgadvisor/pgadvisor/analyzer/source/pgss"
	"github.com/pgadvisor/pgadvisor/analyzer/source/sqlfile"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Options control reading; the zero value reads everything.
type Options struct {
	// LogFormat forces the format of log inputs (--log-format): stderr,
	// csvlog, jsonlog or syslog; "" or "auto" detects it per input. An
	// input forced to a log format is read as a log whatever it holds.
	LogFormat string
	// LogPrefix is the log_line_prefix of stderr and syslog logs
	// (--log-prefix); "" detects it per input.
	LogPrefix string
	// Top limits the statements handed to checks from logs and
	// pg_stat_statements to the Top queries by total time (--top; 0: all).
	// SQL-file statements are not limited. The workload keeps every query.
	Top int
	// MinDuration drops log executions shorter than it, or whose duration
	// is unknown, and pg_stat_statements rows whose mean is shorter
	// (--min-duration).
	MinDuration time.Duration
	// Since and Until keep log statements logged within [Since, Until]
	// (--since, --until); statements without a timestamp are kept.
	Since, Until time.Time
	// Database and User keep the statements of that database or user,
	// when the log or pg_stat_statements records it.
	Database string
	User     string
	// DB, when set, is read as pg_stat_statements (--db): the CLI opens it
	// (read-only, with timeouts: package conn).
	DB pgss.Querier
	// Stdin is read for the input "-" (nil: os.Stdin).
	Stdin io.Reader
	// Progress receives a progress bar for inputs of more than 8 MiB (nil:
	// silent). Pass os.Stderr only when it is a terminal.
	Progress io.Writer
	// Workers is the number of goroutines parsing a log (0: GOMAXPROCS).
	Workers int
	// PlansOnly reads every input that is not a log as an EXPLAIN plan
	// (pgadvisor explain): a file that does not hold one gets the plan
	// reader's positioned errors instead of being read as SQL.
	PlansOnly bool
	// OnExecution, when set, sees every execution of every input in input
	// order (after filters), e.g. to follow sessions for N+1 detection. The
	// Execution's strings are valid only during the call.
	OnExecution func(*workload.Execution)
}

// Plan is an EXPLAIN plan found in the inputs, as text for package
// explain to parse.
type Plan struct {
	// Pos is where the plan starts: line 1 of a plan file, the "plan:"
	// message of an auto_explain log entry.
	Pos check.Position
	// Kind is "plan" for a plan file, else the log's kind.
	Kind string
	// Text is the plan as written.
	Text string
	// Format is text, json, yaml or xml for auto_explain plans ("" for
	// plan files: explain detects it).
	Format string
	// Query and Fingerprint identify the query of an auto_explain plan
	// ("" when unknown).
	Query       string
	Fingerprint string
	// DurationMS is the duration auto_explain logged.
	DurationMS float64
}

// Result is what the inputs hold.
type Result struct {
	// Workload groups every execution read by fingerprint.
	Workload *workload.Workload
	// Statements are for the checks, in input order: the first statement
	// of each distinct query of SQL files (and every statement that does
	// not parse, up to 1,000 a file), and one per distinct query of logs and
	// pg_stat_statements (its first occurrence, with the workload's Calls
	// and TotalMS), limited to Options.Top. Model is not filled.
	Statements []*check.Statement
	// Inputs describe each input (and pg_stat_statements), in order.
	Inputs []report.Input
	// Plans are the plan files and auto_explain plans, in input order.
	Plans []Plan
}

// NothingRead says whether no input gave anything: no statement, no
// execution, no plan, no log line understood (the CLI then exits with
// code 3). A log whose statements the filters all dropped was read.
func (r *Result) NothingRead() bool {
	for _, in := range r.Inputs {
		if in.Statements > 0 || in.Lines > int64(in.SkippedLines) {
			return false
		}
	}
	return len(r.Plans) == 0
}

// NothingUsable is NothingRead once the plans are parsed: a plan file
// whose plans all failed to parse (nesting too deep, a YAML alias bomb)
// was not read either. parsedPlans is how many plans parsed.
func (r *Result) NothingUsable(parsedPlans int) bool {
	for _, in := range r.Inputs {
		if in.Kind == KindPlan {
			continue
		}
		if in.Statements > 0 || in.Lines > int64(in.SkippedLines) {
			return false
		}
	}
	return parsedPlans == 0
}

// maxMessages is how many messages an input record keeps.
const maxMessages = 10

// CheckOptions reports a bad option (an unknown --log-format, a
// --log-prefix that cannot be compiled, a negative --min-duration): the
// CLI makes it a usage error, before any input is read.
func CheckOptions(opts Options) error {
	if _, err := pglog.ParseFormat(opts.LogFormat); err != nil {
		return fmt.Errorf("--log-format: %w", err)
	}
	if opts.LogPrefix != "" {
		if _, err := pglog.CompilePrefix(opts.LogPrefix); err != nil {
			return fmt.Errorf("--log-prefix: %w", err)
		}
	}
	if opts.MinDuration < 0 {
		return fmt.Errorf("--min-duration must be 0 or more, not %v", opts.MinDuration)
	}
	if opts.Top < 0 {
		return fmt.Errorf("--top must be 0 or more")
	}
	return nil
}

// Read reads the inputs (file names, "-" for stdin) and, when opts.DB is
// set, pg_stat_statements. A failure of one input (missing file, binary
// data, bad log lines) is recorded in its report.Input and the others are
// read; the error is only for a cancelled ctx or a bad option, and the
// Result then holds what was read before.
func Read(ctx context.Context, inputs []string, opts Options) (*Result, error) {
	format, err := pglog.ParseFormat(opts.LogFormat)
	if err != nil {
		return nil, err
	}
	if opts.LogPrefix != "" {
		if _, err := pglog.CompilePrefix(opts.LogPrefix); err != nil {
			return nil, err
		}
	}
	r := &reader{
		opts:   opts,
		format: format,
		res:    &Result{Workload: workload.New()},
		shapes: pglog.NewShapes(),
		first:  map[string]*check.Statement{},
	}
	for i, name := range inputs {
		if err := ctx.Err(); err != nil {
			r.finish()
			return r.res, err
		}
		if err := r.input(ctx, i, name); err != nil {
			r.finish()
			return r.res, err
		}
	}
	if opts.DB != nil {
		r.pgss(ctx, len(inputs))
	}
	r.finish()
	return r.res, nil
}

type reader struct {
	opts   Options
	format pglog.Format
	res    *Result
	shapes *pglog.Shapes
	// sqlStmts are the statements of SQL files; first the first
	// occurrence of each query of logs and pg_stat_statements, with its
	// input's index in order.
	sqlStmts []ordered
	first    map[string]*check.Statement
	logFirst []ordered
}

type ordered struct {
	input int
	st    *check.Statement
}

func (r *reader) input(ctx context.Context, idx int, name string) (err error) {
	rec := report.Input{Path: name}
	defer func() { r.res.Inputs = append(r.res.Inputs, rec) }()
	in, err := open(ctx, name, r.opts.Stdin, r.opts.Progress)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rec.Kind = guessKind(name)
		rec.Errors = 1
		rec.Messages = []string{fmt.Sprintf("%s: %s", name, CleanErr(err))}
		return nil
	}
	defer in.finish()
	if in.cancelled {
		// Interrupted while the head arrived: read what came, then stop.
		cancelled := ctx
		defer func() {
			if err == nil {
				err = cancelled.Err()
			}
		}()
		ctx = context.WithoutCancel(ctx)
	}
	kind := DetectKind(in.base, in.head)
	if r.format != "" && kind != KindPlan {
		kind = string(r.format)
	}
	if r.opts.PlansOnly && kind == KindSQL {
		kind = KindPlan
	}
	rec.Kind = kind
	if in.comp != "" {
		rec.Detected = in.comp + " compressed"
	}
	if note := sqlNote(in.base, in.head, kind); note != "" && r.format == "" {
		rec.Messages = append(rec.Messages, name+": "+note)
	}
	switch kind {
	case KindBinary:
		rec.Errors = 1
		rec.Messages = []string{name + ": binary data, not SQL, a PostgreSQL log or an EXPLAIN plan"}
		return nil
	case KindSQL:
		return r.sqlInput(ctx, idx, name, in, &rec)
	case KindPlan:
		return r.planInput(ctx, name, in, &rec)
	}
	return r.logInput(ctx, idx, name, kind, in, &rec)
}

// guessKind names the kind of an input that could not be opened.
func guessKind(name string) string {
	n := strings.ToLower(name)
	for _, ext := range []string{".gz", ".bz2", ".zst"} {
		n = strings.TrimSuffix(n, ext)
	}
	switch {
	case strings.HasSuffix(n, ".csv"):
		return KindCSV
	case strings.HasSuffix(n, ".json"):
		return KindJSON
	case strings.HasSuffix(n, ".log"):
		return KindStderr
	}
	return KindSQL
}

// CleanErr words an error reading an input whose name the message
// already gives: an os error without its "open NAME: ", anything else (a
// size limit, a decompression error) as it is.
func CleanErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// maxSQLErrors is how many statements that do not parse a SQL file keeps
// for the report (each is its own query); the others are counted.
const maxSQLErrors = 1000

// sqlInput streams a SQL file: every statement goes to the workload, the
// first of each query (and each statement that does not parse, up to
// maxSQLErrors) to the checks, so memory grows with the distinct queries,
// not with the file. Interrupted, it keeps what was read.
func (r *reader) sqlInput(ctx context.Context, idx int, name string, in *input, rec *report.Input) error {
	seen := map[string]bool{}
	n, err := sqlfile.Stream(ctx, name, in.r, func(s *sqlfile.Statement) {
		e := s.Execution()
		r.add(&e)
		rec.Statements++
		if s.Err != nil {
			rec.Errors++
			if rec.Errors > maxSQLErrors {
				return
			}
		}
		if seen[s.Fingerprint] {
			return
		}
		seen[s.Fingerprint] = true
		st := s.Statement
		r.sqlStmts = append(r.sqlStmts, ordered{idx, &st})
	})
	rec.Bytes = n
	if rec.Errors > maxSQLErrors {
		rec.Messages = append(rec.Messages, fmt.Sprintf("%s: %d statements do not parse; the first %d are reported", name, rec.Errors, maxSQLErrors))
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rec.Errors++
		rec.Messages = append(rec.Messages, fmt.Sprintf("%s: %s", name, CleanErr(err)))
	}
	if rec.Statements == 0 && rec.Errors == 0 {
		// Say so: an empty file given by mistake should not pass silently.
		rec.Messages = append(rec.Messages, fmt.Sprintf("%s: no SQL statement in it", name))
	}
	return nil
}

func (r *reader) planInput(ctx context.Context, name string, in *input, rec *report.Input) error {
	b, n, err := readLimited(in.r, MaxPlanSize)
	rec.Bytes = n
	if n > MaxPlanSize {
		rec.Errors++
		rec.Messages = append(rec.Messages, name+": "+(&LimitError{Name: name, What: "a plan", Limit: MaxPlanSize}).Error())
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rec.Errors++
		rec.Messages = append(rec.Messages, fmt.Sprintf("%s: %s", name, CleanErr(err)))
		return nil
	}
	r.res.Plans = append(r.res.Plans, Plan{
		Pos:  check.Position{File: name, Line: 1, Column: 1},
		Kind: KindPlan,
		Text: string(b),
	})
	rec.Statements = 1
	return nil
}

// logSink receives a log's executions and plans.
type logSink struct {
	r    *reader
	idx  int
	kind string
}

func (s *logSink) Execution(e *workload.Execution) { s.r.addLog(s.idx, e) }

func (s *logSink) Plan(p *pglog.Plan) {
	s.r.res.Plans = append(s.r.res.Plans, Plan{
		Pos:         check.Position{File: p.File, Line: p.Line, Column: p.Column},
		Kind:        s.kind,
		Text:        p.Text,
		Format:      p.Format,
		Query:       p.Query,
		Fingerprint: p.Fingerprint,
		DurationMS:  p.DurationMS,
	})
}

func (r *reader) logInput(ctx context.Context, idx int, name, kind string, in *input, rec *report.Input) error {
	// Interrupted, the log ends at the last whole line read: pglog reads
	// it to its end (with a context that is not cancelled) and the
	// report holds every line that came.
	st, err := pglog.Read(context.WithoutCancel(ctx), &stopReader{ctx: ctx, r: in.r}, name, pglog.Options{
		Format:      pglog.Format(kind),
		Prefix:      r.opts.LogPrefix,
		Since:       r.opts.Since,
		Until:       r.opts.Until,
		MinDuration: r.opts.MinDuration,
		Database:    r.opts.Database,
		User:        r.opts.User,
		Workers:     r.opts.Workers,
		Shapes:      r.shapes,
	}, &logSink{r: r, idx: idx, kind: kind})
	if st != nil {
		rec.Kind = string(st.Format)
		rec.Statements = int(st.Executions)
		rec.Errors = int(st.Unparsed)
		rec.SkippedLines = int(st.Skipped)
		rec.Bytes = st.Bytes
		rec.Lines, rec.Failed, rec.OtherMessages = st.Lines, st.Failed, st.Other
		d := st.Detected()
		if in.comp != "" {
			d += ", " + in.comp + " compressed"
		}
		rec.Detected = d
		rec.Messages = append(rec.Messages, st.Problems...)
		if st.Executions == 0 && st.Filtered > 0 {
			rec.Messages = append(rec.Messages, fmt.Sprintf("%s: the filters (--since, --until, --database, --user, --min-duration) dropped everything: %d statements and plans", name, st.Filtered))
		}
		for _, n := range st.Notes {
			rec.Messages = append(rec.Messages, name+": "+n)
		}
		if st.Skipped > int64(len(st.Problems)) {
			rec.Messages = append(rec.Messages, fmt.Sprintf("%s: %d lines skipped in all", name, st.Skipped))
		}
		if len(rec.Messages) > maxMessages+2 {
			rec.Messages = rec.Messages[:maxMessages+2]
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		rec.Errors++
		rec.Messages = append(rec.Messages, CleanErr(err))
	}
	return nil
}

// add records an execution in the workload and hands it to OnExecution.
func (r *reader) add(e *workload.Execution) *workload.Query {
	q := r.res.Workload.AddPtr(e)
	if r.opts.OnExecution != nil {
		r.opts.OnExecution(e)
	}
	return q
}

// addLog records a log or pg_stat_statements execution and remembers the
// first occurrence of its query as a statement for the checks.
func (r *reader) addLog(idx int, e *workload.Execution) {
	q := r.add(e)
	switch {
	case q.Calls == max(e.Calls, 1):
		// A new query (of this run: SQL files count too).
	case q.Line == e.Line && q.File == e.File && q.Calls > 0:
		// An earlier execution than the first seen (see workload.Add).
		if st := r.first[e.Fingerprint]; st != nil && e.Line < st.Pos.Line {
			st.Pos = check.Position{File: e.File, Line: e.Line, Column: e.Column}
			st.Text = strings.Clone(e.Text)
		}
		return
	default:
		return
	}
	if _, ok := r.first[e.Fingerprint]; ok {
		return
	}
	st := &check.Statement{
		Pos:         check.Position{File: e.File, Line: e.Line, Column: e.Column},
		Text:        strings.Clone(e.Text),
		Fingerprint: q.Fingerprint,
		Err:         e.Err,
		ErrOffset:   -1,
		Kind:        e.Kind,
	}
	if e.Err != nil {
		st.ErrOffset = errOffset(e.Err)
	}
	r.first[st.Fingerprint] = st
	r.logFirst = append(r.logFirst, ordered{idx, st})
}

func (r *reader) pgss(ctx context.Context, idx int) {
	rec := report.Input{Path: pgss.Kind, Kind: KindPGSS, Detected: "pg_stat_statements"}
	res, err := pgss.Read(ctx, r.opts.DB, pgss.Options{
		Database: r.opts.Database,
		User:     r.opts.User,
		MinMean:  r.opts.MinDuration,
	})
	if err != nil {
		rec.Errors = 1
		rec.Messages = []string{err.Error()}
		r.res.Inputs = append(r.res.Inputs, rec)
		return
	}
	rec.Detected = "pg_stat_statements " + res.Version
	for i := range res.Executions {
		e := &res.Executions[i]
		r.addLog(idx, e)
		rec.Statements++
		if e.Err != nil {
			rec.Errors++
		}
	}
	rec.Messages = append(rec.Messages, res.Notes...)
	if !r.opts.Since.IsZero() || !r.opts.Until.IsZero() {
		rec.Messages = append(rec.Messages, "--since/--until do not apply to pg_stat_statements (it keeps no timestamps)")
	}
	r.res.Inputs = append(r.res.Inputs, rec)
}

// errOffset returns the byte offset of a parse error (-1 if unknown).
func errOffset(err error) int {
	var pe *sqlparse.Error
	if errors.As(err, &pe) {
		return pe.Offset
	}
	return -1
}

// finish builds the statements for the checks.
func (r *reader) finish() {
	w := r.res.Workload
	var top map[string]bool
	if r.opts.Top > 0 {
		top = map[string]bool{}
		for _, q := range w.Top(r.opts.Top) {
			top[q.Fingerprint] = true
		}
	}
	// SQL statements are the checks' own; a log query whose fingerprint a
	// SQL file already has would repeat their findings.
	inSQL := map[string]bool{}
	for _, o := range r.sqlStmts {
		inSQL[o.st.Fingerprint] = true
	}
	all := slices.Clone(r.sqlStmts)
	for _, o := range r.logFirst {
		if inSQL[o.st.Fingerprint] || (top != nil && !top[o.st.Fingerprint]) {
			continue
		}
		all = append(all, o)
	}
	slices.SortStableFunc(all, func(a, b ordered) int {
		return cmp.Or(
			cmp.Compare(a.input, b.input),
			cmp.Compare(a.st.Pos.Line, b.st.Pos.Line),
			cmp.Compare(a.st.Pos.Column, b.st.Pos.Column),
		)
	})
	r.res.Statements = r.res.Statements[:0]
	for _, o := range all {
		if q := w.Query(o.st.Fingerprint); q != nil {
			o.st.Calls, o.st.TotalMS = q.Calls, q.TotalMS
		}
		r.res.Statements = append(r.res.Statements, o.st)
	}
}
