// Package whatif costs a query under a set of indexes that may not exist:
// HypoPG's hypothetical indexes (nothing written, session-local), real
// indexes built inside a rolled-back transaction (a sandbox without
// HypoPG), or recorded answers (offline tests).
package whatif

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Query is one statement to plan: SQL text with $n placeholders bound to
// Params (text values as a log prints them; nil is NULL). Generic plans
// the statement with PREPARE and plan_cache_mode = force_generic_plan
// when no values are known (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN)):
// Params are then ignored and NParams tells how many $n there are.
type Query struct {
	SQL     string
	Params  []*string
	Generic bool
	NParams int
}

// Key identifies the query with its values, for caches.
func (q Query) Key() string {
	var b strings.Builder
	b.WriteString(q.SQL)
	if q.Generic {
		b.WriteString("\x00generic")
	}
	for _, p := range q.Params {
		b.WriteByte(0)
		if p == nil {
			b.WriteString("\x01NULL")
		} else {
			b.WriteString(*p)
		}
	}
	return b.String()
}

// Index is an index to plan with: its name and its CREATE INDEX
// statement (without CONCURRENTLY, which neither HypoPG nor a
// transaction accepts).
type Index struct {
	Name string
	DDL  string
}

// Result is the planner's answer.
type Result struct {
	// Cost is the plan's total cost.
	Cost float64 `json:"cost"`
	// Used names the indexes of the configuration the plan scans.
	Used []string `json:"used,omitempty"`
	// Indexes names every index the plan scans, existing ones included
	// (by their names in the plan).
	Indexes []string `json:"indexes,omitempty"`
	// Rows are, by table name, the most rows the plan expects one scan
	// of the table to return (what its filters keep).
	Rows map[string]float64 `json:"rows,omitempty"`
}

// Uses reports whether the plan scans the index named name.
func (r Result) Uses(name string) bool { return slices.Contains(r.Used, name) }

// Explain runs EXPLAIN (FORMAT JSON) of q on conn (in the session's
// current transaction state) and returns the parsed plan.
func Explain(ctx context.Context, conn *pgx.Conn, q Query) (*explain.Plan, error) {
	return run(ctx, conn.PgConn(), q, "FORMAT JSON")
}

// ExplainAnalyze runs EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of q on conn:
// the statement is executed. Callers wrap writes in a transaction they
// roll back.
func ExplainAnalyze(ctx context.Context, conn *pgx.Conn, q Query) (*explain.Plan, error) {
	return run(ctx, conn.PgConn(), q, "ANALYZE, BUFFERS, FORMAT JSON")
}

// genericName is the prepared statement generic plans use; only it is
// ever deallocated (never DEALLOCATE ALL: the session may be the user's).
const genericName = "pgadvisor_whatif"

func run(ctx context.Context, pc *pgconn.PgConn, q Query, options string) (*explain.Plan, error) {
	sql := strings.TrimRight(strings.TrimSpace(q.SQL), ";")
	var out []byte
	if q.Generic {
		args := make([]string, q.NParams)
		for i := range args {
			args[i] = "NULL"
		}
		exec := "EXECUTE " + genericName
		if len(args) > 0 {
			exec += "(" + strings.Join(args, ", ") + ")"
		}
		script := "SET plan_cache_mode = force_generic_plan; PREPARE " + genericName + " AS " + sql + "; "
		rs, err := pc.Exec(ctx, script).ReadAll()
		if err == nil {
			rs, err = pc.Exec(ctx, "EXPLAIN ("+options+") "+exec).ReadAll()
		}
		_, cleanErr := pc.Exec(context.WithoutCancel(ctx), "DEALLOCATE "+genericName+"; RESET plan_cache_mode").ReadAll()
		if err != nil {
			return nil, fmt.Errorf("explain generic plan: %w", err)
		}
		if cleanErr != nil && !strings.Contains(cleanErr.Error(), "does not exist") {
			return nil, fmt.Errorf("deallocate: %w", cleanErr)
		}
		if len(rs) == 0 || len(rs[0].Rows) == 0 {
			return nil, errors.New("explain returned no plan")
		}
		out = rs[0].Rows[0][0]
	} else {
		vals := make([][]byte, len(q.Params))
		for i, p := range q.Params {
			if p != nil {
				vals[i] = []byte(*p)
			}
		}
		rr := pc.ExecParams(ctx, "EXPLAIN ("+options+") "+sql, vals, nil, nil, nil).Read()
		if rr.Err != nil {
			return nil, fmt.Errorf("explain: %w", rr.Err)
		}
		if len(rr.Rows) == 0 {
			return nil, errors.New("explain returned no plan")
		}
		out = rr.Rows[0][0]
	}
	plans, err := explain.Parse(out, "whatif")
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	if len(plans) == 0 || plans[0].Root == nil {
		return nil, errors.New("explain returned an empty plan")
	}
	return plans[0], nil
}

// IndexesIn returns the names of the indexes a plan scans, sorted and
// unique.
func IndexesIn(p *explain.Plan) []string {
	var out []string
	for _, n := range p.Nodes() {
		if n.IndexName != "" {
			out = append(out, n.IndexName)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// result builds a Result from a plan; names maps the plan's index names
// to the configuration's.
func result(p *explain.Plan, names map[string]string) Result {
	r := Result{Cost: p.Root.TotalCost, Indexes: IndexesIn(p)}
	var scans func(n *explain.Node, workers int64)
	scans = func(n *explain.Node, workers int64) {
		if n.WorkersPlanned > 0 {
			workers = n.WorkersPlanned
		}
		if n.RelationName != "" && n.IsScan() {
			rows := n.PlanRows
			if n.ParallelAware && workers > 0 {
				// A parallel scan's rows are per process: the leader
				// counts as 1 - 0.3 × workers of one (PostgreSQL's
				// get_parallel_divisor).
				rows *= float64(workers) + max(0, 1-0.3*float64(workers))
			}
			if r.Rows == nil {
				r.Rows = map[string]float64{}
			}
			r.Rows[n.RelationName] = max(r.Rows[n.RelationName], rows)
		}
		for _, c := range n.Children {
			scans(c, workers)
		}
	}
	scans(p.Root, 0)
	for _, n := range r.Indexes {
		if ours, ok := names[n]; ok {
			r.Used = append(r.Used, ours)
		}
	}
	slices.Sort(r.Used)
	r.Used = slices.Compact(r.Used)
	return r
}
