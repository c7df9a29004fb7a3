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
			fk.File, fk.Line, fk.Column = "", 0, 0
		}
		for _, con := range t.constraints() {
			con.File, con.Line, con.Column = "", 0, 0
		}
		if loose {
			t.ViewQuery, t.PartitionBound = "", ""
			for _, ck := range t.Checks {
				ck.Expr = ""
			}
		}
	}
	for _, ix := range c.Indexes {
		ix.SizeBytes, ix.Scans, ix.File, ix.Line, ix.Column, ix.Definition = 0, 0, "", 0, 0, ""
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

// TestFromDBStatistics checks the planner statistics FromDB reads:
// pg_class, pg_stat_user_tables, pg_stat_user_indexes and pg_stats.
func TestFromDBStatistics(t *testing.T) {
	url := pgtest.NewDatabase(t)
	// Statistics counters are flushed by a backend when it goes idle, at
	// most once a second, and when it exits, after the client has moved
	// on: each step forces the flush (PostgreSQL 15+) before it returns.
	pgtest.Exec(t, url, `CREATE TABLE t (id int PRIMARY KEY, kind text, note text, n int) PARTITION BY RANGE (id);
		CREATE TABLE t_1 PARTITION OF t FOR VALUES FROM (0) TO (5000);
		CREATE TABLE t_2 PARTITION OF t FOR VALUES FROM (5000) TO (20000);
		CREATE TABLE plain (id int PRIMARY KEY, kind text, note text, n int);
		CREATE INDEX plain_kind ON plain (kind);`)
	pgtest.Exec(t, url, `INSERT INTO t SELECT g, CASE WHEN g % 10 = 0 THEN 'rare' ELSE 'common' END,
			CASE WHEN g % 4 = 0 THEN NULL ELSE 'x' || g END, g % 100 FROM generate_series(1, 10000) g;
		INSERT INTO plain SELECT * FROM t;
		DELETE FROM plain WHERE id > 9000;
		ANALYZE;
		SELECT pg_stat_force_next_flush();`)
	pgtest.Exec(t, url, `SET enable_seqscan = off; SELECT * FROM plain WHERE kind = 'rare'; SELECT * FROM plain WHERE kind = 'rare';
		SELECT pg_stat_force_next_flush();`)
	conn := pgtest.Connect(t, url)
	if _, err := conn.Exec(context.Background(), "SET search_path = pg_catalog, public"); err != nil {
		t.Fatal(err)
	}
	c, err := FromDB(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	// The session's search path is untouched (set_config was local to
	// FromDB's transaction) and became the catalog's.
	var path string
	if err := conn.QueryRow(context.Background(), "SHOW search_path").Scan(&path); err != nil {
		t.Fatal(err)
	}
	if path != "pg_catalog, public" {
		t.Errorf("search_path after FromDB = %q", path)
	}
	if diff := cmp.Diff([]string{"pg_catalog", "public"}, c.SearchPath); diff != "" {
		t.Errorf("SearchPath (-want +got):\n%s", diff)
	}

	plain := c.Tables["public.plain"]
	st := plain.Stats
	if st == nil || st.RowEstimate != 9000 || st.Pages == 0 || st.SizeBytes < 8192 || st.Inserts != 10000 || st.Deletes != 1000 ||
		st.LiveTuples != 9000 || st.DeadTuples != 1000 {
		t.Errorf("plain stats = %+v", st)
	}
	if ix := c.Indexes["public.plain_kind"]; ix.Scans < 2 || ix.SizeBytes < 8192 || !ix.Valid {
		t.Errorf("plain_kind: scans %d, size %d, valid %v", ix.Scans, ix.SizeBytes, ix.Valid)
	}
	if st.IdxScans < 2 {
		t.Errorf("plain idx_scan = %d", st.IdxScans)
	}
	kind := plain.Column("kind").Stats
	if kind == nil || kind.NullFrac != 0 || kind.NDistinct != 2 || kind.AvgWidth == 0 ||
		!cmp.Equal(kind.MostCommon, []string{"common", "rare"}) || len(kind.MostFreqs) != 2 || kind.MostFreqs[0] < 0.85 {
		t.Errorf("kind stats = %+v", kind)
	}
	note := plain.Column("note").Stats
	if note == nil || note.NullFrac < 0.2 || note.NullFrac > 0.3 || note.NDistinct >= 0 || len(note.Histogram) < 10 {
		t.Errorf("note stats = %+v", note)
	}
	id := plain.Column("id").Stats
	if id == nil || id.Correlation < 0.99 || id.NDistinct != -1 || id.Histogram[0] != "1" {
		t.Errorf("id stats = %+v", id)
	}
	// A partitioned table has only inherited statistics, partitions
	// their own; the partitioned index has no size or scans of its own.
	parent := c.Tables["public.t"]
	if parent.Kind != KindPartitioned || parent.PartitionKey != "RANGE (id)" || parent.Column("n").Stats == nil || parent.Column("n").Stats.NDistinct != 100 {
		t.Errorf("t = %+v, n stats %+v", parent, parent.Column("n").Stats)
	}
	part := c.Tables["public.t_2"]
	if part.PartitionOf != "public.t" || part.PartitionBound != "FOR VALUES FROM (5000) TO (20000)" || part.Stats.RowEstimate != 5001 {
		t.Errorf("t_2 = %+v, stats %+v", part, part.Stats)
	}
	if ix := c.Indexes["public.t_2_pkey"]; ix.Parent != "public.t_pkey" || ix.Constraint != "t_2_pkey" || !ix.Primary {
		t.Errorf("t_2_pkey = %+v", ix)
	}
	if ix := c.Indexes["public.t_pkey"]; ix.Scans != -1 {
		t.Errorf("partitioned index t_pkey scans = %d, want -1 (unknown)", ix.Scans)
	}
}

// TestFromDBEmpty reads a database without user objects.
func TestFromDBEmpty(t *testing.T) {
	url := pgtest.NewDatabase(t)
	c, err := FromDB(context.Background(), pgtest.Connect(t, url))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tables) != 0 || len(c.Indexes) != 0 || !c.Schemas["public"] || !c.Extensions["plpgsql"] {
		t.Errorf("empty database catalog: %d tables, %d indexes, schemas %v, extensions %v", len(c.Tables), len(c.Indexes), c.Schemas, c.Extensions)
	}
}

// TestLoadCommittedDump loads the committed pg_dump file without a server:
// every statement applies and the partitions get their parents' foreign
// keys and attached indexes.
func TestLoadCommittedDump(t *testing.T) {
	c := load(t, "testdata/pgdump.sql")
	var tables, views, matviews, partitioned int
	for _, tb := range c.Tables {
		switch tb.Kind {
		case KindTable:
			tables++
		case KindView:
			views++
		case KindMatView:
			matviews++
		case KindPartitioned:
			partitioned++
		}
	}
	if tables != 11 || views != 2 || matviews != 1 || partitioned != 2 || len(c.Indexes) != 35 {
		t.Errorf("%d tables, %d views, %d matviews, %d partitioned, %d indexes", tables, views, matviews, partitioned, len(c.Indexes))
	}
	ev := c.Tables["public.events_2025"]
	if len(ev.ForeignKeys) != 1 || ev.ForeignKeys[0].Name != "events_user_id_fkey" || ev.PartitionOf != "public.events" {
		t.Errorf("events_2025 = %+v", ev)
	}
	if ix := c.Indexes["public.events_2025_pkey"]; ix == nil || ix.Parent != "public.events_pkey" || !ix.Primary {
		t.Errorf("events_2025_pkey = %+v", ix)
	}
	if got := c.Tables["public.users"].Column("mood").Type; got != "mood" {
		t.Errorf("users.mood type = %q", got)
	}
	if got := c.Tables["app.accounts"].Column("status").Default; got != "'new'::app.status" {
		t.Errorf("accounts.status default = %q", got)
	}
	if diff := cmp.Diff([]string{"public.users"}, c.Tables["public.active_users"].DependsOn); diff != "" {
		t.Errorf("active_users depends on (-want +got):\n%s", diff)
	}
}
