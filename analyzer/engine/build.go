package engine

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pgadvisor/pgadvisor/advisor/proposal"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planhotnode"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source/pgss"
)

// notes are the informational plan checks: in analyze they show only
// with --verbose, or for a query nothing else is said about.
var notes = map[string]bool{"plan-cold-cache": true, "plan-hot-node": true}

// build turns the checks' findings into the report: proposals merged,
// plan findings aggregated per query and node, findings ranked by the
// time they touch, queries, plans, summary and headline.
func build(res *Result, o Options) {
	rep := res.Report
	hotNodeHelp(res.Findings)
	merged := proposal.Merge(res.Findings, res.Catalog)
	keyOf := map[int]string{}
	for _, m := range merged {
		for _, i := range m.Findings {
			keyOf[i] = m.Key
		}
	}

	// Convert, then aggregate plan findings of one query, check and node.
	type group struct {
		first int
		items []int
	}
	var order []*group
	groups := map[string]*group{}
	for i, f := range res.Findings {
		k := aggregateKey(f)
		if k == "" {
			order = append(order, &group{first: i, items: []int{i}})
			continue
		}
		g := groups[k]
		if g == nil {
			g = &group{first: i}
			groups[k] = g
			order = append(order, g)
		}
		g.items = append(g.items, i)
	}
	said := map[string]bool{}
	for _, f := range res.Findings {
		if !notes[f.Check] && f.Fingerprint != "" {
			said[f.Fingerprint] = true
		}
	}
	var findings []report.Finding
	for _, g := range order {
		worst := g.items[0]
		for _, i := range g.items[1:] {
			if planTime(res.Findings[i].Plan) > planTime(res.Findings[worst].Plan) {
				worst = i
			}
		}
		f := res.Findings[worst]
		rf := toReport(f, keyOf[worst])
		rf.TotalMS = findingTime(res, f, g.items)
		if len(g.items) > 1 {
			rf.Plans = len(g.items)
			rf.Message += fmt.Sprintf(" (in %d plans of this query; this is the slowest, %s; median %s)",
				len(g.items), explain.FormatMS(planTime(f.Plan)), explain.FormatMS(medianTime(res.Findings, g.items)))
		}
		if o.Mode == Analyze && notes[f.Check] && !o.Verbose && said[f.Fingerprint] {
			continue
		}
		findings = append(findings, rf)
	}
	report.SortFindings(findings)
	rep.Findings = findings
	locate(rep, res)

	rep.Proposals = proposals(res, merged)
	rep.Queries = roundQueries(res.Workload.Report(o.Top))
	for _, p := range res.Plans {
		rep.Plans = append(rep.Plans, planSummary(p, res.Findings))
	}
	rep.Summary = summarize(res, rep)
	rep.Headline = headline(res, rep)
}

// hotNodeHelp points a plan-hot-node note at the other findings on its
// node when there are some.
func hotNodeHelp(fs []check.Finding) {
	others := map[*explain.Node]bool{}
	for _, f := range fs {
		if f.Node != nil && f.Check != planhotnode.Check.Name {
			others[f.Node] = true
		}
	}
	for i := range fs {
		if fs[i].Check == planhotnode.Check.Name && others[fs[i].Node] {
			fs[i].Help += planhotnode.HelpOthers
		}
	}
}

// aggregateKey groups plan findings about the same query, check and node
// (relation and node type); "" for findings that stand alone.
func aggregateKey(f check.Finding) string {
	if f.Plan == nil {
		return ""
	}
	q := cmp.Or(f.Fingerprint, f.Plan.File+":"+fmt.Sprint(f.Plan.Line))
	node := ""
	if f.Node != nil {
		node = f.Node.Type + " " + f.Node.Schema + "." + f.Node.RelationName + " " + f.Node.Alias
	}
	return q + "|" + f.Check + "|" + node
}

// planTime is a plan's execution time, or 0.
func planTime(p *explain.Plan) float64 {
	if p == nil {
		return 0
	}
	return p.TotalTime()
}

// medianTime is the median execution time of the findings' plans.
func medianTime(fs []check.Finding, items []int) float64 {
	ts := make([]float64, len(items))
	for i, j := range items {
		ts[i] = planTime(fs[j].Plan)
	}
	slices.Sort(ts)
	n := len(ts)
	if n%2 == 1 {
		return ts[n/2]
	}
	return (ts[n/2-1] + ts[n/2]) / 2
}

// findingTime is the time a finding touches: its query's total logged
// time when the workload knows it, else the time of the plans it was
// seen in.
func findingTime(res *Result, f check.Finding, items []int) float64 {
	if f.Fingerprint != "" && res.Workload != nil {
		if q := res.Workload.Query(f.Fingerprint); q != nil && q.TotalMS > 0 {
			return report.Round(q.TotalMS)
		}
	}
	var t float64
	for _, i := range items {
		t += planTime(res.Findings[i].Plan)
	}
	return report.Round(t)
}

// toReport flattens a finding for the report.
func toReport(f check.Finding, key string) report.Finding {
	out := report.Finding{
		Check:       f.Check,
		Severity:    f.Severity.String(),
		File:        f.Pos.File,
		Line:        f.Pos.Line,
		Column:      f.Pos.Column,
		Fingerprint: f.Fingerprint,
		Message:     f.Message,
		Help:        f.Help,
		Proposal:    key,
	}
	if f.Fix != nil {
		out.Fix = f.Fix.SQL
	}
	return out
}

