package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// writeJSON writes the version 1 report, indented, with empty lists as []
// rather than null so that consumers need no special cases.
func writeJSON(w io.Writer, rep *report.Report) error {
	out := *rep
	if out.Inputs == nil {
		out.Inputs = []report.Input{}
	}
	if out.Queries == nil {
		out.Queries = []report.Query{}
	}
	if out.Findings == nil {
		out.Findings = []report.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
