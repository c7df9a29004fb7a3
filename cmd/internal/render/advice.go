package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// writeAdvice writes the result of `pgadvisor advise`: one block per
// recommended index (its CREATE INDEX statement on a line of its own, so
// that it can be copied whole, then a table of the queries it helps),
// the workload's total, the queries left without a useful index, and the
// inputs.
func writeAdvice(w io.Writer, rep *report.Report, opts Options) error {
	var b strings.Builder
	adv := rep.Advice
	if adv == nil {
		adv = &report.Advice{}
	}
	title := "Recommended indexes"
	if adv.Database != "" {
		title += fmt.Sprintf(" for %s", adv.Database)
	}
	fmt.Fprintf(&b, "%s (what-if: %s, %d candidates, %d planner calls)\n", title, adv.Evaluator, adv.Candidates, rep.WhatIfCalls)
	if len(rep.Recommendations) == 0 {
		b.WriteString("\nNo index is worth creating for this workload.\n")
	}
	for i, r := range rep.Recommendations {
		fmt.Fprintf(&b, "\n%d. %s index on %s, %s\n", i+1, r.Kind, r.Table, RecommendationSize(r))
		fmt.Fprintf(&b, "   %s;\n", r.DDL)
		if len(r.Serves) > 0 {
			fmt.Fprintf(&b, "   serves: %s\n", strings.Join(r.Serves, "; "))
		}
		s := section{title: "", header: []string{"Query", "Total ms", "Est. cost before → after", "Measured ms before → after", "Speedup", "Uses index"}, wide: 0}
		for _, h := range r.Helps {
			row := []string{OneLine(h.Normalized, 90), ms(h.WeightMS), fmt.Sprintf("%s → %s", cost(h.CostBefore), cost(h.CostAfter)), "estimated", "", ""}
			if h.CostAfter > 0 {
				row[4] = fmt.Sprintf("est. %.0f×", h.CostBefore/h.CostAfter)
			}
			for _, m := range r.Measured {
				if m.Fingerprint != h.Fingerprint {
					continue
				}
				if m.Error != "" {
					row[3] = "failed: " + OneLine(m.Error, 60)
					break
				}
				row[3] = fmt.Sprintf("%s ±%s → %s ±%s", ms(m.BeforeMS), ms(m.BeforeSpreadMS), ms(m.AfterMS), ms(m.AfterSpreadMS))
				if m.AfterMS > 0 {
					row[4] = fmt.Sprintf("%.1f×", m.BeforeMS/m.AfterMS)
				}
				row[5] = "no"
				if m.UsesIndex {
					row[5] = "yes"
				}
			}
			s.rows = append(s.rows, row)
		}
		for _, wr := range r.Writes {
			for _, m := range r.Measured {
				if m.Fingerprint != wr.Fingerprint || m.Error != "" {
					continue
				}
				row := []string{"write: " + OneLine(wr.Normalized, 83), ms(wr.WeightMS), "", fmt.Sprintf("%s ±%s → %s ±%s", ms(m.BeforeMS), ms(m.BeforeSpreadMS), ms(m.AfterMS), ms(m.AfterSpreadMS)), "", ""}
				if m.AfterMS > 0 {
					row[4] = fmt.Sprintf("%.2f×", m.BeforeMS/m.AfterMS)
				}
				s.rows = append(s.rows, row)
			}
		}
		if err := emitSection(&b, s, opts); err != nil {
			return err
		}
	}
	if adv.WorkloadMS > 0 {
		fmt.Fprintf(&b, "\nWorkload: %s ms in total; the recommendations save %.1f %% of it; estimated cost %.0f %% of today's.\n",
			ms(adv.WorkloadMS), 100*adv.SavedShare, 100*adv.RelativeCost)
	}
	if len(adv.Unadvised) > 0 {
		s := section{title: "Queries left without a useful index", header: []string{"Query", "Total ms", "Why"}, wide: 2}
		for _, u := range adv.Unadvised {
			s.rows = append(s.rows, []string{OneLine(u.Normalized, 70), ms(u.WeightMS), u.Reason})
		}
		b.WriteString("\n")
		if err := emitSection(&b, s, opts); err != nil {
			return err
		}
	}
	if len(adv.Drops) > 0 {
		s := section{title: "Existing indexes to consider dropping", header: []string{"Index", "Table", "Size", "Why", "Statement"}, wide: 4}
		for _, d := range adv.Drops {
			s.rows = append(s.rows, []string{d.Index, d.Table, size(d.SizeBytes), d.Reason, d.DDL + ";"})
		}
		b.WriteString("\n")
		if err := emitSection(&b, s, opts); err != nil {
			return err
		}
	}
	in := section{title: "Inputs", header: []string{"Input", "Kind", "Statements", "Errors", "Skipped lines"}, wide: 0}
	for _, i := range rep.Inputs {
		kind := i.Kind
		if i.Detected != "" {
			kind = i.Detected
		}
		in.rows = append(in.rows, []string{i.Path, kind, strconv.Itoa(i.Statements), strconv.Itoa(i.Errors), strconv.Itoa(i.SkippedLines)})
	}
	b.WriteString("\n")
	if err := emitSection(&b, in, opts); err != nil {
		return err
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// emitSection writes one section as writeTable does: aligned on a
// terminal, tab-separated otherwise.
func emitSection(b *strings.Builder, s section, opts Options) error {
	if opts.Aligned {
		if s.title != "" {
			fmt.Fprintf(b, "%s\n", s.title)
		}
		return alignedTable(b, s, opts.Width)
	}
	if s.title != "" {
		fmt.Fprintf(b, "# %s\n", s.title)
	}
	b.WriteString(strings.Join(s.header, "\t") + "\n")
	for _, r := range s.rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = tsvCell(c)
		}
		b.WriteString(strings.Join(cells, "\t") + "\n")
	}
	return nil
}

