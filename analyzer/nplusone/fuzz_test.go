package nplusone

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// FuzzDetector feeds the detector executions made of arbitrary texts,
// sessions and times: it never panics, and what it reports keeps its
// invariants.
func FuzzDetector(f *testing.F) {
	f.Add("SELECT id FROM posts WHERE blog_id = 1", "SELECT name FROM users WHERE id = 1", []byte{0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1})
	f.Add("BEGIN", "UPDATE t SET x = 1 WHERE id = 2", []byte{0, 1, 0, 1, 2, 0, 1, 3, 0, 1, 255, 0, 1})
	f.Fuzz(func(t *testing.T, a, b string, script []byte) {
		d := New(Options{MinRepeats: 2})
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i, c := range script {
			text := a
			if c&1 == 1 {
				text = b
			}
			fp, err := sqlparse.Fingerprint(text)
			if err != nil {
				fp = workload.TextKey(text)
			}
			norm, _ := sqlparse.Normalize(text)
			v := string(rune('0' + c%7))
			at = at.Add(time.Duration(c) * time.Millisecond)
			e := workload.Execution{Kind: "stderr", File: "f.log", Line: i + 1, Text: text, Fingerprint: fp, Normalized: norm,
				Session: string(rune('a' + c>>6)), Time: at, Params: []*string{&v}, HasDuration: true, DurationMS: float64(c) / 10}
			d.Add(&e)
		}
		for _, l := range d.Result() {
			if l.Bursts < 1 || l.TotalCalls < int64(2*l.Bursts) || l.MaxRepeats < 2 || l.Sessions < 1 {
				t.Errorf("pattern %+v breaks the invariants", l)
			}
		}
	})
}

// FuzzBuild builds rewrites of arbitrary queries and values: a rewrite or
// an error, never both, never neither, never a panic; a rewrite is SQL
// that PostgreSQL's parser accepts, with the array parameter it names.
func FuzzBuild(f *testing.F) {
	f.Add("SELECT count(*) FROM comments WHERE post_id = $1", "SELECT id FROM posts WHERE blog_id = $1", "1", "2")
	f.Add("INSERT INTO t (a) VALUES ($1)", "", "x", "y")
	f.Add("SELECT a FROM t WHERE b = 'x' LIMIT 3", "SELECT b_id FROM u", "", "")
	f.Fuzz(func(t *testing.T, loop, parent, v1, v2 string) {
		l := &Loop{Kind: KindLoop, Normalized: loop, ParentNormalized: parent,
			Example: []Call{{Text: loop, Params: []*string{&v1}}, {Text: loop, Params: []*string{&v2}}, {Text: loop}}}
		if parent != "" {
			l.Parent = &Call{Text: parent}
		}
		rw, err := Build(l)
		if (rw == nil) == (err == nil) {
			t.Fatalf("Build(%q) = %v, %v: want a rewrite or an error", loop, rw, err)
		}
		if rw != nil {
			if rw.Param < 1 || !strings.Contains(rw.SQL, fmt.Sprintf("$%d", rw.Param)) {
				t.Errorf("rewrite %q does not use its array parameter $%d", rw.SQL, rw.Param)
			}
			if _, err := sqlparse.Fingerprint(rw.SQL); err != nil {
				t.Errorf("rewrite of %q does not parse: %q: %v", loop, rw.SQL, err)
			}
		}
		_ = Values(Call{Text: loop})
	})
}
