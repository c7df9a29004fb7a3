// Package selection chooses the set of indexes that lowers a workload's
// cost the most under a size budget, in the manner of Extend (Schlosser
// et al. 2019): starting from no index, each step either adds a
// candidate or widens a chosen index into a candidate that extends it,
// whichever gains the most workload cost per byte, until the budget, the
// index count or the gains run out. Costs come from an Evaluator (the
// planner with hypothetical indexes) and are cached by query and the
// candidates on the tables the query reads, the only ones its plan can
// use.
package selection

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
)

// Evaluator plans a query as if exactly the given indexes existed besides
// the database's own.
type Evaluator interface {
	Cost(ctx context.Context, q whatif.Query, ixs []whatif.Index) (whatif.Result, error)
}

// Query is one workload query.
type Query struct {
	// ID identifies the query (its fingerprint).
	ID string
	// Weight is the query's share of the workload: its total time in ms
	// (calls × mean) when known.
	Weight float64
	// Tables are the tables the query reads or writes ("schema.name").
	Tables []string
	// Plans are the query with representative values; its cost is their
	// mean.
	Plans []whatif.Query
	// Columns are, by table, the columns the query references ("*": all
	// of them). A candidate whose first key reads none of them cannot
	// serve the query and is left out of its what-if plans. Nil: every
	// candidate on its tables counts.
	Columns map[string][]string
}

// relevant reports whether candidate c can change q's plan: it is on a
// table q reads, and its first key reads a column q references.
func (q *Query) relevant(c *Candidate) bool {
	if !slices.Contains(q.Tables, c.Table) {
		return false
	}
	if q.Columns == nil || len(c.Index.Keys) == 0 {
		return true
	}
	cols := q.Columns[c.Table]
	if slices.Contains(cols, "*") {
		return true
	}
	k := c.Index.Keys[0]
	if k.Column != "" {
		return slices.Contains(cols, k.Column)
	}
	return slices.ContainsFunc(k.Columns, func(name string) bool { return slices.Contains(cols, name) })
}

// Candidate is an index the selection may choose.
type Candidate struct {
	Index *candidate.Index
	// Table is the indexed table ("schema.name").
	Table string
	// Size is the estimated size of the built index in bytes.
	Size int64
	// Overhead is the estimated write cost the index adds, in the unit
	// of Query.Weight.
	Overhead float64

	cat *catalog.Index
}

// whatif returns the candidate as an index to plan with.
func (c *Candidate) whatif() whatif.Index {
	return whatif.Index{Name: c.Index.Name, DDL: c.Index.PlainDDL()}
}

// CatalogIndex returns the candidate as a (valid) catalog index, for the
// redundancy rules of package catalog.
func (c *Candidate) CatalogIndex() *catalog.Index {
	if c.cat == nil {
		c.cat = c.Index.CatalogIndex("")
		c.cat.Table = c.Table
		c.cat.Valid = true
	}
	return c.cat
}

// Extends reports whether c serves everything x serves: x's keys are a
// leading prefix of c's, with the same predicate (catalog.RedundantTo).
func (c *Candidate) Extends(x *Candidate) bool {
	return c.Table == x.Table && catalog.RedundantTo(x.CatalogIndex(), c.CatalogIndex())
}

// Options bound the selection.
type Options struct {
	// Budget is the most bytes the chosen indexes may take together (0:
	// no limit).
	Budget int64
	// MaxIndexes is the most indexes chosen (0: no limit).
	MaxIndexes int
	// MinImprovement is the least share (0.1 = 10 %) by which an index
	// must lower the estimated cost of the queries it changes.
	MinImprovement float64
	// Progress, when set, is called after each evaluation round.
	Progress func(step string)
}

// Effect is what the chosen set does to one query.
type Effect struct {
	Query *Query
	// Before is the query's estimated cost without any chosen index,
	// After with all of them.
	Before, After float64
	// Uses names the chosen indexes the final plan scans.
	Uses []string
}

// Result is the outcome of a selection.
type Result struct {
	// Chosen are the chosen candidates, in the order they were chosen.
	Chosen []*Candidate
	// Effects are the queries' costs before and after, in query order.
	Effects []Effect
	// Errors are the queries that could not be planned, by ID.
	Errors map[string]error
	// Base indexes are the existing indexes each query's plan scans
	// without any candidate, by query ID.
	Base map[string][]string
	// BaseRows are, by query ID then table name, the rows the plan
	// without candidates expects a scan of the table to return.
	BaseRows map[string]map[string]float64
	// Best is, for queries no chosen index helps, the best relative
	// improvement one candidate alone gives (0.05 = 5 %), by query ID.
	Best map[string]float64
	// Calls counts the what-if plans requested by the selection and
	// Planned those that reached the evaluator (the others were cached).
	Calls, Planned int
	// CostBefore and CostAfter are the workload's weighted relative cost
	// (Σ weight × cost / base cost) without and with the chosen indexes.
	CostBefore, CostAfter float64
}

