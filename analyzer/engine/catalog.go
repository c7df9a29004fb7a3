package engine

import (
	"context"
	"fmt"
	"strings"
	"unicode"

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
// live schema is returned (wrapping ErrLiveSchema) with what could be
// built without it; the caller decides whether it is fatal.
func loadCatalog(ctx context.Context, conn *pgx.Conn, db string, files []string) (schemaCatalog, error) {
	sc := schemaCatalog{cat: catalog.New()}
	var liveErr error
	if conn != nil {
		live, err := catalog.FromDB(ctx, conn)
		if err != nil {
			liveErr = fmt.Errorf("%w of %s: %s", ErrLiveSchema, dbconn.Redact(db), dbconn.Describe(err, db))
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
// whether any statement changed the schema.
func applyInputDDL(cat *catalog.Catalog, stmts []*check.Statement) bool {
	changed := false
	for _, st := range stmts {
		if st.Kind != "sql" || st.Err != nil || !isDDL(st.Text) {
			continue
		}
		// Padding puts the statement at its place in its file, so that
		// the positions the catalog records (a foreign key's, for its
		// finding) are the file's.
		pad := strings.Repeat("\n", max(st.Pos.Line-1, 0)) + strings.Repeat(" ", max(st.Pos.Column-1, 0))
		if len(cat.Apply(pad+st.Text, st.Pos.File)) == 0 {
			changed = true
		}
	}
	return changed
}

// isDDL says whether a statement may change the schema, from its first
// word after white space and comments: a cheap test before the catalog
// parses it.
func isDDL(text string) bool {
	for {
		text = strings.TrimLeft(text, " \t\r\n")
		switch {
		case strings.HasPrefix(text, "--"):
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				text = text[i:]
				continue
			}
			return false
		case strings.HasPrefix(text, "/*"):
			if i := strings.Index(text, "*/"); i >= 0 {
				text = text[i+2:]
				continue
			}
			return false
		}
		break
	}
	end := strings.IndexFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(text)
	}
	switch strings.ToLower(text[:end]) {
	case "create", "alter", "drop", "comment":
		return true
	}
	return false
}
