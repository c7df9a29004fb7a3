package pglog

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// logs is the directory of the logs written by testdata/logs/generate.sh.
const logs = "../../../testdata/logs"

// xrow is an execution as tests compare it.
type xrow struct {
	Line   int
	Col    int
	Text   string
	DurUS  int64
	Timed  bool
	Failed bool
	Params []string
	Sess   string
	DB     string
	User   string
}

// recorder keeps every execution and plan, and a workload.
type recorder struct {
	w     *workload.Workload
	execs []xrow
	plans []*Plan
}

func (r *recorder) Execution(e *workload.Execution) {
	r.w.AddPtr(e)
	x := xrow{
		Line: e.Line, Col: e.Column, Text: strings.Clone(e.Text),
		DurUS: int64(math.Round(e.DurationMS * 1000)), Timed: e.HasDuration, Failed: e.Failed,
		Sess: strings.Clone(e.Session), DB: strings.Clone(e.Database), User: strings.Clone(e.User),
	}
	for _, p := range e.Params {
		if p == nil {
			x.Params = append(x.Params, "NULL")
		} else {
			x.Params = append(x.Params, strings.Clone(*p))
		}
	}
	r.execs = append(r.execs, x)
}

func (r *recorder) Plan(p *Plan) { r.plans = append(r.plans, p) }

func read(t *testing.T, path string, opts Options) (*recorder, *Stats) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{w: workload.New()}
	st, err := Read(context.Background(), bytes.NewReader(b), filepath.Base(path), opts, rec)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return rec, st
}

// query is a workload query as tests compare it across formats.
type query struct {
	FP         string
	Normalized string
	Calls      int64
	Failed     int64
	Timed      int64
	TotalUS    int64
	MaxUS      int64
	MinUS      int64
	P95US      int64
	Sessions   int
}

func us(ms float64) int64 { return int64(math.Round(ms * 1000)) }

func summarize(w *workload.Workload) []query {
	var out []query
	for _, q := range w.Queries() {
		s := query{
			FP: q.Fingerprint, Normalized: q.Normalized, Calls: q.Calls, Failed: q.Failed, Timed: q.Timed,
			TotalUS: us(q.TotalMS), MaxUS: us(q.MaxMS), MinUS: us(q.MinMS), P95US: us(q.P95MS()),
			Sessions: q.Sessions(),
		}
		out = append(out, s)
	}
	return out
}

// TestFormatsAgree reads the one run that PostgreSQL wrote to stderr,
// csvlog and jsonlog at once: the three workloads must be equal, to the
// microsecond. (Not the samples: backends write a message to each
// destination separately, so the order of two backends' messages may
// differ between the files.)
func TestFormatsAgree(t *testing.T) {
	want, wantSt := read(t, filepath.Join(logs, "pgbench.log"), Options{})
	if wantSt.Format != Stderr || wantSt.Prefix != "%m [%p] %q%u@%d " || !wantSt.PrefixDetected {
		t.Fatalf("pgbench.log read as %s", wantSt.Detected())
	}
	for _, tc := range []struct {
		file   string
		format Format
	}{
		{"pgbench.csv", CSV},
		{"pgbench.json", JSON},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, st := read(t, filepath.Join(logs, tc.file), Options{})
			if st.Format != tc.format {
				t.Errorf("format %s, want %s", st.Format, tc.format)
			}
			if diff := cmp.Diff(summarize(want.w), summarize(got.w)); diff != "" {
				t.Errorf("workload differs from stderr's (-stderr +%s):\n%s", tc.format, diff)
			}
			for _, f := range []func(*Stats) int64{
				func(s *Stats) int64 { return s.Executions },
				func(s *Stats) int64 { return s.Failed },
				func(s *Stats) int64 { return s.Unparsed },
				func(s *Stats) int64 { return s.Plans },
				func(s *Stats) int64 { return s.Entries },
				func(s *Stats) int64 { return s.Protocol },
				func(s *Stats) int64 { return s.Other },
				func(s *Stats) int64 { return s.Skipped },
			} {
				if f(st) != f(wantSt) {
					t.Errorf("stats differ: stderr %+v\n%s %+v", *wantSt, tc.format, *st)
					break
				}
			}
			if len(got.plans) != len(want.plans) {
				t.Fatalf("%d plans, stderr has %d", len(got.plans), len(want.plans))
			}
			for i := range got.plans {
				g, w := got.plans[i], want.plans[i]
				if g.Text != w.Text || g.Query != w.Query || g.Fingerprint != w.Fingerprint || g.Format != w.Format || g.DurationMS != w.DurationMS {
					t.Errorf("plan %d differs:\n%+v\nstderr:\n%+v", i, *g, *w)
				}
			}
		})
	}
}