// selector holds the state of one selection.
type selector struct {
	ev      Evaluator
	queries []*Query
	cands   []*Candidate
	opts    Options
	cache   map[string]whatif.Result
	res     *Result
	base    map[*Query]float64
	byTable map[string][]*Query
}

// Select chooses indexes among cands for the queries.
func Select(ctx context.Context, ev Evaluator, queries []*Query, cands []*Candidate, opts Options) (*Result, error) {
	s := &selector{ev: ev, queries: queries, cands: cands, opts: opts, cache: map[string]whatif.Result{},
		res:  &Result{Errors: map[string]error{}, Base: map[string][]string{}, BaseRows: map[string]map[string]float64{}, Best: map[string]float64{}},
		base: map[*Query]float64{}, byTable: map[string][]*Query{}}
	var live []*Query
	for _, q := range queries {
		r, err := s.eval(ctx, q, nil)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			s.res.Errors[q.ID] = err
			continue
		}
		s.base[q] = r.Cost
		s.res.Base[q.ID] = r.Indexes
		s.res.BaseRows[q.ID] = r.Rows
		live = append(live, q)
		for _, t := range q.Tables {
			s.byTable[t] = append(s.byTable[t], q)
		}
	}
	s.queries = live
	if err := s.greedy(ctx); err != nil {
		return nil, err
	}
	if err := s.recheck(ctx); err != nil {
		return nil, err
	}
	if err := s.effects(ctx); err != nil {
		return nil, err
	}
	return s.res, nil
}

// eval returns q's mean cost under config (only the candidates that can
// serve q count: see Query.relevant), from the cache when it was planned
// before.
func (s *selector) eval(ctx context.Context, q *Query, config []*Candidate) (whatif.Result, error) {
	var rel []*Candidate
	for _, c := range config {
		if q.relevant(c) {
			rel = append(rel, c)
		}
	}
	slices.SortFunc(rel, func(a, b *Candidate) int { return cmp.Compare(a.Index.Name, b.Index.Name) })
	names := make([]string, len(rel))
	for i, c := range rel {
		names[i] = c.Index.Name
	}
	key := q.ID + "\x00" + strings.Join(names, "\x00")
	s.res.Calls++
	if r, ok := s.cache[key]; ok {
		return r, nil
	}
	// Only a cache miss needs the indexes' statements.
	ixs := make([]whatif.Index, len(rel))
	for i, c := range rel {
		ixs[i] = c.whatif()
	}
	var out whatif.Result
	for i, p := range q.Plans {
		s.res.Planned++
		r, err := s.ev.Cost(ctx, p, ixs)
		if err != nil {
			return whatif.Result{}, fmt.Errorf("plan %s: %w", q.ID, err)
		}
		out.Cost += r.Cost / float64(len(q.Plans))
		if i == 0 {
			out.Used, out.Indexes, out.Rows = r.Used, r.Indexes, r.Rows
		} else {
			out.Used = union(out.Used, r.Used)
			out.Indexes = union(out.Indexes, r.Indexes)
		}
	}
	s.cache[key] = out
	return out, nil
}

func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// rel is a query's weighted relative cost.
func (s *selector) rel(q *Query, cost float64) float64 {
	b := s.base[q]
	if b <= 0 {
		return 0
	}
	return q.Weight * cost / b
}

// step is one possible move of the greedy search.
type step struct {
	add, drop *Candidate
	gain      float64 // weighted relative cost saved, minus write overhead
	bytes     int64
	costs     map[*Query]float64
}

