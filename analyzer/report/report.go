// Package report is the document every pgadvisor command produces: the
// version 1 report of DESIGN.md. Renderers (table, JSON, Markdown, SARIF)
// live with the CLI; this package only holds the data and its order. It
// is a leaf: it imports none of pgadvisor's packages, so that everything
// may produce a report without pulling in the parser or the checks.
package report

import (
	"cmp"
	"math"
	"slices"
)

// Version is the report format version.
const Version = 1

// Report is the whole result of a command.
type Report struct {
	Version int    `json:"version"`
	Command string `json:"command,omitempty"`
	// Summary is the report in a few numbers, and Headline the one line
	// that leads the human formats.
	Summary  Summary    `json:"summary"`
	Headline string     `json:"headline,omitempty"`
	Inputs   []Input    `json:"inputs"`
	Queries  []Query    `json:"queries"`
	Findings []Finding  `json:"findings"`
	NPlusOne []NPlusOne `json:"nplusone,omitempty"`
	Plans    []Plan     `json:"plans,omitempty"`
	// Proposals are the indexes the checks propose, merged: one entry per
	// index, with every finding that asks for it.
	Proposals       []Proposal       `json:"proposals,omitempty"`
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	WhatIfCalls     int              `json:"whatif_calls"`
	// Advice is the rest of `pgadvisor advise`'s result (see advice.go).
	Advice *Advice `json:"advice,omitempty"`
}

// Summary counts what a report covers. TotalMS is the time of every
// query read (logs, pg_stat_statements); ListedMS the time of the
// queries listed in Queries, which --top cuts.
type Summary struct {
	Statements      int64    `json:"statements"`
	DistinctQueries int      `json:"distinct_queries"`
	Failed          int64    `json:"failed"`
	TotalMS         float64  `json:"total_ms"`
	ListedMS        float64  `json:"listed_ms"`
	Findings        Severity `json:"findings"`
}

// Severity counts findings by severity.
type Severity struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// Proposal is one index the checks propose, after merging: the same
// definition proposed by several checks or for several queries appears
// once, and one made redundant by a wider proposal is folded into it.
type Proposal struct {
	// Key identifies the proposal; findings that ask for it carry it.
	Key     string   `json:"key"`
	Name    string   `json:"name"`
	DDL     string   `json:"ddl"`
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Include []string `json:"include,omitempty"`
	Where   string   `json:"where,omitempty"`
	Method  string   `json:"method"`
	Kind    string   `json:"kind"`
	// Serves lists what the index serves, one item per key or predicate.
	Serves []string `json:"serves,omitempty"`
	// Reasons are the findings that ask for it: "check: file:line".
	Reasons []string `json:"reasons"`
	// Queries are the fingerprints of the queries it serves.
	Queries []string `json:"queries,omitempty"`
	// TotalMS is the logged time of those queries (0 when unknown).
	TotalMS float64 `json:"total_ms,omitempty"`
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
	// Proposal is the Key of the merged index proposal the fix creates.
	Proposal string `json:"proposal,omitempty"`
	// Query is the query's normalized text when the finding's location
	// is not a file a person can open (pg_stat_statements).
	Query string `json:"query,omitempty"`
	// Plans is the number of plans the finding was seen in, when plan
	// findings of one query and node were aggregated (0: one place).
	Plans int `json:"plans,omitempty"`
	// TotalMS is the logged time of the queries the finding touches, the
	// figure findings are ranked by (0 when unknown).
	TotalMS float64 `json:"total_ms,omitempty"`
}

// NPlusOne is an N+1 query loop, or one of its look-alikes (Kind).
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
	// Kind is "loop" (an N+1 loop under a parent), "batch-writes"
	// (repeated single-row writes), "cache" (the same values again) or
	// "suspect" (pg_stat_statements only: no sessions to prove a loop).
	Kind string `json:"kind"`
	// MeanRepeats is the mean number of calls per burst; WallMS the time
	// from the first to the last call of each burst, added up (server
	// time, round trips and the application's work between calls).
	MeanRepeats float64 `json:"mean_repeats"`
	WallMS      float64 `json:"wall_ms,omitempty"`
	// SavedCalls and SavedMS are what disappears with the rewrite: the
	// calls beyond one per burst, and their share of the server time.
	SavedCalls int64   `json:"saved_calls,omitempty"`
	SavedMS    float64 `json:"saved_ms,omitempty"`
	// DistinctValues counts the parameter values of the example burst.
	DistinctValues int `json:"distinct_values,omitempty"`
	// RowsPerCall is the rows per call of a suspicion.
	RowsPerCall float64 `json:"rows_per_call,omitempty"`
	// File and Line locate the example burst's first call; ParentLine its
	// parent.
	File       string `json:"file,omitempty"`
	Line       int    `json:"line,omitempty"`
	ParentLine int    `json:"parent_line,omitempty"`
	// Rewrite is the batched query, Join the parent and the loop in one
	// query (either may be empty).
	Rewrite string `json:"rewrite,omitempty"`
	Join    string `json:"join,omitempty"`
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

// SortFindings orders findings for their reader: by the time they touch
// (most first) when timings are known, then by severity (worst first),
// then by file, line, column, check and message.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.TotalMS, a.TotalMS),
			cmp.Compare(Rank(b.Severity), Rank(a.Severity)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Rank orders severity names: info 1, warning 2, error 3, else 0.
func Rank(severity string) int {
	switch severity {
	case "info":
		return 1
	case "warning":
		return 2
	case "error":
		return 3
	}
	return 0
}

// Worst returns the Rank of the highest severity among the findings (0
// if none).
func Worst(fs []Finding) int {
	worst := 0
	for _, f := range fs {
		worst = max(worst, Rank(f.Severity))
	}
	return worst
}

// Count counts findings by severity.
func Count(fs []Finding) Severity {
	var c Severity
	for _, f := range fs {
		switch f.Severity {
		case "error":
			c.Error++
		case "warning":
			c.Warning++
		case "info":
			c.Info++
		}
	}
	return c
}

// Round keeps a figure to what a person can read and a machine compares:
// three decimals (microseconds for milliseconds), no float noise such as
// 0.4690000000000001.
func Round(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*1000) / 1000
}
