// Package workload groups the statements read from inputs (SQL files,
// logs, pg_stat_statements) into distinct queries by fingerprint, with
// their calls and timings.
package workload

import (
	"cmp"
	"slices"
)

// Execution is one statement as seen in an input: one line of a SQL file,
// one execution in a log, or one pg_stat_statements row (Calls > 1).
type Execution struct {
	// File and Line locate the statement in its input.
	File string
	Line int
	// Text is the statement text as written or logged.
	Text string
	// Fingerprint and Normalized are filled by whoever parsed Text.
	Fingerprint string
	Normalized  string
	// Calls is 1 for a single execution; pg_stat_statements rows carry
	// their aggregated count (and TotalMS, MaxMS, Rows).
	Calls int64
	// DurationMS is the execution time; HasDuration says whether it is known.
	DurationMS  float64
	HasDuration bool
	MaxMS       float64
	Rows        int64
	// Failed is true for a statement that ended in an ERROR.
	Failed bool
	// Session identifies the backend (pid or session id), "" if unknown.
	Session string
	// Params are the bind parameter values ($1, $2, ...), nil for NULL.
	Params []*string
}

// Query is one distinct query: the executions sharing a fingerprint.
type Query struct {
	Fingerprint string
	Normalized  string
	// Example is the text of the first execution.
	Example string
	File    string
	Line    int
	Calls   int64
	Failed  int64
	TotalMS float64
	MaxMS   float64
	Rows    int64
	// Timed counts the calls whose duration is known.
	Timed    int64
	sessions map[string]struct{}
}

// MeanMS returns the mean duration of the timed calls.
func (q *Query) MeanMS() float64 {
	if q.Timed == 0 {
		return 0
	}
	return q.TotalMS / float64(q.Timed)
}

// Sessions returns the number of distinct sessions seen.
func (q *Query) Sessions() int { return len(q.sessions) }

// Workload is a set of distinct queries.
type Workload struct {
	byFP  map[string]*Query
	order []*Query
}

// New returns an empty workload.
func New() *Workload { return &Workload{byFP: map[string]*Query{}} }

// Add records one execution; e.Fingerprint must be set.
func (w *Workload) Add(e Execution) *Query {
	q := w.byFP[e.Fingerprint]
	if q == nil {
		q = &Query{
			Fingerprint: e.Fingerprint,
			Normalized:  e.Normalized,
			Example:     e.Text,
			File:        e.File,
			Line:        e.Line,
			sessions:    map[string]struct{}{},
		}
		w.byFP[e.Fingerprint] = q
		w.order = append(w.order, q)
	}
	calls := max(e.Calls, 1)
	q.Calls += calls
	if e.Failed {
		q.Failed += calls
	}
	if e.HasDuration {
		q.Timed += calls
		total := e.DurationMS
		if e.Calls <= 1 {
			q.MaxMS = max(q.MaxMS, e.DurationMS)
		} else {
			q.MaxMS = max(q.MaxMS, e.MaxMS)
		}
		q.TotalMS += total
	}
	q.Rows += e.Rows
	if e.Session != "" {
		q.sessions[e.Session] = struct{}{}
	}
	return q
}

// Query returns the query with the fingerprint, or nil.
func (w *Workload) Query(fingerprint string) *Query { return w.byFP[fingerprint] }

// Len returns the number of distinct queries.
func (w *Workload) Len() int { return len(w.order) }

// Queries returns the queries by total time, then calls, descending, then
// by fingerprint: a deterministic order.
func (w *Workload) Queries() []*Query {
	out := slices.Clone(w.order)
	slices.SortStableFunc(out, func(a, b *Query) int {
		return cmp.Or(
			cmp.Compare(b.TotalMS, a.TotalMS),
			cmp.Compare(b.Calls, a.Calls),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
	return out
}
