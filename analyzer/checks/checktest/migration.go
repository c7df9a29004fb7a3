package checktest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/migration"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// RunMigration runs the migration check c on every SQL file of dir
// other than its schema file, one subtest per file: each file is a
// migration applied (package migration) to the schema of schema.sql,
// the schema before it, and c sees its statements with the schema as it
// stands before each, then the catalog after it. The file's
// -- pgadvisor:ignore comments apply. Findings are compared with the
// file's -- want comments.
//
// A file workload.sql in dir is the workload: its statements, analyzed
// against the schema before the migration, follow the migration's.
func RunMigration(t *testing.T, dir string, c *check.Check) []check.Finding {
	t.Helper()
	return runMigration(t, dir, c, []*check.Check{c}, false)
}

// RunTraced is RunMigration with each migration also applied to a real
// PostgreSQL (migration.Trace) on a fresh database (pgtest.NewDatabase)
// loaded with schema.sql and, when present, data.sql, so that the
// statements carry their traces, and the workload's queries their
// plans before and after (20 % growth allowed). The package's tests need TestMain to
// call pgtest.Main.
func RunTraced(t *testing.T, dir string, c *check.Check) []check.Finding {
	t.Helper()
	return runMigration(t, dir, c, []*check.Check{c}, true)
}

// RunMigrationChecks is RunMigration with several checks run together
// (for suppression, which the driver applies across checks): the
// findings of all of them are compared with the -- want comments.
func RunMigrationChecks(t *testing.T, dir string, checks ...*check.Check) []check.Finding {
	t.Helper()
	return runMigration(t, dir, nil, checks, false)
}

func runMigration(t *testing.T, dir string, c *check.Check, checks []*check.Check, trace bool) []check.Finding {
	t.Helper()
	var all []check.Finding
	ran := 0
	for _, path := range sqlFiles(t, dir) {
		if base := filepath.Base(path); base == SchemaFile || base == WorkloadFile || base == DataFile {
			continue
		}
		ran++
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Helper()
			cat, has := loadSchema(t, filepath.Join(dir, SchemaFile))
			var stmts []*check.Statement
			wl := filepath.Join(dir, WorkloadFile)
			if fileExists(wl) {
				stmts = Statements(wl, readFile(t, wl), cat)
			}
			ms, err := migration.Build(context.Background(), cat, []string{path}, migration.Options{})
			if err != nil {
				t.Fatalf("build migration: %v", err)
			}
			if trace {
				url := pgtest.NewDatabase(t)
				for _, f := range []string{SchemaFile, DataFile} {
					if p := filepath.Join(dir, f); fileExists(p) {
						pgtest.LoadFile(t, url, p)
					}
				}
				if err := migration.Apply(context.Background(), url, ms, stmts, migration.ApplyOptions{MaxGrowth: 0.2}); err != nil {
					t.Fatalf("trace: %v", err)
				}
			}
			src := readFile(t, path)
			var mstmts []*check.Statement
			for _, m := range ms {
				mstmts = append(mstmts, m.Statements...)
				if has {
					// With a schema, every statement must apply; without
					// one, objects the migration did not create are
					// unknown.
					for _, p := range m.Problems {
						t.Errorf("migration: %v", p)
					}
				}
			}
			stmts = append(mstmts, stmts...)
			found := check.Run(checks, check.Input{
				Statements: stmts, Catalog: cat, HasCatalog: has || len(mstmts) > 0,
				Ignores: check.ParseIgnores(path, src),
			})
			compare(t, c, path, src, found)
			all = append(all, found...)
		})
	}
	if ran == 0 {
		t.Fatalf("no SQL test files in %s", dir)
	}
	return all
}

// DataFile is the name of a directory's data in RunTraced, loaded
// after its schema.
const DataFile = "data.sql"

// WorkloadFile is the name of a directory's workload in RunMigration:
// queries the application runs, read before the migration.
const WorkloadFile = "workload.sql"

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
