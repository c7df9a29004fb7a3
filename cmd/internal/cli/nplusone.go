package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/pgadvisor/pgadvisor/analyzer/nplusone"
)

// nplusoneFlags are the N+1 detector's thresholds on analyze.
type nplusoneFlags struct {
	minRepeats int
	gap        time.Duration
}

func (n *nplusoneFlags) register(f *pflag.FlagSet) {
	f.IntVar(&n.minRepeats, "nplusone-min-repeats", nplusone.DefaultMinRepeats, "N+1 loops: calls of the same query in one burst that make a loop (0: detection off)")
	f.DurationVar(&n.gap, "nplusone-gap", nplusone.DefaultMaxGap, "N+1 loops: longest pause between two calls of one burst")
}

// options returns the detector's options for the engine (nil: off).
func (n *nplusoneFlags) options() (*nplusone.Options, error) {
	if n.minRepeats < 0 || n.gap < 0 {
		return nil, usageErrorf("--nplusone-min-repeats and --nplusone-gap must be 0 or more")
	}
	if n.minRepeats == 0 {
		return nil, nil
	}
	return &nplusone.Options{MinRepeats: max(n.minRepeats, 2), MaxGap: n.gap}, nil
}
