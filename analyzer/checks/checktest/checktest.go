// Package checktest runs a check on SQL test files and compares its
// findings with expectations written in the files, in the style of
// golang.org/x/tools/go/analysis/analysistest.
//
// A check's testdata directory holds SQL files. A comment
//
//	SELECT * FROM t;  -- want "returns every column"
//
// expects a finding on that line whose message matches the regexp (Go
// string syntax, "..." or `...`). Several expectations may follow one
// marker: -- want "first" "second". An expectation prefixed with help: or
// fix: is matched against the help text or the fix's SQL of a finding on
// that line instead of its message: -- want "no index" fix:"CREATE INDEX".
// A finding about a statement that spans several lines is expected on
// the line of its reported position (put the comment there).
//
// Run fails the test for every finding no expectation matches and every
// expectation no finding matched.
//
// With Run, the file schema.sql of the directory (when present) is loaded
// into the catalog the check sees, and is not itself a test input; the
// other .sql files of the directory (subdirectories are separate cases,
// run with their own call) are split into statements, analyzed with the catalog
// as schema, and given to the check. With RunSchema, every .sql file is a
// schema on its own, for checks that inspect only the catalog
// (missing-fk-index, duplicate-index): expectations sit in the schema
// file, on the line the finding is reported at.
package checktest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// SchemaFile is the name of a directory's schema in Run.
const SchemaFile = "schema.sql"

// Options adjust Run and RunSchema.
type Options struct {
	// Catalog, when not nil, is called with each catalog after its
	// schema is loaded and before the check runs: to add statistics, or
	// to replace the catalog with one read from a live database.
	Catalog func(t *testing.T, cat *catalog.Catalog) *catalog.Catalog
}

// Run runs c on every SQL file of dir other than its schema file, one subtest per file, and checks the findings
// against the files' -- want comments. It returns every finding, for
// tests that look further (at fixes, severities).
func Run(t *testing.T, dir string, c *check.Check) []check.Finding {
	t.Helper()
	return RunWith(t, dir, c, Options{})
}

// RunWith is Run with options.
func RunWith(t *testing.T, dir string, c *check.Check, opts Options) []check.Finding {
	t.Helper()
	files := sqlFiles(t, dir)
	var all []check.Finding
	ran := 0
	for _, path := range files {
		if filepath.Base(path) == SchemaFile {
			continue
		}
		ran++
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Helper()
			cat, has := loadSchema(t, filepath.Join(dir, SchemaFile))
			if opts.Catalog != nil {
				cat = opts.Catalog(t, cat)
				has = true
			}
			src := readFile(t, path)
			stmts := Statements(path, src, cat)
			found := check.Run([]*check.Check{c}, check.Input{Statements: stmts, Catalog: cat, HasCatalog: has})
			compare(t, c, path, src, found)
			all = append(all, found...)
		})
	}
	if ran == 0 {
		t.Fatalf("no SQL test files in %s", dir)
	}
	return all
}

// RunSchema runs c, with no statements, on the catalog of each SQL file
// of dir on its own, one subtest per file, and checks the findings
// against the -- want comments of that file.
func RunSchema(t *testing.T, dir string, c *check.Check) []check.Finding {
	t.Helper()
	return RunSchemaWith(t, dir, c, Options{})
}

// RunSchemaWith is RunSchema with options.
func RunSchemaWith(t *testing.T, dir string, c *check.Check, opts Options) []check.Finding {
	t.Helper()
	files := sqlFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("no SQL test files in %s", dir)
	}
	var all []check.Finding
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Helper()
			cat, _ := loadSchema(t, path)
			if opts.Catalog != nil {
				cat = opts.Catalog(t, cat)
			}
			found := check.Run([]*check.Check{c}, check.Input{Catalog: cat, HasCatalog: true})
			compare(t, c, path, readFile(t, path), found)
			all = append(all, found...)
		})
	}
	return all
}

