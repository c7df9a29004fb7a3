package workload

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func str(s string) *string { return &s }

func TestAdd(t *testing.T) {
	w := New()
	execs := []Execution{
		{File: "a.log", Line: 10, Text: "SELECT 1", Fingerprint: "f1", Normalized: "SELECT $1", DurationMS: 2, HasDuration: true, Session: "s1"},
		{File: "a.log", Line: 12, Text: "SELECT 2", Fingerprint: "f1", Normalized: "SELECT $1", DurationMS: 4, HasDuration: true, Session: "s2"},
		{File: "a.log", Line: 13, Text: "SELECT 3", Fingerprint: "f1", Failed: true, Session: "s1"},
		// Logged before it ran, complete later: an earlier line.
		{File: "a.log", Line: 5, Text: "SELECT 0", Fingerprint: "f1", DurationMS: 1, HasDuration: true, Session: "s3"},
		// A pg_stat_statements row.
		{File: "pg_stat_statements", Line: 1, Text: "UPDATE t SET a = $1", Fingerprint: "f2", Calls: 10, DurationMS: 50, HasDuration: true, MinMS: 1, MaxMS: 20, Rows: 10, SharedBlksHit: 7},
	}
	for _, e := range execs {
		w.Add(e)
	}
	q := w.Query("f1")
	got := []any{q.Calls, q.Failed, q.Timed, q.TotalMS, q.MaxMS, q.MinMS, q.MeanMS(), q.Sessions(), q.Line, q.Example, q.P95MS()}
	want := []any{int64(4), int64(1), int64(3), 7.0, 4.0, 1.0, 7.0 / 3, 3, 5, "SELECT 0", 4.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("f1 (-want +got):\n%s", diff)
	}
	q2 := w.Query("f2")
	got = []any{q2.Calls, q2.TotalMS, q2.MeanMS(), q2.MaxMS, q2.MinMS, q2.Rows, q2.SharedBlksHit, q2.P95MS()}
	want = []any{int64(10), 50.0, 5.0, 20.0, 1.0, int64(10), int64(7), 0.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("f2 (-want +got):\n%s", diff)
	}
	if fps := []string{w.Queries()[0].Fingerprint, w.Queries()[1].Fingerprint}; !slices.Equal(fps, []string{"f2", "f1"}) {
		t.Errorf("order %v", fps)
	}
	if w.Len() != 2 || w.Calls() != 14 || len(w.Top(1)) != 1 {
		t.Errorf("len %d calls %d", w.Len(), w.Calls())
	}
	r := w.Report(0)
	if r[1].P95MS != 4 || r[1].Failed != 1 || r[1].Sessions != 3 || r[1].File != "a.log" || r[1].Line != 5 {
		t.Errorf("report row %+v", r[1])
	}
}

func TestPercentile(t *testing.T) {
	for _, n := range []int{1, 20, 256, 257, 10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			w := New()
			// Durations n, n-1, ..., 1 ms, and a few zeros.
			for i := n; i >= 1; i-- {
				w.Add(Execution{Fingerprint: "f", DurationMS: float64(i), HasDuration: true})
			}
			q := w.Query("f")
			for _, p := range []float64{0.5, 0.95, 0.99, 1} {
				exact := math.Ceil(p * float64(n))
				got := q.Percentile(p)
				tol := 0.0
				if n > exactDurations {
					tol = 0.01 * exact
				}
				if math.Abs(got-exact) > tol {
					t.Errorf("p%v = %v, want %v within %v", p*100, got, exact, tol)
				}
			}
		})
	}
}

func TestSessions(t *testing.T) {
	for _, n := range []int{0, 1, 999, 1000, 1001, 5000, 100000} {
		w := New()
		w.Add(Execution{Fingerprint: "f"})
		for i := 0; i < n; i++ {
			// Each session twice.
			w.Add(Execution{Fingerprint: "f", Session: fmt.Sprintf("%d", i)})
			w.Add(Execution{Fingerprint: "f", Session: fmt.Sprintf("%d", i)})
		}
		got := w.Query("f").Sessions()
		tol := 0.0
		if n > exactSessions {
			tol = 0.05 * float64(n)
		}
		if math.Abs(float64(got-n)) > tol {
			t.Errorf("%d sessions counted as %d", n, got)
		}
	}
}

func TestSamples(t *testing.T) {
	run := func() []Sample {
		w := New()
		for i := 0; i < 1000; i++ {
			v := fmt.Sprint(i)
			w.Add(Execution{Fingerprint: "f", Text: "SELECT $1", Params: []*string{&v, nil}})
		}
		return w.Query("f").Samples
	}
	a, b := run(), run()
	if len(a) != SampleSize {
		t.Fatalf("%d samples", len(a))
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("samples differ between runs:\n%s", diff)
	}
	late := 0
	for _, s := range a {
		if s.Params[1] != nil || s.Text != "SELECT $1" {
			t.Errorf("sample %+v", s)
		}
		var n int
		fmt.Sscan(*s.Params[0], &n)
		if n >= SampleSize {
			late++
		}
	}
	// A reservoir, not the first five.
	if late == 0 {
		t.Errorf("samples are the first executions: %v", a)
	}
}

// TestAddCopies checks that Add keeps nothing of a buffer the caller
// reuses.
func TestAddCopies(t *testing.T) {
	buf := []byte("SELECT 1 -- s1")
	text := string(buf[:8])
	p := str("x")
	w := New()
	w.Add(Execution{Fingerprint: "f", Text: text, Session: "s1", Params: []*string{p}})
	*p = "changed"
	q := w.Query("f")
	if q.Samples[0].Params[0] == p || *q.Samples[0].Params[0] != "x" {
		t.Errorf("params not copied")
	}
}

func TestMerge(t *testing.T) {
	a, b := New(), New()
	for i := 0; i < 300; i++ {
		a.Add(Execution{File: "a", Line: i + 1, Fingerprint: "f", DurationMS: 1, HasDuration: true, Session: "a"})
		b.Add(Execution{File: "b", Line: i + 1, Fingerprint: "f", DurationMS: 3, HasDuration: true, Session: "b"})
	}
	b.Add(Execution{File: "b", Line: 400, Fingerprint: "g", Text: "g"})
	a.Merge(b)
	q := a.Query("f")
	if q.Calls != 600 || q.TotalMS != 1200 || q.MaxMS != 3 || q.MinMS != 1 || q.Sessions() != 2 || q.File != "a" {
		t.Errorf("merged %+v sessions %d", *q, q.Sessions())
	}
	if p := q.Percentile(0.6); math.Abs(p-3) > 0.03 {
		t.Errorf("p60 %v, want 3", p)
	}
	if a.Len() != 2 || a.InOrder()[1].Fingerprint != "g" {
		t.Errorf("g not merged")
	}
	// b is unchanged.
	if b.Query("f").Calls != 300 {
		t.Errorf("b changed")
	}
}

func TestTextKey(t *testing.T) {
	a, b, c := TextKey("SELEC 1"), TextKey("SELEC   1\n"), TextKey("SELEC 2")
	if a != b || a == c || len(a) != 16 || a[0] != '!' {
		t.Errorf("keys %q %q %q", a, b, c)
	}
}
