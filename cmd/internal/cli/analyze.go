package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// analyzeOptions are the flags of `pgadvisor analyze`.
type analyzeOptions struct {
	*globalOptions
	db          string
	top         int
	minDuration time.Duration
	since       string
	until       string
	database    string
	user        string
	logFormat   string
	logPrefix   string
}

// newAnalyzeCmd builds `pgadvisor analyze INPUT...`.
func newAnalyzeCmd(g *globalOptions) *cobra.Command {
	o := &analyzeOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "analyze [INPUT...]",
		Short: "Analyze SQL files, PostgreSQL logs, plans and pg_stat_statements",
		Long: `analyze reads SQL files, PostgreSQL logs (stderr with any log_line_prefix,
csvlog, jsonlog, syslog; .gz, .bz2 and .zst too), EXPLAIN plans, and with
--db the database's pg_stat_statements, and reports the top queries and the
findings of every check. "-" reads standard input.

With --schema (DDL files, pg_dump --schema-only output) or --db the checks
know the tables and indexes: missing-index and friends need one of them.`,
		Example: `  pgadvisor analyze --schema schema.sql queries.sql
  pgadvisor analyze --format json postgresql.log.gz
  tail -f postgresql.log | pgadvisor analyze -
  pgadvisor analyze --db postgres://app@db.example.com/shop`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalyze(cmd.Context(), o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "connection URL of a database: read its schema, statistics and pg_stat_statements (read-only)")
	f.IntVar(&o.top, "top", 20, "report and check the N queries with the most total time from logs and pg_stat_statements (0: all)")
	f.DurationVar(&o.minDuration, "min-duration", 0, "ignore log executions shorter than this (e.g. 5ms)")
	f.StringVar(&o.since, "since", "", "ignore log lines before this time (RFC 3339 or '2006-01-02 15:04:05')")
	f.StringVar(&o.until, "until", "", "ignore log lines after this time")
	f.StringVar(&o.database, "database", "", "keep only statements run in this database")
	f.StringVar(&o.user, "user", "", "keep only statements run by this user")
	f.StringVar(&o.logFormat, "log-format", "auto", "log format: auto, stderr, csvlog, jsonlog or syslog")
	f.StringVar(&o.logPrefix, "log-prefix", "", "log_line_prefix of stderr/syslog logs (detected when empty)")
	return cmd
}

// runAnalyze reads the inputs, runs the checks and writes the report.
func runAnalyze(ctx context.Context, o *analyzeOptions, inputs []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if len(inputs) == 0 && o.db == "" && len(o.schemas) == 0 {
		return usageErrorf("nothing to analyze: give SQL files, logs or plans, --db or --schema")
	}
	selected, err := o.selectedChecks()
	if err != nil {
		return err
	}
	opts, err := o.sourceOptions()
	if err != nil {
		return err
	}

	rep := &report.Report{Version: report.Version, Command: "analyze"}
	var conn *pgx.Conn
	if o.db != "" {
		if conn, err = connect(ctx, o.db); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		opts.DB = conn
	}
	sc, err := o.loadCatalog(ctx, conn, o.db)
	if err != nil {
		// --db was asked for its schema: without it the run would
		// quietly check less than the user thinks.
		return inputError(err)
	}
	rep.Inputs = append(rep.Inputs, sc.inputs...)

	res, err := source.Read(ctx, inputs, opts)
	switch {
	case err != nil && res != nil && ctx.Err() != nil:
		// Interrupted (Ctrl-C on `tail -f log | pgadvisor analyze -`):
		// report what was read so far.
		fmt.Fprintln(o.streams.Err, "pgadvisor: interrupted; reporting what was read so far")
	case err != nil:
		return inputError(err)
	}
	rep.Inputs = append(rep.Inputs, res.Inputs...)
	analyzeStatements(res.Statements, sc.cat)
	plans := parsePlans(res.Plans, rep.Inputs)

	rep.Findings = runChecks(selected, check.Input{Statements: res.Statements, Catalog: sc.cat, HasCatalog: sc.has, Plans: plans})
	rep.Queries = res.Workload.Report(o.top)
	for _, p := range plans {
		// The trees are for `pgadvisor explain`; here each plan is a
		// summary with its findings.
		rep.Plans = append(rep.Plans, planSummary(p, rep.Findings, false, 0))
	}
	for _, in := range rep.Inputs {
		for _, m := range in.Messages {
			fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", m)
		}
	}
	if len(inputs) > 0 && res.NothingUsable(len(plans)) && !sc.has {
		_ = o.write(rep)
		return inputError(errors.New("nothing could be read from the inputs"))
	}
	return o.write(rep)
}

// sourceOptions turns the flags into the readers' options.
func (o *analyzeOptions) sourceOptions() (source.Options, error) {
	opts := source.Options{
		LogFormat:   o.logFormat,
		LogPrefix:   o.logPrefix,
		Top:         o.top,
		MinDuration: o.minDuration,
		Database:    o.database,
		User:        o.user,
		Stdin:       o.streams.In,
	}
	if o.top < 0 {
		return opts, usageErrorf("--top must be 0 or more")
	}
	var err error
	if opts.Since, err = parseTime("--since", o.since); err != nil {
		return opts, err
	}
	if opts.Until, err = parseTime("--until", o.until); err != nil {
		return opts, err
	}
	if o.streams.ErrTerminal {
		opts.Progress = o.streams.Err
	}
	if err := source.CheckOptions(opts); err != nil {
		return opts, usageErrorf("%v", err)
	}
	return opts, nil
}

// timeLayouts are the layouts --since and --until accept.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"}

// parseTime parses a --since/--until value ("" is the zero time).
func parseTime(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageErrorf("%s: cannot read %q as a time (use RFC 3339, e.g. 2024-05-01T12:00:00Z)", flag, v)
}

// analyzeStatements builds the query model of every statement that
// parsed, and the table accesses the checks share (check.Statement.
// SetModel), on all cores; a statement the model builder rejects gets
// its error instead.
func analyzeStatements(stmts []*check.Statement, cat *catalog.Catalog) {
	work := make(chan *check.Statement)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for st := range work {
				m, err := sqlparse.Analyze(st.Text, cat)
				if err != nil {
					st.Err = err
					var pe *sqlparse.Error
					if errors.As(err, &pe) && pe.Offset >= 0 {
						st.ErrOffset = pe.Offset
					}
					continue
				}
				st.SetModel(m)
			}
		}()
	}
	for _, st := range stmts {
		if st.Err == nil && st.Model == nil {
			work <- st
		}
	}
	close(work)
	wg.Wait()
}

// parsePlans parses the plans found in the inputs; problems are added to
// the messages of the input they came from.
func parsePlans(found []source.Plan, inputs []report.Input) []*explain.Plan {
	var out []*explain.Plan
	for _, p := range found {
		var plans []*explain.Plan
		var err error
		if p.Kind == "plan" {
			plans, err = explain.Parse([]byte(p.Text), p.Pos.File)
		} else {
			var one *explain.Plan
			one, err = explain.ParseAt(p.Text, p.Pos.File, p.Pos.Line, p.Query)
			if one != nil {
				plans = append(plans, one)
			}
		}
		out = append(out, plans...)
		if err != nil {
			for i := range inputs {
				if inputs[i].Path == p.Pos.File {
					inputs[i].Errors++
					if len(inputs[i].Messages) < 10 {
						inputs[i].Messages = append(inputs[i].Messages, strings.TrimSpace(err.Error()))
					}
				}
			}
		}
	}
	return out
}
