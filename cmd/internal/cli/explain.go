package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/explain/live"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/cmd/internal/render"
)

// explainOptions are the flags of `pgadvisor explain`.
type explainOptions struct {
	*globalOptions
	to      string
	db      string
	query   string
	analyze bool
	// allowSideEffects is --allow-side-effects.
	allowSideEffects bool
}

// newExplainCmd builds `pgadvisor explain PLAN...`.
func newExplainCmd(g *globalOptions) *cobra.Command {
	o := &explainOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "explain [PLAN...]",
		Short: "Diagnose EXPLAIN plans (text, JSON, YAML, XML, auto_explain)",
		Long: `explain reads EXPLAIN output of any format (text as psql prints it, with
or without its frame, JSON, YAML, XML) from files or standard input ("-"),
prints each plan as a compact tree, then the findings. Each node's line shows
its exclusive time (loops and parallel workers accounted for, InitPlans,
SubPlans and CTEs not counted twice), its share of the execution time, the
rows it returned over all loops, the planner's estimate and, when they
differ 10 times or more, the factor; its conditions and the diagnostics
about it follow, indented under it. The index a diagnostic proposes comes
from the plan's query when it is known (--query, auto_explain's Query Text)
and from the node's conditions otherwise; --schema or --db make it aware of
the column types, statistics, existing indexes and partitions.

--to json rewrites the plans as PostgreSQL's own FORMAT JSON, for tools that
read only JSON (pev2, explain.dalibo.com).

--db URL --query SQL runs EXPLAIN (FORMAT JSON) on the database; with
--analyze, EXPLAIN (ANALYZE, BUFFERS) executes the statement inside a
transaction that is always rolled back (read-only for a SELECT). Only one
SELECT, INSERT, UPDATE, DELETE or MERGE statement is ever explained.`,
		Example: `  psql -XAtc 'EXPLAIN (ANALYZE, BUFFERS) SELECT ...' | pgadvisor explain -
  pgadvisor explain --to json plan.txt > plan.json
  pgadvisor explain --db postgres://app@localhost/shop --analyze --query 'SELECT * FROM orders WHERE customer_id = 42'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(cmd.Context(), o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.to, "to", "", "rewrite the plans in this format instead of diagnosing them: json")
	f.StringVar(&o.db, "db", "", "connection URL of the database to run EXPLAIN on (with --query); its schema makes the advice catalog-aware")
	f.StringVar(&o.query, "query", "", "statement to EXPLAIN on --db")
	f.BoolVar(&o.analyze, "analyze", false, "run EXPLAIN (ANALYZE, BUFFERS): executes the statement, in a transaction that is rolled back")
	f.BoolVar(&o.allowSideEffects, "allow-side-effects", false, "with --analyze, run a statement whose effects a rollback does not undo (sequence values, volatile functions)")
	return cmd
}

// runExplain reads or runs the plans, diagnoses them and writes the
// report (or the plans as JSON with --to json).
func runExplain(ctx context.Context, o *explainOptions, inputs []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if o.to != "" && o.to != "json" {
		return usageErrorf("--to: unknown format %q (want json)", o.to)
	}
	if o.query != "" && o.db == "" {
		return usageErrorf("--query needs --db")
	}
	if o.analyze && o.query == "" {
		return usageErrorf("--analyze needs --db and --query")
	}
	if len(inputs) == 0 && o.query == "" {
		return usageErrorf("nothing to explain: give plan files, - for standard input, or --db with --query")
	}
	selected, err := o.selectedChecks()
	if err != nil {
		return err
	}
	var plansOnly []*explain.Plan
	rep := &report.Report{Version: report.Version, Command: "explain"}
	var conn *pgx.Conn
	if o.db != "" {
		if conn, err = connect(ctx, o.db); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
	}
	sc, err := o.loadCatalog(ctx, conn, o.db)
	if err != nil {
		// The plan can still be diagnosed, with less informed advice.
		fmt.Fprintf(o.streams.Err, "pgadvisor: %v; advice will not know its indexes\n", err)
	}
	rep.Inputs = append(rep.Inputs, sc.inputs...)
	if o.query != "" {
		p, err := live.Explain(ctx, conn, o.query, live.Options{Analyze: o.analyze, AllowSideEffects: o.allowSideEffects})
		if err != nil {
			if errors.Is(err, live.ErrNotExplainable) || errors.Is(err, live.ErrSideEffects) {
				return usageErrorf("--query: %v", err)
			}
			return inputError(fmt.Errorf("explain on %s: %s", dbconn.Redact(o.db), dbconn.RedactText(err.Error(), o.db)))
		}
		plansOnly = append(plansOnly, p)
		rep.Inputs = append(rep.Inputs, report.Input{Path: "--query", Kind: "plan", Statements: 1})
	}
	for _, path := range inputs {
		plans, in := readPlans(ctx, path, o.streams.In)
		rep.Inputs = append(rep.Inputs, in)
		plansOnly = append(plansOnly, plans...)
		for _, m := range in.Messages {
			fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", m)
		}
	}
	if len(plansOnly) == 0 {
		_ = o.write(rep)
		return inputError(errors.New("no plan could be read from the inputs"))
	}

	if o.to == "json" {
		_, err := o.streams.Out.Write(explain.ToJSON(plansOnly...))
		return err
	}

	rep.Findings = runChecks(selected, check.Input{Catalog: sc.cat, HasCatalog: sc.has, Plans: plansOnly})
	format := strings.ToLower(o.format)
	trees := format == "table" || format == "markdown"
	for _, p := range plansOnly {
		rep.Plans = append(rep.Plans, planSummary(p, rep.Findings, trees, o.treeWidth()))
	}
	if trees {
		if err := writeTrees(render.EscapeWriter(o.streams.Out), format, rep.Plans); err != nil {
			return err
		}
	}
	return o.write(rep)
}

// readPlans reads the plans of one input ("-" is standard input).
func readPlans(ctx context.Context, path string, stdin io.Reader) ([]*explain.Plan, report.Input) {
	in := report.Input{Path: path, Kind: "plan"}
	// The reader every input goes through: bounded, decompressing.
	data, err := source.ReadAll(ctx, path, stdin, source.MaxPlanSize, "a plan")
	if err != nil {
		in.Errors++
		in.Messages = append(in.Messages, fmt.Sprintf("read plan %q: %v", path, readError(err)))
		return nil, in
	}
	in.Bytes = int64(len(data))
	plans, err := explain.Parse(data, path)
	in.Statements = len(plans)
	var list explain.ErrorList
	if errors.As(err, &list) {
		in.Errors = len(list)
		for i, e := range list {
			if i == 10 {
				break
			}
			in.Messages = append(in.Messages, e.Error())
		}
	}
	return plans, in
}

// treeWidth is the width plan trees are wrapped at: the terminal's, kept
// between 80 and 160 columns, else explain.DefaultWidth.
func (o *explainOptions) treeWidth() int {
	if o.streams.Width <= 0 {
		return explain.DefaultWidth
	}
	return min(max(o.streams.Width, 80), 160)
}

// planSummary describes a plan for the report with the findings on it,
// and its tree rendered at width columns when tree is true (the JSON
// report leaves it out: its layout is for people).
func planSummary(p *explain.Plan, findings []report.Finding, tree bool, width int) report.Plan {
	out := report.Plan{File: p.File, Line: p.Line, TotalMS: p.TotalTime(), Nodes: len(p.Nodes())}
	if p.Query != "" {
		out.Fingerprint, _ = sqlparse.Fingerprint(p.Query)
	}
	byLine := map[int][]string{}
	last := planEnd(p)
	for _, f := range findings {
		if f.File != p.File || f.Line < p.Line || f.Line > last {
			continue
		}
		out.Findings = append(out.Findings, f)
		byLine[f.Line] = append(byLine[f.Line], f.Check+": "+f.Message)
	}
	if out.Findings == nil {
		out.Findings = []report.Finding{}
	}
	if tree {
		out.Tree = explain.RenderWidth(p, func(n *explain.Node) []string { return byLine[n.Line] }, width)
	}
	return out
}

// planEnd returns the last line of the input a plan's nodes sit on.
func planEnd(p *explain.Plan) int {
	last := p.Line
	for _, n := range p.Nodes() {
		last = max(last, n.Line)
	}
	return last
}

// writeTrees prints the plan trees before the findings table.
func writeTrees(w io.Writer, format string, plans []report.Plan) error {
	var b strings.Builder
	for _, p := range plans {
		title := fmt.Sprintf("%s:%d", p.File, p.Line)
		if format == "markdown" {
			fmt.Fprintf(&b, "### Plan %s\n\n```\n%s```\n\n", title, p.Tree)
			continue
		}
		fmt.Fprintf(&b, "Plan %s\n%s\n", title, p.Tree)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
