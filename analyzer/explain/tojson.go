package explain

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// ToJSON writes plans as PostgreSQL's own EXPLAIN (FORMAT JSON) output,
// with the same keys ("Node Type", "Plan Rows", "Actual Loops", ...), so
// that tools which read only JSON (pev2, explain.dalibo.com) can read a
// plan that was pasted as text. Keys a text plan does not carry are
// omitted or given the value PostgreSQL prints for them.
func ToJSON(plans ...*Plan) []byte {
	w := &jsonWriter{}
	w.b.WriteString("[")
	w.depth = 1
	for i, p := range plans {
		if i > 0 {
			w.b.WriteString(",")
		}
		w.nl(1)
		w.plan(p)
	}
	w.nl(0)
	w.b.WriteString("]\n")
	return w.b.Bytes()
}

type jsonWriter struct {
	b     bytes.Buffer
	first []bool
	depth int
}

func (w *jsonWriter) nl(depth int) {
	w.b.WriteByte('\n')
	for range depth {
		w.b.WriteString("  ")
	}
}

func (w *jsonWriter) open() {
	w.b.WriteByte('{')
	w.depth++
	w.first = append(w.first, true)
}

func (w *jsonWriter) close() {
	w.depth--
	w.first = w.first[:len(w.first)-1]
	w.nl(w.depth)
	w.b.WriteByte('}')
}

func (w *jsonWriter) key(k string) {
	if !w.first[len(w.first)-1] {
		w.b.WriteByte(',')
	}
	w.first[len(w.first)-1] = false
	w.nl(w.depth)
	w.str(k)
	w.b.WriteString(": ")
}

// str writes s as a JSON string, escaped as PostgreSQL's escape_json
// does; invalid UTF-8 becomes U+FFFD so that the output stays JSON.
func (w *jsonWriter) str(s string) {
	w.b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			w.b.WriteString(`\"`)
		case r == '\\':
			w.b.WriteString(`\\`)
		case r == '\n':
			w.b.WriteString(`\n`)
		case r == '\r':
			w.b.WriteString(`\r`)
		case r == '\t':
			w.b.WriteString(`\t`)
		case r == '\b':
			w.b.WriteString(`\b`)
		case r == '\f':
			w.b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(&w.b, `\u%04x`, r)
		default:
			w.b.WriteRune(r) // utf8.RuneError for invalid bytes
		}
	}
	w.b.WriteByte('"')
}

// openArray starts an array of objects, each on its own line.
func (w *jsonWriter) openArray() {
	w.b.WriteByte('[')
	w.depth++
}

// item starts the i-th object of an open array.
func (w *jsonWriter) item(i int) {
	if i > 0 {
		w.b.WriteByte(',')
	}
	w.nl(w.depth)
}

func (w *jsonWriter) closeArray() {
	w.depth--
	w.nl(w.depth)
	w.b.WriteByte(']')
}

func (w *jsonWriter) text(k, v string) {
	w.key(k)
	w.str(v)
}

func (w *jsonWriter) textIf(k, v string) {
	if v != "" {
		w.text(k, v)
	}
}

func (w *jsonWriter) num(k string, v float64, prec int) {
	w.key(k)
	w.b.WriteString(formatNum(v, prec))
}

func formatNum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	if prec == 0 && v != math.Trunc(v) {
		prec = 2
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func (w *jsonWriter) integer(k string, v int64) {
	w.key(k)
	w.b.WriteString(strconv.FormatInt(v, 10))
}

func (w *jsonWriter) boolean(k string, v bool) {
	w.key(k)
	w.b.WriteString(strconv.FormatBool(v))
}

func (w *jsonWriter) list(k string, items []string) {
	w.key(k)
	w.b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			w.b.WriteString(", ")
		}
		w.str(it)
	}
	w.b.WriteByte(']')
}

func (w *jsonWriter) value(v any) {
	switch x := v.(type) {
	case string:
		w.str(x)
	case float64:
		w.b.WriteString(formatNum(x, 3))
	case int64:
		w.b.WriteString(strconv.FormatInt(x, 10))
	case bool:
		w.b.WriteString(strconv.FormatBool(x))
	case []string:
		w.b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.str(it)
		}
		w.b.WriteByte(']')
	case []Prop:
		w.open()
		w.props(x)
		w.close()
	case []any:
		w.b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.value(it)
		}
		w.b.WriteByte(']')
	default:
		w.b.WriteString("null")
	}
}