// TestCallCounts checks the workload of pgbench.log against what
// generate.sh ran: pgbench -i, then 3 protocols x 2 clients x 20
// transactions of 7 statements, then the psql sessions.
func TestCallCounts(t *testing.T) { checkCounts(t, logs) }

// TestGenerate runs testdata/logs/generate.sh: a new run of PostgreSQL
// (other pids, timings and interleavings) must give the same counts, and
// its three destinations the same workload.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the PostgreSQL server binaries")
	}
	dir := t.TempDir()
	out, err := exec.Command(filepath.Join(logs, "generate.sh"), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, out)
	}
	checkCounts(t, dir)
	want, _ := read(t, filepath.Join(dir, "pgbench.log"), Options{})
	for _, file := range []string{"pgbench.csv", "pgbench.json"} {
		got, _ := read(t, filepath.Join(dir, file), Options{})
		if diff := cmp.Diff(summarize(want.w), summarize(got.w)); diff != "" {
			t.Errorf("%s: workload differs from stderr's:\n%s", file, diff)
		}
	}
}

func checkCounts(t *testing.T, dir string) {
	for _, file := range []string{"pgbench.log", "pgbench.csv", "pgbench.json"} {
		t.Run(file, func(t *testing.T) {
			rec, st := read(t, filepath.Join(dir, file), Options{})
			type count struct{ Calls, Failed, Timed int64 }
			got := map[string]count{}
			for _, q := range rec.w.Queries() {
				got[q.Normalized] = count{q.Calls, q.Failed, q.Timed}
			}
			want := map[string]count{
				// 120 transactions, plus pgbench -i's own begin/commit.
				"begin":  {121, 0, 121},
				"commit": {121, 0, 121},
				"UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;":                                  {120, 0, 120},
				"SELECT abalance FROM pgbench_accounts WHERE aid = $1;":                                                 {120, 0, 120},
				"UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;":                                   {120, 0, 120},
				"UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;":                                  {120, 0, 120},
				"INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);": {120, 0, 120},
				// pgbench -i's 10 tellers.
				"insert into pgbench_tellers(tid,bid,tbalance) values ($1,$2,$3)": {10, 0, 10},
				// pgbench -i's branch, and psql's duplicate that failed.
				"insert into pgbench_branches(bid,bbalance) values($1,$2)": {2, 1, 1},
				// Both psql sessions; the second logged it first with
				// log_statement = all: still one call.
				"SELECT * FROM no_such_table;": {2, 2, 0},
				"SELEC 1;":                     {1, 1, 0},
				"SELECT $1/$2;":                {1, 1, 0},
				// log_statement = all: the first with the duration that
				// follows it, the second without.
				"SELECT count(*) FROM pgbench_tellers WHERE tid = $1;": {2, 0, 1},
				"SELECT pg_sleep($1);":                                 {1, 0, 1},
				"SELECT a.aid, a.abalance\n  FROM pgbench_accounts a\n  JOIN pgbench_branches b ON b.bid = a.bid\n WHERE a.aid BETWEEN $1 AND $2\n ORDER BY a.aid;": {1, 0, 1},
				"SELECT $1 AS s, $2 AS u;": {1, 0, 1},
			}
			for norm, w := range want {
				if g := got[norm]; g != w {
					t.Errorf("%q: got %+v, want %+v", norm, g, w)
				}
			}
			if st.Failed != 5 || st.Unparsed != 1 || st.Plans != 2 || st.Skipped != 0 {
				t.Errorf("stats %+v", *st)
			}
			// The extended protocol's parse and bind are not calls.
			if st.Protocol == 0 {
				t.Errorf("no parse/bind message counted")
			}
		})
	}
}

// TestPlans checks the auto_explain plans (text, then JSON) and that they
// are attached to their query.
func TestPlans(t *testing.T) {
	rec, _ := read(t, filepath.Join(logs, "pgbench.log"), Options{})
	if len(rec.plans) != 2 {
		t.Fatalf("%d plans, want 2", len(rec.plans))
	}
	for i, want := range []struct {
		format, query, first string
	}{
		{"text", "SELECT t.tid, count(*)\n  FROM pgbench_tellers t\n  JOIN pgbench_history h ON h.tid = t.tid\n GROUP BY t.tid\n ORDER BY t.tid;", "Query Text: SELECT t.tid"},
		{"json", "SELECT count(*) FROM pgbench_accounts WHERE abalance > 0;", "{"},
	} {
		p := rec.plans[i]
		if p.Format != want.format || p.Query != want.query || !strings.HasPrefix(p.Text, want.first) {
			t.Errorf("plan %d: format %q query %q text %.40q", i, p.Format, p.Query, p.Text)
		}
		q := rec.w.Query(p.Fingerprint)
		if q == nil || q.Calls != 1 {
			t.Errorf("plan %d: fingerprint %s is not a query of the workload", i, p.Fingerprint)
		}
		if p.Line == 0 || p.DurationMS <= 0 {
			t.Errorf("plan %d: line %d duration %v", i, p.Line, p.DurationMS)
		}
	}
	if !strings.Contains(rec.plans[0].Text, "->  Hash Join") || strings.Contains(rec.plans[0].Text, "\n\t") {
		t.Errorf("text plan not dedented:\n%s", rec.plans[0].Text)
	}
}

