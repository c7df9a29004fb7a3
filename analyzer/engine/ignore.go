package engine

import (
	"context"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
)

// maxIgnoreScan bounds a SQL file read again for its ignore comments.
const maxIgnoreScan = 64 << 20

// inputIgnores reads the `-- pgadvisor:ignore CHECK reason` comments of
// the SQL and schema files read (not of standard input, which cannot be
// read twice); the check driver applies them.
func inputIgnores(ctx context.Context, inputs []report.Input) []check.Ignore {
	var out []check.Ignore
	for _, in := range inputs {
		if (in.Kind != "sql" && in.Kind != "schema") || in.Path == "-" {
			continue
		}
		b, err := source.ReadAll(ctx, in.Path, nil, maxIgnoreScan, "a SQL file")
		if err != nil {
			// Reported when the file was read as an input.
			continue
		}
		out = append(out, check.ParseIgnores(in.Path, string(b))...)
	}
	return out
}