func (w *jsonWriter) props(ps []Prop) {
	for _, p := range ps {
		w.key(p.Key)
		if f, ok := p.Value.(float64); ok && f == math.Trunc(f) {
			w.b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
			continue
		}
		w.value(p.Value)
	}
}

func (w *jsonWriter) plan(p *Plan) {
	buffers, io, wal := planOptions(p)
	w.open()
	if p.Query != "" {
		w.text("Query Text", p.Query)
	}
	if p.Root != nil {
		w.key("Plan")
		w.node(p.Root, buffers, io, wal)
	}
	if len(p.Settings) > 0 {
		w.key("Settings")
		w.open()
		for _, s := range p.Settings {
			w.text(s.Name, s.Value)
		}
		w.close()
	}
	if buffers || p.Planning != (Planning{}) {
		w.key("Planning")
		w.open()
		w.buffers(p.Planning.Buffers, p.Planning.IO, io)
		if p.Planning.MemoryAllocated > 0 {
			w.integer("Memory Used", p.Planning.MemoryUsed)
			w.integer("Memory Allocated", p.Planning.MemoryAllocated)
		}
		w.close()
	}
	if p.HasPlanningTime {
		w.num("Planning Time", p.PlanningTime, 3)
	}
	if p.Analyzed() {
		w.key("Triggers")
		w.openArray()
		for i, t := range p.Triggers {
			w.item(i)
			w.open()
			w.textIf("Trigger Name", t.Name)
			w.textIf("Constraint Name", t.Constraint)
			w.textIf("Relation", t.Relation)
			if p.Root.Timed {
				w.num("Time", t.Time, 3)
			}
			w.num("Calls", t.Calls, 0)
			w.close()
		}
		w.closeArray()
	}
	if j := p.JIT; j != nil {
		w.key("JIT")
		w.open()
		w.integer("Functions", j.Functions)
		w.key("Options")
		w.open()
		w.boolean("Inlining", j.Inlining)
		w.boolean("Optimization", j.Optimization)
		w.boolean("Expressions", j.Expressions)
		w.boolean("Deforming", j.Deforming)
		w.close()
		if j.HasTiming {
			w.key("Timing")
			w.open()
			if j.HasDeform {
				w.key("Generation")
				w.open()
				w.num("Deform", j.Deform, 3)
				w.num("Total", j.Generation, 3)
				w.close()
			} else {
				w.num("Generation", j.Generation, 3)
			}
			w.num("Inlining", j.InliningTime, 3)
			w.num("Optimization", j.OptimizationTime, 3)
			w.num("Emission", j.Emission, 3)
			w.num("Total", j.Total, 3)
			w.close()
		}
		w.close()
	}
	w.props(p.Extra)
	if p.HasExecutionTime {
		w.num("Execution Time", p.ExecutionTime, 3)
	}
	w.close()
}

// planOptions guesses the BUFFERS, track_io_timing and WAL options from
// the figures present, since JSON prints those keys on every node.
func planOptions(p *Plan) (buffers, io, wal bool) {
	buffers = p.Planning.Buffers != (Buffers{})
	Walk(p.Root, func(n, _ *Node) bool {
		if n.Buffers != (Buffers{}) {
			buffers = true
		}
		if n.IO != (IOTimings{}) {
			io = true
		}
		if n.WAL != (WAL{}) {
			wal = true
		}
		return true
	})
	return buffers, io, wal
}

// objectKeys maps a node type to the key naming its scanned object.
var objectKeys = map[string]string{
	"Function Scan": "Function Name", "CTE Scan": "CTE Name", "WorkTable Scan": "CTE Name",
}

