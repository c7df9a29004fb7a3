package nplusone_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/nplusone"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// dir holds the logs testdata/nplusone/generate.sh wrote.
const dir = "../../testdata/nplusone/"

// logs are the inputs, with the log_line_prefix of app.log (not one of
// the known prefixes, so given as --log-prefix would be).
var logs = []struct {
	name   string
	prefix string
}{
	{"app.log", "%m [%p] %c %q[user=%u,db=%d,app=%a] "},
	{"app.csv", ""},
	{"app.json", ""},
	{"app-pid.log", ""}, // prefix detected; sessions by pid
}

var protocols = []string{"simple", "extended", "prepared"}

// pattern is what the tests compare of a Loop.
type pattern struct {
	Kind       nplusone.Kind
	Query      string
	Parent     string
	Bursts     int
	MaxRepeats int
	Calls      int64
	Sessions   int
}

// The queries of the simulation (testdata/nplusone/sim).
const (
	qIndex    = "SELECT id, author_id, title FROM posts WHERE blog_id = $1 ORDER BY id LIMIT 8"
	qAuthor   = "SELECT id, name FROM users WHERE id = $1"
	qCount    = "SELECT count(*) FROM comments WHERE post_id = $1"
	qPosts    = "SELECT id, title FROM posts WHERE author_id = $1 ORDER BY id LIMIT 6"
	qComments = "SELECT id, body FROM comments WHERE post_id = $1 ORDER BY id LIMIT 3"
	qSettings = "SELECT id, title FROM posts WHERE blog_id = $1 ORDER BY id LIMIT 7"
	qSetting  = "SELECT value FROM settings WHERE key = $1"
	qCounter  = "UPDATE counters SET hits = hits + 1 WHERE id = $1"
	qEvent    = "INSERT INTO events (counter_id, note) VALUES ($1, $2)"
	qStock    = "UPDATE items SET stock = stock - 1 WHERE id = $1"
	qOrder    = "INSERT INTO orders (item_id) VALUES ($1)"
)

// wantPerProtocol is what one protocol's run of the simulation holds:
// the two interleaved loops of the index page (3 views of 8 posts), the
// comments loop of the author page (2 views of 6 posts), the settings
// cache (7 identical lookups), and the writes of the repeated transaction
// and of the repeated checkout sequence, which are not N+1 loops: no
// loop has the SELECT of the checkout sequence or a parent for them.
var wantPerProtocol = []pattern{
	{nplusone.KindLoop, qCount, qIndex, 3, 8, 24, 1},
	{nplusone.KindLoop, qAuthor, qIndex, 3, 8, 24, 1},
	{nplusone.KindLoop, qComments, qPosts, 2, 6, 12, 1},
	{nplusone.KindWrites, qCounter, "", 1, 10, 10, 1},
	{nplusone.KindWrites, qEvent, "", 1, 10, 10, 1},
	{nplusone.KindWrites, qOrder, "", 1, 6, 6, 1},
	{nplusone.KindWrites, qStock, "", 1, 6, 6, 1},
	{nplusone.KindCache, qSetting, qSettings, 1, 7, 7, 1},
}

