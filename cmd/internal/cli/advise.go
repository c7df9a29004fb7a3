package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/advisor/measure"
	"github.com/pgadvisor/pgadvisor/advisor/recommend"
	"github.com/pgadvisor/pgadvisor/advisor/selection"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/engine"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
	"github.com/pgadvisor/pgadvisor/cmd/internal/render"
)

// adviseOptions are the flags of `pgadvisor advise`.
type adviseOptions struct {
	analyzeOptions
	data           []string
	budget         string
	maxIndexes     int
	minImprovement float64
	runs           int
	measure        bool
	keep           bool
	create         bool
	measureTimeout time.Duration
	apply          string
}

// newAdviseCmd builds `pgadvisor advise INPUT...`.
func newAdviseCmd(g *globalOptions) *cobra.Command {
	o := &adviseOptions{analyzeOptions: analyzeOptions{globalOptions: g}}
	cmd := &cobra.Command{
		Use:   "advise [INPUT...]",
		Short: "Propose indexes for a workload, with planner estimates and measured timings",
		Long: `advise reads a workload (SQL files, PostgreSQL logs, --db's pg_stat_statements),
proposes candidate indexes for it (composite, partial, expression, covering),
costs them with the planner and HypoPG's hypothetical indexes, chooses the set
that saves the most time within --budget, and measures each chosen index for
real: EXPLAIN (ANALYZE, BUFFERS) of the queries it helps before and after
building it.

The database is --db, or without it a throwaway sandbox cluster loaded with
--schema and --data files and ANALYZEd. In the sandbox, measuring is the
default when --data is given. On --db nothing is written unless --measure
(build each index CONCURRENTLY, time, drop it), --create (build the
recommendations and keep them) or --keep is given; without measurement the
results say "estimated".`,
		Example: `  pgadvisor advise --schema schema.sql --data data.sql postgresql.log
  pgadvisor advise --db postgres://app@db/shop --budget 10%
  pgadvisor advise --db postgres://app@db/shop --measure --apply migration.sql`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("measure") {
				o.measure = o.db == "" && len(o.data) > 0
			}
			return runAdvise(cmd.Context(), o, args)
		},
	}
	g.addReportFlags(cmd)
	g.addSchemaFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "connection URL of the database to advise for (read-only unless --measure or --create); its pg_stat_statements is read too")
	f.StringArrayVar(&o.data, "data", nil, "SQL file loaded into the sandbox after --schema (INSERT, COPY, generate_series, pg_dump output; repeatable)")
	f.StringVar(&o.budget, "budget", "", "most space the recommended indexes may take: bytes (500MB, 2GB) or a share of the tables' size (10%); empty: no limit")
	f.IntVar(&o.maxIndexes, "max-indexes", 10, "most indexes recommended (0: no limit)")
	f.Float64Var(&o.minImprovement, "min-improvement", 10, "least estimated improvement, in percent, of the queries an index changes")
	f.IntVar(&o.runs, "runs", measure.DefaultRuns, "timed runs of each query before and after building an index (after one warm-up run)")
	f.BoolVar(&o.measure, "measure", false, "build each recommended index for real and time the queries it helps (default: on in a sandbox with --data; on --db CREATE INDEX CONCURRENTLY, dropped afterwards)")
	f.BoolVar(&o.keep, "keep", false, "with --measure, keep the measured indexes instead of dropping them")
	f.BoolVar(&o.create, "create", false, "with --db, create the recommended indexes (CREATE INDEX CONCURRENTLY) and keep them")
	f.DurationVar(&o.measureTimeout, "measure-timeout", 10*time.Minute, "time limit of the whole measurement")
	f.StringVar(&o.apply, "apply", "", "write the recommendations as a migration file (one CREATE INDEX CONCURRENTLY per index, with its evidence)")
	f.IntVar(&o.top, "top", 50, "advise for the N queries with the most total time from logs and pg_stat_statements (0: all)")
	o.addReadFlags(f)
	return cmd
}

