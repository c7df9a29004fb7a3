// Package workload groups the statements read from inputs (SQL files,
// logs, pg_stat_statements) into distinct queries by fingerprint, with
// their calls and timings.
//
// Memory grows with the number of distinct queries, never with the number
// of executions: durations beyond a few hundred per query go into a
// logarithmic histogram (p95 within 1 %), sessions beyond a thousand into a
// HyperLogLog counter, and parameter samples are a fixed-size reservoir.
package workload

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// Execution is one statement as seen in an input: one line of a SQL file,
// one execution in a log, or one pg_stat_statements row (Calls > 1).
//
// Add copies what it keeps, so the strings of an Execution may point into
// a reader's buffer that is reused after Add returns.
type Execution struct {
	// File, Line and Column locate the statement in its input (Column 0:
	// unknown).
	File   string
	Line   int
	Column int
	// Kind is the kind of input: sql, stderr, csvlog, jsonlog, syslog,
	// pg_stat_statements.
	Kind string
	// Text is the statement text as written or logged.
	Text string
	// Fingerprint and Normalized are filled by whoever parsed Text. For a
	// text that does not parse, Fingerprint is a hash of the text (see
	// TextKey) and Err is the parse error.
	Fingerprint string
	Normalized  string
	Err         error
	// Calls is 1 for a single execution; pg_stat_statements rows carry
	// their aggregated count (and TotalMS, MaxMS, Rows).
	Calls int64
	// DurationMS is the execution time (for an aggregated row, the total
	// time of its calls); HasDuration says whether it is known.
	DurationMS  float64
	HasDuration bool
	// MaxMS and MinMS are the extremes of an aggregated row.
	MaxMS float64
	MinMS float64
	Rows  int64
	// SharedBlksHit and SharedBlksRead are pg_stat_statements' buffer
	// counters.
	SharedBlksHit  int64
	SharedBlksRead int64
	// Failed is true for a statement that ended in an ERROR.
	Failed bool
	// Session identifies the backend (pid or session id), "" if unknown.
	Session string
	// Time is when the statement ended (zero if unknown).
	Time time.Time
	// Database, User and Application are the log's %d, %u and %a.
	Database    string
	User        string
	Application string
	// Params are the bind parameter values ($1, $2, ...), nil for NULL.
	Params []*string
}

// Sample is one execution kept as an example of a query: its text (with
// its literals, for the simple protocol) and its bind parameters (for the
// extended protocol).
type Sample struct {
	Text   string
	Params []*string
}

// SampleSize is the number of samples kept per query.
const SampleSize = 5

// Query is one distinct query: the executions sharing a fingerprint.
type Query struct {
	Fingerprint string
	Normalized  string
	// Example is the text of the first execution.
	Example string
	// Err is the parse error of Example (nil when it parsed).
	Err error
	// Kind, File, Line and Column locate the first execution.
	Kind    string
	File    string
	Line    int
	Column  int
	Calls   int64
	Failed  int64
	TotalMS float64
	MaxMS   float64
	// MinMS is the shortest known duration (0 when none is known).
	MinMS float64
	Rows  int64
	// SharedBlksHit and SharedBlksRead sum pg_stat_statements' counters.
	SharedBlksHit  int64
	SharedBlksRead int64
	// Timed counts the calls whose duration is known.
	Timed int64
	// Samples are up to SampleSize executions picked uniformly at random
	// (a reservoir with a fixed seed: the same input gives the same
	// samples).
	Samples []Sample

	durations durations
	sessions  sessionSet
	seen      int64
	hasMin    bool
}

// MeanMS returns the mean duration of the timed calls.
func (q *Query) MeanMS() float64 {
	if q.Timed == 0 {
		return 0
	}
	return q.TotalMS / float64(q.Timed)
}

// P95MS returns the 95th percentile of the individually timed executions
// (0 when none was timed one by one, e.g. pg_stat_statements rows).
func (q *Query) P95MS() float64 { return q.durations.quantile(0.95) }

