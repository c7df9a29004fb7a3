// Package plancoldcache is the plan-cold-cache check: a plan that read
// most of its pages from outside shared buffers.
package plancoldcache

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinReadShare is the share of shared blocks that were read rather
	// than found in shared buffers.
	MinReadShare = 0.5
	// MinRead is the number of blocks read (8 kB each: 8 MB).
	MinRead = 1000
)

// Check is the plan-cold-cache check.
var Check = &check.Check{
	Name:     "plan-cold-cache",
	Severity: check.Info,
	Reads:    check.ReadsPlans,
	Doc: `Most buffers read rather than found in shared buffers.

In an EXPLAIN ANALYZE (BUFFERS) plan, more than half of the shared blocks
the query touched were read (from the operating system's cache or the
disk) rather than hit in shared buffers, and at least 1,000 blocks (8 MB)
were read. The timing then depends on the cache: the same query may be
much faster the second time, or much slower on a cold disk.

What to do: run the query again to see its warm timing; if it stays cold,
the working set does not fit in shared_buffers (raise it, commonly to 25 %
of RAM) or the query reads more than it should (see the other findings:
an index reads fewer pages than a sequential scan).`,
	Run: run,
}

func run(pass *check.Pass) error {
	for _, p := range pass.Plans {
		b := p.Root.Buffers
		total := b.SharedHit + b.SharedRead
		if b.SharedRead < MinRead || float64(b.SharedRead) <= MinReadShare*float64(total) {
			continue
		}
		// Point at the node that read the most itself.
		top, most := p.Root, int64(-1)
		explain.Walk(p.Root, func(n, _ *explain.Node) bool {
			own := n.Buffers.SharedRead
			for _, c := range n.Children {
				own -= c.Buffers.SharedRead
			}
			if own > most {
				top, most = n, own
			}
			return true
		})
		plancheck.Report(pass, p, top,
			"run the query again for its warm timing; if reads persist, the working set exceeds shared_buffers (raise it) or the query reads too much (index it)", nil,
			"%.0f %% of the shared blocks were read rather than found in shared buffers (%s read, %s hit, %s); most by %s",
			100*float64(b.SharedRead)/float64(total), explain.FormatCount(float64(b.SharedRead)), explain.FormatCount(float64(b.SharedHit)),
			explain.FormatKB(b.SharedRead*8), top.Label())
	}
	return nil
}