// greedy runs the Extend-style search.
func (s *selector) greedy(ctx context.Context) error {
	cur := map[*Query]float64{}
	for _, q := range s.queries {
		cur[q] = s.base[q]
	}
	var chosen []*Candidate
	var used int64
	for s.opts.MaxIndexes <= 0 || len(chosen) < s.opts.MaxIndexes {
		var best *step
		consider := func(st *step) {
			if st.gain <= 0 {
				return
			}
			if best == nil || st.gain/float64(max(st.bytes, 1)) > best.gain/float64(max(best.bytes, 1)) {
				best = st
			}
		}
		for _, c := range s.cands {
			if err := ctx.Err(); err != nil {
				return err
			}
			if slices.Contains(chosen, c) {
				continue
			}
			if s.opts.Budget <= 0 || used+c.Size <= s.opts.Budget {
				st, err := s.try(ctx, chosen, cur, c, nil)
				if err != nil {
					return err
				}
				consider(st)
			}
			for _, x := range chosen {
				if c.Extends(x) && (s.opts.Budget <= 0 || used-x.Size+c.Size <= s.opts.Budget) {
					st, err := s.try(ctx, chosen, cur, c, x)
					if err != nil {
						return err
					}
					consider(st)
				}
			}
		}
		if best == nil {
			break
		}
		if best.drop != nil {
			chosen = slices.DeleteFunc(chosen, func(c *Candidate) bool { return c == best.drop })
			used -= best.drop.Size
		}
		chosen = append(chosen, best.add)
		used += best.add.Size
		for q, c := range best.costs {
			cur[q] = c
		}
		if s.opts.Progress != nil {
			s.opts.Progress(best.add.Index.Name)
		}
	}
	s.res.Chosen = chosen
	return nil
}

// try evaluates adding c to chosen (replacing drop when not nil).
func (s *selector) try(ctx context.Context, chosen []*Candidate, cur map[*Query]float64, c, drop *Candidate) (*step, error) {
	config := slices.DeleteFunc(slices.Clone(chosen), func(x *Candidate) bool { return x == drop })
	config = append(config, c)
	st := &step{add: c, drop: drop, bytes: c.Size, costs: map[*Query]float64{}}
	if drop != nil {
		st.bytes -= drop.Size
	}
	var saved, changed float64
	for _, q := range s.byTable[c.Table] {
		if !q.relevant(c) && (drop == nil || !q.relevant(drop)) {
			continue
		}
		r, err := s.eval(ctx, q, config)
		if err != nil {
			return nil, err
		}
		st.costs[q] = r.Cost
		d := s.rel(q, cur[q]) - s.rel(q, r.Cost)
		saved += d
		if r.Cost < cur[q] {
			changed += s.rel(q, cur[q])
		}
	}
	st.gain = saved - c.Overhead
	if drop != nil {
		st.gain += drop.Overhead
	}
	if changed <= 0 || saved/changed < s.opts.MinImprovement {
		st.gain = 0
	}
	return st, nil
}

// recheck drops every chosen index without which some query would be
// cheaper, or which no final plan uses.
func (s *selector) recheck(ctx context.Context) error {
	for changed := true; changed; {
		changed = false
		for _, x := range s.res.Chosen {
			without := slices.DeleteFunc(slices.Clone(s.res.Chosen), func(c *Candidate) bool { return c == x })
			hurts, useful := false, false
			for _, q := range s.byTable[x.Table] {
				with, err := s.eval(ctx, q, s.res.Chosen)
				if err != nil {
					return err
				}
				wo, err := s.eval(ctx, q, without)
				if err != nil {
					return err
				}
				if with.Cost > wo.Cost*1.001 {
					hurts = true
				}
				if with.Uses(x.Index.Name) && with.Cost < wo.Cost {
					useful = true
				}
			}
			if hurts || !useful {
				s.res.Chosen = without
				changed = true
				break
			}
		}
	}
	return nil
}

// effects fills the per-query costs with the final set, and the best
// single-candidate improvement of queries it leaves unchanged.
func (s *selector) effects(ctx context.Context) error {
	for _, q := range s.queries {
		r, err := s.eval(ctx, q, s.res.Chosen)
		if err != nil {
			return err
		}
		e := Effect{Query: q, Before: s.base[q], After: r.Cost, Uses: r.Used}
		s.res.Effects = append(s.res.Effects, e)
		s.res.CostBefore += q.Weight
		s.res.CostAfter += s.rel(q, r.Cost)
		if len(r.Used) > 0 && r.Cost < s.base[q] {
			continue
		}
		best := 0.0
		for _, c := range s.cands {
			if !q.relevant(c) {
				continue
			}
			cr, err := s.eval(ctx, q, []*Candidate{c})
			if err != nil {
				return err
			}
			if s.base[q] > 0 {
				best = max(best, 1-cr.Cost/s.base[q])
			}
		}
		s.res.Best[q.ID] = best
	}
	return nil
}
