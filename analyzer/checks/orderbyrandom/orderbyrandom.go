// Package orderbyrandom reports ORDER BY random().
package orderbyrandom

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the order-by-random check.
var Check = &check.Check{
	Name: "order-by-random",
	Doc: `ORDER BY random(): the whole table is read and sorted to pick a few rows.

Finds ORDER BY random() (and the other random functions:
gen_random_uuid(), uuid_generate_v4(), random_normal()) in any query
block.

Why it matters: to return a random row, PostgreSQL computes random() for
every row that passes the filters, then sorts them all (a top-N heapsort
with LIMIT, still reading every row). The cost grows with the table, and no
index helps.

How to fix: sample instead of sorting: TABLESAMPLE SYSTEM_ROWS(n) (the
tsm_system_rows extension) reads only n rows; or pick a random key and
seek to it, WHERE id >= (SELECT floor(random() * max(id)) FROM t) ORDER BY
id LIMIT 1, which uses the primary key; or keep a precomputed random
column with an index.

Severity: warning. No threshold.`,
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

// randomFuncs are functions that return a different random value per
// call.
var randomFuncs = map[string]bool{"random": true, "gen_random_uuid": true, "random_normal": true, "uuid_generate_v4": true}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		if s.Model == nil {
			continue
		}
		for i := range s.Model.Queries {
			q := &s.Model.Queries[i]
			for _, o := range q.OrderBy {
				name := funcName(o.Expr)
				if o.Expr.Kind != query.ExprFunc || !randomFuncs[name] {
					continue
				}
				pos := sqltext.Start(s)
				if ob := sqltext.Find(s.Text, q.Location, "order"); ob >= 0 {
					pos = s.PosAt(ob)
					if f := sqltext.Find(s.Text, ob, name); f >= 0 {
						pos = s.PosAt(f)
					}
				}
				pass.Reportf(pos, s.Fingerprint,
					"sample instead of sorting: TABLESAMPLE SYSTEM_ROWS(n) (tsm_system_rows), or seek to a random key: WHERE id >= (SELECT floor(random() * max(id)) FROM t) ORDER BY id LIMIT 1",
					"ORDER BY %s computes a random value for every row and sorts them all to return a few", o.Expr.Text)
			}
		}
	}
	return nil
}

// funcName is a function call's unqualified name.
func funcName(e query.Expr) string {
	name := strings.ToLower(e.Func)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
