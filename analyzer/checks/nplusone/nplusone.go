// Package nplusone reports the N+1 query loops, and their look-alikes,
// that package analyzer/nplusone found in the sessions of a log.
package nplusone

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// Check is the n-plus-one check.
var Check = &check.Check{
	Name: "n-plus-one",
	Doc: `N+1 query loop: the same query once per row of another, where one query would do.

Reads the server log's sessions (log_min_duration_statement = 0, or
log_statement = all with log_duration; %c or %p in log_line_prefix, or
csvlog/jsonlog) in time order. A loop is a query (the parent), then the
same query shape again and again with different parameter values, each
call closer than --nplusone-gap to the previous one (P A B A B A B is two
loops under P). Reported per query shape and parent with the number of
bursts, the most calls in one, the total calls and time, and the batched
rewrite: WHERE col = ANY($1) (GROUP BY col for aggregates), unnest($1)
with a LATERAL join for queries with LIMIT, or the parent and the loop in
one query when the parent's select list holds the key.

Why it matters: each call is a round trip and a planning and execution
on the server; a page that runs 50 small queries spends its time waiting
on the network, and the database serves 50 times the calls it needs to.

Look-alikes are reported lower (info): a repeated transaction (BEGIN ...
COMMIT again and again, or a sequence repeated from the start of a
session, with no parent) is not a loop: its writes are "repeated
single-row writes: batch them"; a query repeated with the same values is
a caching opportunity. From pg_stat_statements alone (no sessions) a read
with very many cheap calls of about one row each is only a suspicion.

Severity: warning for loops, info for the others. Thresholds:
--nplusone-min-repeats (5 calls per burst), --nplusone-gap (100ms).`,
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, l := range pass.Loops {
		f := check.Finding{
			Check:       pass.Check.Name,
			Severity:    check.Info,
			Pos:         l.Pos,
			Fingerprint: l.Fingerprint,
			Help:        l.Suggestion,
		}
		if l.SQL != "" {
			f.Fix = &check.Fix{SQL: l.SQL}
		}
		q := oneLine(l.Normalized)
		switch l.Kind {
		case "loop":
			f.Severity = pass.Check.Severity
			f.Message = fmt.Sprintf("N+1 loop: %s ran once per row of %s: %d calls in %d bursts (up to %d in one), %s ms; batched, %d calls and about %s ms disappear",
				q, oneLine(l.ParentNormalized), l.TotalCalls, l.Bursts, l.MaxRepeats, ms(l.TotalMS), l.SavedCalls, ms(l.SavedMS))
		case "batch-writes":
			under := "under " + oneLine(l.ParentNormalized)
			if l.ParentNormalized == "" {
				// A repeated transaction: batching helps when one client
				// sends them all.
				under = "with no parent query"
			}
			f.Message = fmt.Sprintf("repeated single-row writes: %s ran %d times in %d bursts (up to %d in one), %s, %s ms: batch them",
				q, l.TotalCalls, l.Bursts, l.MaxRepeats, under, ms(l.TotalMS))
		case "cache":
			f.Message = fmt.Sprintf("the same query with the same values: %s ran %d times in %d bursts (up to %d in one), %s ms: cache the result",
				q, l.TotalCalls, l.Bursts, l.MaxRepeats, ms(l.TotalMS))
		case "suspect":
			f.Message = fmt.Sprintf("suspected N+1 loop (pg_stat_statements, no sessions to confirm it): %s: %d calls, %.3f ms each, %.2f rows per call",
				q, l.TotalCalls, l.TotalMS/float64(max(l.TotalCalls, 1)), l.RowsPerCall)
		default:
			continue
		}
		pass.Report(f)
	}
	return nil
}

// oneLine folds a query's white space and shortens it for a message.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}

func ms(v float64) string { return fmt.Sprintf("%.3f", v) }
