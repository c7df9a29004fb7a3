// Package explain reads PostgreSQL EXPLAIN output of every format (text,
// JSON, YAML, XML, auto_explain) into one plan tree, computes inclusive and
// exclusive time per node, renders a compact tree for people and rewrites
// any plan as PostgreSQL's own FORMAT JSON.
//
// Field names follow PostgreSQL's FORMAT JSON keys ("Plan Rows" is
// PlanRows, "Rows Removed by Filter" is RowsRemovedByFilter), so that the
// four formats parse to equal trees. Keys the model has no field for are
// kept, in order, in Extra.
//
// The readers fill nodes directly, without an intermediate tree, so that
// a 10,000-node plan (a query over thousands of partitions) parses in
// tens of milliseconds in every format (BenchmarkParse10000Nodes). YAML
// and XML that are not in the plain shape PostgreSQL writes go through
// yaml.v3 and encoding/xml instead, which are slower but read anything
// valid and give precise errors.
package explain

import (
	"fmt"
	"strings"
)

// Plan is one EXPLAIN output.
type Plan struct {
	// File and Line locate the plan in its input (Line is 1-based).
	File string
	Line int
	// Query is the statement text when known (auto_explain, --query).
	Query string
	// Fingerprint is the query's fingerprint when known: set by whoever
	// read the query (the log reader, the engine), "" otherwise.
	Fingerprint string
	// Format is the format the plan was read from: text, json, yaml, xml.
	Format string
	Root   *Node

	// PlanningTime and ExecutionTime are in milliseconds; the Has flags
	// say whether the plan showed them (SUMMARY, ANALYZE).
	PlanningTime     float64
	HasPlanningTime  bool
	ExecutionTime    float64
	HasExecutionTime bool
	// Planning holds the planner's buffer and memory use (PostgreSQL 13+
	// with BUFFERS, 17+ with MEMORY).
	Planning Planning
	Triggers []Trigger
	// JIT is nil when the query was not JIT-compiled.
	JIT *JIT
	// Settings are the non-default planner settings (SETTINGS option).
	Settings []Setting
	// Extra holds plan-level keys the model has no field for (Query
	// Identifier, Serialization, ...).
	Extra []Prop
}

// Planning is the "Planning" group of a plan.
type Planning struct {
	Buffers         Buffers
	IO              IOTimings
	MemoryUsed      int64 // kB
	MemoryAllocated int64 // kB
}

// Trigger is the run time of one trigger (EXPLAIN ANALYZE of a write).
type Trigger struct {
	Name       string
	Constraint string
	Relation   string
	Time       float64 // ms, all calls
	Calls      float64
}

// JIT is the JIT compilation summary of a plan.
type JIT struct {
	Functions int64
	// Options.
	Inlining, Optimization, Expressions, Deforming bool
	// Timing in milliseconds; HasTiming is false without ANALYZE/TIMING.
	HasTiming                                          bool
	Generation, Deform, InliningTime, OptimizationTime float64
	Emission, Total                                    float64
	// HasDeform is true when the plan reported the deform time (PG 17+).
	HasDeform bool
}

// Setting is one planner setting that differs from its default.
type Setting struct {
	Name, Value string
}

// Buffers are a node's buffer counts (BUFFERS option).
type Buffers struct {
	SharedHit, SharedRead, SharedDirtied, SharedWritten int64
	LocalHit, LocalRead, LocalDirtied, LocalWritten     int64
	TempRead, TempWritten                               int64
}

// IOTimings are I/O times in milliseconds (track_io_timing).
type IOTimings struct {
	SharedRead, SharedWrite float64
	LocalRead, LocalWrite   float64
	TempRead, TempWrite     float64
}

// WAL is a node's WAL use (WAL option).
type WAL struct {
	Records, FPI, Bytes, BuffersFull int64
}

// Metrics are the figures measured for a node, or for one parallel worker
// of a node.
type Metrics struct {
	// Per-loop averages as PostgreSQL prints them: times in ms, rows
	// (fractional since PostgreSQL 18), and the number of loops.
	ActualStartupTime float64
	ActualTotalTime   float64
	ActualRows        float64
	ActualLoops       float64

	SortMethod    string
	SortSpaceUsed int64 // kB
	SortSpaceType string

	// Hash aggregate and Memoize.
	HashAggBatches  int64
	PeakMemoryUsage int64 // kB
	DiskUsage       int64 // kB
	CacheHits       int64
	CacheMisses     int64
	CacheEvictions  int64
	CacheOverflows  int64

	ExactHeapBlocks int64
	LossyHeapBlocks int64

	Buffers Buffers
	IO      IOTimings
	WAL     WAL
	// Extra holds keys the model has no field for, in input order.
	Extra []Prop
}

