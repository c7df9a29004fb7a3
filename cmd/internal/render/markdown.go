package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// writeMarkdown writes the report for a pull-request comment: a summary
// heading, the findings as a table, and the top queries when known.
func writeMarkdown(w io.Writer, rep *report.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### pgadvisor: %s\n\n", summaryLine(rep))
	if rep.Headline != "" {
		fmt.Fprintf(&b, "**%s**\n\n", mdText(rep.Headline))
	}
	props := proposalFor(rep)
	if len(rep.Findings) > 0 {
		b.WriteString("| Severity | Check | Location | Message |\n|---|---|---|---|\n")
		for _, f := range problems(rep) {
			msg := mdCell(f.Message)
			if f.Query != "" {
				msg += "<br>**Query:** " + mdCode(f.Query)
			}
			if help := findingHelp(f.Finding, props); help != "" {
				msg += "<br>**Help:** " + mdCell(help)
			}
			if f.Fix != "" && f.Proposal == "" {
				msg += "<br>**Fix:** " + mdCode(f.Fix)
			}
			if also := alsoText(f); also != "" {
				msg += "<br>" + mdCell(also)
			}
			fmt.Fprintf(&b, "| %s %s | `%s` | `%s` | %s |\n", severityIcon(f.Severity), f.Severity, f.Check, mdCell(location(f.Finding)), msg)
		}
		b.WriteString("\n")
	}
	if len(rep.Proposals) > 0 {
		b.WriteString("#### Indexes to create\n\n")
		for i, p := range rep.Proposals {
			fmt.Fprintf(&b, "%d. %s (%s on %s), asked by %s\n", i+1, mdCode(p.Name), p.Kind, mdCode(p.Table), mdText(strings.Join(p.Reasons, ", ")))
		}
		b.WriteString("\n```sql\n")
		for _, p := range rep.Proposals {
			b.WriteString(strings.ReplaceAll(p.DDL, "```", "` ` `") + "\n")
		}
		b.WriteString("```\n\n")
	}
	writeNPlusOneMarkdown(&b, rep)
	writeAdviceMarkdown(&b, rep)
	if hasTimings(rep.Queries) {
		b.WriteString("<details><summary>Top queries</summary>\n\n")
		b.WriteString("| # | Calls | Total ms | Mean ms | Query |\n|---:|---:|---:|---:|---|\n")
		for i, q := range rep.Queries {
			fmt.Fprintf(&b, "| %d | %d | %s | %s | %s |\n", i+1, q.Calls, ms(q.TotalMS), ms(q.MeanMS), mdCode(OneLine(q.Normalized, 120)))
		}
		b.WriteString("\n</details>\n\n")
	}
	var inputs []string
	for _, in := range rep.Inputs {
		kind := in.Kind
		if in.Detected != "" {
			kind = in.Detected
		}
		inputs = append(inputs, fmt.Sprintf("`%s` (%s, %s, %s)", mdCell(in.Path), mdCell(kind), plural(in.Statements, "statement"), plural(in.Errors, "error")))
	}
	if len(inputs) > 0 {
		fmt.Fprintf(&b, "Inputs: %s.\n", strings.Join(inputs, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// severityIcon marks a severity so a reviewer sees it at a glance.
func severityIcon(s string) string {
	switch s {
	case "error":
		return "🔴"
	case "warning":
		return "🟠"
	}
	return "🔵"
}

// mdText escapes text outside a table: HTML that GitHub would render
// (<...>) and Markdown emphasis characters.
func mdText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`").Replace(s)
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.ReplaceAll(s, ">", "&gt;")
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\r\n", "<br>")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// mdCode formats SQL as inline code inside a table cell, using a longer
// backtick fence when the text itself holds backticks.
func mdCode(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + s + fence
}
