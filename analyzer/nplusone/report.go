package nplusone

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// Suggestion says, for people, what to do about a pattern.
func Suggestion(l *Loop) string {
	switch l.Kind {
	case KindLoop:
		if l.Rewrite == nil {
			return "fetch the rows of every parent row at once (one query with = ANY or a JOIN) instead of one query per row"
		}
		s := fmt.Sprintf("run it once per burst with $%d the array of the values: %s", l.Rewrite.Param, l.Rewrite.SQL)
		if l.Rewrite.Join != "" {
			s += fmt.Sprintf("; or join it with its parent (whose %s feeds it): %s", l.Rewrite.JoinColumn, l.Rewrite.Join)
		}
		if l.Rewrite.Note != "" {
			s += " (" + l.Rewrite.Note + ")"
		}
		return s
	case KindWrites:
		if l.Rewrite == nil {
			return "repeated single-row writes: batch them (one multi-row statement, or COPY)"
		}
		s := fmt.Sprintf("repeated single-row writes: batch them: %s", l.Rewrite.SQL)
		if l.Rewrite.Note != "" {
			s += " (" + l.Rewrite.Note + ")"
		}
		return s
	case KindCache:
		return "the same query with the same values, again and again: keep its result (in the request, or a cache) instead of asking again"
	case KindSuspect:
		return "suspected N+1 loop from pg_stat_statements (cheap, very many calls, about one row each); confirm with the server log (log_min_duration_statement = 0, %c in log_line_prefix)"
	}
	return ""
}

// ToReport turns the patterns into the report's nplusone[] entries.
func ToReport(loops []*Loop) []report.NPlusOne {
	var out []report.NPlusOne
	for _, l := range loops {
		r := report.NPlusOne{
			Fingerprint:       l.Fingerprint,
			Normalized:        l.Normalized,
			ParentFingerprint: l.ParentFingerprint,
			ParentNormalized:  l.ParentNormalized,
			Bursts:            l.Bursts,
			MaxRepeats:        l.MaxRepeats,
			TotalCalls:        l.TotalCalls,
			TotalMS:           report.Round(l.TotalMS),
			Sessions:          l.Sessions,
			Suggestion:        Suggestion(l),
			Kind:              string(l.Kind),
			MeanRepeats:       report.Round(l.MeanRepeats()),
			WallMS:            report.Round(l.WallMS),
			DistinctValues:    l.DistinctValues,
			RowsPerCall:       report.Round(l.Rows),
			File:              l.File,
			Line:              l.Line,
		}
		if l.Kind != KindSuspect {
			// One call per burst remains (a cache answers the others).
			r.SavedCalls, r.SavedMS = l.SavedCalls(), report.Round(l.SavedMS())
		}
		if l.Parent != nil {
			r.ParentLine = l.Parent.Line
		}
		if l.Rewrite != nil {
			r.Rewrite, r.Join = l.Rewrite.SQL, l.Rewrite.Join
		}
		out = append(out, r)
	}
	return out
}

// ForChecks turns the patterns into what the n-plus-one check reads.
func ForChecks(loops []*Loop) []check.Loop {
	var out []check.Loop
	for _, l := range loops {
		c := check.Loop{
			Kind:             string(l.Kind),
			Pos:              check.Position{File: l.File, Line: l.Line},
			Fingerprint:      l.Fingerprint,
			Normalized:       l.Normalized,
			ParentNormalized: l.ParentNormalized,
			Bursts:           l.Bursts,
			MaxRepeats:       l.MaxRepeats,
			TotalCalls:       l.TotalCalls,
			TotalMS:          report.Round(l.TotalMS),
			SavedCalls:       l.SavedCalls(),
			SavedMS:          report.Round(l.SavedMS()),
			RowsPerCall:      report.Round(l.Rows),
			Suggestion:       Suggestion(l),
		}
		if l.Kind == KindSuspect {
			c.Pos = check.Position{File: "pg_stat_statements"}
		}
		if l.Rewrite != nil {
			// The SQL goes in the fix; the help says what it is.
			c.SQL = l.Rewrite.SQL
			c.Suggestion = fmt.Sprintf("run one query per burst instead, with $%d the array of the burst's values (the fix)", l.Rewrite.Param)
			if l.Kind == KindWrites {
				c.Suggestion = "batch them: one statement per burst (the fix)"
			}
			if l.Rewrite.Note != "" {
				c.Suggestion += "; " + l.Rewrite.Note
			}
			if l.Rewrite.Join != "" && l.Kind == KindLoop {
				c.SQL = strings.TrimSpace(c.SQL) + ";\n/* or, joined with the parent (its " + l.Rewrite.JoinColumn + " feeds the loop): */\n" + l.Rewrite.Join
			}
		}
		out = append(out, c)
	}
	return out
}