// Worker is one parallel worker's share of a node.
type Worker struct {
	Number int
	Metrics
}

// Node is one plan node.
type Node struct {
	// Type is the JSON "Node Type": "Seq Scan", "Hash Join", "Aggregate".
	Type               string
	Strategy           string // Aggregate, SetOp: Plain, Sorted, Hashed, Mixed
	PartialMode        string // Aggregate: Simple, Partial, Finalize
	Operation          string // ModifyTable, Foreign Scan: Insert, Update...
	ParentRelationship string // Outer, Inner, Member, Subquery, InitPlan, SubPlan
	SubplanName        string // "InitPlan 1 (returns $0)", "SubPlan 2", "CTE x"
	CustomPlanProvider string
	ParallelAware      bool
	AsyncCapable       bool
	JoinType           string // Inner, Left, Full, Right, Semi, Anti, Right Semi, Right Anti
	Command            string // SetOp: Intersect, Except...
	ScanDirection      string // Forward, Backward (index scans)
	IndexName          string
	RelationName       string
	FunctionName       string
	CTEName            string
	Schema             string
	Alias              string
	Disabled           bool // PostgreSQL 18
	InnerUnique        bool
	SingleCopy         bool

	// HasCosts is false for COSTS OFF.
	HasCosts    bool
	StartupCost float64
	TotalCost   float64
	PlanRows    float64
	PlanWidth   int64

	// Analyzed is true when the node has actual figures (ANALYZE), Timed
	// when they include times (TIMING on). A node that was never
	// executed is Analyzed with ActualLoops 0.
	Analyzed bool
	Timed    bool

	Output        []string
	IndexCond     string
	RecheckCond   string
	OrderBy       string
	Filter        string
	JoinFilter    string
	HashCond      string
	MergeCond     string
	OneTimeFilter string
	TIDCond       string

	RowsRemovedByFilter       float64
	RowsRemovedByJoinFilter   float64
	RowsRemovedByIndexRecheck float64
	HeapFetches               float64
	IndexSearches             int64

	SortKey      []string
	PresortedKey []string
	GroupKey     []string

	HashBuckets         int64
	OriginalHashBuckets int64
	HashBatches         int64
	OriginalHashBatches int64
	PlannedPartitions   int64

	WorkersPlanned  int64
	WorkersLaunched int64
	SubplansRemoved int64

	Metrics
	Workers  []Worker
	Children []*Node

	// Inclusive and Exclusive are computed wall-clock times in ms over
	// all loops (see ComputeTimes); zero without ANALYZE/TIMING.
	Inclusive float64
	Exclusive float64
	// Line is the 1-based line of the node in its input file.
	Line int
}

// Prop is one key/value PostgreSQL printed that the model keeps as is.
// Value is a string, a float64 (an int64 for an integer a float64 cannot
// hold exactly, such as a Query Identifier), a bool, a []string, a []Prop
// (an object) or a []any (an array of those).
type Prop struct {
	Key   string
	Value any
}

// Walk calls fn for n and every node below it, depth first, children in
// order, with the node's parent (nil for n). It stops descending into a
// node's children when fn returns false.
func Walk(n *Node, fn func(n, parent *Node) bool) {
	var walk func(n, parent *Node)
	walk = func(n, parent *Node) {
		if n == nil || !fn(n, parent) {
			return
		}
		for _, c := range n.Children {
			walk(c, n)
		}
	}
	walk(n, nil)
}

// Nodes returns every node of the plan in depth-first order.
func (p *Plan) Nodes() []*Node {
	var out []*Node
	Walk(p.Root, func(n, _ *Node) bool { out = append(out, n); return true })
	return out
}

// Analyzed reports whether the plan comes from EXPLAIN ANALYZE.
func (p *Plan) Analyzed() bool { return p.Root != nil && p.Root.Analyzed }

// TotalTime returns the execution time in ms: the reported Execution
// Time, else the root node's inclusive time.
func (p *Plan) TotalTime() float64 {
	if p.HasExecutionTime && p.ExecutionTime > 0 {
		return p.ExecutionTime
	}
	if p.Root != nil {
		return p.Root.Inclusive
	}
	return 0
}