// proposals describes the merged index proposals, the costliest first.
func proposals(res *Result, merged []*proposal.Merged) []report.Proposal {
	var out []report.Proposal
	for _, m := range merged {
		ix := m.Index
		p := report.Proposal{
			Key:     m.Key,
			Name:    ix.Name,
			DDL:     ix.Statement() + ";",
			Table:   qualifiedTable(ix.Table.Schema, ix.Table.Name),
			Columns: ix.Columns(),
			Include: ix.Include,
			Where:   ix.Predicate,
			Method:  cmp.Or(ix.Method, "btree"),
			Kind:    ix.Kind(),
			Serves:  ix.Serves,
		}
		seen := map[string]bool{}
		reasons := map[string]int{}
		var order []string
		first := map[string]string{}
		for _, i := range m.Findings {
			f := res.Findings[i]
			// A plan finding repeated in many plans of one query is one
			// reason, with its count.
			k := f.Check + "|" + f.Pos.String()
			if f.Plan != nil && f.Fingerprint != "" {
				k = f.Check + "|" + f.Fingerprint
			}
			if reasons[k] == 0 {
				order = append(order, k)
				first[k] = f.Check + ": " + f.Pos.String()
			}
			reasons[k]++
			if f.Fingerprint != "" && !seen[f.Fingerprint] {
				seen[f.Fingerprint] = true
				p.Queries = append(p.Queries, f.Fingerprint)
				if q := res.Workload.Query(f.Fingerprint); q != nil {
					p.TotalMS += q.TotalMS
				}
			}
		}
		for _, k := range order {
			r := first[k]
			if n := reasons[k]; n > 1 {
				r += fmt.Sprintf(" (%d plans)", n)
			}
			p.Reasons = append(p.Reasons, r)
		}
		p.TotalMS = report.Round(p.TotalMS)
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b report.Proposal) int {
		return cmp.Or(cmp.Compare(b.TotalMS, a.TotalMS), cmp.Compare(len(b.Queries), len(a.Queries)))
	})
	return out
}

// qualifiedTable names a table, schema-qualified unless public.
func qualifiedTable(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "." + name
}

// roundQueries rounds the figures of the listed queries.
func roundQueries(qs []report.Query) []report.Query {
	for i := range qs {
		q := &qs[i]
		q.TotalMS, q.MeanMS, q.MaxMS, q.P95MS = report.Round(q.TotalMS), report.Round(q.MeanMS), report.Round(q.MaxMS), report.Round(q.P95MS)
	}
	return qs
}

// planSummary describes a plan for the report with the findings about
// it, linked by identity.
func planSummary(p *explain.Plan, fs []check.Finding) report.Plan {
	out := report.Plan{File: p.File, Line: p.Line, Fingerprint: p.Fingerprint, TotalMS: report.Round(p.TotalTime()), Nodes: len(p.Nodes())}
	for _, f := range fs {
		if f.Plan == p {
			out.Findings = append(out.Findings, toReport(f, ""))
		}
	}
	if out.Findings == nil {
		out.Findings = []report.Finding{}
	}
	return out
}

// summarize counts what the report covers.
func summarize(res *Result, rep *report.Report) report.Summary {
	s := report.Summary{Findings: report.Count(rep.Findings)}
	if w := res.Workload; w != nil {
		s.DistinctQueries = w.Len()
		for _, q := range w.InOrder() {
			s.Statements += q.Calls
			s.Failed += q.Failed
			s.TotalMS += q.TotalMS
		}
	}
	for _, q := range rep.Queries {
		s.ListedMS += q.TotalMS
	}
	s.TotalMS, s.ListedMS = report.Round(s.TotalMS), report.Round(s.ListedMS)
	return s
}

// headline is the one line that leads the report: what the proposed
// indexes would serve, as a share of the logged time when it is known.
func headline(res *Result, rep *report.Report) string {
	n := len(rep.Proposals)
	if n == 0 {
		return ""
	}
	what := "1 index would serve"
	if n > 1 {
		what = fmt.Sprintf("%d indexes would serve", n)
	}
	var served float64
	fps := map[string]bool{}
	for _, p := range rep.Proposals {
		for _, q := range p.Queries {
			if !fps[q] {
				fps[q] = true
				if w := res.Workload; w != nil {
					if wq := w.Query(q); wq != nil {
						served += wq.TotalMS
					}
				}
			}
		}
	}
	queries := len(fps)
	if rep.Summary.TotalMS > 0 && served > 0 {
		return fmt.Sprintf("%s queries that take %.0f %% of the logged time", what, min(100, 100*served/rep.Summary.TotalMS))
	}
	switch {
	case queries > 0 && rep.Summary.DistinctQueries >= queries:
		return fmt.Sprintf("%s %d of the %d queries read", what, queries, rep.Summary.DistinctQueries)
	case queries > 0:
		return fmt.Sprintf("%s %d of the queries read", what, queries)
	case len(res.Plans) > 0:
		return what + " the plans read"
	}
	return what + " the schema's foreign keys"
}

// locate gives findings on pg_stat_statements queries the query's text,
// a location a person can follow.
func locate(rep *report.Report, res *Result) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.File != pgss.Kind || f.Fingerprint == "" {
			continue
		}
		if q := res.Workload.Query(f.Fingerprint); q != nil {
			f.Query = q.Normalized
			f.Line, f.Column = 0, 0
		}
	}
}
