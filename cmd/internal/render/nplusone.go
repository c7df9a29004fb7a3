package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// nplusoneKinds are the kinds of report.NPlusOne, in the order and with
// the titles the table and Markdown formats show them.
var nplusoneKinds = []struct{ kind, title string }{
	{"loop", "N+1 query loops"},
	{"batch-writes", "Repeated single-row writes: batch them"},
	{"cache", "Repeated identical calls: cache them"},
	{"suspect", "Suspected N+1 loops (pg_stat_statements, no sessions)"},
}

// nplusoneOf returns the entries of one kind, in report order (ranked by
// time spent).
func nplusoneOf(rep *report.Report, kind string) []report.NPlusOne {
	var out []report.NPlusOne
	for _, n := range rep.NPlusOne {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// nplusoneText is what people read of an entry: the query, its parent,
// the example's position and the rewrite.
func nplusoneText(n report.NPlusOne) string {
	var b strings.Builder
	b.WriteString(OneLine(n.Normalized, 100))
	if n.ParentNormalized != "" {
		fmt.Fprintf(&b, "\nparent: %s", OneLine(n.ParentNormalized, 100))
	}
	if n.File != "" {
		fmt.Fprintf(&b, "\nexample: %s:%d", n.File, n.Line)
	}
	if n.Rewrite != "" {
		fmt.Fprintf(&b, "\nbatched: %s", n.Rewrite)
	}
	if n.Join != "" {
		fmt.Fprintf(&b, "\njoined: %s", n.Join)
	}
	return b.String()
}

// nplusoneSections are the tables of N+1 loops and their look-alikes.
func nplusoneSections(rep *report.Report) []section {
	var out []section
	for _, k := range nplusoneKinds {
		ns := nplusoneOf(rep, k.kind)
		if len(ns) == 0 {
			continue
		}
		if k.kind == "suspect" {
			s := section{title: k.title, header: []string{"#", "Total ms", "Calls", "Rows/call", "Query"}, wide: 4}
			for i, n := range ns {
				s.rows = append(s.rows, []string{strconv.Itoa(i + 1), ms(n.TotalMS), strconv.FormatInt(n.TotalCalls, 10),
					strconv.FormatFloat(n.RowsPerCall, 'f', 2, 64), OneLine(n.Normalized, 100)})
			}
			out = append(out, s)
			continue
		}
		s := section{title: k.title, header: []string{"#", "Total ms", "Calls/bursts/max", "Saved calls/ms", "Query"}, wide: 4}
		for i, n := range ns {
			s.rows = append(s.rows, []string{strconv.Itoa(i + 1), ms(n.TotalMS),
				fmt.Sprintf("%d / %d / %d", n.TotalCalls, n.Bursts, n.MaxRepeats),
				fmt.Sprintf("%d / %s", n.SavedCalls, ms(n.SavedMS)), nplusoneText(n)})
		}
		out = append(out, s)
	}
	return out
}

// writeNPlusOneMarkdown writes the N+1 tables for a pull-request comment.
func writeNPlusOneMarkdown(b *strings.Builder, rep *report.Report) {
	for _, k := range nplusoneKinds {
		ns := nplusoneOf(rep, k.kind)
		if len(ns) == 0 {
			continue
		}
		fmt.Fprintf(b, "**%s**\n\n| # | Calls | Bursts | Max/burst | Total ms | Saved ms | Query | Fix |\n|---:|---:|---:|---:|---:|---:|---|---|\n", k.title)
		for i, n := range ns {
			q := mdCode(OneLine(n.Normalized, 120))
			if n.ParentNormalized != "" {
				q += "<br>parent: " + mdCode(OneLine(n.ParentNormalized, 120))
			}
			fix := ""
			if n.Rewrite != "" {
				fix = mdCode(n.Rewrite)
			}
			if n.Join != "" {
				fix += "<br>or: " + mdCode(n.Join)
			}
			fmt.Fprintf(b, "| %d | %d | %d | %d | %s | %s | %s | %s |\n", i+1, n.TotalCalls, n.Bursts, n.MaxRepeats, ms(n.TotalMS), ms(n.SavedMS), q, fix)
		}
		b.WriteString("\n")
	}
}
