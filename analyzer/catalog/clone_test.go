package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestClone(t *testing.T) {
	c := New()
	if errs := c.Apply(`CREATE TABLE a (id int PRIMARY KEY, name text UNIQUE, n int CHECK (n > 0));
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
CREATE INDEX b_a ON b (a_id);
CREATE TYPE mood AS ENUM ('sad', 'ok');`, "s.sql"); len(errs) > 0 {
		t.Fatal(errs)
	}
	cp := c.Clone()
	opts := cmp.Options{cmp.AllowUnexported(Catalog{}), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(c, cp, opts); diff != "" {
		t.Fatalf("clone differs (-orig +clone):\n%s", diff)
	}
	if cp.Tables["public.b"].Indexes[0] != cp.Indexes["public.b_a"] {
		t.Error("the clone's table and map hold different copies of an index")
	}
	if errs := cp.Apply(`ALTER TABLE a ALTER COLUMN n TYPE bigint;
ALTER TABLE a RENAME CONSTRAINT a_n_check TO positive;
DROP INDEX b_a;
ALTER TABLE b ADD COLUMN c text;
DROP TABLE b;
ALTER TYPE mood ADD VALUE 'happy';`, "m.sql"); len(errs) > 0 {
		t.Fatal(errs)
	}
	a := c.Tables["public.a"]
	if got := a.Column("n").Type; got != "integer" {
		t.Errorf("original column type = %q after altering the clone", got)
	}
	if got := a.Checks[0].Name; got != "a_n_check" {
		t.Errorf("original check name = %q after renaming in the clone", got)
	}
	if c.Tables["public.b"] == nil || c.Indexes["public.b_a"] == nil || len(c.Tables["public.b"].Columns) != 2 {
		t.Error("dropping in the clone changed the original")
	}
	if cp.Tables["public.b"] != nil {
		t.Error("clone still has the dropped table")
	}
}