// TestChunkBoundaries reads the logs in tiny chunks with several workers:
// records cut across chunks must come out the same.
func TestChunkBoundaries(t *testing.T) {
	for _, file := range []string{"pgbench.log", "pgbench.csv", "pgbench.json", "rds.log"} {
		want, _ := read(t, filepath.Join(logs, file), Options{})
		for _, size := range []int{61, 1000, 4096, 65536} {
			for _, workers := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/%d/%d", file, size, workers), func(t *testing.T) {
					got, _ := read(t, filepath.Join(logs, file), Options{ChunkSize: size, Workers: workers})
					if diff := cmp.Diff(want.execs, got.execs); diff != "" {
						t.Errorf("executions differ (-whole +chunked):\n%s", diff)
					}
				})
			}
		}
	}
}

// TestPrefixLogs reads the logs written with other prefixes.
func TestPrefixLogs(t *testing.T) {
	const escapes = "%m|%t|%n|%p|%P|%c|%l|%s|%v|%x|%e|%a|%u|%d|%r|%h|%b|%i|%Q|%%|%q> "
	for _, tc := range []struct {
		file, prefix string
		detected     string
		execs        int64
		params       []string
	}{
		{"rds.log", "", "%t:%r:%u@%d:[%p]:", 75, []string{"2470", "1126..."}},
		{"escapes.log", escapes, escapes, 73, nil},
		{"escapes.log", "", Generic.src, 73, nil},
	} {
		t.Run(tc.file+"/"+tc.prefix, func(t *testing.T) {
			rec, st := read(t, filepath.Join(logs, tc.file), Options{Prefix: tc.prefix})
			if st.Prefix != tc.detected || st.Skipped != 0 || st.Executions != tc.execs {
				t.Fatalf("%s: %+v", st.Detected(), *st)
			}
			for _, name := range []string{"UPDATE pgbench_accounts", "BEGIN", "END"} {
				n := 0
				for _, e := range rec.execs {
					if strings.HasPrefix(e.Text, name) {
						n++
					}
				}
				if n != 10 {
					t.Errorf("%s: %d calls, want 10", name, n)
				}
			}
			for _, e := range rec.execs {
				if strings.HasPrefix(e.Text, "UPDATE pgbench_accounts") && e.Params != nil {
					if tc.params != nil && !slices.Equal(e.Params, tc.params) && len(e.Params) == 2 && !strings.HasSuffix(e.Params[1], "...") {
						t.Errorf("params %q: log_parameter_max_length = 4 truncates them", e.Params)
					}
				}
				if tc.prefix != "" && (e.DB != "bench" || e.User != "postgres" || e.Sess == "") {
					t.Errorf("line %d: db %q user %q session %q", e.Line, e.DB, e.User, e.Sess)
				}
			}
		})
	}
}

