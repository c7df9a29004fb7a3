// Package engine is pgadvisor's pipeline, the one every command calls:
// inputs are read (package source) into a workload and statements; each
// distinct query is parsed once into its model; the catalog is built from
// --schema files, the live database and the DDL of the inputs
// themselves; the selected checks run on statements, plans and schema;
// index proposals are merged (package advisor/proposal); plan findings
// are aggregated per query and node; and everything is ranked by the
// share of the workload's time it touches into one report.
//
// Commands only parse flags, call Run and render the report.
package engine

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/nplusone"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Mode says what a run is for, which decides what the inputs are and
// which checks apply.
type Mode int

// Modes.
const (
	// Analyze reads SQL files, logs, plans and pg_stat_statements, and
	// runs every check.
	Analyze Mode = iota
	// Explain reads plans (and logs, for their auto_explain plans) and
	// runs the checks that read plans or the plans' queries: findings
	// about the rest of the schema are not what the user asked.
	Explain
)

// Options configure a run.
type Options struct {
	Mode Mode
	// Inputs are file names ("-" is Source.Stdin).
	Inputs []string
	// Source configures the readers (filters, log format, progress).
	// Source.DB is set by Run from Conn in Analyze mode.
	Source source.Options
	// Schemas are --schema DDL files, applied in order on top of the
	// live schema.
	Schemas []string
	// Conn is the --db session (read-only; nil without --db) and DB the
	// connection string as given, for messages (redacted there).
	Conn *pgx.Conn
	DB   string
	// Checks are the checks to run.
	Checks []*check.Check
	// Top is the number of queries listed in the report (0: all). It
	// never limits what is checked for errors.
	Top int
	// Verbose shows informational plan notes in Analyze mode.
	Verbose bool
	// Plans are plans obtained elsewhere (explain --db --query), checked
	// with the inputs' plans; their Query is checked as a statement.
	Plans []*explain.Plan
	// NoStatStatements keeps Run from reading pg_stat_statements on Conn
	// (the advisor's sandbox: its statistics are its own loading's).
	NoStatStatements bool
	// NPlusOne, when not nil, runs the N+1 loop detector on every
	// execution as the logs are read (no second pass).
	NPlusOne *nplusone.Options
}

// Result is a run's outcome.
type Result struct {
	Report *report.Report
	// Plans are every plan read, in input order, and Findings the raw
	// findings of the checks (before aggregation), for the commands that
	// render plan trees.
	Plans    []*explain.Plan
	Findings []check.Finding
	// Catalog is the schema the checks saw; HasCatalog says whether it
	// came from a schema, a database or the inputs' DDL.
	Catalog    *catalog.Catalog
	HasCatalog bool
	Statements []*check.Statement
	Workload   *workload.Workload
	// Messages are problems to tell the user on stderr, in order.
	Messages []string
	// Interrupted is true when the context was cancelled while reading:
	// the report holds what was read before.
	Interrupted bool
	// NothingRead is true when inputs were given and none could be read.
	NothingRead bool
}

