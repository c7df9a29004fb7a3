package migration

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/source/sqlfile"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Kind is the input kind of migration files, and the Kind of their
// statements.
const Kind = "migration"

// MaxFileSize bounds one migration file, read whole.
const MaxFileSize = 64 << 20

// Options tune Build.
type Options struct {
	// InTransaction is true when the migration tool runs each file in a
	// transaction (Flyway, Rails, sqitch run with a wrapping BEGIN):
	// then CONCURRENTLY fails and locks last until the file's end.
	// goose files are read from their annotations whatever this says:
	// goose wraps each in a transaction unless it says
	// -- +goose NO TRANSACTION.
	InTransaction bool
}

// Migration is one migration file, read and applied.
type Migration struct {
	Path string
	// Src is the file's text (for a goose file, its Up part).
	Src string
	// Statements are the file's statements, with Before and Migration
	// set, in order.
	Statements []*check.Statement
	// Problems are DDL statements the catalog could not apply (ALTER of
	// a table it does not know, ...): the checks of later statements see
	// a schema without their change.
	Problems []*catalog.LoadError
}

// Error is a migration that cannot be read: a file that cannot be read,
// or a statement that does not parse.
type Error struct {
	Pos     check.Position
	Message string
	Err     error
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Message }

func (e *Error) Unwrap() error { return e.Err }

// Build reads the migration files in order and applies each statement to
// cat, recording for each the schema it finds (Statement.Before) and the
// migration it belongs to; cat ends holding the schema after every
// migration. Statements are analyzed (query models) against the schema
// before them. The first file that cannot be read or holds a statement
// that does not parse stops the build: the migrations read before it are
// returned with an *Error.
func Build(ctx context.Context, cat *catalog.Catalog, files []string, opts Options) ([]*Migration, error) {
	var out []*Migration
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		b, err := source.ReadAll(ctx, path, nil, MaxFileSize, "a migration")
		src := string(b)
		if err != nil {
			return out, &Error{Pos: check.Position{File: path}, Message: err.Error(), Err: err}
		}
		m, err := build(cat, path, src, opts)
		if err != nil {
			return out, err
		}
		out = append(out, m)
	}
	return out, nil
}

// gooseUp, gooseDown and gooseNoTx are goose's annotations.
var (
	gooseUp   = regexp.MustCompile(`(?m)^\s*--\s*\+goose\s+Up\b`)
	gooseDown = regexp.MustCompile(`(?m)^\s*--\s*\+goose\s+Down\b`)
	gooseNoTx = regexp.MustCompile(`(?mi)^\s*--\s*\+goose\s+NO\s+TRANSACTION\b`)
)

// build applies one migration file.
func build(cat *catalog.Catalog, path, src string, opts Options) (*Migration, error) {
	wrapped := opts.InTransaction
	if gooseUp.MatchString(src) {
		wrapped = !gooseNoTx.MatchString(src)
		if loc := gooseDown.FindStringIndex(src); loc != nil {
			src = src[:loc[0]]
		}
	}
	m := &Migration{Path: path, Src: src}
	snap := cat.Clone()
	inTx := false
	for _, fs := range sqlfile.Parse(path, src) {
		st := &fs.Statement
		st.Kind = Kind
		if st.Err != nil {
			pos := st.PosAt(st.ErrOffset)
			if st.ErrOffset < 0 {
				pos = st.Pos
			}
			return m, &Error{Pos: pos, Message: errMessage(st.Err), Err: st.Err}
		}
		if snap == nil {
			snap = cat.Clone()
		}
		// A statement the model builder refuses (it parsed) is checked
		// from its DDL alone, without a model.
		if model, err := sqlparse.Analyze(st.Text, snap); err == nil {
			st.SetModel(model)
		}
		if st.Model != nil {
			switch st.Model.Tag {
			case "BEGIN", "START TRANSACTION":
				inTx = true
			case "COMMIT", "ROLLBACK", "END", "PREPARE TRANSACTION":
				inTx = false
			}
		}
		st.Before = snap
		st.Migration = &check.Migration{File: path, InTransaction: inTx || wrapped}
		m.Statements = append(m.Statements, st)
		if changesSchema(st) {
			m.Problems = append(m.Problems, applyOne(cat, st)...)
			snap = nil
		}
	}
	start := cat
	if len(m.Statements) > 0 {
		start = m.Statements[0].Before
	}
	for _, st := range m.Statements {
		st.Migration.Start = start
	}
	return m, nil
}

// errMessage is a parse error's message without its position.
func errMessage(err error) string {
	var pe *sqlparse.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

// changesSchema reports whether a statement may change the catalog: DDL,
// and SET search_path.
func changesSchema(st *check.Statement) bool {
	if st.Model == nil {
		return true // let the catalog's own parser decide
	}
	switch st.Model.Kind {
	case query.KindDDL:
		return true
	case query.KindUtility:
		return (st.Model.Tag == "SET" || st.Model.Tag == "RESET") && strings.Contains(strings.ToLower(st.Text), "search_path")
	}
	return false
}

// applyOne applies one statement to cat at its place in its file (so
// that problems carry the file's positions), and keeps a search_path it
// sets for the statements that follow, as one psql session would.
func applyOne(cat *catalog.Catalog, st *check.Statement) []*catalog.LoadError {
	text := strings.Repeat("\n", st.Pos.Line-1) + strings.Repeat(" ", max(st.Pos.Column-1, 0)) + st.Text
	errs := cat.Apply(text, st.Pos.File)
	if st.Model != nil && (st.Model.Tag == "SET" || st.Model.Tag == "RESET") {
		if ops, err := sqlparse.ParseDDL(st.Text); err == nil {
			for _, op := range ops {
				if sp, ok := op.(*sqlparse.SetSearchPath); ok && !sp.Local {
					if sp.Reset {
						cat.SearchPath = []string{"public"}
					} else {
						cat.SearchPath = searchPath(sp.Schemas)
					}
				}
			}
		}
	}
	return errs
}

// searchPath drops "$user" and pg_catalog-only entries the catalog does
// not resolve names in.
func searchPath(schemas []string) []string {
	var out []string
	for _, s := range schemas {
		if s != "$user" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{"public"}
	}
	return out
}
