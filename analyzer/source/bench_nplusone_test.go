package source

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/nplusone"
)

// BenchmarkLargeLogNPlusOne is BenchmarkLargeLog with the N+1 detector
// following every session (Options.OnExecution), as `pgadvisor analyze`
// runs by default: the difference between the two is the detector's cost
// (its Result, done once per log, included).
func BenchmarkLargeLogNPlusOne(b *testing.B) {
	var last *nplusone.Detector
	found := 0
	benchLargeLog(b, func() Options {
		if last != nil {
			found = len(last.Result())
		}
		last = nplusone.New(nplusone.Options{})
		return Options{OnExecution: last.Add}
	})
	found = len(last.Result())
	if found == 0 {
		b.Error("the detector found nothing in a pgbench log (its repeated transactions' writes)")
	}
}