// detect runs the detector over one log, keeping the executions of one
// protocol's run of the simulation ("" for all).
func detect(t *testing.T, name, prefix, protocol string) []*nplusone.Loop {
	t.Helper()
	d := nplusone.New(nplusone.Options{})
	res, err := source.Read(context.Background(), []string{dir + name}, source.Options{
		LogPrefix: prefix,
		OnExecution: func(e *workload.Execution) {
			if protocol == "" || e.Application == "sim-"+protocol {
				d.Add(e)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in := res.Inputs[0]; in.Errors > 0 || in.SkippedLines > 0 {
		t.Fatalf("%s read with %d errors, %d lines skipped: %v", name, in.Errors, in.SkippedLines, in.Messages)
	}
	return d.Result()
}

// names maps fingerprints back to the simulation's queries.
func names(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{"": ""}
	for _, q := range []string{qIndex, qAuthor, qCount, qPosts, qComments, qSettings, qSetting, qCounter, qEvent, qStock, qOrder} {
		fp, err := sqlparse.Fingerprint(q)
		if err != nil {
			t.Fatal(err)
		}
		m[fp] = q
	}
	return m
}

func patterns(t *testing.T, loops []*nplusone.Loop) []pattern {
	t.Helper()
	byFP := names(t)
	var out []pattern
	for _, l := range loops {
		q, ok := byFP[l.Fingerprint]
		if !ok {
			q = "unexpected: " + l.Normalized
		}
		p, ok := byFP[l.ParentFingerprint]
		if !ok {
			p = "unexpected: " + l.ParentNormalized
		}
		out = append(out, pattern{l.Kind, q, p, l.Bursts, l.MaxRepeats, l.TotalCalls, l.Sessions})
	}
	slices.SortFunc(out, func(a, b pattern) int { return strings.Compare(string(a.Kind)+a.Query, string(b.Kind)+b.Query) })
	return out
}

func sorted(ps []pattern) []pattern {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b pattern) int { return strings.Compare(string(a.Kind)+a.Query, string(b.Kind)+b.Query) })
	return out
}

// TestLogs checks that every loop of the simulation is found in every
// log format and protocol, with its parent and repeat counts, that the
// repeated transactions are not N+1 loops, and that the cache-like repeat
// is a cache.
func TestLogs(t *testing.T) {
	for _, lg := range logs {
		for _, proto := range protocols {
			t.Run(lg.name+"/"+proto, func(t *testing.T) {
				loops := detect(t, lg.name, lg.prefix, proto)
				got := patterns(t, loops)
				if diff := cmp.Diff(sorted(wantPerProtocol), got); diff != "" {
					t.Errorf("patterns (-want +got):\n%s", diff)
				}
				checkExamples(t, dir+lg.name, loops)
			})
		}
		t.Run(lg.name+"/all", func(t *testing.T) {
			// The three protocols' sessions add up: three times the bursts
			// and calls, one session per protocol.
			var want []pattern
			for _, p := range wantPerProtocol {
				p.Bursts, p.Calls, p.Sessions = 3*p.Bursts, 3*p.Calls, 3
				want = append(want, p)
			}
			got := patterns(t, detect(t, lg.name, lg.prefix, ""))
			if diff := cmp.Diff(sorted(want), got); diff != "" {
				t.Errorf("patterns (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRewriteReturnsLoopRows runs, against a database loaded with the
// simulation's schema and data, each loop's example burst call by call,
// then its rewrite with the burst's values as one array, and the rewrite
// joined with the parent: both return the rows the loop returned in total.
// The batched writes run in a transaction rolled back, and touch as many
// rows as the loop's calls.
func TestRewriteReturnsLoopRows(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	url := pgtest.NewDatabase(t)
	pgtest.LoadFile(t, url, dir+"schema.sql")
	conn := pgtest.Connect(t, url)
	ctx := context.Background()
	for _, lg := range logs {
		for _, proto := range protocols {
			for _, l := range detect(t, lg.name, lg.prefix, proto) {
				if l.Kind != nplusone.KindLoop && l.Kind != nplusone.KindWrites {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/%s", lg.name, proto, l.Normalized), func(t *testing.T) {
					rw := l.Rewrite
					if rw == nil {
						t.Fatalf("no rewrite: %v", l.RewriteErr)
					}
					for _, sql := range []string{rw.SQL, rw.Join} {
						if sql == "" {
							continue
						}
						if _, err := sqlparse.Analyze(sql, nil); err != nil {
							t.Errorf("rewrite does not parse: %v\n%s", err, sql)
						}
					}
					if l.Kind == nplusone.KindWrites {
						checkWrites(ctx, t, conn, l)
						return
					}
					checkLoop(ctx, t, conn, l)
				})
			}
		}
	}
}

func checkLoop(ctx context.Context, t *testing.T, conn *pgx.Conn, l *nplusone.Loop) {
	rw := l.Rewrite
	// The loop, call by call: every call, and once per distinct value.
	var all, distinct []string
	var keys []*string
	seen := map[string]bool{}
	for _, c := range l.Example {
		rows := run(ctx, t, conn, inline(t, callText(c), nplusone.Values(c), 0, nil), 0)
		all = append(all, rows...)
		v := nplusone.Values(c)[rw.Param-1]
		if k := fmt.Sprint(deref(v)); !seen[k] {
			seen[k] = true
			keys = append(keys, v)
			distinct = append(distinct, rows...)
		}
	}
	if len(all) == 0 {
		t.Fatal("the loop's calls returned no rows: nothing compared")
	}
	first := nplusone.Values(l.Example[0])
	got := run(ctx, t, conn, inline(t, rw.SQL, first, rw.Param, keys), rw.Added)
	if diff := cmp.Diff(sortedRows(distinct), sortedRows(got)); diff != "" {
		t.Errorf("%s rewrite returns other rows than the loop (-loop +rewrite):\n%s\n%s", rw.Form, diff, rw.SQL)
	}
	if rw.Join == "" {
		t.Fatalf("no join with the parent %q", l.ParentNormalized)
	}
	// The join: the parent's values, then the loop's other values.
	pv := nplusone.Values(*l.Parent)
	vals := slices.Clone(pv)
	vals = append(vals, first...)
	vals[len(pv)+rw.Param-1] = nil
	got = run(ctx, t, conn, inline(t, rw.Join, vals, 0, nil), 1)
	if diff := cmp.Diff(sortedRows(all), sortedRows(got)); diff != "" {
		t.Errorf("join returns other rows than the loop (-loop +join):\n%s\n%s", diff, rw.Join)
	}
}

func checkWrites(ctx context.Context, t *testing.T, conn *pgx.Conn, l *nplusone.Loop) {
	rw := l.Rewrite
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	first := nplusone.Values(l.Example[0])
	var sql string
	switch rw.Form {
	case "unnest-insert":
		// Every parameter takes the array of its values.
		sql = rw.SQL
		for p := len(first); p >= 1; p-- {
			var col []*string
			for _, c := range l.Example {
				col = append(col, nplusone.Values(c)[p-1])
			}
			sql = inline(t, sql, nil, p, col)
		}
	default:
		var keys []*string
		for _, c := range l.Example {
			keys = append(keys, nplusone.Values(c)[rw.Param-1])
		}
		sql = inline(t, rw.SQL, first, rw.Param, keys)
	}
	tag, err := tx.Exec(ctx, sql)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	if int(tag.RowsAffected()) != len(l.Example) {
		t.Errorf("batched write touched %d rows, the loop %d calls:\n%s", tag.RowsAffected(), len(l.Example), sql)
	}
}

// callText is a call's text with $n parameters or literals.
func callText(c nplusone.Call) string { return c.Text }

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// inline writes values into sql as untyped literals (PostgreSQL types
// them from their context): $param takes the array of arr; every other
// $n takes vals[n-1] (parameters beyond vals are left alone, as are
// statements whose values are already literals).
func inline(t *testing.T, sql string, vals []*string, param int, arr []*string) string {
	t.Helper()
	lit := func(s *string) string {
		if s == nil {
			return "NULL"
		}
		return "'" + strings.ReplaceAll(*s, "'", "''") + "'"
	}
	var b strings.Builder
	last := 0
	lx := sqlparse.NewLexer(sql, false)
	for tok := lx.Next(); tok.Kind != sqlparse.TokEOF; tok = lx.Next() {
		if tok.Kind != sqlparse.TokParam {
			continue
		}
		n, err := strconv.Atoi(tok.Text(sql)[1:])
		if err != nil {
			t.Fatal(err)
		}
		var rep string
		switch {
		case n == param:
			var els []string
			for _, v := range arr {
				if v == nil {
					els = append(els, "NULL")
					continue
				}
				els = append(els, `"`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(*v)+`"`)
			}
			s := "{" + strings.Join(els, ",") + "}"
			rep = lit(&s)
		case n <= len(vals) && (n != param):
			rep = lit(vals[n-1])
		default:
			continue
		}
		b.WriteString(sql[last:tok.Start])
		b.WriteString(rep)
		last = tok.End
	}
	b.WriteString(sql[last:])
	return b.String()
}

// run runs sql and returns its rows as text, without the first skip
// columns.
func run(ctx context.Context, t *testing.T, conn *pgx.Conn, sql string, skip int) []string {
	t.Helper()
	rows, err := conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(v[skip:]))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return out
}

func sortedRows(r []string) []string {
	out := slices.Clone(r)
	slices.Sort(out)
	return out
}

// TestPgbenchLogs checks the look-alike on real logs of another kind:
// pgbench runs the same transaction again and again in the simple,
// extended and prepared protocols (testdata/logs), with no parent query.
// No N+1 loop, in any format: only its writes, as batch-writes without a
// parent.
func TestPgbenchLogs(t *testing.T) {
	for _, name := range []string{"pgbench.log", "pgbench.csv", "pgbench.json"} {
		t.Run(name, func(t *testing.T) {
			d := nplusone.New(nplusone.Options{})
			if _, err := source.Read(context.Background(), []string{"../../testdata/logs/" + name}, source.Options{OnExecution: d.Add}); err != nil {
				t.Fatal(err)
			}
			writes := 0
			for _, l := range d.Result() {
				if l.Kind != nplusone.KindWrites || l.ParentFingerprint != "" {
					t.Errorf("%s %q under %q: want only batch-writes without a parent", l.Kind, l.Normalized, l.ParentNormalized)
				}
				if strings.Contains(l.Normalized, "pgbench_accounts SET") && (l.TotalCalls != 120 || l.Sessions != 6) {
					t.Errorf("%q: %d calls in %d sessions, want pgbench's 120 in 6", l.Normalized, l.TotalCalls, l.Sessions)
				}
				writes++
			}
			if writes == 0 {
				t.Error("no batch-writes for pgbench's repeated updates")
			}
		})
	}
}

// checkExamples checks that each pattern's example points at a line of
// the log that holds its query (its table's name), and its parent's at
// an earlier line.
func checkExamples(t *testing.T, path string, loops []*nplusone.Loop) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for _, l := range loops {
		if l.Line < 1 || l.Line > len(lines) || !strings.Contains(lines[l.Line-1], table(l.Normalized)) {
			t.Errorf("%q: example at line %d, which does not hold it", l.Normalized, l.Line)
		}
		if len(l.Example) != l.MaxRepeats {
			// The example is the first burst; in the simulation every
			// burst of a pattern has the same size.
			t.Errorf("%q: example of %d calls, bursts of %d", l.Normalized, len(l.Example), l.MaxRepeats)
		}
		if l.Parent != nil && (l.Parent.Line >= l.Line || !strings.Contains(lines[l.Parent.Line-1], table(l.ParentNormalized))) {
			t.Errorf("%q: parent at line %d, example at %d", l.Normalized, l.Parent.Line, l.Line)
		}
	}
}

// table returns the first table a statement names (after FROM, INTO or
// UPDATE).
func table(sql string) string {
	f := strings.Fields(sql)
	for i, w := range f[:len(f)-1] {
		switch strings.ToUpper(w) {
		case "FROM", "INTO", "UPDATE":
			return f[i+1]
		}
	}
	return sql
}
