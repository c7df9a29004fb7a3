package nplusone

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// statements of the scripts: a letter, then the value of its parameter.
var script = map[byte]string{
	'P': "SELECT id, author_id FROM posts WHERE blog_id = %s",
	'Q': "SELECT id FROM posts WHERE author_id = %s",
	'A': "SELECT id, name FROM users WHERE id = %s",
	'B': "SELECT count(*) FROM comments WHERE post_id = %s",
	'K': "SELECT value FROM settings WHERE key = 'currency%s'",
	'S': "SELECT stock FROM items WHERE id = %s",
	'U': "UPDATE counters SET hits = hits + 1 WHERE id = %s",
	'I': "INSERT INTO events (counter_id) VALUES (%s)",
	'T': "BEGIN",
	'C': "COMMIT",
	'X': "SELECT now()",
}

var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// executions turns a script into executions of one session: "P1 A1 A2"
// runs P with 1, A with 1, A with 2, a millisecond apart; "+200" waits
// 200 ms more.
func executions(t *testing.T, session, s string, at time.Time) []workload.Execution {
	t.Helper()
	var out []workload.Execution
	for i, tok := range strings.Fields(s) {
		if ms, ok := strings.CutPrefix(tok, "+"); ok {
			n, err := strconv.Atoi(ms)
			if err != nil {
				t.Fatal(err)
			}
			at = at.Add(time.Duration(n) * time.Millisecond)
			continue
		}
		f, ok := script[tok[0]]
		if !ok {
			t.Fatalf("no statement %q", tok)
		}
		text := f
		if strings.Contains(f, "%s") {
			text = fmt.Sprintf(f, tok[1:])
		}
		fp, err := sqlparse.Fingerprint(text)
		if err != nil {
			t.Fatal(err)
		}
		norm, err := sqlparse.Normalize(text)
		if err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Millisecond)
		out = append(out, workload.Execution{
			File: "test.log", Line: i + 1, Kind: "stderr", Text: text, Fingerprint: fp, Normalized: norm,
			Calls: 1, HasDuration: true, DurationMS: 0.5, Session: session, Time: at,
		})
	}
	return out
}

// found is what the detector tests compare of a Loop: its kind, its
// query and its parent as script letters, its counts.
type found struct {
	Kind                         Kind
	Query, Parent                string
	Bursts, MaxRepeats, Distinct int
	Calls                        int64
	Sessions                     int
}

func summarize(loops []*Loop) []found {
	letter := func(norm string) string {
		for c, f := range script {
			n, _ := sqlparse.Normalize(strings.ReplaceAll(f, "%s", "1"))
			if n == norm {
				return string(c)
			}
		}
		return norm
	}
	var out []found
	for _, l := range loops {
		p := ""
		if l.ParentNormalized != "" {
			p = letter(l.ParentNormalized)
		}
		out = append(out, found{l.Kind, letter(l.Normalized), p, l.Bursts, l.MaxRepeats, l.DistinctValues, l.TotalCalls, l.Sessions})
	}
	return out
}

