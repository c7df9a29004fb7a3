package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// section is one titled table of the report.
type section struct {
	title  string
	header []string
	rows   [][]string
	// wide is the column that takes the rest of the terminal and wraps
	// (-1: every column keeps its natural width).
	wide int
}

// writeTable writes the report's sections as aligned tables on a terminal,
// or as tab-separated values (one header line per section, sections
// separated by a blank line) when piped.
func writeTable(w io.Writer, rep *report.Report, opts Options) error {
	if rep.Command == "advise" {
		return writeAdvice(w, rep, opts)
	}
	var b strings.Builder
	for i, s := range sections(rep) {
		if i > 0 {
			b.WriteString("\n")
		}
		if opts.Aligned {
			fmt.Fprintf(&b, "%s\n", s.title)
			if err := alignedTable(&b, s, opts.Width); err != nil {
				return fmt.Errorf("render table %s: %w", s.title, err)
			}
			continue
		}
		fmt.Fprintf(&b, "# %s\n", s.title)
		b.WriteString(strings.Join(s.header, "\t") + "\n")
		for _, r := range s.rows {
			cells := make([]string, len(r))
			for j, c := range r {
				cells[j] = tsvCell(c)
			}
			b.WriteString(strings.Join(cells, "\t") + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%s\n", summary(rep.Findings))
	_, err := io.WriteString(w, b.String())
	return err
}

// tsvCell keeps a cell on one line and free of tabs.
func tsvCell(s string) string {
	return strings.NewReplacer("\t", " ", "\r\n", " ⏎ ", "\n", " ⏎ ").Replace(s)
}

// alignedTable draws one section with tablewriter. Every column keeps its
// natural width (up to maxNarrow) but the wide one, the text people read
// (message, query), which gets the rest of the terminal and wraps.
func alignedTable(w io.Writer, s section, width int) error {
	if width <= 0 {
		width = 120
	}
	const maxNarrow = 40
	opts := []tablewriter.Option{
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
	}
	if s.wide >= 0 {
		widths := tw.NewMapper[int, int]()
		used := 1 // the left border
		for c := range s.header {
			if c == s.wide {
				continue
			}
			n := displayWidth(s.header[c])
			for _, r := range s.rows {
				n = max(n, displayWidth(r[c]))
			}
			n = min(n, maxNarrow) + 2 // cell padding
			widths.Set(c, n)
			used += n + 1 // the separator
		}
		widths.Set(s.wide, max(width-used-1, 22))
		opts = append(opts, tablewriter.WithColumnWidths(widths))
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(s.header)
	if err := t.Bulk(s.rows); err != nil {
		return err
	}
	return t.Render()
}

// displayWidth is the widest line of s in terminal cells.
func displayWidth(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, runewidth.StringWidth(l))
	}
	return n
}

// sections lays the report out as the tables people read: plans, top
// queries (when timings are known), findings, inputs with problems.
func sections(rep *report.Report) []section {
	var out []section
	if hasTimings(rep.Queries) {
		s := section{title: "Top queries", header: []string{"#", "Calls", "Total ms", "Mean ms", "Max ms", "Fingerprint", "Query"}, wide: 6}
		for i, q := range rep.Queries {
			s.rows = append(s.rows, []string{
				strconv.Itoa(i + 1), strconv.FormatInt(q.Calls, 10), ms(q.TotalMS), ms(q.MeanMS), ms(q.MaxMS),
				q.Fingerprint, oneLine(q.Normalized, 80),
			})
		}
		out = append(out, s)
	}
	if len(rep.Findings) > 0 {
		s := section{title: "Findings", header: []string{"Location", "Severity", "Check", "Message"}, wide: 3}
		for _, f := range rep.Findings {
			msg := f.Message
			if f.Help != "" {
				msg += "\n→ " + f.Help
			}
			if f.Fix != "" && !strings.Contains(f.Help, strings.TrimSuffix(f.Fix, ";")) {
				msg += "\nfix: " + f.Fix
			}
			s.rows = append(s.rows, []string{location(f), f.Severity, f.Check, msg})
		}
		out = append(out, s)
	}
	s := section{title: "Inputs", header: []string{"Input", "Kind", "Statements", "Errors", "Skipped lines"}, wide: 1}
	for _, in := range rep.Inputs {
		// Detected says how a log was read (its log_line_prefix): people
		// need it to trust, or correct, what they see.
		kind := in.Kind
		if in.Detected != "" {
			kind = in.Detected
		}
		s.rows = append(s.rows, []string{in.Path, kind, strconv.Itoa(in.Statements), strconv.Itoa(in.Errors), strconv.Itoa(in.SkippedLines)})
	}
	out = append(out, s)
	return out
}
