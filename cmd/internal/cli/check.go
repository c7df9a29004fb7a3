package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks"
	"github.com/pgadvisor/pgadvisor/analyzer/engine"
	"github.com/pgadvisor/pgadvisor/analyzer/migration"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
	"github.com/pgadvisor/pgadvisor/cmd/internal/render"
)

// checkOptions are the flags of `pgadvisor check`.
type checkOptions struct {
	*globalOptions
	db            string
	config        string
	workload      []string
	inTransaction bool
	maxRegression float64
	trace         bool
	traceDB       string
	data          []string
}

// schemaChecks are the catalog checks `check` runs on the schema the
// migrations leave, reporting only what the migrations wrote.
var schemaChecks = []string{"missing-fk-index", "duplicate-index", "redundant-index"}

// newTableChecks are the workload checks `check` runs for the queries
// that read a table the migrations create: the index it needs is best
// created with the table.
var newTableChecks = []string{"missing-index"}

// newCheckCmd builds `pgadvisor check MIGRATION...`.
func newCheckCmd(g *globalOptions) *cobra.Command {
	o := &checkOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "check [MIGRATION...]",
		Short: "Check SQL migrations before they run: locks, rewrites, broken queries (a CI gate)",
		Long: `check reads SQL migrations (files, or folders of them applied in order:
NNN_name.sql, NNN_name.up.sql, Flyway V1__name.sql, timestamped names, goose,
sqitch deploy/ folders) and applies them one statement at a time to the schema
before them (--schema files, or --db read-only, or nothing), so that each
statement is checked against the schema as it stands when it runs: index
builds without CONCURRENTLY, constraints without NOT VALID, table rewrites,
missing lock_timeout, dropped columns the workload still uses, foreign keys
without an index, and more ('pgadvisor checks' lists them).

A pgadvisor.yaml in the current directory or a parent up to the repository
root is read by itself (--config names another): migrations, schema,
workload, in_transaction, fail_on, format, and checks: enable, disable,
severity. Flags win over it.

A comment -- pgadvisor:ignore CHECK reason suppresses that check's findings
on the statement it sits in, or else on the next one.

Exit codes: 0 clean, 1 findings at or above --fail-on (default error),
2 usage error, 3 a migration that cannot be read or parsed.`,
		Example: `  pgadvisor check db/migrations
  pgadvisor check --schema schema.sql --workload queries.sql migrations/
  pgadvisor check --format github --fail-on warning migrations/0042_add_index.sql`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckCmd(cmd.Context(), cmd, o, args)
		},
	}
	g.addReportFlags(cmd)
	g.addCheckFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.db, "db", "", "connection URL of the database the migrations will run on: its schema (read-only) and pg_stat_statements as the workload")
	f.StringVar(&o.config, "config", "", "configuration file (default: pgadvisor.yaml in the current directory or a parent, up to the repository root)")
	f.StringArrayVar(&o.workload, "workload", nil, "SQL file or PostgreSQL log of the application's queries (repeatable)")
	f.BoolVar(&o.inTransaction, "in-transaction", false, "the migration tool runs each file in a transaction (Flyway, Rails); goose files are read from their annotations")
	f.Float64Var(&o.maxRegression, "max-regression", 20, "with a workload and --trace: report a query whose estimated cost grows by more than this percentage")
	f.BoolVar(&o.trace, "trace", false, "apply the migrations to a throwaway PostgreSQL (the sandbox, loaded with --schema and --data): record locks and rewrites, re-plan the workload")
	f.StringVar(&o.traceDB, "trace-db", "", "like --trace, on this scratch database instead of a sandbox (it is CHANGED: never give a production database); it must hold the schema before the migrations")
	f.StringArrayVar(&o.data, "data", nil, "with --trace: SQL file (INSERTs, COPY, pg_dump --data-only) loaded into the sandbox after the schema (repeatable)")
	return cmd
}

