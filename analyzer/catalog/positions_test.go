package catalog

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPositions pins where constraints, foreign keys and indexes are
// located: a constraint and the index that backs it at the constraint's
// clause (not at the CREATE TABLE or ALTER TABLE that holds it), a plain
// index at its CREATE INDEX, columns counted in characters.
func TestPositions(t *testing.T) {
	c, errs := applyFiles(`CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text UNIQUE,
    "naïve" int,
    CONSTRAINT users_naive_check CHECK ("naïve" > 0)
);
CREATE TABLE orders (
    id bigint,
    user_id bigint REFERENCES users,
    ref text,
    CONSTRAINT orders_pk PRIMARY KEY (id),
    UNIQUE (ref)
);
  CREATE INDEX orders_user ON orders (user_id);
ALTER TABLE ONLY orders
    ADD CONSTRAINT orders_user_ref_key UNIQUE (user_id, ref);
ALTER TABLE ONLY orders
    ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
CREATE UNIQUE INDEX orders_ref_uniq ON orders (ref);
ALTER TABLE orders ADD CONSTRAINT orders_ref_uq
    UNIQUE USING INDEX orders_ref_uniq;`)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := map[string]string{}
	pos := func(file string, line, col int) string { return fmt.Sprintf("%s:%d:%d", file, line, col) }
	for _, tb := range c.AllTables() {
		for _, con := range tb.constraints() {
			got["constraint "+con.Name] = pos(con.File, con.Line, con.Column)
		}
		for _, fk := range tb.ForeignKeys {
			got["fk "+fk.Name] = pos(fk.File, fk.Line, fk.Column)
		}
		for _, ix := range tb.Indexes {
			got["index "+ix.Name] = pos(ix.File, ix.Line, ix.Column)
		}
	}
	want := map[string]string{
		"constraint users_pkey":          "01.sql:2:15",
		"index users_pkey":               "01.sql:2:15",
		"constraint users_email_key":     "01.sql:3:16",
		"index users_email_key":          "01.sql:3:16",
		"constraint users_naive_check":   "01.sql:5:5",
		"fk orders_user_id_fkey":         "01.sql:9:20",
		"constraint orders_pk":           "01.sql:11:5",
		"index orders_pk":                "01.sql:11:5",
		"constraint orders_ref_key":      "01.sql:12:5",
		"index orders_ref_key":           "01.sql:12:5",
		"index orders_user":              "01.sql:14:3",
		"constraint orders_user_ref_key": "01.sql:16:9",
		"index orders_user_ref_key":      "01.sql:16:9",
		"fk orders_user_fk":              "01.sql:18:9",
		// ADD CONSTRAINT ... USING INDEX: the index now belongs to the
		// constraint (dropping it means dropping the constraint).
		"constraint orders_ref_uq": "01.sql:20:24",
		"index orders_ref_uq":      "01.sql:20:24",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}
