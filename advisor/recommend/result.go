package recommend

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/advisor/measure"
	"github.com/pgadvisor/pgadvisor/advisor/selection"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// MeasureOptions tune Measure.
type MeasureOptions struct {
	measure.Options
	// Concurrently builds with CREATE INDEX CONCURRENTLY (a live
	// database); otherwise a plain CREATE INDEX (the sandbox).
	Concurrently bool
	// MaxQueries is the most queries timed per index (most weight first;
	// 5 if 0).
	MaxQueries int
	// Progress, when set, is called before each index is measured.
	Progress func(name string)
}

// Outcome is a chosen index with its effects and measurement.
type Outcome struct {
	Candidate *selection.Candidate
	// Helps are the queries whose estimated cost it lowers, most weight
	// first, with their costs before and after the whole set.
	Helps []selection.Effect
	// Measured is nil until measured; Err says why measuring failed.
	Measured *measure.Outcome
	Err      error
}

// Outcomes returns the chosen indexes with the queries each helps.
func (p *Plan) Outcomes() []*Outcome {
	var out []*Outcome
	for _, c := range p.Selection.Chosen {
		o := &Outcome{Candidate: c}
		for _, e := range p.Selection.Effects {
			if slices.Contains(e.Uses, c.Index.Name) && e.After < e.Before {
				o.Helps = append(o.Helps, e)
			}
		}
		slices.SortStableFunc(o.Helps, func(a, b selection.Effect) int {
			switch {
			case a.Query.Weight > b.Query.Weight:
				return -1
			case a.Query.Weight < b.Query.Weight:
				return 1
			}
			return 0
		})
		out = append(out, o)
	}
	return out
}

// query returns the advisor's query of an ID.
func (p *Plan) query(id string) *Query {
	for _, q := range p.Queries {
		if q.Fingerprint == id {
			return q
		}
	}
	return nil
}

// Measure builds each outcome's index for real on conn, one at a time,
// times the queries it helps before and after, and drops it (unless
// kept). A failure is recorded in the outcome and the others go on; a
// cancelled ctx stops at once.
func (p *Plan) Measure(ctx context.Context, conn *pgx.Conn, outs []*Outcome, opts MeasureOptions) error {
	maxQ := opts.MaxQueries
	if maxQ <= 0 {
		maxQ = 5
	}
	for _, o := range outs {
		ix := o.Candidate.Index
		schema := ix.Table.Schema
		if schema == "" {
			schema = "public"
		}
		m := measure.Index{Name: ix.Name, Schema: schema, DDL: ix.PlainDDL()}
		if opts.Concurrently {
			m.DDL = ix.DDL()
		}
		for _, e := range o.Helps {
			q := p.query(e.Query.ID)
			if q == nil || len(q.Bound) == 0 || q.Bound[0].Query.Generic {
				continue // no values to run it with
			}
			m.Queries = append(m.Queries, measure.Query{ID: q.Fingerprint, Query: q.Bound[0].Query, Write: q.Write()})
			if len(m.Queries) == maxQ {
				break
			}
		}
		// The heaviest writes to the table pay for the index: time them
		// too (rolled back), so that the cost shows next to the gain.
		writes := 0
		for _, q := range p.Queries {
			if writes == 2 || !q.Write() || q.Model.Target == nil || len(q.Bound) == 0 || q.Bound[0].Query.Generic ||
				slices.ContainsFunc(m.Queries, func(x measure.Query) bool { return x.ID == q.Fingerprint }) {
				continue
			}
			if t := p.cat.Table(*q.Model.Target); t != nil && key(t) == o.Candidate.Table {
				m.Queries = append(m.Queries, measure.Query{ID: q.Fingerprint, Query: q.Bound[0].Query, Write: true})
				writes++
			}
		}
		if opts.Progress != nil {
			opts.Progress(ix.Name)
		}
		res, err := measure.Measure(ctx, conn, m, opts.Options)
		if err := ctx.Err(); err != nil {
			return err
		}
		o.Measured, o.Err = res, err
	}
	return nil
}