// parseBudget reads --budget: a byte size with an optional unit, or a
// percentage of the tables' size.
func parseBudget(s string) (bytes int64, share float64, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v <= 0 {
			return 0, 0, usageErrorf("--budget: cannot read %q as a percentage", s)
		}
		return 0, v / 100, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"kB", 1 << 10}, {"B", 1}}
	mult := 1.0
	num := s
	for _, u := range units {
		if n, ok := strings.CutSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, perr := strconv.ParseFloat(num, 64)
	if perr != nil || v <= 0 {
		return 0, 0, usageErrorf("--budget: cannot read %q as a size (500MB, 2GB) or a percentage (10%%)", s)
	}
	return int64(v * mult), 0, nil
}

// adviseTarget is the database advised for.
type adviseTarget struct {
	conn    *pgx.Conn
	cluster *sandbox.Cluster
	name    string // "sandbox" or the redacted URL
}

func (t *adviseTarget) close() {
	if t.conn != nil {
		t.conn.Close(context.Background())
	}
	if t.cluster != nil {
		_ = t.cluster.Stop()
	}
}

// runAdvise reads the workload, chooses indexes, measures them and writes
// the report.
func runAdvise(ctx context.Context, o *adviseOptions, inputs []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if len(inputs) == 0 && o.db == "" {
		return usageErrorf("nothing to advise: give SQL files or logs, or --db to read pg_stat_statements")
	}
	if o.db == "" && len(o.schemas) == 0 {
		return usageErrorf("advise needs a database: --db URL, or --schema (and --data) files to load into a sandbox")
	}
	if o.db != "" && len(o.data) > 0 {
		return usageErrorf("--data loads the sandbox; it cannot be used with --db")
	}
	if o.create && o.db == "" {
		return usageErrorf("--create creates the indexes on --db; in a sandbox use --apply FILE")
	}
	if o.keep && !o.measure {
		return usageErrorf("--keep keeps the indexes --measure builds: give --measure too")
	}
	if o.runs < 1 {
		return usageErrorf("--runs must be 1 or more")
	}
	budget, share, err := parseBudget(o.budget)
	if err != nil {
		return err
	}
	srcOpts, err := o.sourceOptions()
	if err != nil {
		return err
	}

	rep := &report.Report{Version: report.Version, Command: "advise"}
	target, err := o.openTarget(ctx, rep)
	if err != nil {
		return err
	}
	defer target.close()
	conn := target.conn
	// The engine reads the workload, builds the schema of the database
	// advised for (with its statistics) and each query's model once.
	res, err := engine.Run(ctx, engine.Options{
		Mode:             engine.Analyze,
		Inputs:           inputs,
		Source:           srcOpts,
		Conn:             conn,
		DB:               target.name,
		Top:              o.top,
		NoStatStatements: o.db == "",
	})
	if err != nil {
		return inputError(fmt.Errorf("read the schema of %s: %w", target.name, err))
	}
	rep.Inputs = append(rep.Inputs, res.Report.Inputs...)
	for _, m := range res.Messages {
		fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", render.Escape(m))
	}
	cat := res.Catalog
	rep.Queries = res.Report.Queries
	rep.Summary = res.Report.Summary
	// --top: the statements of SQL files, and the top queries of logs
	// and pg_stat_statements by total time.
	if o.top > 0 {
		top := map[string]bool{}
		for _, q := range res.Workload.Top(o.top) {
			top[q.Fingerprint] = true
		}
		res.Statements = slices.DeleteFunc(res.Statements, func(st *check.Statement) bool {
			return st.Kind != "sql" && !top[st.Fingerprint]
		})
	}

	ev, evName, closeEv, err := o.evaluator(ctx, conn, target)
	if err != nil {
		return err
	}
	defer closeEv()

	progress := o.progress("evaluating")
	plan, err := recommend.Choose(ctx, ev, recommend.Input{
		Catalog:     cat,
		Statements:  res.Statements,
		Workload:    res.Workload,
		TableWrites: o.db != "",
	}, recommend.Options{
		Options: selection.Options{
			Budget:         budget,
			MaxIndexes:     o.maxIndexes,
			MinImprovement: o.minImprovement / 100,
			Progress:       func(string) { progress.add() },
		},
		BudgetShare: share,
	})
	progress.done()
	if err != nil {
		return inputError(fmt.Errorf("advise: %w", err))
	}
	closeEv() // hypothetical indexes must not be seen while measuring
	outs := plan.Outcomes()

	var interrupted error
	if o.measure && len(outs) > 0 {
		// Interrupted (Ctrl-C): the indexes built are dropped already;
		// what was chosen and measured so far is still reported.
		interrupted = o.measureAll(ctx, plan, outs, target)
	}
	rep.Recommendations, rep.Advice = plan.Report(outs, o.minImprovement/100)
	rep.Advice.Database = target.name
	rep.Advice.Evaluator = evName
	rep.WhatIfCalls = plan.Selection.Planned
	if interrupted != nil {
		_ = o.write(rep)
		return interrupted
	}

	if o.apply != "" {
		if err := writeMigration(o.apply, rep.Recommendations); err != nil {
			return inputError(err)
		}
	}
	if o.create {
		if err := o.createIndexes(ctx, outs); err != nil {
			_ = o.write(rep)
			return inputError(err)
		}
	}
	return o.write(rep)
}

