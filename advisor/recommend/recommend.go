// Package recommend is the index advisor's pipeline: from a workload and
// a database (a sandbox or --db) to recommended indexes. It turns the
// workload's queries into what-if queries with representative values
// (package params), proposes candidates for every table access (package
// candidate), chooses a set under a budget (package selection), then
// measures each chosen index for real (package measure) and writes the
// report's recommendations.
package recommend

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/advisor/params"
	"github.com/pgadvisor/pgadvisor/advisor/selection"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Defaults of Options.
const (
	// DefaultMinRows is the row count under which a table is too small
	// for an index to matter.
	DefaultMinRows = 10000
	// DefaultMinImprovement is --min-improvement's default.
	DefaultMinImprovement = 0.10
	// entryWriteMS is the estimated cost of writing one index entry, to
	// charge indexes on tables the database's statistics show written.
	entryWriteMS = 0.002
)

// Input is what the advisor works on.
type Input struct {
	// Catalog is the database's schema with statistics.
	Catalog *catalog.Catalog
	// Statements are the workload's statements with their models set.
	Statements []*check.Statement
	// Workload has the queries' timings and samples.
	Workload *workload.Workload
	// TableWrites charges indexes for the writes pg_stat_user_tables
	// counts (a live database; a freshly loaded sandbox's counts are its
	// load, not its workload).
	TableWrites bool
}

// Options tune the advisor.
type Options struct {
	selection.Options
	// BudgetShare, when Budget is 0, bounds the indexes' total size to
	// this share of the size of the tables the workload reads (0: none).
	BudgetShare float64
	// MinRows is the smallest table considered (DefaultMinRows if 0).
	MinRows float64
	// Exhaustive adds, on every table, every single-column index and
	// every ordered pair of the columns the workload filters, joins or
	// orders on (Dexter's candidates), and plans every candidate for
	// every query of its table (no pruning by referenced columns): many
	// more what-if calls, for the benchmark's reference.
	Exhaustive bool
}

// Query is one workload query as the advisor sees it.
type Query struct {
	Fingerprint string
	Normalized  string
	Weight      float64
	Model       *query.Statement
	Bound       []params.Bound
	// Skip is why the query is not planned ("" when it is).
	Skip string
	// Small are the small tables it reads.
	Small []string
	sel   *selection.Query
}

// Write reports whether the query writes (rolled back when measured).
func (q *Query) Write() bool { return q.Model != nil && q.Model.Kind != query.KindSelect }

// Plan is the advisor's choice, before measurement.
type Plan struct {
	Queries    []*Query
	Candidates []*selection.Candidate
	Selection  *selection.Result
	// WorkloadMS is the total weight of the queries.
	WorkloadMS float64
	// Budget is the budget in bytes that applied (0: none).
	Budget int64

	cat  *catalog.Catalog
	live bool
}

