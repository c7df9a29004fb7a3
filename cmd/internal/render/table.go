package render

import (
	"fmt"
	"io"
	"slices"
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
	if rep.Headline != "" {
		fmt.Fprintf(&b, "%s\n\n", rep.Headline)
	}
	for i, s := range sections(rep) {
		if i > 0 {
			b.WriteString("\n")
		}
		if opts.Aligned && s.title == "Findings" {
			findingList(&b, rep, opts.Width)
			continue
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
	if len(rep.Proposals) > 0 {
		if opts.Aligned {
			b.WriteString("\nIndexes to create\n\n")
			proposalBlock(&b, rep.Proposals, max(opts.Width, 80))
		} else {
			b.WriteString("\n# Indexes to create\n#\tIndex\tKind\tTable\tAsked by\tStatement\n")
			for i, p := range rep.Proposals {
				fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\t%s\n", i+1, tsvCell(p.Name), p.Kind, tsvCell(p.Table), tsvCell(strings.Join(p.Reasons, ", ")), tsvCell(p.DDL))
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n", summaryLine(rep))
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
		// Natural widths (cell padding included), then the widest
		// narrow columns shrink until the wide one has minWide columns
		// within the terminal's width.
		const minWide = 14
		natural := make([]int, len(s.header))
		for c := range s.header {
			if c == s.wide {
				continue
			}
			n := displayWidth(s.header[c])
			for _, r := range s.rows {
				n = max(n, displayWidth(r[c]))
			}
			natural[c] = min(n, maxNarrow) + 2
		}
		used := func() int {
			u := 2 // the outer borders
			for c, n := range natural {
				if c != s.wide {
					u += n + 1
				}
			}
			return u
		}
		for used()+minWide > width {
			widest := -1
			for c, n := range natural {
				if c != s.wide && n > 8 && (widest < 0 || n > natural[widest]) {
					widest = c
				}
			}
			if widest < 0 {
				break
			}
			natural[widest]--
		}
		widths := tw.NewMapper[int, int]()
		for c, n := range natural {
			if c != s.wide {
				widths.Set(c, n)
			}
		}
		natural[s.wide] = max(width-used(), minWide)
		widths.Set(s.wide, natural[s.wide])
		opts = append(opts, tablewriter.WithColumnWidths(widths))
		// Cells are broken into lines here, a long word split rather
		// than cut: tablewriter drops what does not fit a line.
		rows := make([][]string, len(s.rows))
		for i, r := range s.rows {
			rows[i] = make([]string, len(r))
			for c, cell := range r {
				rows[i][c] = breakLines(cell, natural[c]-2)
			}
		}
		s.rows = rows
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
		// Failed calls show when there are any; "Mean ms" is the total
		// over the calls whose duration is known.
		failed := slices.ContainsFunc(rep.Queries, func(q report.Query) bool { return q.Failed > 0 })
		s := section{title: "Top queries", header: []string{"#", "Calls", "Total ms", "Mean ms", "Max ms", "Fingerprint", "Query"}}
		if failed {
			s.header = slices.Insert(s.header, 2, "Failed")
		}
		s.wide = len(s.header) - 1
		for i, q := range rep.Queries {
			row := []string{strconv.Itoa(i + 1), strconv.FormatInt(q.Calls, 10), ms(q.TotalMS), ms(q.MeanMS), ms(q.MaxMS), q.Fingerprint, OneLine(q.Normalized, 80)}
			if failed {
				row = slices.Insert(row, 2, strconv.FormatInt(q.Failed, 10))
			}
			s.rows = append(s.rows, row)
		}
		out = append(out, s)
	}
	out = append(out, nplusoneSections(rep)...)
	if len(rep.Findings) > 0 {
		s := section{title: "Findings", header: []string{"Location", "Severity", "Check", "Message"}, wide: 3}
		props := proposalFor(rep)
		for _, f := range problems(rep) {
			msg := f.Message
			if f.Query != "" {
				msg += "\nquery: " + OneLine(f.Query, 200)
			}
			help := findingHelp(f.Finding, props)
			if help != "" {
				msg += "\n→ " + help
			}
			if f.Fix != "" && f.Proposal == "" && !strings.Contains(f.Help, strings.TrimSuffix(f.Fix, ";")) {
				msg += "\nfix: " + f.Fix
			}
			if also := alsoText(f); also != "" {
				msg += "\n" + also
			}
			s.rows = append(s.rows, []string{location(f.Finding), f.Severity, f.Check, msg})
		}
		out = append(out, s)
	}
	s := section{title: "Inputs", header: []string{"Input", "Kind", "Statements", "Errors", "Skipped"}, wide: 1}
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

// breakLines breaks text into lines of at most width terminal columns,
// at spaces where it can, splitting a longer word.
func breakLines(text string, width int) string {
	if width < 1 || displayWidth(text) <= width {
		return text
	}
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for runewidth.StringWidth(word) > width {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				head := runewidth.Truncate(word, width, "")
				lines = append(lines, head)
				word = word[len(head):]
			}
			switch {
			case line == "":
				line = word
			case runewidth.StringWidth(line)+1+runewidth.StringWidth(word) <= width:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
