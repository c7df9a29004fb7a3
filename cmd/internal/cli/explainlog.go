package cli

import (
	"context"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
)

// logPlans reads the auto_explain plans (text and JSON) of a PostgreSQL
// log the way analyze does: through source.Read, which finds them in every
// log format, and parsePlans. data is the input as read (path "-" is
// standard input); ok is false when it is not a log (nor a compressed
// file, which source.Read decompresses), and the caller reads plans.
func logPlans(ctx context.Context, path string, data []byte) ([]*explain.Plan, report.Input, bool) {
	name := strings.ToLower(path)
	compressed := false
	for _, ext := range []string{".gz", ".bz2", ".zst"} {
		if strings.HasSuffix(name, ext) {
			name, compressed = strings.TrimSuffix(name, ext), true
		}
	}
	switch source.DetectKind(name, data[:min(len(data), 64<<10)]) {
	case source.KindStderr, source.KindCSV, source.KindJSON, source.KindSyslog:
	default:
		if !compressed || path == "-" {
			return nil, report.Input{}, false
		}
	}
	res, err := source.Read(ctx, []string{path}, source.Options{Stdin: strings.NewReader(string(data))})
	if err != nil || len(res.Inputs) == 0 {
		return nil, report.Input{}, false
	}
	inputs := res.Inputs[:1]
	plans := parsePlans(res.Plans, inputs)
	return plans, inputs[0], true
}