// Choose builds the candidates and selects indexes with ev.
func Choose(ctx context.Context, ev selection.Evaluator, in Input, opts Options) (*Plan, error) {
	if opts.MinRows == 0 {
		opts.MinRows = DefaultMinRows
	}
	p := &Plan{cat: in.Catalog, live: in.TableWrites}
	p.Queries = queries(in)
	pool := newPool(in.Catalog)
	tableBytes := map[string]int64{}
	writeMS := map[string]float64{}
	for _, q := range p.Queries {
		p.WorkloadMS += q.Weight
		if q.Model == nil {
			continue
		}
		if q.Model.Kind != query.KindSelect && q.Model.Target != nil {
			if t := in.Catalog.Table(*q.Model.Target); t != nil {
				writeMS[key(t)] += q.Weight
			}
		}
		if q.Skip != "" {
			continue
		}
		sq := &selection.Query{ID: q.Fingerprint, Weight: q.Weight}
		for _, b := range q.Bound {
			sq.Plans = append(sq.Plans, b.Query)
		}
		for _, a := range q.Model.Accesses() {
			t := in.Catalog.Table(a.Table)
			if t == nil || (t.Kind != catalog.KindTable && t.Kind != catalog.KindPartitioned && t.Kind != catalog.KindMatView) {
				continue
			}
			if !slices.Contains(sq.Tables, key(t)) {
				sq.Tables = append(sq.Tables, key(t))
			}
			// The reference (Exhaustive) plans every candidate on every
			// query of its tables: no pruning by referenced columns.
			if !opts.Exhaustive && sq.Columns == nil {
				sq.Columns = map[string][]string{}
			}
			if sq.Columns != nil {
				cols := append(sq.Columns[key(t)], a.Columns...)
				if a.Star {
					cols = append(cols, "*")
				}
				slices.Sort(cols)
				sq.Columns[key(t)] = slices.Compact(cols)
			}
			if t.Stats != nil {
				tableBytes[key(t)] = t.Stats.SizeBytes
			}
			if t.Stats == nil || t.Stats.RowEstimate < opts.MinRows {
				if small := fmt.Sprintf("%s (%.0f rows)", t.Name, rowsOf(t)); !slices.Contains(q.Small, small) {
					q.Small = append(q.Small, small)
				}
				continue
			}
			pool.add(a, t)
			if opts.Exhaustive {
				pool.addPairs(a, t)
			}
		}
		q.sel = sq
	}
	for _, c := range pool.cands {
		t := in.Catalog.Tables[c.Table]
		c.Size = selection.EstimateSize(c.Index, t)
		c.Overhead = writeMS[c.Table] / float64(2+len(t.Indexes))
		if in.TableWrites && t.Stats != nil {
			c.Overhead += float64(t.Stats.Inserts+t.Stats.Updates+t.Stats.Deletes) * entryWriteMS
		}
	}
	p.Candidates = pool.cands
	sopts := opts.Options
	if sopts.Budget == 0 && opts.BudgetShare > 0 {
		var total int64
		for _, b := range tableBytes {
			total += b
		}
		sopts.Budget = max(int64(float64(total)*opts.BudgetShare), 1)
	}
	p.Budget = sopts.Budget
	var sqs []*selection.Query
	for _, q := range p.Queries {
		if q.sel != nil {
			sqs = append(sqs, q.sel)
		}
	}
	res, err := selection.Select(ctx, ev, sqs, pool.cands, sopts)
	if err != nil {
		return nil, err
	}
	p.Selection = res
	return p, nil
}

func rowsOf(t *catalog.Table) float64 {
	if t.Stats == nil {
		return 0
	}
	return max(t.Stats.RowEstimate, 0)
}

// key names a table as catalog indexes do: "schema.name".
func key(t *catalog.Table) string { return t.Schema + "." + t.Name }

// queries groups the statements by fingerprint into the advisor's
// queries, weighted by the workload's total time (1 ms per occurrence
// when the input has no timings, as in SQL files).
func queries(in Input) []*Query {
	var out []*Query
	byFP := map[string]*Query{}
	for _, st := range in.Statements {
		if st.Fingerprint == "" {
			continue
		}
		if st.Model == nil {
			if st.Err != nil && byFP[st.Fingerprint] == nil {
				q := &Query{Fingerprint: st.Fingerprint, Normalized: st.Text, Weight: 1, Skip: "it does not parse: " + short(st.Err.Error())}
				byFP[st.Fingerprint] = q
				out = append(out, q)
			}
			continue
		}
		if q, ok := byFP[st.Fingerprint]; ok {
			if st.TotalMS == 0 && in.Workload.Query(st.Fingerprint) == nil {
				q.Weight++
			}
			continue
		}
		q := &Query{Fingerprint: st.Fingerprint, Normalized: st.Text, Model: st.Model, Weight: 1}
		var samples []workload.Sample
		text := st.Text
		if wq := in.Workload.Query(st.Fingerprint); wq != nil {
			q.Normalized = wq.Normalized
			samples = wq.Samples
			if wq.TotalMS > 0 {
				q.Weight = wq.TotalMS
			} else if wq.Calls > 0 {
				q.Weight = float64(wq.Calls)
			}
		}
		switch {
		case st.Model.Inner != nil:
			q.Skip = "a utility statement (" + st.Model.Tag + ")"
		case st.Model.Kind == query.KindInsert:
			q.Skip = "an INSERT: indexes only add to its cost"
			// Bound all the same: its cost with a new index is measured.
			q.Bound = params.For(st.Model, text, samples, in.Catalog)
		case st.Model.Kind == query.KindSelect, st.Model.Kind == query.KindUpdate, st.Model.Kind == query.KindDelete:
			q.Bound = params.For(st.Model, text, samples, in.Catalog)
		default:
			q.Skip = "not a query (" + st.Model.Tag + ")"
		}
		byFP[st.Fingerprint] = q
		out = append(out, q)
	}
	slices.SortStableFunc(out, func(a, b *Query) int { return cmp.Compare(b.Weight, a.Weight) })
	return out
}