// TestBadInput reads a hand-made log of garbage, invalid UTF-8, binary
// bytes, a csvlog line, orphan lines and a truncated last line.
func TestBadInput(t *testing.T) {
	rec, st := read(t, "testdata/bad.log", Options{})
	want := []xrow{
		{Line: 1, Col: 89, Text: "SELECT 1;", DurUS: 434, Timed: true, Sess: "13477", DB: "bench", User: "postgres"},
		{Line: 7, Col: 89, Text: "SELECT 2\nFROM pgbench_tellers;", DurUS: 1000, Timed: true, Sess: "13477", DB: "bench", User: "postgres"},
		{Line: 10, Col: 64, Text: "SELECT * FROM nope;", Failed: true, Sess: "13478", DB: "bench", User: "postgres"},
		{Line: 12, Col: 89, Text: "SELECT 3;", DurUS: 2000, Timed: true, Sess: "13478", DB: "bench", User: "postgres"},
	}
	if diff := cmp.Diff(want, rec.execs); diff != "" {
		t.Errorf("executions (-want +got):\n%s", diff)
	}
	wantProblems := []string{
		"bad.log:2: not a PostgreSQL log line (no severity such as LOG: or ERROR:)",
		"bad.log:3: invalid UTF-8",
		"bad.log:4: invalid UTF-8",
		"bad.log:5: not a PostgreSQL log line (no severity such as LOG: or ERROR:)",
		"bad.log:6: continuation line without a message before it",
		"bad.log:14: invalid UTF-8 (the message of line 13 is dropped)",
		"bad.log:16: not a PostgreSQL log line (no severity such as LOG: or ERROR:)",
	}
	if diff := cmp.Diff(wantProblems, st.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if st.Lines != 16 || st.Skipped != 8 || st.Other != 2 {
		t.Errorf("lines %d skipped %d other %d, want 16, 8, 2", st.Lines, st.Skipped, st.Other)
	}
}

// TestSyslog reads syslog lines: split messages (#011 continuations and a
// split at a word boundary), interleaved backends, a DETAIL and a
// STATEMENT sent as messages of their own, RFC 3339 headers.
func TestSyslog(t *testing.T) {
	rec, st := read(t, "testdata/syslog.log", Options{})
	if st.Format != Syslog || st.Prefix != "%m [%p] %q%u@%d " {
		t.Fatalf("read as %s", st.Detected())
	}
	want := []xrow{
		{Line: 1, Col: 141, Text: "BEGIN;", DurUS: 13, Timed: true, Sess: "13487", DB: "bench", User: "postgres"},
		{Line: 3, Col: 141, Text: "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;", DurUS: 265, Timed: true,
			Params: []string{"-1550", "15486"}, Sess: "13487", DB: "bench", User: "postgres"},
		{Line: 2, Col: 132, Text: "SELECT a.aid, a.abalance\n  FROM pgbench_accounts a\n WHERE a.aid BETWEEN 1 AND 10\n ORDER BY a.aid;",
			DurUS: 1564, Timed: true, Sess: "13488", DB: "bench", User: "postgres"},
		{Line: 8, Col: 133, Text: "SELECT abalance, filler, bid, aid FROM pgbench_accounts WHERE aid = 7;", DurUS: 100, Timed: true, Sess: "13487", DB: "bench", User: "postgres"},
		// A backend's last messages wait for a DETAIL or STATEMENT that
		// may follow: they come out at the end.
		{Line: 11, Col: 141, Text: "END;", DurUS: 50, Timed: true, Sess: "13487", DB: "bench", User: "postgres"},
		{Line: 12, Col: 107, Text: "SELECT * FROM nope;", Failed: true, Sess: "13488", DB: "bench", User: "postgres"},
		{Line: 13, Col: 129, Text: "SELECT count(*) FROM pgbench_tellers WHERE tid = 3;", DurUS: 2791, Timed: true, Sess: "13490", DB: "bench", User: "postgres"},
	}
	if diff := cmp.Diff(want, rec.execs); diff != "" {
		t.Errorf("executions (-want +got):\n%s", diff)
	}
	if st.Lines != 16 || st.Skipped != 2 {
		t.Errorf("lines %d skipped %d, want 16 and 2: %q", st.Lines, st.Skipped, st.Problems)
	}
}

// TestFilters applies --since/--until, --database, --user and
// --min-duration to pgbench.log.
func TestFilters(t *testing.T) {
	// Every execution with its time.
	b, err := os.ReadFile(filepath.Join(logs, "pgbench.log"))
	if err != nil {
		t.Fatal(err)
	}
	all := &timeSink{rec: &recorder{w: workload.New()}}
	if _, err := Read(context.Background(), bytes.NewReader(b), "pgbench.log", Options{}, all); err != nil {
		t.Fatal(err)
	}
	execs, times := all.rec.execs, all.times
	since, until := times[300], times[600]
	count := func(keep func(i int) bool) int {
		n := 0
		for i := range execs {
			if keep(i) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name string
		opts Options
		want int
	}{
		{"since", Options{Since: since}, count(func(i int) bool { return !times[i].Before(since) })},
		{"until", Options{Until: until}, count(func(i int) bool { return !times[i].After(until) })},
		{"between", Options{Since: since, Until: until}, count(func(i int) bool { return !times[i].Before(since) && !times[i].After(until) })},
		{"database", Options{Database: "postgres"}, count(func(i int) bool { return execs[i].DB == "postgres" })},
		{"user", Options{User: "nobody"}, 0},
		{"min-duration", Options{MinDuration: time.Millisecond}, count(func(i int) bool { return execs[i].Timed && execs[i].DurUS >= 1000 })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, st := read(t, filepath.Join(logs, "pgbench.log"), tc.opts)
			if len(got.execs) != tc.want || tc.want == len(execs) {
				t.Errorf("%d executions kept, want %d of %d", len(got.execs), tc.want, len(execs))
			}
			if st.Filtered != int64(len(execs)-tc.want)+st.Filtered-int64(len(execs)-len(got.execs)) || st.Filtered == 0 {
				t.Errorf("filtered %d", st.Filtered)
			}
		})
	}
}

type timeSink struct {
	rec   *recorder
	times []time.Time
}

func (s *timeSink) Execution(e *workload.Execution) {
	s.rec.Execution(e)
	s.times = append(s.times, e.Time)
}

func (s *timeSink) Plan(p *Plan) {}
