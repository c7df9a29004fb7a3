// Package render writes a report.Report for people and machines: an
// aligned table on a terminal (tab-separated when piped), JSON, Markdown
// for pull-request comments, and SARIF 2.1.0 for code scanning.
package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// Format is an output format.
type Format string

// Output formats.
const (
	Table    Format = "table"
	JSON     Format = "json"
	Markdown Format = "markdown"
	SARIF    Format = "sarif"
)

// Formats lists the formats in the order the help text shows them.
var Formats = []Format{Table, JSON, Markdown, SARIF, GitHub}

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	if strings.EqualFold(s, "md") {
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, json, markdown, sarif or github)", s)
}

// Rule documents a check for formats that carry rule metadata (SARIF).
type Rule struct {
	Name     string
	Summary  string
	Doc      string
	Severity string
}

// Options tune rendering.
type Options struct {
	// Aligned draws a bordered, aligned table (stdout is a terminal);
	// otherwise the table format writes tab-separated values.
	Aligned bool
	// Width is the terminal width for aligned tables (0: 120 columns).
	Width int
	// Rules describes the checks, by name, for SARIF.
	Rules []Rule
	// ToolVersion is pgadvisor's version, for SARIF.
	ToolVersion string
}

// Write renders rep in format f to w.
func Write(w io.Writer, f Format, rep *report.Report, opts Options) error {
	switch f {
	case JSON:
		return writeJSON(w, rep)
	case Markdown:
		return writeMarkdown(EscapeWriter(w), rep)
	case SARIF:
		return writeSARIF(w, rep, opts)
	case GitHub:
		return writeGitHub(w, rep)
	default:
		return writeTable(EscapeWriter(w), rep, opts)
	}
}

// summary counts findings by severity, as "3 findings (1 error, 2 warnings)".
func summary(fs []report.Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	counts := map[string]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range []string{"error", "warning", "info"} {
		if n := counts[s]; n > 0 {
			parts = append(parts, plural(n, s))
		}
	}
	return fmt.Sprintf("%s (%s)", plural(len(fs), "finding"), strings.Join(parts, ", "))
}

// summaryLine is summary, with the number of problems shown when the
// human formats group several findings into one problem.
func summaryLine(rep *report.Report) string {
	s := summary(rep.Findings)
	if n := len(problems(rep)); n != len(rep.Findings) {
		s = plural(n, "problem") + ": " + s
	}
	return s
}

// plural formats n with a word, adding "s" unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// location formats a finding's position as file:line:col.
func location(f report.Finding) string {
	switch {
	case f.Line == 0:
		return f.File
	case f.Column == 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

// hasTimings reports whether any query carries timing or call counts that
// make a top-queries table worth printing (logs, pg_stat_statements).
func hasTimings(qs []report.Query) bool {
	for _, q := range qs {
		if q.TotalMS > 0 || q.Calls > 1 {
			return true
		}
	}
	return false
}

// OneLine collapses white space so a SQL text fits one table cell.
func OneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// ms formats milliseconds for people.
func ms(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 10:
		return fmt.Sprintf("%.3f", v)
	case v < 1000:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