// pool collects the candidates of every access, once per definition,
// leaving out those an existing index already provides.
type pool struct {
	cat   *catalog.Catalog
	cands []*selection.Candidate
	defs  map[string]bool
	names map[string]bool
}

func newPool(cat *catalog.Catalog) *pool {
	return &pool{cat: cat, defs: map[string]bool{}, names: map[string]bool{}}
}

func (p *pool) taken(schema string) func(string) bool {
	return func(name string) bool {
		if p.names[name] {
			return true
		}
		return p.cat.Index(query.TableName{Schema: schema, Name: name}) != nil
	}
}

func (p *pool) add(a query.Access, t *catalog.Table) {
	for _, ix := range candidate.Variants(a, t, candidate.Options{Taken: p.taken(t.Schema)}) {
		if ix.Method != "btree" {
			continue // HypoPG cannot model GIN; a real build would be needed
		}
		p.put(ix, t)
	}
}

// put adds one candidate unless it is in the pool already or an existing
// index provides it.
func (p *pool) put(ix *candidate.Index, t *catalog.Table) {
	def := candidate.Definition(ix)
	if p.defs[def] {
		return
	}
	p.defs[def] = true
	ci := ix.CatalogIndex(t.Schema)
	if slices.ContainsFunc(t.Indexes, func(e *catalog.Index) bool {
		return e.Valid && (catalog.Duplicates(ci, e) || catalog.RedundantTo(ci, e))
	}) {
		return
	}
	p.names[ix.Name] = true
	p.cands = append(p.cands, &selection.Candidate{Index: ix, Table: key(t)})
}

// addPairs adds a single-column index on each column a filters, joins or
// orders on, and one on each ordered pair of them.
func (p *pool) addPairs(a query.Access, t *catalog.Table) {
	var cols []string
	for _, pr := range append(append([]query.Predicate(nil), a.Filters...), a.JoinKeys...) {
		if use, k := candidate.Classify(pr); use != candidate.UseNone && use != candidate.UseGIN && k.Column != "" && !slices.Contains(cols, k.Column) {
			cols = append(cols, k.Column)
		}
	}
	for _, o := range a.OrderBy {
		if o.Expr.Kind == query.ExprColumn && o.Expr.Column != nil && !slices.Contains(cols, o.Expr.Column.Column) {
			cols = append(cols, o.Expr.Column.Column)
		}
	}
	add := func(keys ...string) {
		ix := &candidate.Index{Table: query.TableName{Schema: t.Schema, Name: t.Name}, Method: "btree"}
		if ix.Table.Schema == "public" {
			ix.Table.Schema = ""
		}
		for _, c := range keys {
			ix.Keys = append(ix.Keys, catalog.IndexKey{Column: c})
			ix.Serves = append(ix.Serves, c)
		}
		ix.Name = candidate.IndexName(t.Name, keys, p.taken(t.Schema))
		p.put(ix, t)
	}
	for _, c := range cols {
		add(c)
		for _, d := range cols {
			if d != c {
				add(c, d)
			}
		}
	}
}

// short abbreviates a query for messages.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
