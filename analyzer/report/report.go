// Package report is the document every pgadvisor command produces: the
// version 1 report of DESIGN.md. Renderers (table, JSON, Markdown, SARIF)
// live with the CLI; this package only holds the data and its order.
package report

import (
	"cmp"
	"slices"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// Version is the report format version.
const Version = 1

// Report is the whole result of a command.
type Report struct {
	Version         int              `json:"version"`
	Command         string           `json:"command,omitempty"`
	Inputs          []Input          `json:"inputs"`
	Queries         []Query          `json:"queries"`
	Findings        []Finding        `json:"findings"`
	NPlusOne        []NPlusOne       `json:"nplusone,omitempty"`
	Plans           []Plan           `json:"plans,omitempty"`
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	WhatIfCalls     int              `json:"whatif_calls"`
	// Advice is the rest of `pgadvisor advise`'s result (see advice.go).
	Advice *Advice `json:"advice,omitempty"`
}

// Input describes one input read.
type Input struct {
	Path         string `json:"path"`
	Kind         string `json:"kind"`
	Statements   int    `json:"statements"`
	Errors       int    `json:"errors"`
	SkippedLines int    `json:"skipped_lines"`
	// Bytes is the input's size in bytes (uncompressed).
	Bytes int64 `json:"bytes,omitempty"`
	// Lines, Failed and OtherMessages describe a log: lines read,
	// statements that ended in an ERROR, and messages that are not
	// statements (connections, checkpoints, other severities), counted
	// and otherwise ignored.
	Lines         int64 `json:"lines,omitempty"`
	Failed        int64 `json:"failed,omitempty"`
	OtherMessages int64 `json:"other_messages,omitempty"`
	// Messages are the first problems met reading it (positioned).
	Messages []string `json:"messages,omitempty"`
	// Detected says how the format was recognized (e.g. the log prefix).
	Detected string `json:"detected,omitempty"`
}

// Query is one distinct query of the workload.
type Query struct {
	Fingerprint string  `json:"fingerprint"`
	Normalized  string  `json:"normalized"`
	Example     string  `json:"example"`
	Calls       int64   `json:"calls"`
	TotalMS     float64 `json:"total_ms"`
	MeanMS      float64 `json:"mean_ms"`
	MaxMS       float64 `json:"max_ms"`
	P95MS       float64 `json:"p95_ms,omitempty"`
	Rows        int64   `json:"rows"`
	Failed      int64   `json:"failed,omitempty"`
	Sessions    int     `json:"sessions,omitempty"`
	File        string  `json:"file"`
	Line        int     `json:"line"`
}

// Finding is a check's finding, flattened for output.
type Finding struct {
	Check       string `json:"check"`
	Severity    string `json:"severity"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	Fingerprint string `json:"fingerprint"`
	Message     string `json:"message"`
	Help        string `json:"help,omitempty"`
	Fix         string `json:"fix,omitempty"`
}

// FromFinding flattens a check.Finding.
func FromFinding(f check.Finding) Finding {
	out := Finding{
		Check:       f.Check,
		Severity:    f.Severity.String(),
		File:        f.Pos.File,
		Line:        f.Pos.Line,
		Column:      f.Pos.Column,
		Fingerprint: f.Fingerprint,
		Message:     f.Message,
		Help:        f.Help,
	}
	if f.Fix != nil {
		out.Fix = f.Fix.SQL
	}
	return out
}

// NPlusOne is an N+1 query loop.
type NPlusOne struct {
	Fingerprint       string  `json:"fingerprint"`
	Normalized        string  `json:"normalized"`
	ParentFingerprint string  `json:"parent_fingerprint,omitempty"`
	ParentNormalized  string  `json:"parent_normalized,omitempty"`
	Bursts            int     `json:"bursts"`
	MaxRepeats        int     `json:"max_repeats"`
	TotalCalls        int64   `json:"total_calls"`
	TotalMS           float64 `json:"total_ms"`
	Sessions          int     `json:"sessions"`
	Suggestion        string  `json:"suggestion"`
}

// Plan summarizes one EXPLAIN plan read.
type Plan struct {
	File        string    `json:"file"`
	Line        int       `json:"line"`
	Fingerprint string    `json:"fingerprint"`
	TotalMS     float64   `json:"total_ms"`
	Nodes       int       `json:"nodes"`
	Findings    []Finding `json:"findings"`
	// Tree is the rendered plan tree for people (table and Markdown).
	Tree string `json:"tree,omitempty"`
}

// Recommendation is a proposed index.
type Recommendation struct {
	DDL           string     `json:"ddl"`
	Table         string     `json:"table"`
	Columns       []string   `json:"columns"`
	Include       []string   `json:"include,omitempty"`
	Where         string     `json:"where,omitempty"`
	Method        string     `json:"method"`
	Kind          string     `json:"kind"`
	SizeBytes     int64      `json:"size_bytes"`
	BuildMS       float64    `json:"build_ms"`
	WriteOverhead float64    `json:"write_overhead"`
	Estimated     Estimate   `json:"estimated"`
	Measured      []Measured `json:"measured"`
	Queries       []string   `json:"queries"`
	// The fields below are advise's additions (see advice.go).
	RecommendationDetail
}

// Estimate is the planner's cost before and after an index.
type Estimate struct {
	CostBefore float64 `json:"cost_before"`
	CostAfter  float64 `json:"cost_after"`
}

// Measured is a measured before/after timing for one query.
type Measured struct {
	Fingerprint    string  `json:"fingerprint"`
	Runs           int     `json:"runs"`
	BeforeMS       float64 `json:"before_ms"`
	AfterMS        float64 `json:"after_ms"`
	BeforeSpreadMS float64 `json:"before_spread_ms"`
	AfterSpreadMS  float64 `json:"after_spread_ms"`
	UsesIndex      bool    `json:"uses_index"`
	// Shared buffers hit and read by the last run of each side.
	BeforeBuffersHit  int64 `json:"before_buffers_hit"`
	BeforeBuffersRead int64 `json:"before_buffers_read"`
	AfterBuffersHit   int64 `json:"after_buffers_hit"`
	AfterBuffersRead  int64 `json:"after_buffers_read"`
	// Error is why the query could not be measured ("" when it was).
	Error string `json:"error,omitempty"`
}

// SortFindings orders findings deterministically: by file, line, column,
// check, then message.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Worst returns the highest severity among the findings (0 if none).
func Worst(fs []Finding) check.Severity {
	var worst check.Severity
	for _, f := range fs {
		if s, err := check.ParseSeverity(f.Severity); err == nil && s > worst {
			worst = s
		}
	}
	return worst
}