// Percentile returns the p-th quantile (0 < p <= 1) of the individually
// timed executions: exact up to a few hundred executions, within 1 %
// beyond.
func (q *Query) Percentile(p float64) float64 { return q.durations.quantile(p) }

// Sessions returns the number of distinct sessions seen (exact up to a
// thousand, an estimate within a few percent beyond).
func (q *Query) Sessions() int { return q.sessions.count() }

// Report returns the query as a report row.
func (q *Query) Report() report.Query {
	return report.Query{
		Fingerprint: q.Fingerprint,
		Normalized:  q.Normalized,
		Example:     q.Example,
		Calls:       q.Calls,
		TotalMS:     q.TotalMS,
		MeanMS:      q.MeanMS(),
		MaxMS:       q.MaxMS,
		P95MS:       q.P95MS(),
		Rows:        q.Rows,
		Failed:      q.Failed,
		Sessions:    q.Sessions(),
		File:        q.File,
		Line:        q.Line,
	}
}

// Workload is a set of distinct queries.
type Workload struct {
	byFP  map[string]*Query
	order []*Query
	rng   uint64
}

// New returns an empty workload.
func New() *Workload { return &Workload{byFP: map[string]*Query{}, rng: seed} }

// seed fixes the reservoir sampling so that output is deterministic.
const seed = 0x9e3779b97f4a7c15

