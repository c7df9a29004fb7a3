package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/engine"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/explain/live"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
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
			if err := dbFromEnv(cmd, &o.db); err != nil {
				return err
			}
			return runExplain(cmd.Context(), o, args)
		},
	}
	g.addReportFlags(cmd)
	g.addCheckFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.to, "to", "", "rewrite the plans in this format instead of diagnosing them: json")
	f.StringVar(&o.db, "db", "", "database (URL, key=value string or name; empty: $DATABASE_URL or PG* variables) to run EXPLAIN on (with --query); its schema makes the advice catalog-aware")
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
	opts := source.Options{Stdin: o.streams.In}
	if o.streams.ErrTerminal {
		opts.Progress = o.streams.Err
	}
	var conn *pgx.Conn
	if o.db != "" {
		if conn, err = connect(ctx, o.db); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
	}
	var extra []*explain.Plan
	if o.query != "" {
		p, err := live.Explain(ctx, conn, o.query, live.Options{Analyze: o.analyze, AllowSideEffects: o.allowSideEffects})
		if err != nil {
			if errors.Is(err, live.ErrNotExplainable) || errors.Is(err, live.ErrSideEffects) {
				return usageErrorf("--query: %v", err)
			}
			return inputError(fmt.Errorf("explain on %s: %s", dbconn.Redact(o.db), dbconn.RedactText(err.Error(), o.db)))
		}
		p.File, p.Query = "--query", cmp.Or(p.Query, o.query)
		extra = append(extra, p)
	}
	res, err := engine.Run(ctx, engine.Options{
		Mode:    engine.Explain,
		Inputs:  inputs,
		Source:  opts,
		Schemas: o.schemas,
		Conn:    conn,
		DB:      o.db,
		Checks:  selected,
		Plans:   extra,
	})
	if err != nil {
		return inputError(err)
	}
	if o.query != "" {
		res.Report.Inputs = append(res.Report.Inputs, report.Input{Path: "--query", Kind: "plan", Statements: 1})
	}
	for _, m := range res.Messages {
		fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", render.Escape(m))
	}
	if res.NothingRead {
		_ = o.write(res.Report)
		return inputError(errors.New("no plan could be read from the inputs"))
	}
	if o.to == "json" {
		_, err := o.streams.Out.Write(explain.ToJSON(res.Plans...))
		return err
	}
	format, _ := render.ParseFormat(o.format)
	if format == render.Table || format == render.Markdown {
		if err := writeTrees(render.EscapeWriter(o.streams.Out), format, res, o.treeWidth()); err != nil {
			return err
		}
	}
	return o.write(res.Report)
}

// treeWidth is the width plan trees are wrapped at: the terminal's, kept
// between 80 and 160 columns, else explain.DefaultWidth.
func (o *explainOptions) treeWidth() int {
	if o.streams.Width <= 0 {
		return explain.DefaultWidth
	}
	return min(max(o.streams.Width, 80), 160)
}

// writeTrees prints the plan trees, each node with the findings about
// it, before the findings table.
func writeTrees(w io.Writer, format render.Format, res *engine.Result, width int) error {
	byNode := map[*explain.Node][]string{}
	for _, f := range res.Findings {
		if f.Node != nil {
			byNode[f.Node] = append(byNode[f.Node], f.Check+": "+f.Message)
		}
	}
	var b strings.Builder
	for _, p := range res.Plans {
		tree := explain.RenderWidth(p, func(n *explain.Node) []string { return byNode[n] }, width)
		title := fmt.Sprintf("%s:%d", p.File, p.Line)
		if format == render.Markdown {
			fmt.Fprintf(&b, "### Plan %s\n\n```\n%s```\n\n", title, tree)
			continue
		}
		fmt.Fprintf(&b, "Plan %s\n%s\n", title, tree)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
