package migration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
)

func write(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	one := write(t, dir, "1_init.sql", `CREATE TABLE users (id bigint PRIMARY KEY);
CREATE INDEX users_id ON users (id);
`)
	two := write(t, dir, "2_more.sql", `BEGIN;
ALTER TABLE users ADD COLUMN email text;
COMMIT;
DROP INDEX users_id;
`)
	three := write(t, dir, "3_goose.sql", `-- +goose Up
ALTER TABLE users ADD COLUMN name text;
-- +goose Down
ALTER TABLE users DROP COLUMN name;
`)
	cat := catalog.New()
	ms, err := Build(context.Background(), cat, []string{one, two, three}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("got %d migrations, want 3", len(ms))
	}
	type row struct {
		Line       int
		Tag        string
		TableKnown bool
		Existing   bool
		Columns    int
		InTx       bool
	}
	var got []row
	for _, m := range ms {
		for _, st := range m.Statements {
			r := row{Line: st.Pos.Line, Tag: st.Model.Tag, InTx: st.Migration.InTransaction}
			if tb := st.Before.Tables["public.users"]; tb != nil {
				r.TableKnown, r.Columns = true, len(tb.Columns)
				r.Existing = st.Migration.Existing(tb) != nil
			}
			got = append(got, r)
		}
	}
	want := []row{
		{1, "CREATE TABLE", false, false, 0, false},
		{2, "CREATE INDEX", true, false, 1, false},
		{1, "BEGIN", true, true, 1, true},
		{2, "ALTER TABLE", true, true, 1, true},
		{3, "COMMIT", true, true, 2, false},
		{4, "DROP INDEX", true, true, 2, false},
		{2, "ALTER TABLE", true, true, 2, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	if cat.Tables["public.users"].Column("name") == nil || cat.Indexes["public.users_id"] != nil {
		t.Error("the final catalog lacks the migrations' changes (goose Down applied?)")
	}
}

func TestBuildParseError(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "1_ok.sql", "CREATE TABLE t (id int);\n")
	bad := write(t, dir, "2_bad.sql", "ALTER TABLE t\n  ADD COLUMN x intt garbage;\n")
	ms, err := Build(context.Background(), catalog.New(), []string{good, bad}, Options{})
	var me *Error
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if me.Pos.File != bad || me.Pos.Line != 2 {
		t.Errorf("error at %s, want %s:2", me.Pos, bad)
	}
	if len(ms) != 1 || ms[0].Path != good {
		t.Errorf("migrations read before the error: %d", len(ms))
	}
}