func (w *jsonWriter) node(n *Node, buffers, io, wal bool) {
	w.open()
	w.text("Node Type", n.Type)
	w.textIf("Strategy", n.Strategy)
	w.textIf("Partial Mode", n.PartialMode)
	w.textIf("Operation", n.Operation)
	w.textIf("Parent Relationship", n.ParentRelationship)
	w.textIf("Subplan Name", n.SubplanName)
	w.textIf("Custom Plan Provider", n.CustomPlanProvider)
	w.boolean("Parallel Aware", n.ParallelAware)
	w.boolean("Async Capable", n.AsyncCapable)
	w.textIf("Join Type", n.JoinType)
	w.textIf("Command", n.Command)
	if n.Type == "Index Scan" || n.Type == "Index Only Scan" {
		dir := n.ScanDirection
		if dir == "" {
			dir = "Forward"
		}
		w.text("Scan Direction", dir)
	}
	w.textIf("Index Name", n.IndexName)
	w.textIf("Relation Name", n.RelationName)
	if k := objectKeys[n.Type]; k != "" {
		if n.FunctionName != "" {
			w.text(k, n.FunctionName)
		} else if n.CTEName != "" {
			w.text(k, n.CTEName)
		}
	}
	w.textIf("Schema", n.Schema)
	w.textIf("Alias", n.Alias)
	if n.HasCosts {
		w.num("Startup Cost", n.StartupCost, 2)
		w.num("Total Cost", n.TotalCost, 2)
		w.num("Plan Rows", n.PlanRows, 0)
		w.integer("Plan Width", n.PlanWidth)
	}
	if n.Analyzed {
		if n.Timed {
			w.num("Actual Startup Time", n.ActualStartupTime, 3)
			w.num("Actual Total Time", n.ActualTotalTime, 3)
		}
		w.num("Actual Rows", n.ActualRows, 0)
		w.num("Actual Loops", n.ActualLoops, 0)
	}
	if n.Disabled {
		w.boolean("Disabled", true)
	}
	if n.Output != nil {
		w.list("Output", n.Output)
	}
	switch n.Type {
	case "Nested Loop", "Hash Join", "Merge Join":
		w.boolean("Inner Unique", n.InnerUnique)
	}
	quals := []struct{ k, v string }{
		{"Merge Cond", n.MergeCond}, {"Hash Cond", n.HashCond}, {"TID Cond", n.TIDCond},
		{"Index Cond", n.IndexCond}, {"Recheck Cond", n.RecheckCond}, {"Order By", n.OrderBy},
		{"Join Filter", n.JoinFilter}, {"One-Time Filter", n.OneTimeFilter}, {"Filter", n.Filter},
	}
	for _, q := range quals {
		if q.v == "" {
			continue
		}
		w.text(q.k, q.v)
		if !n.Analyzed {
			continue
		}
		switch q.k {
		case "Index Cond":
			if n.Type == "Index Scan" || n.Type == "Index Only Scan" {
				w.num("Rows Removed by Index Recheck", n.RowsRemovedByIndexRecheck, 0)
			}
		case "Recheck Cond":
			w.num("Rows Removed by Index Recheck", n.RowsRemovedByIndexRecheck, 0)
		case "Join Filter":
			w.num("Rows Removed by Join Filter", n.RowsRemovedByJoinFilter, 0)
		case "Filter":
			w.num("Rows Removed by Filter", n.RowsRemovedByFilter, 0)
		}
	}
	if n.Type == "Index Only Scan" && n.Analyzed {
		w.num("Heap Fetches", n.HeapFetches, 0)
	}
	if n.IndexSearches > 0 {
		w.integer("Index Searches", n.IndexSearches)
	}
	if n.SortKey != nil {
		w.list("Sort Key", n.SortKey)
	}
	if n.PresortedKey != nil {
		w.list("Presorted Key", n.PresortedKey)
	}
	if n.GroupKey != nil {
		w.list("Group Key", n.GroupKey)
	}
	if n.Type == "Gather" || n.Type == "Gather Merge" {
		w.integer("Workers Planned", n.WorkersPlanned)
		if n.Analyzed {
			w.integer("Workers Launched", n.WorkersLaunched)
		}
		if n.Type == "Gather" {
			w.boolean("Single Copy", n.SingleCopy)
		}
	}
	if n.Type == "Hash" && n.HashBatches > 0 {
		w.integer("Hash Buckets", n.HashBuckets)
		w.integer("Original Hash Buckets", n.OriginalHashBuckets)
		w.integer("Hash Batches", n.HashBatches)
		w.integer("Original Hash Batches", n.OriginalHashBatches)
		w.integer("Peak Memory Usage", n.PeakMemoryUsage)
	}
	if n.Type == "Aggregate" && (n.Strategy == "Hashed" || n.Strategy == "Mixed") && n.HasCosts {
		w.integer("Planned Partitions", n.PlannedPartitions)
	}
	w.metrics(&n.Metrics, n.Type, buffers, io, wal)
	if n.Type == "Append" || n.Type == "Merge Append" {
		w.integer("Subplans Removed", n.SubplansRemoved)
	}
	if len(n.Workers) > 0 {
		ws := append([]Worker(nil), n.Workers...)
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].Number < ws[j].Number })
		w.key("Workers")
		w.openArray()
		for i, wk := range ws {
			w.item(i)
			w.open()
			w.integer("Worker Number", int64(wk.Number))
			if wk.ActualLoops > 0 {
				if n.Timed {
					w.num("Actual Startup Time", wk.ActualStartupTime, 3)
					w.num("Actual Total Time", wk.ActualTotalTime, 3)
				}
				w.num("Actual Rows", wk.ActualRows, 0)
				w.num("Actual Loops", wk.ActualLoops, 0)
			}
			w.metrics(&wk.Metrics, n.Type, wk.Buffers != (Buffers{}), wk.IO != (IOTimings{}), wk.WAL != (WAL{}))
			w.close()
		}
		w.closeArray()
	}
	if len(n.Children) > 0 {
		w.key("Plans")
		w.openArray()
		for i, c := range n.Children {
			w.item(i)
			w.node(c, buffers, io, wal)
		}
		w.closeArray()
	}
	w.close()
}

