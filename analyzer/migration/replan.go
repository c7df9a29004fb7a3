package migration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// LargeTable is the number of rows from which a new sequential scan of a
// table counts as a regression.
const LargeTable = 10000

// Plan is what comparing a query's plans needs from one of them.
type Plan struct {
	Cost float64
	// SeqScans are the tables scanned sequentially ("schema.name"),
	// Indexes the indexes used (by name: EXPLAIN does not qualify them).
	SeqScans, Indexes []string
	// Err is the error planning it ("" when it was planned).
	Err string
}

// PlanWorkload plans each workload statement that EXPLAIN can take
// (SELECT, INSERT, UPDATE, DELETE, MERGE) on the database at url, with a
// generic plan for statements with parameters, in a read-only
// transaction rolled back. The result is indexed like stmts (nil for
// statements not planned).
func PlanWorkload(ctx context.Context, conn *pgx.Conn, stmts []*check.Statement) ([]*Plan, error) {
	out := make([]*Plan, len(stmts))
	for i, st := range stmts {
		if st.Model == nil || st.Migration != nil {
			continue
		}
		switch st.Model.Kind {
		case query.KindSelect, query.KindInsert, query.KindUpdate, query.KindDelete, query.KindMerge:
		default:
			continue
		}
		p, err := planOne(ctx, conn, st.Text, st.Model.Params)
		if err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				return out, err
			}
			p = &Plan{Err: fmt.Sprintf("ERROR: %s (SQLSTATE %s)", pe.Message, pe.Code)}
		}
		out[i] = p
	}
	return out, nil
}

// planOne plans one statement with EXPLAIN (FORMAT JSON); with
// parameters, as a prepared statement forced to its generic plan.
func planOne(ctx context.Context, conn *pgx.Conn, sql string, params int) (p *Plan, err error) {
	sql = strings.TrimRight(strings.TrimSpace(sql), ";")
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: begin: %w", err)
	}
	defer func() {
		if rb := tx.Rollback(context.WithoutCancel(ctx)); rb != nil && err == nil && !errors.Is(rb, pgx.ErrTxClosed) {
			err = fmt.Errorf("plan: roll back: %w", rb)
		}
	}()
	if _, err := tx.Exec(ctx, "SET TRANSACTION READ ONLY"); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	// VERBOSE qualifies the relations with their schema.
	explainSQL := "EXPLAIN (VERBOSE, FORMAT JSON) " + sql
	if params > 0 {
		if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		if _, err := tx.Exec(ctx, "PREPARE pgadvisor_replan AS "+sql); err != nil {
			return nil, err
		}
		// PREPARE outlives the transaction: deallocate it whatever
		// happens.
		defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "DEALLOCATE pgadvisor_replan") }()
		explainSQL = "EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE pgadvisor_replan(" + strings.TrimSuffix(strings.Repeat("NULL, ", params), ", ") + ")"
	}
	var js string
	if err := tx.QueryRow(ctx, explainSQL).Scan(&js); err != nil {
		return nil, err
	}
	plans, err := explain.Parse([]byte(js), "plan")
	if err != nil || len(plans) == 0 || plans[0].Root == nil {
		return nil, fmt.Errorf("plan: read EXPLAIN output: %v", err)
	}
	p = &Plan{Cost: plans[0].Root.TotalCost}
	explain.Walk(plans[0].Root, func(n, _ *explain.Node) bool {
		rel := n.RelationName
		if rel != "" && n.Schema != "" {
			rel = n.Schema + "." + rel
		}
		switch {
		case n.Type == "Seq Scan" && rel != "":
			p.SeqScans = append(p.SeqScans, rel)
		case n.IndexName != "":
			p.Indexes = append(p.Indexes, n.IndexName)
		}
		return true
	})
	slices.Sort(p.SeqScans)
	p.SeqScans = slices.Compact(p.SeqScans)
	slices.Sort(p.Indexes)
	p.Indexes = slices.Compact(p.Indexes)
	return p, nil
}

// CompareReplans sets each workload statement's Replan from its plans before
// and after the migrations: a regression is a cost grown by more than
// maxGrowth (0.2 for 20 %), or a new sequential scan of a table of
// rows[table] >= LargeTable rows. An index the plan used before counts
// as lost when indexExists (given its name: EXPLAIN does not qualify
// index names) says it is gone.
func CompareReplans(stmts []*check.Statement, before, after []*Plan, maxGrowth float64, rows map[string]float64, indexExists func(string) bool) {
	for i, st := range stmts {
		b, a := before[i], after[i]
		if b == nil || a == nil || b.Err != "" {
			continue
		}
		r := &check.Replan{CostBefore: b.Cost, CostAfter: a.Cost, Err: a.Err}
		st.Replan = r
		if a.Err != "" {
			continue // used-by-workload names what broke it
		}
		for _, t := range a.SeqScans {
			if !slices.Contains(b.SeqScans, t) && rows[t] >= LargeTable {
				r.NewSeqScans = append(r.NewSeqScans, t)
			}
		}
		for _, ix := range b.Indexes {
			if !slices.Contains(a.Indexes, ix) && !indexExists(ix) {
				r.LostIndexes = append(r.LostIndexes, ix)
			}
		}
		r.Regressed = len(r.NewSeqScans) > 0 || b.Cost > 0 && (a.Cost-b.Cost)/b.Cost > maxGrowth
	}
}