// NeverExecuted reports whether ANALYZE shows the node never ran.
func (n *Node) NeverExecuted() bool { return n.Analyzed && n.ActualLoops == 0 }

// TotalActualRows returns the rows produced over all loops.
func (n *Node) TotalActualRows() float64 { return n.ActualRows * n.ActualLoops }

// Relation returns the schema-qualified relation the node reads or
// writes ("" when none), as PostgreSQL printed it.
func (n *Node) Relation() string {
	if n.RelationName == "" {
		return ""
	}
	if n.Schema != "" {
		return n.Schema + "." + n.RelationName
	}
	return n.RelationName
}

// IsScan reports whether the node reads a table directly.
func (n *Node) IsScan() bool {
	switch n.Type {
	case "Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan", "Tid Range Scan", "Sample Scan":
		return true
	}
	return false
}

// Label returns the node's name as EXPLAIN's text format prints it, e.g.
// "Parallel Index Scan Backward using orders_pkey on orders o".
func (n *Node) Label() string {
	var b strings.Builder
	if n.ParallelAware {
		b.WriteString("Parallel ")
	}
	if n.AsyncCapable {
		b.WriteString("Async ")
	}
	b.WriteString(n.textName())
	switch n.Type {
	case "Index Scan", "Index Only Scan":
		if n.ScanDirection == "Backward" {
			b.WriteString(" Backward")
		}
		fmt.Fprintf(&b, " using %s", quoteIdent(n.IndexName))
	case "Bitmap Index Scan":
		fmt.Fprintf(&b, " on %s", quoteIdent(n.IndexName))
	}
	obj := n.RelationName
	if obj == "" {
		obj = n.FunctionName
	}
	if obj == "" {
		obj = n.CTEName
	}
	if obj == "" && n.Type == "Table Function Scan" {
		obj = tableFuncName(n)
	}
	if obj != "" || n.Alias != "" {
		b.WriteString(" on")
		if obj != "" {
			b.WriteString(" ")
			if n.Schema != "" {
				b.WriteString(quoteIdent(n.Schema) + ".")
			}
			b.WriteString(quoteIdent(obj))
		}
		if n.Alias != "" && n.Alias != obj {
			b.WriteString(" " + quoteIdent(n.Alias))
		}
	}
	return b.String()
}

func tableFuncName(n *Node) string {
	for _, p := range n.Extra {
		if p.Key == "Table Function Name" {
			if s, ok := p.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// textName is the node name of the text format (pname in explain.c).
func (n *Node) textName() string {
	switch n.Type {
	case "Aggregate":
		name := "Aggregate"
		switch n.Strategy {
		case "Sorted":
			name = "GroupAggregate"
		case "Hashed":
			name = "HashAggregate"
		case "Mixed":
			name = "MixedAggregate"
		}
		if n.PartialMode == "Partial" || n.PartialMode == "Finalize" {
			name = n.PartialMode + " " + name
		}
		return name
	case "SetOp":
		name := "SetOp"
		if n.Strategy == "Hashed" {
			name = "HashSetOp"
		}
		if n.Command != "" {
			name += " " + n.Command
		}
		return name
	case "ModifyTable":
		if n.Operation != "" {
			return n.Operation
		}
	case "Foreign Scan":
		if n.Operation != "" && n.Operation != "Select" {
			return "Foreign " + n.Operation
		}
	case "Custom Scan":
		if n.CustomPlanProvider != "" {
			return "Custom Scan (" + n.CustomPlanProvider + ")"
		}
	case "Hash Join", "Merge Join", "Nested Loop":
		base := strings.TrimSuffix(n.Type, " Join")
		if n.JoinType != "" && n.JoinType != "Inner" {
			return base + " " + n.JoinType + " Join"
		}
		if n.Type == "Nested Loop" {
			return "Nested Loop"
		}
		return n.Type
	}
	return n.Type
}

// quoteIdent quotes an identifier the way PostgreSQL's quote_identifier
// does: only when it is not a plain lower-case name.
func quoteIdent(s string) string {
	if s == "" {
		return `""`
	}
	plain := true
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case (r >= '0' && r <= '9') || r == '$':
			if i == 0 {
				plain = false
			}
		default:
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Error is a problem found reading a plan, with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

// ErrorList is the list of problems met reading one input. The plans that
// could be read are returned alongside it.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list, for errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