func TestDetector(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		want   []found
	}{
		{
			name:   "two loops interleaved under one parent",
			script: "P1 A1 B1 A2 B2 A3 B3 A4 B4 A5 B5",
			want: []found{
				{KindLoop, "A", "P", 1, 5, 5, 5, 1},
				{KindLoop, "B", "P", 1, 5, 5, 5, 1},
			},
		},
		{
			name:   "below the threshold",
			script: "P1 A1 A2 A3 A4",
		},
		{
			name:   "the parent again ends a burst",
			script: "P1 A1 A2 A3 A4 A5 P2 A6 A7 A8 A9 A10 A11 X",
			want:   []found{{KindLoop, "A", "P", 2, 6, 5, 11, 1}},
		},
		{
			name:   "loops one after the other under one parent",
			script: "P1 A1 A2 A3 A4 A5 B1 B2 B3 B4 B5",
			want: []found{
				{KindLoop, "A", "P", 1, 5, 5, 5, 1},
				{KindLoop, "B", "P", 1, 5, 5, 5, 1},
			},
		},
		{
			name:   "the statement just before the loop is its parent",
			script: "P1 Q1 A1 A2 A3 A4 A5",
			want:   []found{{KindLoop, "A", "Q", 1, 5, 5, 5, 1}},
		},
		{
			name:   "transaction control is not a parent",
			script: "P1 T A1 A2 A3 A4 A5 C",
			want:   []found{{KindLoop, "A", "P", 1, 5, 5, 5, 1}},
		},
		{
			name:   "a repeated transaction is batch-writes, not a loop",
			script: "T U1 I1 C T U2 I2 C T U3 I3 C T U4 I4 C T U5 I5 C",
			want: []found{
				{KindWrites, "I", "", 1, 5, 5, 5, 1},
				{KindWrites, "U", "", 1, 5, 5, 5, 1},
			},
		},
		{
			name:   "a repeated transaction after a query is not a loop either",
			script: "P1 T S1 U1 C T S2 U2 C T S3 U3 C T S4 U4 C T S5 U5 C",
			want:   []found{{KindWrites, "U", "", 1, 5, 5, 5, 1}},
		},
		{
			name:   "a repeated sequence from the start of a session has no parent",
			script: "S1 U1 I1 S2 U2 I2 S3 U3 I3 S4 U4 I4 S5 U5 I5",
			want: []found{
				{KindWrites, "I", "", 1, 5, 5, 5, 1},
				{KindWrites, "U", "", 1, 5, 5, 5, 1},
			},
		},
		{
			name:   "a repeated sequence under a query that returns rows is three loops",
			script: "X P1 A1 B1 P2 A2 B2 P3 A3 B3 P4 A4 B4 P5 A5 B5",
			want: []found{
				// Equal times: ranked by fingerprint.
				{KindLoop, "A", "X", 1, 5, 5, 5, 1},
				{KindLoop, "P", "X", 1, 5, 5, 5, 1},
				{KindLoop, "B", "X", 1, 5, 5, 5, 1},
			},
		},
		{
			name:   "the same values again are a cache",
			script: "P1 K K K K K K",
			want:   []found{{KindCache, "K", "P", 1, 6, 1, 6, 1}},
		},
		{
			name:   "a gap ends the burst",
			script: "P1 A1 A2 A3 +200 A4 A5 A6",
		},
		{
			name:   "gaps under the threshold do not",
			script: "P1 A1 +50 A2 +50 A3 +50 A4 +50 A5",
			want:   []found{{KindLoop, "A", "P", 1, 5, 5, 5, 1}},
		},
		{
			name:   "a loop after a gap has no parent",
			script: "P1 +500 A1 A2 A3 A4 A5 A6",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := New(Options{})
			for _, e := range executions(t, "s1", tc.script, start) {
				d.Add(&e)
			}
			if diff := cmp.Diff(tc.want, summarize(d.Result())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSessionsInterleaved checks that sessions are followed apart: two
// loops whose executions alternate in the log.
func TestSessionsInterleaved(t *testing.T) {
	a := executions(t, "s1", "P1 A1 A2 A3 A4 A5", start)
	b := executions(t, "s2", "Q1 B1 B2 B3 B4 B5 B6", start)
	d := New(Options{})
	for i := range max(len(a), len(b)) {
		if i < len(a) {
			d.Add(&a[i])
		}
		if i < len(b) {
			d.Add(&b[i])
		}
	}
	want := []found{
		{KindLoop, "B", "Q", 1, 6, 6, 6, 1},
		{KindLoop, "A", "P", 1, 5, 5, 5, 1},
	}
	got := summarize(d.Result())
	// Ranked by time: B's six calls first.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestNoTimestamps checks that a log without timestamps is read in order.
func TestNoTimestamps(t *testing.T) {
	d := New(Options{})
	for _, e := range executions(t, "", "P1 A1 A2 A3 A4 A5", start) {
		e.Time = time.Time{}
		d.Add(&e)
	}
	want := []found{{KindLoop, "A", "P", 1, 5, 5, 5, 1}}
	if diff := cmp.Diff(want, summarize(d.Result())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestOptions checks the thresholds.
func TestOptions(t *testing.T) {
	d := New(Options{MinRepeats: 3, MaxGap: time.Second})
	for _, e := range executions(t, "s1", "P1 A1 +500 A2 +500 A3", start) {
		d.Add(&e)
	}
	want := []found{{KindLoop, "A", "P", 1, 3, 3, 3, 1}}
	if diff := cmp.Diff(want, summarize(d.Result())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := New(Options{}).Options(); got.MinRepeats != DefaultMinRepeats || got.MaxGap != DefaultMaxGap {
		t.Errorf("defaults: %+v", got)
	}
}

// TestMemoryBounded checks that sessions that ended are let go: a log of
// many short sessions keeps only the recent ones open.
func TestMemoryBounded(t *testing.T) {
	d := New(Options{})
	at := start
	for i := range 50000 {
		e := executions(t, "s"+strconv.Itoa(i), "P1", at)[0]
		at = at.Add(time.Millisecond)
		d.Add(&e)
	}
	if n := len(d.sessions); n > 2*sweepEvery {
		t.Errorf("%d sessions open, want at most %d", n, 2*sweepEvery)
	}
	if n := len(d.shapes); n != 1 {
		t.Errorf("%d shapes, want 1", n)
	}
}

// TestSuspect checks the pg_stat_statements suspicion.
func TestSuspect(t *testing.T) {
	row := func(sql string, calls int64, totalMS float64, rows int64) workload.Execution {
		fp, err := sqlparse.Fingerprint(sql)
		if err != nil {
			t.Fatal(err)
		}
		return workload.Execution{Kind: "pg_stat_statements", Text: sql, Fingerprint: fp, Normalized: sql,
			Calls: calls, DurationMS: totalMS, HasDuration: true, Rows: rows}
	}
	d := New(Options{})
	for _, e := range []workload.Execution{
		row("SELECT name FROM users WHERE id = $1", 50000, 1500, 50000),            // suspect
		row("SELECT * FROM comments WHERE post_id = $1", 50000, 1500, 400000),      // many rows per call
		row("SELECT * FROM reports WHERE id = $1", 50000, 500000, 50000),           // not cheap
		row("SELECT * FROM tags WHERE id = $1", 100, 1, 100),                       // few calls
		row("UPDATE counters SET hits = hits + 1 WHERE id = $1", 50000, 10, 50000), // a write
	} {
		d.Add(&e)
	}
	got := summarize(d.Result())
	want := []found{{Kind: KindSuspect, Query: "SELECT name FROM users WHERE id = $1", MaxRepeats: 50000, Calls: 50000}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A loop seen in the logs replaces the suspicion.
	for _, e := range executions(t, "s1", "P1 A1 A2 A3 A4 A5", start) {
		d.Add(&e)
	}
	e := row("SELECT id, name FROM users WHERE id = $1", 50000, 1500, 50000)
	d.Add(&e)
	for _, l := range d.Result() {
		if l.Kind == KindSuspect && l.Normalized == e.Normalized {
			t.Errorf("suspicion kept for a query whose loop the log shows")
		}
	}
}

// BenchmarkAdd measures the detector's cost per execution on a session
// mix of loops, repeated transactions and single statements.
func BenchmarkAdd(b *testing.B) {
	t := &testing.T{}
	var execs []workload.Execution
	for s := range 8 {
		execs = append(execs, executions(t, "s"+strconv.Itoa(s), "P1 A1 B1 A2 B2 A3 B3 A4 B4 A5 B5 A6 B6 T U1 I1 C T U2 I2 C X P2 K K K K K", start)...)
	}
	d := New(Options{})
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e := &execs[i%len(execs)]
		d.Add(e)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/execution")
}
