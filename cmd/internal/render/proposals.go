package render

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// proposalFor indexes the report's proposals by key.
func proposalFor(rep *report.Report) map[string]*report.Proposal {
	out := map[string]*report.Proposal{}
	for i := range rep.Proposals {
		out[rep.Proposals[i].Key] = &rep.Proposals[i]
	}
	return out
}

// findingHelp is a finding's help for the human formats: when the fix is
// a merged index proposal, printed once under "Indexes to create", the
// help names the index there.
func findingHelp(f report.Finding, props map[string]*report.Proposal) string {
	p := props[f.Proposal]
	if p == nil {
		return f.Help
	}
	ref := fmt.Sprintf("%s (under Indexes to create)", p.Name)
	if f.Help == "" {
		return "create the index " + ref
	}
	return f.Help + ": " + ref
}

// proposalBlock writes the proposals as plain text a person can copy: a
// numbered title line, what it serves and why, then the statement alone
// on its line, never wrapped or framed.
func proposalBlock(b *strings.Builder, props []report.Proposal, width int) {
	for i, p := range props {
		fmt.Fprintf(b, "%d. %s (%s on %s)", i+1, p.Name, p.Kind, p.Table)
		if p.TotalMS > 0 {
			fmt.Fprintf(b, ", queries taking %s ms", ms(p.TotalMS))
		}
		b.WriteString("\n")
		if len(p.Serves) > 0 {
			wrap(b, "serves: "+strings.Join(p.Serves, "; "), "   ", width)
		}
		wrap(b, "asked by: "+strings.Join(p.Reasons, ", "), "   ", width)
		fmt.Fprintf(b, "%s\n\n", p.DDL)
	}
}

// problem is one problem as people read it: a finding, and the findings
// of other checks about the same query that ask for the same index
// (missing-index on the SQL, plan-seq-scan on its plans), shown with it
// rather than as more rows. JSON and SARIF keep every finding.
type problem struct {
	report.Finding
	also []report.Finding
}

// problems groups the report's findings into problems, in report order.
func problems(rep *report.Report) []problem {
	var out []problem
	at := map[string]int{}
	for _, f := range rep.Findings {
		if f.Proposal != "" && f.Fingerprint != "" {
			k := f.Fingerprint + "|" + f.Proposal
			if i, ok := at[k]; ok {
				out[i].also = append(out[i].also, f)
				continue
			}
			at[k] = len(out)
		}
		out = append(out, problem{Finding: f})
	}
	return out
}

// alsoText says which other checks found the same problem, and where.
func alsoText(p problem) string {
	if len(p.also) == 0 {
		return ""
	}
	parts := make([]string, len(p.also))
	for i, f := range p.also {
		parts[i] = f.Check + " at " + location(f)
	}
	return "also found by " + strings.Join(parts, ", ")
}