// Report writes the recommendations and the advice of the plan and its
// outcomes.
func (p *Plan) Report(outs []*Outcome, minImprovement float64) ([]report.Recommendation, *report.Advice) {
	var recs []report.Recommendation
	saved := map[string]float64{} // query ID -> best share of its time saved
	for _, o := range outs {
		ix := o.Candidate.Index
		r := report.Recommendation{
			DDL:           ix.DDL(),
			Table:         ix.Table.String(),
			Columns:       ix.Columns(),
			Include:       ix.Include,
			Where:         ix.Predicate,
			Method:        ix.Method,
			Kind:          ix.Kind(),
			SizeBytes:     o.Candidate.Size,
			WriteOverhead: o.Candidate.Overhead,
			Measured:      []report.Measured{},
			RecommendationDetail: report.RecommendationDetail{
				Name:               ix.Name,
				Status:             "estimated",
				EstimatedSizeBytes: o.Candidate.Size,
				Serves:             ix.Serves,
			},
		}
		for _, e := range o.Helps {
			q := p.query(e.Query.ID)
			h := report.Helped{Fingerprint: e.Query.ID, WeightMS: e.Query.Weight, CostBefore: e.Before, CostAfter: e.After}
			if q != nil {
				h.Normalized = q.Normalized
				if len(q.Bound) > 0 {
					h.Values = q.Bound[0].Source
				}
			}
			r.Helps = append(r.Helps, h)
			r.Queries = append(r.Queries, e.Query.ID)
			r.Estimated.CostBefore += e.Before
			r.Estimated.CostAfter += e.After
			if e.Before > 0 {
				saved[e.Query.ID] = max(saved[e.Query.ID], 1-e.After/e.Before)
			}
		}
		if m := o.Measured; m != nil {
			r.Status = "measured"
			r.SizeBytes = m.SizeBytes
			r.BuildMS = m.BuildMS
			for _, t := range m.Timings {
				if !slices.ContainsFunc(o.Helps, func(e selection.Effect) bool { return e.Query.ID == t.ID }) {
					if q := p.query(t.ID); q != nil {
						r.Writes = append(r.Writes, report.Helped{Fingerprint: t.ID, Normalized: q.Normalized, WeightMS: q.Weight})
					}
				}
				rm := report.Measured{Fingerprint: t.ID, Runs: t.Runs, BeforeMS: t.BeforeMS, AfterMS: t.AfterMS,
					BeforeSpreadMS: t.BeforeSpread, AfterSpreadMS: t.AfterSpread, UsesIndex: t.UsesIndex,
					BeforeBuffersHit: t.BeforeHit, BeforeBuffersRead: t.BeforeRead, AfterBuffersHit: t.AfterHit, AfterBuffersRead: t.AfterRead}
				if t.Err != nil {
					rm.Error = t.Err.Error()
				} else if t.UsesIndex && t.BeforeMS > 0 && slices.ContainsFunc(o.Helps, func(e selection.Effect) bool { return e.Query.ID == t.ID }) {
					// A measured saving replaces the estimate; a faster run
					// whose plan ignores the index is noise.
					saved[t.ID] = max(0, 1-t.AfterMS/t.BeforeMS)
				}
				r.Measured = append(r.Measured, rm)
			}
		} else if o.Err != nil {
			r.Status = "estimated (measurement failed: " + o.Err.Error() + ")"
		}
		recs = append(recs, r)
	}
	adv := &report.Advice{WorkloadMS: p.WorkloadMS, Candidates: len(p.Candidates)}
	if s := p.Selection; s != nil && s.CostBefore > 0 {
		adv.RelativeCost = s.CostAfter / s.CostBefore
	}
	var savedMS float64
	for _, q := range p.Queries {
		if f, ok := saved[q.Fingerprint]; ok {
			savedMS += q.Weight * f
			continue
		}
		if reason := p.why(q, minImprovement); reason != "" {
			adv.Unadvised = append(adv.Unadvised, report.Unadvised{Fingerprint: q.Fingerprint, Normalized: q.Normalized, WeightMS: q.Weight, Reason: reason})
		}
	}
	if p.WorkloadMS > 0 {
		adv.SavedShare = savedMS / p.WorkloadMS
	}
	if p.live {
		adv.Drops = p.drops(outs)
	}
	return recs, adv
}

