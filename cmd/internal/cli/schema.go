package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// connect opens a read-only session on db under the safety rules of
// package dbconn; a failure is one password-free sentence (exit code 3).
func connect(ctx context.Context, db string) (*pgx.Conn, error) {
	conn, err := dbconn.Connect(ctx, db, dbconn.Options{})
	if err != nil {
		return nil, inputError(errors.New(dbconn.Describe(err, db)))
	}
	return conn, nil
}

// schemaCatalog is the catalog the checks see, and whether it describes a
// real schema.
type schemaCatalog struct {
	cat *catalog.Catalog
	has bool
	// inputs describe the --schema files read.
	inputs []report.Input
}

// loadCatalog builds the catalog: the live schema of conn (when not nil),
// then the --schema files applied on top, in order. A failure to read the
// live schema is returned with what could be built without it; the caller
// decides whether it is fatal.
func (g *globalOptions) loadCatalog(ctx context.Context, conn *pgx.Conn, db string) (schemaCatalog, error) {
	sc := schemaCatalog{cat: catalog.New()}
	var liveErr error
	if conn != nil {
		live, err := catalog.FromDB(ctx, conn)
		if err != nil {
			liveErr = fmt.Errorf("cannot read the schema of %s: %s", dbconn.Redact(db), dbconn.Describe(err, db))
		} else {
			sc.cat, sc.has = live, true
		}
	}
	if len(g.schemas) > 0 {
		sc.inputs = loadSchemas(ctx, sc.cat, g.schemas)
		sc.has = true
	}
	return sc, liveErr
}

// loadSchemas applies the --schema files to cat in order and describes
// each as an input, with its DDL problems as messages.
func loadSchemas(ctx context.Context, cat *catalog.Catalog, files []string) []report.Input {
	var out []report.Input
	for _, f := range files {
		in := report.Input{Path: f, Kind: "schema"}
		src, err := source.ReadAll(ctx, f, nil, source.MaxSchemaSize, "a schema file")
		if err != nil {
			in.Errors++
			in.Messages = append(in.Messages, fmt.Sprintf("read schema %q: %v", f, readError(err)))
			out = append(out, in)
			continue
		}
		in.Bytes = int64(len(src))
		for _, p := range sqlparse.Split(string(src)) {
			if p.Kind == sqlparse.PieceSQL {
				in.Statements++
			}
		}
		for _, e := range cat.Apply(string(src), f) {
			in.Errors++
			if len(in.Messages) < 10 {
				in.Messages = append(in.Messages, e.Error())
			}
		}
		out = append(out, in)
	}
	return out
}

// runChecks runs the checks on in and returns their findings for the
// report, sorted.
func runChecks(checks []*check.Check, in check.Input) []report.Finding {
	var out []report.Finding
	for _, f := range check.Run(checks, in) {
		out = append(out, report.FromFinding(f))
	}
	report.SortFindings(out)
	return out
}
