package catalog

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

var update = flag.Bool("update", false, "rewrite testdata/pgdump.sql from the local PostgreSQL")

func TestMain(m *testing.M) { pgtest.Main(m) }

// richSchema is a schema using most of what the catalog models.
const richSchema = "testdata/rich_schema.sql"

// liveRich creates the rich schema in a fresh database and returns its
// URL and the catalog read from it.
func liveRich(t *testing.T) (string, *Catalog) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	pgtest.LoadFile(t, url, richSchema)
	live, err := FromDB(context.Background(), pgtest.Connect(t, url))
	if err != nil {
		t.Fatal(err)
	}
	return url, live
}

// pgDump runs pg_dump --schema-only on the database at url and returns
// the dump's path.
func pgDump(t *testing.T, url string) string {
	t.Helper()
	bin, err := sandbox.FindBinDir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tool := bin.Tool("pg_dump")
	if tool == "" {
		t.Fatalf("no pg_dump in %s", bin.Path)
	}
	out := filepath.Join(t.TempDir(), "dump.sql")
	if b, err := exec.Command(tool, "--schema-only", "--file", out, "--dbname", url).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, b)
	}
	return out
}

// load applies DDL files to a new catalog, failing on any load error.
func load(t *testing.T, paths ...string) *Catalog {
	t.Helper()
	c := New()
	if err := c.LoadFiles(context.Background(), paths...); err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Errors {
		t.Errorf("load error: %v", e)
	}
	return c
}

// scrub clears what differs by nature between a catalog read from DDL and
// one read from a server: statistics, sizes, positions, index definitions
// (pg_get_indexdef text), view column types (DDL knows only those of plain
// column references) and the plpgsql extension every database has. With
// loose, it also clears what only pg_dump's DDL spells as the server does
// (default, check and generated expressions, predicates, view queries,
// partition bounds, index expression text: compared by match key).
func scrub(c *Catalog, loose bool) {
	delete(c.Extensions, "plpgsql")
	c.Errors = nil
	for _, t := range c.Tables {
		t.Stats, t.File, t.Line = nil, "", 0
		for _, col := range t.Columns {
			col.Stats = nil
			if t.Kind == KindView || t.Kind == KindMatView {
				col.Type = ""
			}
			if loose {
				col.Default, col.Generated = "", ""
			}
		}
		for _, fk := range t.ForeignKeys {
			fk.File, fk.Line = "", 0
		}
		if loose {
			t.ViewQuery, t.PartitionBound = "", ""
			for _, ck := range t.Checks {
				ck.Expr = ""
			}
		}
	}
	for _, ix := range c.Indexes {
		ix.SizeBytes, ix.Scans, ix.File, ix.Line, ix.Definition = 0, 0, "", 0, ""
		if loose {
			ix.Predicate, ix.Where = "", nil
			for i := range ix.Keys {
				k := &ix.Keys[i]
				k.Key, k.Expr = k.MatchKey(), ""
			}
		}
	}
}

// catalogDiff compares two scrubbed catalogs.
func catalogDiff(want, got *Catalog) string {
	return cmp.Diff(want, got, cmpopts.IgnoreUnexported(Catalog{}), cmpopts.EquateEmpty())
}

// TestPgDumpRoundTrip loads pg_dump --schema-only output of a rich schema
// and compares the catalog with the one read live from the same
// database. The committed testdata/pgdump.sql (rewritten by -update) must
// agree too.
func TestPgDumpRoundTrip(t *testing.T) {
	url, live := liveRich(t)
	dump := pgDump(t, url)
	if *update {
		b, err := os.ReadFile(dump)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/pgdump.sql", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scrub(live, false)
	if len(live.Tables) < 15 || len(live.Indexes) < 30 {
		t.Fatalf("live catalog too small to prove anything: %d tables, %d indexes", len(live.Tables), len(live.Indexes))
	}
	for _, path := range []string{dump, "testdata/pgdump.sql"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := load(t, path)
			scrub(got, false)
			if diff := catalogDiff(live, got); diff != "" {
				t.Errorf("catalog from %s differs from the live one (-live +dump):\n%s", path, diff)
			}
		})
	}
}

// TestSchemaFileMatchesLive loads the hand-written schema itself: names
// PostgreSQL chooses (constraints, indexes, partition indexes, sequences)
// must come out the same as the server's, and types, columns, keys,
// constraints and indexes must agree.
func TestSchemaFileMatchesLive(t *testing.T) {
	_, live := liveRich(t)
	got := load(t, richSchema)
	scrub(live, true)
	scrub(got, true)
	if diff := catalogDiff(live, got); diff != "" {
		t.Errorf("catalog from %s differs from the live one (-live +file):\n%s", richSchema, diff)
	}
}

// TestFromDBReadsDump checks that the live catalog really holds what the
// dump says, so that the round trip compares something.
func TestFromDBReadsDump(t *testing.T) {
	_, live := liveRich(t)
	users := live.Tables["public.users"]
	if users == nil || users.PrimaryKey == nil || users.PrimaryKey.Name != "users_pkey" {
		t.Fatalf("users or its primary key missing: %+v", users)
	}
	if !strings.HasPrefix(live.Indexes["public.users_lower_email_idx"].Definition, "CREATE INDEX users_lower_email_idx ON public.users USING btree (lower") {
		t.Errorf("definition = %q", live.Indexes["public.users_lower_email_idx"].Definition)
	}
}
