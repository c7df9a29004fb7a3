package cli

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// maxIgnoreScan bounds a SQL file read again for its ignore comments.
const maxIgnoreScan = 64 << 20

// inputIgnores returns the -- pgadvisor:ignore comments of the SQL files
// among the inputs (logs carry none), for check.Run to apply.
func inputIgnores(inputs []report.Input) []check.Ignore {
	var out []check.Ignore
	for _, in := range inputs {
		if in.Kind != "sql" || in.Path == "-" {
			continue
		}
		b, err := readBounded(in.Path, maxIgnoreScan)
		if err != nil {
			// Reported when the file was read as an input.
			continue
		}
		out = append(out, check.ParseIgnores(in.Path, string(b))...)
	}
	return out
}