// openTarget connects to --db, or starts and loads a sandbox.
func (o *adviseOptions) openTarget(ctx context.Context, rep *report.Report) (*adviseTarget, error) {
	if o.db != "" {
		write := o.measure || o.create
		conn, err := dbconn.Connect(ctx, o.db, dbconn.Options{Write: write, StatementTimeout: max(o.measureTimeout, dbconn.DefaultStatementTimeout)})
		if err != nil {
			return nil, inputError(errors.New(dbconn.Describe(err, o.db)))
		}
		t := &adviseTarget{conn: conn, name: dbconn.Redact(o.db)}
		if write {
			var recovery bool
			if err := conn.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&recovery); err != nil {
				t.close()
				return nil, inputError(fmt.Errorf("check recovery: %w", err))
			}
			if recovery {
				t.close()
				return nil, usageErrorf("%s is a standby in recovery: --measure and --create need the primary", t.name)
			}
		}
		return t, nil
	}
	fmt.Fprintln(o.streams.Err, "pgadvisor: starting a sandbox cluster")
	c, err := sandbox.Start(ctx, sandbox.Options{Settings: map[string]string{"shared_buffers": "128MB"}})
	if err != nil {
		return nil, inputError(err)
	}
	t := &adviseTarget{cluster: c, name: "sandbox"}
	url, err := c.CreateDatabase(ctx, "pgadvisor")
	if err != nil {
		t.close()
		return nil, inputError(err)
	}
	for i, f := range append(append([]string(nil), o.schemas...), o.data...) {
		fmt.Fprintf(o.streams.Err, "pgadvisor: loading %s\n", f)
		in := report.Input{Path: f, Kind: "schema"}
		if i >= len(o.schemas) {
			in.Kind = "data"
		}
		if err := c.LoadFile(ctx, "pgadvisor", f); err != nil {
			t.close()
			return nil, inputError(err)
		}
		rep.Inputs = append(rep.Inputs, in)
	}
	conn, err := dbconn.Connect(ctx, url, dbconn.Options{Write: true, StatementTimeout: -1})
	if err != nil {
		t.close()
		return nil, inputError(errors.New(dbconn.Describe(err, url)))
	}
	t.conn = conn
	// VACUUM too: it sets the visibility map, without which the planner
	// costs index-only scans as if every row were fetched from the table.
	if err := sandbox.Vacuum(ctx, conn); err != nil {
		t.close()
		return nil, inputError(fmt.Errorf("analyze the sandbox: %w", err))
	}
	return t, nil
}

// evaluator returns HypoPG when the database has it (the sandbox creates
// it when the server has its files), else real indexes in a sandbox; on
// --db without HypoPG it fails saying how to get it.
func (o *adviseOptions) evaluator(ctx context.Context, conn *pgx.Conn, t *adviseTarget) (selection.Evaluator, string, func(), error) {
	if t.cluster != nil {
		if ok, err := whatif.Available(ctx, conn); err == nil && ok {
			if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS hypopg"); err != nil {
				return nil, "", nil, inputError(fmt.Errorf("create extension hypopg in the sandbox: %w", err))
			}
		}
	}
	h, err := whatif.NewHypoPG(ctx, conn)
	switch {
	case err == nil:
		closed := false
		return h, "hypopg", func() {
			if !closed {
				closed = true
				_ = h.Close(context.WithoutCancel(ctx))
			}
		}, nil
	case !errors.Is(err, whatif.ErrNoHypoPG):
		return nil, "", nil, inputError(err)
	case t.cluster != nil:
		fmt.Fprintln(o.streams.Err, "pgadvisor: HypoPG is not installed on this machine: evaluating with real indexes in the sandbox (slower; install postgresql-NN-hypopg)")
		return whatif.NewReal(conn), "real indexes", func() {}, nil
	}
	return nil, "", nil, inputError(errors.New("the hypopg extension is not installed in " + t.name +
		": install HypoPG on the server (Debian: postgresql-NN-hypopg) and run CREATE EXTENSION hypopg there; pgadvisor never creates extensions in your database. Without it, advise a copy: --schema schema.sql --data data.sql"))
}

