package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/nplusone"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// nplusoneFlags are the N+1 detector's thresholds on analyze.
type nplusoneFlags struct {
	minRepeats int
	gap        time.Duration
	det        *nplusone.Detector
}

func (n *nplusoneFlags) register(f *pflag.FlagSet) {
	f.IntVar(&n.minRepeats, "nplusone-min-repeats", nplusone.DefaultMinRepeats, "N+1 loops: calls of the same query in one burst that make a loop (0: detection off)")
	f.DurationVar(&n.gap, "nplusone-gap", nplusone.DefaultMaxGap, "N+1 loops: longest pause between two calls of one burst")
}

// attach hooks the detector to the log readers (nothing when off).
func (n *nplusoneFlags) attach(opts *source.Options) error {
	if n.minRepeats < 0 || n.gap < 0 {
		return usageErrorf("--nplusone-min-repeats and --nplusone-gap must be 0 or more")
	}
	if n.minRepeats == 0 {
		return nil
	}
	n.det = nplusone.New(nplusone.Options{MinRepeats: max(n.minRepeats, 2), MaxGap: n.gap})
	prev := opts.OnExecution
	opts.OnExecution = func(e *workload.Execution) {
		if prev != nil {
			prev(e)
		}
		n.det.Add(e)
	}
	return nil
}

// results returns the loops for the report and for the checks.
func (n *nplusoneFlags) results() ([]report.NPlusOne, []check.Loop) {
	if n.det == nil {
		return nil, nil
	}
	loops := n.det.Result()
	return nplusone.ToReport(loops), nplusone.ForChecks(loops)
}
