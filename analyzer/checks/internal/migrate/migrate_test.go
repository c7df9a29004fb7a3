package migrate

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

func TestVolatileCall(t *testing.T) {
	for expr, want := range map[string]string{
		"gen_random_uuid()":                 "gen_random_uuid",
		"(random() * 10)::integer":          "random",
		"now()":                             "",
		"'random()'":                        "",
		"pg_catalog.clock_timestamp()":      "pg_catalog.clock_timestamp",
		"nextval('users_id_seq'::regclass)": "nextval",
		"0":                                 "",
	} {
		if got := VolatileCall(expr); got != want {
			t.Errorf("VolatileCall(%q) = %q, want %q", expr, got, want)
		}
	}
}

func TestFind(t *testing.T) {
	st := &check.Statement{Pos: check.Position{File: "m.sql", Line: 3, Column: 1}, Text: "ALTER TABLE t /* SET NOT NULL */\n  ALTER COLUMN a SET\n NOT NULL"}
	if got := Find(st, 0, "SET NOT NULL"); got.Line != 4 || got.Column != 18 {
		t.Errorf("Find = %s, want m.sql:4:18", got)
	}
	if got := Find(st, 0, "DROP DEFAULT"); got.Line != 3 || got.Column != 1 {
		t.Errorf("Find of a missing phrase = %s, want the statement's start", got)
	}
}

func TestExisting(t *testing.T) {
	start := catalog.New()
	start.Apply("CREATE TABLE old (id int);", "s.sql")
	before := start.Clone()
	before.Apply("CREATE TABLE fresh (id int);", "m.sql")
	st := &check.Statement{Before: before, Migration: &check.Migration{Start: start}}
	if Existing(st, query.TableName{Name: "old"}) == nil {
		t.Error("a table of the schema before the migration is not existing")
	}
	if Existing(st, query.TableName{Name: "fresh"}) != nil {
		t.Error("a table the migration created counts as existing")
	}
	if u := Existing(st, query.TableName{Name: "unknown"}); u == nil || u.Key() != "public.unknown" {
		t.Errorf("an unknown table = %+v, want a stand-in public.unknown", u)
	}
}