// next returns the next value of a splitmix64 sequence.
func (w *Workload) next() uint64 {
	w.rng += 0x9e3779b97f4a7c15
	z := w.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Add records one execution; e.Fingerprint must be set.
func (w *Workload) Add(e Execution) *Query {
	return w.AddPtr(&e)
}

// AddPtr is Add without copying the Execution, for hot loops.
func (w *Workload) AddPtr(e *Execution) *Query {
	q := w.byFP[e.Fingerprint]
	if q == nil {
		q = &Query{
			Fingerprint: strings.Clone(e.Fingerprint),
			Normalized:  strings.Clone(e.Normalized),
			Example:     strings.Clone(e.Text),
			Err:         e.Err,
			Kind:        e.Kind,
			File:        e.File,
			Line:        e.Line,
			Column:      e.Column,
		}
		w.byFP[q.Fingerprint] = q
		w.order = append(w.order, q)
	} else if e.Line > 0 && e.Line < q.Line && e.File == q.File {
		// Executions can arrive out of line order (a statement logged
		// before it ran is complete only when its duration comes): the
		// first position is the smallest line.
		q.Line, q.Column = e.Line, e.Column
		if e.Text != q.Example {
			q.Example = strings.Clone(e.Text)
		}
	}
	calls := max(e.Calls, 1)
	q.Calls += calls
	if e.Failed {
		q.Failed += calls
	}
	if e.HasDuration {
		q.Timed += calls
		q.TotalMS += e.DurationMS
		if e.Calls <= 1 {
			q.MaxMS = max(q.MaxMS, e.DurationMS)
			q.setMin(e.DurationMS)
			q.durations.add(e.DurationMS)
		} else {
			q.MaxMS = max(q.MaxMS, e.MaxMS)
			q.setMin(e.MinMS)
		}
	}
	q.Rows += e.Rows
	q.SharedBlksHit += e.SharedBlksHit
	q.SharedBlksRead += e.SharedBlksRead
	if e.Session != "" {
		q.sessions.add(e.Session)
	}
	w.sample(q, e)
	return q
}

func (q *Query) setMin(ms float64) {
	if !q.hasMin || ms < q.MinMS {
		q.MinMS = ms
		q.hasMin = true
	}
}

// sample keeps e in q's reservoir with probability SampleSize/seen.
func (w *Workload) sample(q *Query, e *Execution) {
	q.seen++
	slot := -1
	switch {
	case len(q.Samples) < SampleSize:
		slot = len(q.Samples)
		q.Samples = append(q.Samples, Sample{})
	default:
		if j := w.next() % uint64(q.seen); j < SampleSize {
			slot = int(j)
		}
	}
	if slot < 0 {
		return
	}
	s := Sample{Text: q.Example}
	if e.Text != q.Example {
		s.Text = strings.Clone(e.Text)
	}
	if e.Params != nil {
		s.Params = cloneParams(e.Params)
	}
	q.Samples[slot] = s
}

func cloneParams(ps []*string) []*string {
	out := make([]*string, len(ps))
	vals := make([]string, len(ps))
	for i, p := range ps {
		if p != nil {
			vals[i] = strings.Clone(*p)
			out[i] = &vals[i]
		}
	}
	return out
}

// Query returns the query with the fingerprint, or nil.
func (w *Workload) Query(fingerprint string) *Query { return w.byFP[fingerprint] }

// Len returns the number of distinct queries.
func (w *Workload) Len() int { return len(w.order) }

// Calls returns the number of calls of all queries.
func (w *Workload) Calls() int64 {
	var n int64
	for _, q := range w.order {
		n += q.Calls
	}
	return n
}

// InOrder returns the queries in the order they were first seen.
func (w *Workload) InOrder() []*Query { return slices.Clone(w.order) }

// Queries returns the queries by total time, then calls, descending, then
// by first position and fingerprint: a deterministic order.
func (w *Workload) Queries() []*Query {
	out := slices.Clone(w.order)
	slices.SortStableFunc(out, func(a, b *Query) int {
		return cmp.Or(
			cmp.Compare(b.TotalMS, a.TotalMS),
			cmp.Compare(b.Calls, a.Calls),
			// Ties (SQL files: no timings, one call each) keep the
			// order people wrote them in.
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
	return out
}

// Top returns the n first queries of Queries (all when n <= 0).
func (w *Workload) Top(n int) []*Query {
	qs := w.Queries()
	if n > 0 && n < len(qs) {
		qs = qs[:n]
	}
	return qs
}

// Report returns the n first queries of Queries as report rows (all when
// n <= 0).
func (w *Workload) Report(n int) []report.Query {
	qs := w.Top(n)
	out := make([]report.Query, len(qs))
	for i, q := range qs {
		out[i] = q.Report()
	}
	return out
}

// Merge adds the queries of o to w: counters add up, the first position
// and example stay w's when w already had the query, samples fill up from
// o's. Queries new to w come after w's own, in o's order.
func (w *Workload) Merge(o *Workload) {
	for _, oq := range o.order {
		q := w.byFP[oq.Fingerprint]
		if q == nil {
			c := *oq
			c.Samples = slices.Clone(oq.Samples)
			c.durations = oq.durations.clone()
			c.sessions = oq.sessions.clone()
			w.byFP[c.Fingerprint] = &c
			w.order = append(w.order, &c)
			continue
		}
		if oq.hasMin {
			q.setMin(oq.MinMS)
		}
		q.Calls += oq.Calls
		q.Failed += oq.Failed
		q.TotalMS += oq.TotalMS
		q.MaxMS = max(q.MaxMS, oq.MaxMS)
		q.Rows += oq.Rows
		q.SharedBlksHit += oq.SharedBlksHit
		q.SharedBlksRead += oq.SharedBlksRead
		q.Timed += oq.Timed
		q.seen += oq.seen
		q.durations.merge(&oq.durations)
		q.sessions.merge(&oq.sessions)
		for _, s := range oq.Samples {
			if len(q.Samples) >= SampleSize {
				break
			}
			q.Samples = append(q.Samples, s)
		}
	}
}

// TextKey returns the grouping key of a statement that does not parse:
// "!" followed by 15 hex digits of a hash of its text with runs of white
// space folded, so that it never equals a pg_query fingerprint.
func TextKey(text string) string {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	space := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space {
			h = (h ^ ' ') * prime
			space = false
		}
		h = (h ^ uint64(c)) * prime
	}
	const hex = "0123456789abcdef"
	var b [16]byte
	b[0] = '!'
	for i := 15; i >= 1; i-- {
		b[i] = hex[h&15]
		h >>= 4
	}
	return string(b[:])
}