// applyConfig fills the options the command line left unset from the
// configuration file.
func (o *checkOptions) applyConfig(cmd *cobra.Command, cfg *checkConfig) {
	changed := func(name string) bool { return cmd.Flags().Changed(name) }
	if !changed("format") && cfg.Format != "" {
		o.format = cfg.Format
	}
	if !changed("fail-on") && cfg.FailOn != "" {
		o.failOn = cfg.FailOn
	}
	if !changed("schema") && len(cfg.Schema) > 0 {
		o.schemas = cfg.Schema
	}
	if !changed("workload") && len(cfg.Workload) > 0 {
		o.workload = cfg.Workload
	}
	if !changed("enable") && len(cfg.Checks.Enable) > 0 {
		o.enable = cfg.Checks.Enable
	}
	if !changed("disable") && len(cfg.Checks.Disable) > 0 {
		o.disable = cfg.Checks.Disable
	}
	if !changed("in-transaction") && cfg.InTransaction != nil {
		o.inTransaction = *cfg.InTransaction
	}
	if !changed("max-regression") && cfg.MaxRegression != nil {
		o.maxRegression = *cfg.MaxRegression
	}
}

// severities parses the configuration's severity overrides.
func severities(cfg *checkConfig) (map[string]check.Severity, error) {
	out := map[string]check.Severity{}
	for name, s := range cfg.Checks.Severity {
		if checks.Lookup(name) == nil {
			return nil, usageErrorf("config: checks.severity: unknown check %q (run 'pgadvisor checks' for the list)", name)
		}
		v, err := check.ParseSeverity(s)
		if err != nil {
			return nil, usageErrorf("config: checks.severity.%s: %v", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// runCheckCmd checks the migrations and writes the report.
func runCheckCmd(ctx context.Context, cmd *cobra.Command, o *checkOptions, args []string) error {
	cfg, cfgName, err := loadConfig(ctx, o.config)
	if err != nil {
		return err
	}
	o.applyConfig(cmd, cfg)
	if err := o.validate(); err != nil {
		return err
	}
	if o.maxRegression < 0 {
		return usageErrorf("--max-regression must be 0 or more")
	}
	sev, err := severities(cfg)
	if err != nil {
		return err
	}
	paths := args
	if len(paths) == 0 {
		paths = cfg.Migrations
	}
	if len(paths) == 0 {
		hint := "give migration files or folders"
		if cfgName == "" {
			hint += ", or list them under migrations: in " + ConfigFile
		}
		return usageErrorf("nothing to check: %s", hint)
	}
	files, err := migration.Collect(paths)
	if err != nil {
		return inputError(err)
	}
	selected, err := o.selectedChecks()
	if err != nil {
		return err
	}
	selected = slices.DeleteFunc(selected, func(c *check.Check) bool {
		return c.Reads&check.ReadsMigration == 0 && !slices.Contains(schemaChecks, c.Name) && !slices.Contains(newTableChecks, c.Name) && c.Name != check.UnusedIgnoreName
	})

	rep := &report.Report{Version: report.Version, Command: "check"}
	var conn *pgx.Conn
	if o.db != "" {
		if conn, err = connect(ctx, o.db); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
	}
	if o.traceDB != "" && conn == nil && len(o.schemas) == 0 {
		// The scratch database holds the schema before the migrations:
		// read it there (read-only) for the static checks.
		if conn, err = connect(ctx, o.traceDB); err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
	}
	sc, err := engine.LoadSchema(ctx, conn, o.db, o.schemas)
	if err != nil {
		return inputError(err)
	}
	rep.Inputs = append(rep.Inputs, sc.Inputs...)

	// The workload is read against the schema before the migrations:
	// the one its queries run on today.
	var stmts []*check.Statement
	var wl *workload.Workload
	if len(o.workload) > 0 || o.db != "" {
		opts := source.Options{Stdin: o.streams.In}
		if o.db != "" {
			opts.DB = conn
		}
		res, err := source.Read(ctx, o.workload, opts)
		if err != nil {
			return inputError(err)
		}
		engine.Models(res.Statements, sc.Catalog)
		rep.Inputs = append(rep.Inputs, res.Inputs...)
		stmts = res.Statements
		wl = res.Workload
	}

	before := sc.Catalog.Clone()
	ms, buildErr := migration.Build(ctx, sc.Catalog, files, migration.Options{InTransaction: o.inTransaction})
	var mstmts []*check.Statement
	var ignores []check.Ignore
	migrated := map[string]bool{}
	for _, m := range ms {
		in := report.Input{Path: m.Path, Kind: migration.Kind, Statements: len(m.Statements), Bytes: int64(len(m.Src))}
		for _, p := range m.Problems {
			if !sc.Has {
				// Without a schema, the tables the migrations did not
				// create are unknown: not a problem of the migrations.
				break
			}
			in.Errors++
			if len(in.Messages) < 10 {
				in.Messages = append(in.Messages, p.Error())
			}
		}
		rep.Inputs = append(rep.Inputs, in)
		mstmts = append(mstmts, m.Statements...)
		ignores = append(ignores, check.ParseIgnores(m.Path, m.Src)...)
		migrated[m.Path] = true
	}
	for _, in := range rep.Inputs {
		for _, msg := range in.Messages {
			fmt.Fprintf(o.streams.Err, "pgadvisor: %s\n", render.Escape(msg))
		}
	}
	if buildErr != nil {
		var applied []string
		for _, m := range ms {
			applied = append(applied, m.Path)
		}
		read := "no migration was read before it"
		if len(applied) > 0 {
			read = "migrations read before it: " + strings.Join(applied, ", ")
		}
		var me *migration.Error
		if errors.As(buildErr, &me) {
			return inputError(fmt.Errorf("%s: %s (%s)", me.Pos, me.Message, read))
		}
		return inputError(buildErr)
	}

	var traceErr error
	if o.trace || o.traceDB != "" {
		traceErr = o.traceMigrations(ctx, ms, stmts)
		var ee *migration.ExecError
		if traceErr != nil && !errors.As(traceErr, &ee) {
			return inputError(traceErr)
		}
	}

	found := check.Run(selected, check.Input{
		Statements: append(mstmts, stmts...),
		Catalog:    sc.Catalog,
		HasCatalog: true,
		Ignores:    ignores,
	})
	var kept []check.Finding
	fresh := newTableQueries(stmts, before, sc.Catalog)
	for _, f := range found {
		if slices.Contains(newTableChecks, f.Check) && !fresh[f.Fingerprint] {
			// A query of tables that existed before: not the
			// migrations' doing (pgadvisor analyze reports it).
			continue
		}
		if slices.Contains(schemaChecks, f.Check) && f.Pos.File != "" && !migrated[f.Pos.File] {
			// A problem of the schema before the migrations is not
			// theirs to fix.
			continue
		}
		if s, ok := sev[f.Check]; ok {
			f.Severity = s
		}
		kept = append(kept, f)
	}
	rep = engine.Report("check", rep.Inputs, kept, sc.Catalog, wl)
	var ee *migration.ExecError
	if errors.As(traceErr, &ee) {
		// The report shows what was found up to the failure; the
		// failure itself is the exit status.
		if err := o.write(rep); err != nil && err != errFindings {
			return err
		}
		applied := "no migration was applied before it"
		if len(ee.Applied) > 0 {
			applied = "migrations applied before it: " + strings.Join(ee.Applied, ", ")
		}
		return inputError(fmt.Errorf("PostgreSQL rejected the migration at %s: %s (%s)", ee.Pos, ee.Message, applied))
	}
	return o.write(rep)
}

// newTableQueries returns the fingerprints of the workload statements
// that read a table the migrations created: in after, not in before.
func newTableQueries(stmts []*check.Statement, before, after *catalog.Catalog) map[string]bool {
	out := map[string]bool{}
	for _, st := range stmts {
		for _, a := range st.Accesses {
			if after.Table(a.Table) != nil && before.Table(a.Table) == nil {
				out[st.Fingerprint] = true
			}
		}
	}
	return out
}
