package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

func nplusoneSample() *report.Report {
	return &report.Report{NPlusOne: []report.NPlusOne{
		{Kind: "loop", Normalized: "SELECT id, name FROM users WHERE id = $1", ParentNormalized: "SELECT id, author_id FROM posts WHERE blog_id = $1",
			Bursts: 3, MaxRepeats: 8, TotalCalls: 24, TotalMS: 2.5, SavedCalls: 21, SavedMS: 2.2, File: "app.log", Line: 14,
			Rewrite: "SELECT id, name FROM users WHERE id = ANY($1)", Join: "SELECT parent.author_id, batch_rows.* FROM (...) AS parent CROSS JOIN LATERAL (...) AS batch_rows"},
		{Kind: "batch-writes", Normalized: "UPDATE counters SET hits = hits + 1 WHERE id = $1", Bursts: 1, MaxRepeats: 10, TotalCalls: 10, TotalMS: 1, SavedCalls: 9, SavedMS: 0.9,
			File: "app.log", Line: 96, Rewrite: "UPDATE counters SET hits = hits + 1 WHERE id = ANY($1)"},
		{Kind: "cache", Normalized: "SELECT value FROM settings WHERE key = $1", Bursts: 1, MaxRepeats: 7, TotalCalls: 7, TotalMS: 0.7, SavedCalls: 6, SavedMS: 0.6},
		{Kind: "suspect", Normalized: "SELECT name FROM tags WHERE id = $1", TotalCalls: 50000, TotalMS: 1500, RowsPerCall: 1},
	}}
}

func TestNPlusOneSections(t *testing.T) {
	got := nplusoneSections(nplusoneSample())
	want := []section{
		{title: "N+1 query loops", header: []string{"#", "Total ms", "Calls/bursts/max", "Saved calls/ms", "Query"}, wide: 4,
			rows: [][]string{{"1", "2.500", "24 / 3 / 8", "21 / 2.200", "SELECT id, name FROM users WHERE id = $1\nparent: SELECT id, author_id FROM posts WHERE blog_id = $1\nexample: app.log:14\nbatched: SELECT id, name FROM users WHERE id = ANY($1)\njoined: SELECT parent.author_id, batch_rows.* FROM (...) AS parent CROSS JOIN LATERAL (...) AS batch_rows"}}},
		{title: "Repeated single-row writes: batch them", header: []string{"#", "Total ms", "Calls/bursts/max", "Saved calls/ms", "Query"}, wide: 4,
			rows: [][]string{{"1", "1.000", "10 / 1 / 10", "9 / 0.900", "UPDATE counters SET hits = hits + 1 WHERE id = $1\nexample: app.log:96\nbatched: UPDATE counters SET hits = hits + 1 WHERE id = ANY($1)"}}},
		{title: "Repeated identical calls: cache them", header: []string{"#", "Total ms", "Calls/bursts/max", "Saved calls/ms", "Query"}, wide: 4,
			rows: [][]string{{"1", "0.700", "7 / 1 / 7", "6 / 0.600", "SELECT value FROM settings WHERE key = $1"}}},
		{title: "Suspected N+1 loops (pg_stat_statements, no sessions)", header: []string{"#", "Total ms", "Calls", "Rows/call", "Query"}, wide: 4,
			rows: [][]string{{"1", "1500", "50000", "1.00", "SELECT name FROM tags WHERE id = $1"}}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(section{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := nplusoneSections(&report.Report{}); len(got) != 0 {
		t.Errorf("sections without loops: %v", got)
	}
}

func TestNPlusOneMarkdown(t *testing.T) {
	var b strings.Builder
	writeNPlusOneMarkdown(&b, nplusoneSample())
	out := b.String()
	last := -1
	for _, s := range []string{"**N+1 query loops**", "| 1 | 24 | 3 | 8 | 2.500 | 2.200 | `SELECT id, name FROM users WHERE id = $1`<br>parent: `SELECT id, author_id FROM posts WHERE blog_id = $1` | `SELECT id, name FROM users WHERE id = ANY($1)`<br>or: `SELECT parent.author_id",
		"**Repeated single-row writes: batch them**", "**Repeated identical calls: cache them**", "**Suspected N+1 loops"} {
		i := strings.Index(out, s)
		if i < 0 || i < last {
			t.Errorf("markdown lacks %q (in order):\n%s", s, out)
		}
		last = i
	}
}
