package render

import (
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// findingList writes the findings for a terminal as a numbered list:
// a title line (severity, check, location), then the message and help
// wrapped at width under a hanging indent. A table cannot give a long
// message enough room on an 80-column terminal; a list can, and it never
// cuts a word.
func findingList(b *strings.Builder, rep *report.Report, width int) {
	if width <= 0 {
		width = 120
	}
	props := proposalFor(rep)
	fmt.Fprintf(b, "Findings\n\n")
	for i, f := range problems(rep) {
		num := fmt.Sprintf("%d.", i+1)
		fmt.Fprintf(b, "%-4s %s  %s  %s\n", num, f.Severity, f.Check, location(f.Finding))
		indent := "     "
		wrap(b, f.Message, indent, width)
		if f.Query != "" {
			wrap(b, "query: "+OneLine(f.Query, 300), indent, width)
		}
		if help := findingHelp(f.Finding, props); help != "" {
			wrap(b, "→ "+help, indent, width)
		}
		if f.Fix != "" && f.Proposal == "" && !strings.Contains(f.Help, strings.TrimSuffix(f.Fix, ";")) {
			fmt.Fprintf(b, "%sfix: %s\n", indent, f.Fix)
		}
		if also := alsoText(f); also != "" {
			wrap(b, also, indent, width)
		}
		b.WriteString("\n")
	}
}

// wrap writes text word by word at width columns, every line starting
// with indent; a word longer than the line is written whole on its own
// line (SQL must stay copyable), never cut.
func wrap(b *strings.Builder, text, indent string, width int) {
	for _, para := range strings.Split(text, "\n") {
		line := indent
		n := runewidth.StringWidth(indent)
		empty := true
		for _, w := range strings.Fields(para) {
			ww := runewidth.StringWidth(w)
			if !empty && n+1+ww > width {
				b.WriteString(line + "\n")
				line, n, empty = indent, runewidth.StringWidth(indent), true
			}
			if !empty {
				line += " "
				n++
			}
			line += w
			n += ww
			empty = false
		}
		b.WriteString(line + "\n")
	}
}
