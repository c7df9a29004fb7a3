package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// schemaCatalog is the catalog the checks see, and whether it describes a
// real schema.
type schemaCatalog struct {
	cat *catalog.Catalog
	has bool
	// inputs describe the --schema files read.
	inputs []report.Input
}

// loadCatalog builds the catalog: the live schema of conn (when not nil),
// then the schema files applied on top, in order. A failure to read the
// live schema is returned with what could be built without it; the
// caller decides whether it is fatal.
func loadCatalog(ctx context.Context, conn *pgx.Conn, db string, files []string) (schemaCatalog, error) {
	sc := schemaCatalog{cat: catalog.New()}
	var liveErr error
	if conn != nil {
		live, err := catalog.FromDB(ctx, conn)
		if err != nil {
			liveErr = fmt.Errorf("cannot read the live schema of %s: %s", dbconn.Redact(db), dbconn.Describe(err, db))
		} else {
			sc.cat, sc.has = live, true
		}
	}
	if len(files) > 0 {
		sc.inputs = loadSchemas(ctx, sc.cat, files)
		sc.has = true
	}
	return sc, liveErr
}

// loadSchemas applies the schema files to cat in order and describes
// each as an input, with its DDL problems as messages.
func loadSchemas(ctx context.Context, cat *catalog.Catalog, files []string) []report.Input {
	var out []report.Input
	for _, f := range files {
		in := report.Input{Path: f, Kind: "schema"}
		// The reader every input goes through: bounded, decompressing.
		src, err := source.ReadAll(ctx, f, nil, source.MaxSchemaSize, "a schema file")
		if err != nil {
			in.Errors++
			in.Messages = append(in.Messages, fmt.Sprintf("read schema %q: %v", f, source.CleanErr(err)))
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

// applyInputDDL applies the DDL of the analyzed SQL files to cat, in
// input order, so that the checks see the schema the inputs build: a
// file that creates a table, its foreign key and an index is checked
// with all three (and the index is not proposed again). It reports
// whether the inputs created tables or indexes.
func applyInputDDL(cat *catalog.Catalog, stmts []*check.Statement) bool {
	before := len(cat.Tables) + len(cat.Indexes)
	for _, st := range stmts {
		if st.Kind != "sql" || st.Err != nil || !catalog.MayChangeSchema(st.Text) {
			continue
		}
		// Padding puts the statement at its place in its file, so that
		// the positions the catalog records (a foreign key's, for its
		// finding) are the file's.
		pad := strings.Repeat("\n", max(st.Pos.Line-1, 0)) + strings.Repeat(" ", max(st.Pos.Column-1, 0))
		cat.Apply(pad+st.Text, st.Pos.File)
	}
	return len(cat.Tables)+len(cat.Indexes) != before
}