// measureAll measures the outcomes within --measure-timeout.
func (o *adviseOptions) measureAll(ctx context.Context, plan *recommend.Plan, outs []*recommend.Outcome, t *adviseTarget) error {
	mctx, cancel := context.WithTimeout(ctx, o.measureTimeout)
	defer cancel()
	progress := o.progress("measuring")
	err := plan.Measure(mctx, t.conn, outs, recommend.MeasureOptions{
		Options:      measure.Options{Runs: o.runs, Keep: o.keep},
		Concurrently: t.cluster == nil,
		Progress:     func(string) { progress.add() },
	})
	progress.done()
	switch {
	case err != nil && ctx.Err() != nil:
		return inputError(fmt.Errorf("interrupted while measuring: %w", ctx.Err()))
	case err != nil:
		fmt.Fprintf(o.streams.Err, "pgadvisor: measurement stopped after --measure-timeout %s: %v\n", o.measureTimeout, err)
	}
	return nil
}

// createIndexes builds the recommendations on --db, CONCURRENTLY; a
// failed build is dropped so that no INVALID index stays behind.
func (o *adviseOptions) createIndexes(ctx context.Context, outs []*recommend.Outcome) error {
	conn, err := dbconn.Connect(ctx, o.db, dbconn.Options{Write: true, StatementTimeout: -1})
	if err != nil {
		return errors.New(dbconn.Describe(err, o.db))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, out := range outs {
		ix := out.Candidate.Index
		if _, err := conn.Exec(ctx, ix.DDL()); err != nil {
			schema := ix.Table.Schema
			if schema == "" {
				schema = "public"
			}
			return errors.Join(fmt.Errorf("create index %s: %w", ix.Name, err), measure.Drop(conn, schema, ix.Name))
		}
		fmt.Fprintf(o.streams.Err, "pgadvisor: created %s\n", ix.Name)
	}
	return nil
}

// writeMigration writes the recommendations as a migration: one
// CREATE INDEX CONCURRENTLY per index, after a comment with its evidence.
func writeMigration(path string, recs []report.Recommendation) error {
	var b strings.Builder
	b.WriteString("-- Indexes recommended by pgadvisor advise.\n")
	b.WriteString("-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block:\n")
	b.WriteString("-- run this file with psql (autocommit), not inside BEGIN ... COMMIT.\n")
	for _, r := range recs {
		b.WriteString("\n")
		fmt.Fprintf(&b, "-- %s index on %s, %s\n", r.Kind, r.Table, render.RecommendationSize(r))
		for _, h := range r.Helps {
			line := fmt.Sprintf("--   est. cost %.0f -> %.0f", h.CostBefore, h.CostAfter)
			for _, m := range r.Measured {
				if m.Fingerprint == h.Fingerprint && m.Error == "" {
					line += fmt.Sprintf(", measured %.2f ms -> %.2f ms", m.BeforeMS, m.AfterMS)
				}
			}
			fmt.Fprintf(&b, "%s: %s\n", line, render.OneLine(h.Normalized, 100))
		}
		b.WriteString(r.DDL + ";\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write migration %s: %w", path, err)
	}
	return nil
}

// spinner is a progress indicator on stderr when it is a terminal.
type spinner struct{ bar *progressbar.ProgressBar }

func (o *adviseOptions) progress(what string) spinner {
	if !o.streams.ErrTerminal {
		return spinner{}
	}
	return spinner{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(o.streams.Err),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
	)}
}

func (s spinner) add() {
	if s.bar != nil {
		_ = s.bar.Add(1)
	}
}

func (s spinner) done() {
	if s.bar != nil {
		_ = s.bar.Finish()
		_ = s.bar.Exit()
	}
}