// RecommendationSize describes an index's size and build time, measured or estimated.
func RecommendationSize(r report.Recommendation) string {
	if r.Status == "measured" {
		return fmt.Sprintf("measured: %s (estimated %s), built in %s ms", size(r.SizeBytes), size(r.EstimatedSizeBytes), ms(r.BuildMS))
	}
	return fmt.Sprintf("%s: %s", r.Status, size(r.EstimatedSizeBytes))
}

// size formats bytes in binary units.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// cost formats a planner cost.
func cost(v float64) string {
	if v < 100 {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// writeAdviceMarkdown writes the recommended indexes for a pull-request
// comment: each statement in a sql code block, the queries it helps as a
// table.
func writeAdviceMarkdown(b *strings.Builder, rep *report.Report) {
	if rep.Command != "advise" {
		return
	}
	fmt.Fprintf(b, "#### Recommended indexes (%d)\n\n", len(rep.Recommendations))
	for i, r := range rep.Recommendations {
		fmt.Fprintf(b, "%d. **%s** index on `%s`, %s\n\n", i+1, r.Kind, mdCell(r.Table), mdCell(RecommendationSize(r)))
		fence := "```"
		for strings.Contains(r.DDL, fence) {
			fence += "`"
		}
		fmt.Fprintf(b, "%ssql\n%s;\n%s\n\n", fence, r.DDL, fence)
		b.WriteString("| Query | Total ms | Est. cost | Measured ms | Uses index |\n|---|---:|---|---|---|\n")
		for _, h := range r.Helps {
			measured, uses := "estimated", ""
			for _, m := range r.Measured {
				if m.Fingerprint == h.Fingerprint && m.Error == "" {
					measured = fmt.Sprintf("%s ±%s → %s ±%s", ms(m.BeforeMS), ms(m.BeforeSpreadMS), ms(m.AfterMS), ms(m.AfterSpreadMS))
					uses = "no"
					if m.UsesIndex {
						uses = "yes"
					}
				}
			}
			fmt.Fprintf(b, "| %s | %s | %s → %s | %s | %s |\n", mdCode(OneLine(h.Normalized, 100)), ms(h.WeightMS), cost(h.CostBefore), cost(h.CostAfter), measured, uses)
		}
		for _, wr := range r.Writes {
			for _, m := range r.Measured {
				if m.Fingerprint == wr.Fingerprint && m.Error == "" {
					fmt.Fprintf(b, "| write: %s | %s |  | %s ±%s → %s ±%s |  |\n", mdCode(OneLine(wr.Normalized, 100)), ms(wr.WeightMS), ms(m.BeforeMS), ms(m.BeforeSpreadMS), ms(m.AfterMS), ms(m.AfterSpreadMS))
				}
			}
		}
		b.WriteString("\n")
	}
	if adv := rep.Advice; adv != nil {
		if adv.WorkloadMS > 0 {
			fmt.Fprintf(b, "Workload: %s ms; the recommendations save %.1f %% of it.\n\n", ms(adv.WorkloadMS), 100*adv.SavedShare)
		}
		if len(adv.Unadvised) > 0 {
			b.WriteString("<details><summary>Queries left without a useful index</summary>\n\n| Query | Total ms | Why |\n|---|---:|---|\n")
			for _, u := range adv.Unadvised {
				fmt.Fprintf(b, "| %s | %s | %s |\n", mdCode(OneLine(u.Normalized, 100)), ms(u.WeightMS), mdCell(u.Reason))
			}
			b.WriteString("\n</details>\n\n")
		}
		if len(adv.Drops) > 0 {
			b.WriteString("Existing indexes to consider dropping:\n\n")
			for _, d := range adv.Drops {
				fmt.Fprintf(b, "- `%s` on `%s` (%s): %s: %s\n", mdCell(d.Index), mdCell(d.Table), size(d.SizeBytes), mdCell(d.Reason), mdCode(d.DDL))
			}
			b.WriteString("\n")
		}
	}
}
