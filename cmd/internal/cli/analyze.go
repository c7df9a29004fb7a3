package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pgadvisor/pgadvisor/analyzer/engine"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/source/pglog"
	"github.com/pgadvisor/pgadvisor/cmd/internal/render"
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
	verbose     bool
	nplus       nplusoneFlags
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
			if err := dbFromEnv(cmd, &o.db); err != nil {
				return err
			}
			return runAnalyze(cmd.Context(), o, args)
		},
	}
	g.addReportFlags(cmd)
	g.addCheckFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "database (URL, key=value string or name; empty: $DATABASE_URL or PG* variables): read its schema, statistics and pg_stat_statements (read-only)")
	f.IntVar(&o.top, "top", 20, "list the N queries with the most total time from logs and pg_stat_statements (0: all); every query is checked")
	o.addReadFlags(f)
	f.BoolVar(&o.verbose, "verbose", false, "also show informational plan notes (cold cache, hot node) about queries that have other findings")
	o.nplus.register(f)
	return cmd
}

// runAnalyze reads the inputs, runs the engine and writes the report.
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
	nplus, err := o.nplus.options()
	if err != nil {
		return err
	}
	var conn *pgx.Conn
	if o.db != "" {
		if conn, err = connect(ctx, o.db); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
	}
	res, err := engine.Run(ctx, engine.Options{
		Mode:     engine.Analyze,
		Inputs:   inputs,
		Source:   opts,
		Schemas:  o.schemas,
		Conn:     conn,
		DB:       o.db,
		Checks:   selected,
		Top:      o.top,
		Verbose:  o.verbose,
		NPlusOne: nplus,
	})
	if err != nil {
		return inputError(err)
	}
	if res.Interrupted {
		// Ctrl-C on `tail -f log | pgadvisor analyze -`: report what
		// was read so far.
		fmt.Fprintln(o.streams.Err, "pgadvisor: interrupted; reporting what was read so far")
	}
	for _, m := range res.Messages {
		fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", render.Escape(m))
	}
	if res.NothingRead {
		_ = o.write(res.Report)
		return inputError(errors.New("nothing could be read from the inputs"))
	}
	return o.write(res.Report)
}

// addReadFlags adds the flags of the workload readers (filters, log
// format): analyze and advise read their inputs alike.
func (o *analyzeOptions) addReadFlags(f *pflag.FlagSet) {
	f.DurationVar(&o.minDuration, "min-duration", 0, "ignore log executions shorter than this (e.g. 5ms)")
	f.StringVar(&o.since, "since", "", "ignore log lines before this time (RFC 3339 or '2006-01-02 15:04:05')")
	f.StringVar(&o.until, "until", "", "ignore log lines after this time")
	f.StringVar(&o.database, "database", "", "keep only statements run in this database")
	f.StringVar(&o.user, "user", "", "keep only statements run by this user")
	f.StringVar(&o.logFormat, "log-format", "auto", "log format: auto, stderr, csvlog, jsonlog or syslog")
	f.StringVar(&o.logPrefix, "log-prefix", "", "log_line_prefix of stderr/syslog logs (detected when empty)")
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
	if o.minDuration < 0 {
		return opts, usageErrorf("--min-duration must be 0 or more")
	}
	if _, err := pglog.ParseFormat(o.logFormat); err != nil {
		return opts, usageErrorf("--log-format: %v", err)
	}
	if o.logPrefix != "" {
		if _, err := pglog.CompilePrefix(o.logPrefix); err != nil {
			return opts, usageErrorf("--log-prefix: %v", err)
		}
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