// metrics writes the measured figures shared by nodes and workers.
func (w *jsonWriter) metrics(m *Metrics, typ string, buffers, io, wal bool) {
	if m.SortMethod != "" {
		w.text("Sort Method", m.SortMethod)
		w.integer("Sort Space Used", m.SortSpaceUsed)
		w.text("Sort Space Type", m.SortSpaceType)
	}
	if m.HashAggBatches > 0 {
		w.integer("HashAgg Batches", m.HashAggBatches)
		w.integer("Peak Memory Usage", m.PeakMemoryUsage)
		w.integer("Disk Usage", m.DiskUsage)
	}
	if m.CacheMisses > 0 {
		w.integer("Cache Hits", m.CacheHits)
		w.integer("Cache Misses", m.CacheMisses)
		w.integer("Cache Evictions", m.CacheEvictions)
		w.integer("Cache Overflows", m.CacheOverflows)
		w.integer("Peak Memory Usage", m.PeakMemoryUsage)
	}
	if typ == "Bitmap Heap Scan" && (m.ExactHeapBlocks > 0 || m.LossyHeapBlocks > 0 || m.ActualLoops > 0) {
		w.integer("Exact Heap Blocks", m.ExactHeapBlocks)
		w.integer("Lossy Heap Blocks", m.LossyHeapBlocks)
	}
	w.props(m.Extra)
	if buffers {
		w.buffers(m.Buffers, m.IO, io)
	}
	if wal {
		w.integer("WAL Records", m.WAL.Records)
		w.integer("WAL FPI", m.WAL.FPI)
		w.integer("WAL Bytes", m.WAL.Bytes)
		if m.WAL.BuffersFull > 0 {
			w.integer("WAL Buffers Full", m.WAL.BuffersFull)
		}
	}
}

func (w *jsonWriter) buffers(b Buffers, t IOTimings, io bool) {
	w.integer("Shared Hit Blocks", b.SharedHit)
	w.integer("Shared Read Blocks", b.SharedRead)
	w.integer("Shared Dirtied Blocks", b.SharedDirtied)
	w.integer("Shared Written Blocks", b.SharedWritten)
	w.integer("Local Hit Blocks", b.LocalHit)
	w.integer("Local Read Blocks", b.LocalRead)
	w.integer("Local Dirtied Blocks", b.LocalDirtied)
	w.integer("Local Written Blocks", b.LocalWritten)
	w.integer("Temp Read Blocks", b.TempRead)
	w.integer("Temp Written Blocks", b.TempWritten)
	if io {
		w.num("Shared I/O Read Time", t.SharedRead, 3)
		w.num("Shared I/O Write Time", t.SharedWrite, 3)
		w.num("Local I/O Read Time", t.LocalRead, 3)
		w.num("Local I/O Write Time", t.LocalWrite, 3)
		w.num("Temp I/O Read Time", t.TempRead, 3)
		w.num("Temp I/O Write Time", t.TempWrite, 3)
	}
}