// Statements splits src, the content of file, into the statements a check
// sees, as pgadvisor analyze builds them from a SQL file: position, text,
// fingerprint, and the model analyzed with cat as schema with its table
// accesses (check.Statement.SetModel), or the parse error and its
// offset.
func Statements(file, src string, cat *catalog.Catalog) []*check.Statement {
	var out []*check.Statement
	for _, p := range sqlparse.Split(src) {
		if p.Kind != sqlparse.PieceSQL {
			continue
		}
		text := p.Text
		s := &check.Statement{
			Pos:  check.Position{File: file, Line: p.Line, Column: p.Column},
			Text: text,
			Kind: "sql",
		}
		s.Fingerprint, _ = sqlparse.Fingerprint(text)
		var schema sqlparse.Schema
		if cat != nil {
			schema = cat
		}
		m, err := sqlparse.Analyze(text, schema)
		switch {
		case errors.Is(err, sqlparse.ErrEmpty):
			continue
		case err != nil:
			s.Err = err
			s.ErrOffset = -1
			var pe *sqlparse.Error
			if errors.As(err, &pe) {
				s.ErrOffset = pe.Offset
			}
		default:
			s.SetModel(m)
		}
		out = append(out, s)
	}
	return out
}

// loadSchema loads path into a new catalog; a missing file gives an empty
// catalog and false. DDL errors fail the test: a test schema must load.
func loadSchema(t *testing.T, path string) (*catalog.Catalog, bool) {
	t.Helper()
	cat := catalog.New()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return cat, false
	}
	if err := cat.LoadFiles(context.Background(), path); err != nil {
		t.Fatalf("load schema: %v", err)
	}
	for _, e := range cat.Errors {
		t.Errorf("schema: %v", e)
	}
	return cat, true
}

// reporter is the part of *testing.T compare needs (a fake in the
// harness's own tests).
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatal(args ...any)
}

// compare matches findings against the wants of src and reports the
// differences; findings of a check other than c are unexpected (any
// check's findings are compared when c is nil).
func compare(t reporter, c *check.Check, path, src string, found []check.Finding) {
	t.Helper()
	wants, err := parseWants(path, src)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(found, func(a, b check.Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	for _, f := range found {
		if c != nil && f.Check != c.Name {
			t.Errorf("%s: finding of check %q, want %q: %s", f.Pos, f.Check, c.Name, f.Message)
		}
		if f.Pos.File != path {
			t.Errorf("%s: finding outside the test file %s: %s", f.Pos, path, f.Message)
			continue
		}
		var w *want
		for _, cand := range wants {
			if cand.line == f.Pos.Line && cand.field == "message" && !cand.matched && cand.re.MatchString(f.Message) {
				w = cand
				break
			}
		}
		if w == nil {
			t.Errorf("%s: unexpected finding: %s", f.Pos, f.Message)
			continue
		}
		w.matched = true
		for _, cand := range wants {
			if cand.line != f.Pos.Line || cand.matched {
				continue
			}
			switch {
			case cand.field == "help" && cand.re.MatchString(f.Help):
				cand.matched = true
			case cand.field == "fix" && f.Fix != nil && cand.re.MatchString(f.Fix.SQL):
				cand.matched = true
			}
		}
	}
	for _, w := range wants {
		if !w.matched {
			var got []string
			for _, f := range found {
				if f.Pos.Line == w.line {
					got = append(got, fmt.Sprintf("message %q help %q fix %q", f.Message, f.Help, fixSQL(f)))
				}
			}
			t.Errorf("%s:%d: no finding matched %s %q; findings on that line: %v", path, w.line, w.field, w.text, got)
		}
	}
}

func fixSQL(f check.Finding) string {
	if f.Fix == nil {
		return ""
	}
	return f.Fix.SQL
}

// sqlFiles lists the .sql files of dir (not of its subdirectories, which
// hold other test cases with their own schema), sorted.
func sqlFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("list test files: %v", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read test file: %v", err)
	}
	return string(b)
}