// Run runs the pipeline. Its error is for a failure that leaves nothing
// to report (an unreadable live schema in Analyze mode, a bad reader
// option); problems with single inputs are in the report's inputs and
// in Messages.
func Run(ctx context.Context, o Options) (*Result, error) {
	res := &Result{Report: &report.Report{Version: report.Version, Command: o.commandName()}}
	sc, err := loadCatalog(ctx, o.Conn, o.DB, o.Schemas)
	if err != nil {
		if o.Mode == Analyze {
			// --db was asked for its schema: without it the run would
			// quietly check less than the user thinks.
			return nil, err
		}
		res.Messages = append(res.Messages, err.Error()+"; advice will not know its indexes")
	}
	res.Catalog, res.HasCatalog = sc.cat, sc.has
	res.Report.Inputs = append(res.Report.Inputs, sc.inputs...)

	srcOpts := o.Source
	srcOpts.PlansOnly = o.Mode == Explain
	if o.Mode == Analyze && o.Conn != nil && !o.NoStatStatements {
		srcOpts.DB = o.Conn
	}
	// Every query is checked; Top only cuts the list the report shows.
	srcOpts.Top = 0
	var det *nplusone.Detector
	if o.NPlusOne != nil {
		det = nplusone.New(*o.NPlusOne)
		prev := srcOpts.OnExecution
		srcOpts.OnExecution = func(e *workload.Execution) {
			if prev != nil {
				prev(e)
			}
			det.Add(e)
		}
	}
	var read *source.Result
	if len(o.Inputs) > 0 || srcOpts.DB != nil {
		read, err = source.Read(ctx, o.Inputs, srcOpts)
		switch {
		case err != nil && read != nil && ctx.Err() != nil:
			res.Interrupted = true
		case err != nil:
			return nil, err
		}
	} else {
		read = &source.Result{Workload: workload.New()}
	}
	res.Workload = read.Workload
	res.Report.Inputs = append(res.Report.Inputs, read.Inputs...)

	stmts := read.Statements
	if applyInputDDL(sc.cat, stmts) {
		res.HasCatalog = true
	}
	plans := parsePlans(read.Plans, res.Report.Inputs)
	for _, p := range o.Plans {
		setFingerprint(p)
		plans = append(plans, p)
		if p.Query != "" {
			stmts = append(stmts, planStatement(p))
		}
	}
	if o.Mode == Explain {
		// The queries of the plans are checked as statements too: the
		// index a slow plan needs is the one missing-index proposes.
		for _, p := range plans[:len(plans)-len(o.Plans)] {
			if p.Query != "" {
				stmts = append(stmts, planStatement(p))
			}
		}
		stmts = dedupeStatements(stmts)
	}
	analyzeStatements(stmts, res.Catalog)
	res.Statements, res.Plans = stmts, plans

	checks := o.Checks
	if o.Mode == Explain {
		checks = forExplain(checks)
	}
	var loops []check.Loop
	if det != nil {
		found := det.Result()
		res.Report.NPlusOne = nplusone.ToReport(found)
		loops = nplusone.ForChecks(found)
	}
	res.Findings = check.Run(checks, check.Input{
		Statements: stmts, Catalog: res.Catalog, HasCatalog: res.HasCatalog, Plans: plans,
		Ignores: inputIgnores(ctx, res.Report.Inputs),
		Loops:   loops,
	})
	build(res, o)

	for _, in := range res.Report.Inputs {
		res.Messages = append(res.Messages, in.Messages...)
	}
	if len(o.Inputs) > 0 && read.NothingUsable(len(plans)) && !res.HasCatalog && len(o.Plans) == 0 {
		res.NothingRead = true
	}
	if o.Mode == Explain && len(plans) == 0 {
		res.NothingRead = true
	}
	return res, nil
}

// commandName names the command in the report.
func (o Options) commandName() string {
	if o.Mode == Explain {
		return "explain"
	}
	return "analyze"
}

// forExplain keeps the checks that read plans or statements: explain
// answers for the plans given, not for the whole schema.
func forExplain(checks []*check.Check) []*check.Check {
	var out []*check.Check
	for _, c := range checks {
		if c.Reads&(check.ReadsPlans|check.ReadsStatements) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// planStatement is the statement of a plan's query, checked like any
// other (missing-index proposes the index the plan lacks).
func planStatement(p *explain.Plan) *check.Statement {
	return &check.Statement{
		Pos:         check.Position{File: p.File, Line: p.Line},
		Text:        p.Query,
		Fingerprint: p.Fingerprint,
		ErrOffset:   -1,
		Kind:        "plan",
	}
}

// dedupeStatements keeps the first statement of each fingerprint among
// those that come from plans (a query logged with many plans is checked
// once).
func dedupeStatements(stmts []*check.Statement) []*check.Statement {
	seen := map[string]bool{}
	out := stmts[:0]
	for _, st := range stmts {
		if st.Kind == "plan" && st.Fingerprint != "" {
			if seen[st.Fingerprint] {
				continue
			}
			seen[st.Fingerprint] = true
		}
		out = append(out, st)
	}
	return out
}

// Schema is the catalog a command builds before it runs checks.
type Schema struct {
	Catalog *catalog.Catalog
	// Has is true when it came from a database or schema files.
	Has bool
	// Inputs describe the schema files read.
	Inputs []report.Input
}

// LoadSchema builds the catalog the way Run does: the live schema of
// conn (when not nil), then the schema files applied in order. For the
// commands that drive the checks themselves (check).
func LoadSchema(ctx context.Context, conn *pgx.Conn, db string, files []string) (Schema, error) {
	sc, err := loadCatalog(ctx, conn, db, files)
	return Schema{Catalog: sc.cat, Has: sc.has, Inputs: sc.inputs}, err
}

// Models builds the query model of each statement, as Run does.
func Models(stmts []*check.Statement, cat *catalog.Catalog) { analyzeStatements(stmts, cat) }

// Report turns the findings of checks a command ran itself into the
// report Run would give: proposals merged, findings ranked, summary.
// The workload may be nil.
func Report(command string, inputs []report.Input, findings []check.Finding, cat *catalog.Catalog, wl *workload.Workload) *report.Report {
	if wl == nil {
		wl = workload.New()
	}
	res := &Result{
		Report:   &report.Report{Version: report.Version, Command: command, Inputs: inputs},
		Findings: findings,
		Catalog:  cat,
		Workload: wl,
	}
	build(res, Options{Mode: Analyze, Verbose: true})
	return res.Report
}