// drops suggests dropping the existing indexes of the tables the workload
// reads that a recommended index makes redundant (its keys lead the new
// one's), and those never scanned since the statistics were reset. Unique
// indexes and those backing constraints are never suggested.
func (p *Plan) drops(outs []*Outcome) []report.Drop {
	tables := map[string]bool{}
	for _, q := range p.Queries {
		if q.sel != nil {
			for _, t := range q.sel.Tables {
				tables[t] = true
			}
		}
	}
	var out []report.Drop
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		t := p.cat.Tables[name]
		if t == nil {
			continue
		}
		for _, e := range t.Indexes {
			if e.Unique || e.Primary || e.Constraint != "" || e.Parent != "" {
				continue
			}
			d := report.Drop{Index: e.Name, Table: t.Name, SizeBytes: e.SizeBytes,
				DDL: "DROP INDEX CONCURRENTLY IF EXISTS " + candidate.QualifiedName(query.TableName{Schema: e.Schema, Name: e.Name})}
			for _, o := range outs {
				if o.Candidate.Table == name && catalog.RedundantTo(e, o.Candidate.CatalogIndex()) {
					d.Reason = "made redundant by " + o.Candidate.Index.Name
					break
				}
			}
			if d.Reason == "" && e.Scans == 0 {
				d.Reason = "never scanned since the statistics were reset"
			}
			if d.Reason != "" {
				out = append(out, d)
			}
		}
	}
	return out
}

// why says why no recommended index helps q.
func (p *Plan) why(q *Query, minImprovement float64) string {
	if q.Skip != "" {
		return "not advised: " + q.Skip
	}
	if q.sel == nil {
		return "not advised"
	}
	s := p.Selection
	if err, ok := s.Errors[q.Fingerprint]; ok {
		return "cannot be planned: " + short(err.Error())
	}
	if len(q.sel.Tables) == 0 {
		return "reads no table"
	}
	hasCand := slices.ContainsFunc(p.Candidates, func(c *selection.Candidate) bool { return slices.Contains(q.sel.Tables, c.Table) })
	best := s.Best[q.Fingerprint]
	switch {
	case !hasCand && len(q.Small) == len(q.sel.Tables):
		return fmt.Sprintf("reads only small tables (%s): a sequential scan is as fast", strings.Join(q.Small, ", "))
	case !hasCand && len(s.Base[q.Fingerprint]) > 0:
		return "already served by " + strings.Join(s.Base[q.Fingerprint], ", ")
	case !hasCand:
		return "nothing in it can use a new index (no selective filter, join key or ORDER BY ... LIMIT an index serves)"
	case best < minImprovement && len(s.Base[q.Fingerprint]) > 0:
		return fmt.Sprintf("already served by %s (the best new index lowers its estimated cost by %.0f %%)", strings.Join(s.Base[q.Fingerprint], ", "), 100*max(best, 0))
	case best < minImprovement:
		why := fmt.Sprintf("no index helps enough: the best candidate lowers its estimated cost by %.0f %%", 100*max(best, 0))
		if share, table := p.widestScan(q); share >= 0.05 {
			why = fmt.Sprintf("its filters keep %.0f %% of %s: reading the table is as fast as an index (the best candidate lowers its estimated cost by %.0f %%)", 100*share, table, 100*max(best, 0))
		}
		return why
	}
	return fmt.Sprintf("an index would lower its cost by %.0f %% but did not fit the budget, --max-indexes or its write overhead", 100*best)
}

// widestScan returns the largest share of a table's rows that the plan
// without candidates expects one of q's scans to return, and the table.
func (p *Plan) widestScan(q *Query) (float64, string) {
	share, table := 0.0, ""
	for name, rows := range p.Selection.BaseRows[q.Fingerprint] {
		for _, tk := range q.sel.Tables {
			t := p.cat.Tables[tk]
			if t == nil || t.Name != name || t.Stats == nil || t.Stats.RowEstimate <= 0 {
				continue
			}
			if s := rows / t.Stats.RowEstimate; s > share {
				share, table = s, t.Name
			}
		}
	}
	return share, table
}
