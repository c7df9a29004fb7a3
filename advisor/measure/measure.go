// Package measure times queries before and after building an index for
// real: one warm-up and N runs of EXPLAIN (ANALYZE, BUFFERS) each side,
// the same values both times, writes inside a transaction that is rolled
// back; the index's real size and build time; whether the plan after
// uses the index. The index is dropped afterwards unless kept, and never
// left behind INVALID, also when the context ends (Ctrl-C).
package measure

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// DefaultRuns is the number of timed runs per side.
const DefaultRuns = 5

// Query is one query to time.
type Query struct {
	ID    string
	Query whatif.Query
	// Write is true for INSERT, UPDATE, DELETE and MERGE: each run is
	// rolled back.
	Write bool
}

// Index is an index to measure.
type Index struct {
	// Name and Table ("schema.name") identify it; DDL builds it (plain
	// CREATE INDEX, or CREATE INDEX CONCURRENTLY outside a transaction).
	Name, Schema string
	DDL          string
	Queries      []Query
}

// Options tune a measurement.
type Options struct {
	// Runs is the number of timed runs per side (DefaultRuns if 0).
	Runs int
	// Keep leaves the index in place after measuring it.
	Keep bool
}

// Timing is one query's measurement.
type Timing struct {
	ID                    string
	Runs                  int
	BeforeMS, AfterMS     float64
	BeforeSpread          float64
	AfterSpread           float64
	BeforeHit, BeforeRead int64
	AfterHit, AfterRead   int64
	UsesIndex             bool
	Err                   error
}

// Outcome is the measurement of one index.
type Outcome struct {
	SizeBytes int64
	BuildMS   float64
	Timings   []Timing
	// Kept is true when the index was left in place (Options.Keep).
	Kept bool
}

// Measure builds ix on conn between two series of runs of its queries.
// conn must be a writable session; with a CONCURRENTLY DDL it must not be
// in a transaction.
func Measure(ctx context.Context, conn *pgx.Conn, ix Index, opts Options) (out *Outcome, err error) {
	runs := opts.Runs
	if runs <= 0 {
		runs = DefaultRuns
	}
	out = &Outcome{}
	before := make([]series, len(ix.Queries))
	for i, q := range ix.Queries {
		before[i] = timeQuery(ctx, conn, q, runs, "")
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if _, err := conn.Exec(ctx, ix.DDL); err != nil {
		dropErr := Drop(conn, ix.Schema, ix.Name)
		return nil, errors.Join(fmt.Errorf("build index %s: %w", ix.Name, err), dropErr)
	}
	out.BuildMS = float64(time.Since(start).Microseconds()) / 1000
	defer func() {
		if opts.Keep && err == nil {
			out.Kept = true
			return
		}
		if dropErr := Drop(conn, ix.Schema, ix.Name); dropErr != nil {
			err = errors.Join(err, dropErr)
		}
	}()
	var valid bool
	if err := conn.QueryRow(ctx, `SELECT i.indisvalid, pg_relation_size(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = $1 AND n.nspname = $2`, ix.Name, ix.Schema).Scan(&valid, &out.SizeBytes); err != nil {
		return nil, fmt.Errorf("read size of %s: %w", ix.Name, err)
	}
	if !valid {
		return nil, fmt.Errorf("index %s was built INVALID", ix.Name)
	}
	for i, q := range ix.Queries {
		after := timeQuery(ctx, conn, q, runs, ix.Name)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t := Timing{ID: q.ID, Runs: runs}
		switch {
		case before[i].err != nil:
			t.Err = before[i].err
		case after.err != nil:
			t.Err = after.err
		default:
			t.BeforeMS, t.BeforeSpread = before[i].median()
			t.AfterMS, t.AfterSpread = after.median()
			t.BeforeHit, t.BeforeRead = before[i].hit, before[i].read
			t.AfterHit, t.AfterRead = after.hit, after.read
			t.UsesIndex = after.uses
		}
		out.Timings = append(out.Timings, t)
	}
	return out, nil
}

// Drop drops the index schema.name if it exists, even when the caller's
// context has ended: an index pgadvisor built must never stay behind. When
// conn was closed by the cancellation of a statement, it connects again
// with the same settings.
func Drop(conn *pgx.Conn, schema, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if conn.IsClosed() {
		fresh, err := pgx.ConnectConfig(ctx, conn.Config())
		if err != nil {
			return fmt.Errorf("drop index %s: reconnect: %w", name, err)
		}
		defer fresh.Close(ctx)
		conn = fresh
	}
	if _, err := conn.Exec(ctx, "DROP INDEX IF EXISTS "+candidate.QualifiedName(query.TableName{Schema: schema, Name: name})); err != nil {
		return fmt.Errorf("drop index %s: %w", name, err)
	}
	return nil
}

// series are the runs of one query on one side.
type series struct {
	ms        []float64
	hit, read int64 // buffers of the median run... of the last run
	uses      bool
	err       error
}

// median returns the median time and the spread: the median absolute
// deviation from it.
func (s series) median() (float64, float64) {
	m := med(s.ms)
	dev := make([]float64, len(s.ms))
	for i, v := range s.ms {
		dev[i] = math.Abs(v - m)
	}
	return m, med(dev)
}

func med(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// timeQuery runs one warm-up and runs timed executions of q, and reports
// whether the plan scans the index named index.
func timeQuery(ctx context.Context, conn *pgx.Conn, q Query, runs int, index string) series {
	var s series
	for i := 0; i <= runs; i++ {
		p, err := runOnce(ctx, conn, q)
		if err != nil {
			s.err = err
			return s
		}
		if i == 0 {
			continue // warm-up
		}
		s.ms = append(s.ms, p.ExecutionTime)
		s.hit, s.read = p.Root.Buffers.SharedHit, p.Root.Buffers.SharedRead
		if index != "" && slices.Contains(whatif.IndexesIn(p), index) {
			s.uses = true
		}
	}
	return s
}

// runOnce runs EXPLAIN ANALYZE of q; a write inside a transaction that
// is rolled back.
func runOnce(ctx context.Context, conn *pgx.Conn, q Query) (p *explain.Plan, err error) {
	if !q.Write {
		return whatif.ExplainAnalyze(ctx, conn, q.Query)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && err == nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			err = fmt.Errorf("roll back: %w", rbErr)
		}
	}()
	return whatif.ExplainAnalyze(ctx, conn, q.Query)
}
