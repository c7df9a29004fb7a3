package explain

import (
	"strconv"
	"strings"
)

// object is a format-neutral, ordered EXPLAIN group: every reader (text,
// JSON, YAML, XML) produces objects keyed by PostgreSQL's JSON keys, and
// one builder turns them into the model. Values are string, number, bool,
// []any or object.
type object []field

type field struct {
	key  string
	val  any
	line int
}

// number is a numeric scalar kept as written.
type number string

func (o object) get(key string) (any, bool) {
	for _, f := range o {
		if f.key == key {
			return f.val, true
		}
	}
	return nil, false
}

func (o *object) add(key string, val any, line int) {
	*o = append(*o, field{key: key, val: val, line: line})
}

// asFloat converts a scalar to a float; non-numbers give 0.
func asFloat(v any) float64 {
	switch x := v.(type) {
	case number:
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func asInt(v any) int64 {
	f := asFloat(v)
	if f > 9.2e18 || f < -9.2e18 {
		return 0
	}
	return int64(f)
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case number:
		return string(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return ""
}

func asBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(strings.TrimSpace(x), "true")
	case number:
		return asFloat(x) != 0
	}
	return false
}

func asList(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, it := range x {
			switch y := it.(type) {
			case []any:
				// Grouping sets: a list of lists; keep each as text.
				out = append(out, "("+strings.Join(asList(y), ", ")+")")
			default:
				out = append(out, asString(y))
			}
		}
		return out
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	}
	return nil
}

// asObjects returns the objects of an array (or the object itself).
func asObjects(v any) []object {
	switch x := v.(type) {
	case object:
		return []object{x}
	case []any:
		var out []object
		for _, it := range x {
			if o, ok := it.(object); ok {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// propValue converts a generic value to a Prop value.
func propValue(v any) any {
	switch x := v.(type) {
	case number:
		return asFloat(x)
	case object:
		out := make([]Prop, 0, len(x))
		for _, f := range x {
			out = append(out, Prop{Key: f.key, Value: propValue(f.val)})
		}
		return out
	case []any:
		allStrings := true
		for _, it := range x {
			if _, ok := it.(string); !ok {
				allStrings = false
			}
		}
		if allStrings {
			return asList(x)
		}
		out := make([]any, 0, len(x))
		for _, it := range x {
			out = append(out, propValue(it))
		}
		return out
	}
	return v
}

// buildPlan turns a top-level EXPLAIN object ({"Plan": ..., "Planning
// Time": ...}) into a Plan.
func buildPlan(o object) *Plan {
	p := &Plan{}
	for _, f := range o {
		switch f.key {
		case "Plan":
			if n, ok := f.val.(*Node); ok {
				p.Root = n
			} else if objs := asObjects(f.val); len(objs) > 0 {
				p.Root = buildNode(objs[0], f.line)
			}
		case "Query Text":
			p.Query = asString(f.val)
		case "Planning Time":
			p.PlanningTime, p.HasPlanningTime = asFloat(f.val), true
		case "Execution Time", "Total Runtime":
			p.ExecutionTime, p.HasExecutionTime = asFloat(f.val), true
		case "Planning":
			for _, g := range asObjects(f.val) {
				for _, h := range g {
					switch h.key {
					case "Memory Used":
						p.Planning.MemoryUsed = asInt(h.val)
					case "Memory Allocated":
						p.Planning.MemoryAllocated = asInt(h.val)
					default:
						setBuffers(&p.Planning.Buffers, &p.Planning.IO, h.key, toScalar(h.val))
					}
				}
			}
		case "Triggers":
			for _, t := range asObjects(f.val) {
				var tr Trigger
				for _, h := range t {
					switch h.key {
					case "Trigger Name":
						tr.Name = asString(h.val)
					case "Constraint Name":
						tr.Constraint = asString(h.val)
					case "Relation":
						tr.Relation = asString(h.val)
					case "Time":
						tr.Time = asFloat(h.val)
					case "Calls":
						tr.Calls = asFloat(h.val)
					}
				}
				p.Triggers = append(p.Triggers, tr)
			}
		case "JIT":
			if objs := asObjects(f.val); len(objs) > 0 {
				p.JIT = buildJIT(objs[0])
			}
		case "Settings":
			for _, s := range asObjects(f.val) {
				for _, h := range s {
					p.Settings = append(p.Settings, Setting{Name: h.key, Value: asString(h.val)})
				}
			}
		default:
			p.Extra = append(p.Extra, Prop{Key: f.key, Value: propValue(f.val)})
		}
	}
	return p
}

func buildJIT(o object) *JIT {
	j := &JIT{}
	for _, f := range o {
		switch f.key {
		case "Functions":
			j.Functions = asInt(f.val)
		case "Options":
			for _, g := range asObjects(f.val) {
				for _, h := range g {
					switch h.key {
					case "Inlining":
						j.Inlining = asBool(h.val)
					case "Optimization":
						j.Optimization = asBool(h.val)
					case "Expressions":
						j.Expressions = asBool(h.val)
					case "Deforming":
						j.Deforming = asBool(h.val)
					}
				}
			}
		case "Timing":
			j.HasTiming = true
			for _, g := range asObjects(f.val) {
				for _, h := range g {
					switch h.key {
					case "Generation":
						if gen := asObjects(h.val); len(gen) > 0 {
							j.HasDeform = true
							for _, k := range gen[0] {
								switch k.key {
								case "Deform":
									j.Deform = asFloat(k.val)
								case "Total":
									j.Generation = asFloat(k.val)
								}
							}
						} else {
							j.Generation = asFloat(h.val)
						}
					case "Inlining":
						j.InliningTime = asFloat(h.val)
					case "Optimization":
						j.OptimizationTime = asFloat(h.val)
					case "Emission":
						j.Emission = asFloat(h.val)
					case "Total":
						j.Total = asFloat(h.val)
					}
				}
			}
		}
	}
	return j
}

func buildNode(o object, line int) *Node {
	n := &Node{Line: line}
	if len(o) > 0 && o[0].line > 0 {
		n.Line = o[0].line
	}
	for _, f := range o {
		n.set(f.key, f.val, f.line)
	}
	return n
}

// scalar is one scalar value as a reader found it: the text of a string,
// number or boolean, or, from the JSON reader, a number already parsed
// (num). Passing scalars rather than interface values lets the readers
// fill nodes without allocating for every figure.
type scalar struct {
	s    string
	f    float64
	kind byte // 's' string, 'n' number, 'b' boolean
	num  bool // f holds the number; s is empty
}

func textValue(s string) scalar   { return scalar{s: s, kind: 's'} }
func numberValue(s string) scalar { return scalar{s: s, kind: 'n'} }
func floatValue(f float64) scalar { return scalar{f: f, kind: 'n', num: true} }
func boolValue(b bool) scalar {
	if b {
		return scalar{s: "true", kind: 'b'}
	}
	return scalar{s: "false", kind: 'b'}
}

// toScalar converts a generic value; lists and objects give an empty
// string.
func toScalar(v any) scalar {
	switch x := v.(type) {
	case number:
		return numberValue(string(x))
	case bool:
		return boolValue(x)
	case string:
		return textValue(x)
	}
	return scalar{kind: 's'}
}

func (v scalar) str() string {
	if v.num {
		return strconv.FormatFloat(v.f, 'f', -1, 64)
	}
	return v.s
}

func (v scalar) float() float64 {
	if v.num {
		return v.f
	}
	if v.kind == 'b' {
		if v.s == "true" {
			return 1
		}
		return 0
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil {
		f, _ = strconv.ParseFloat(strings.TrimSpace(v.s), 64)
	}
	return f
}

func (v scalar) int() int64 {
	f := v.float()
	if f > 9.2e18 || f < -9.2e18 || f != f {
		return 0
	}
	return int64(f)
}

func (v scalar) boolean() bool {
	switch {
	case v.num:
		return v.f != 0
	case v.kind == 'n':
		return v.float() != 0
	}
	return strings.EqualFold(strings.TrimSpace(v.s), "true")
}

// prop returns the value kept in Extra: a string, a float64 or a bool.
func (v scalar) prop() any {
	switch v.kind {
	case 'n':
		return v.float()
	case 'b':
		return v.s == "true"
	}
	return v.s
}

// set stores one key of a node from a generic value; keys the model has
// no field for go to Extra.
func (n *Node) set(key string, v any, line int) {
	switch key {
	case "Output", "Sort Key", "Presorted Key", "Group Key":
		n.setList(key, asList(v))
		return
	case "Workers":
		for _, w := range asObjects(v) {
			var wk Worker
			for _, f := range w {
				wk.set(f.key, f.val)
			}
			n.Workers = append(n.Workers, wk)
		}
		return
	case "Plans":
		objs := asObjects(v)
		n.Children = make([]*Node, 0, len(objs))
		for _, c := range objs {
			n.Children = append(n.Children, buildNode(c, 0))
		}
		return
	}
	switch v.(type) {
	case object, []any:
		n.Extra = append(n.Extra, Prop{Key: key, Value: propValue(v)})
		return
	}
	if !n.setScalar(key, toScalar(v)) {
		n.Extra = append(n.Extra, Prop{Key: key, Value: propValue(v)})
	}
}

// setList stores a list key; false when key is not one.
func (n *Node) setList(key string, items []string) bool {
	switch key {
	case "Output":
		n.Output = items
	case "Sort Key":
		n.SortKey = items
	case "Presorted Key":
		n.PresortedKey = items
	case "Group Key":
		n.GroupKey = items
	default:
		return false
	}
	return true
}

// setScalar stores one scalar key of a node; false means the model has
// no field for it.
func (n *Node) setScalar(key string, v scalar) bool {
	switch key {
	case "Node Type":
		n.Type = v.str()
	case "Strategy":
		n.Strategy = v.str()
	case "Partial Mode":
		n.PartialMode = v.str()
	case "Operation":
		n.Operation = v.str()
	case "Parent Relationship":
		n.ParentRelationship = v.str()
	case "Subplan Name":
		n.SubplanName = v.str()
	case "Custom Plan Provider":
		n.CustomPlanProvider = v.str()
	case "Parallel Aware":
		n.ParallelAware = v.boolean()
	case "Async Capable":
		n.AsyncCapable = v.boolean()
	case "Join Type":
		n.JoinType = v.str()
	case "Command":
		n.Command = v.str()
	case "Scan Direction":
		n.ScanDirection = v.str()
	case "Index Name":
		n.IndexName = v.str()
	case "Relation Name":
		n.RelationName = v.str()
	case "Function Name":
		n.FunctionName = v.str()
	case "CTE Name":
		n.CTEName = v.str()
	case "Schema":
		n.Schema = v.str()
	case "Alias":
		n.Alias = v.str()
	case "Disabled":
		n.Disabled = v.boolean()
	case "Inner Unique":
		n.InnerUnique = v.boolean()
	case "Single Copy":
		n.SingleCopy = v.boolean()
	case "Startup Cost":
		n.StartupCost, n.HasCosts = v.float(), true
	case "Total Cost":
		n.TotalCost, n.HasCosts = v.float(), true
	case "Plan Rows":
		n.PlanRows, n.HasCosts = v.float(), true
	case "Plan Width":
		n.PlanWidth = v.int()
	case "Actual Startup Time":
		n.ActualStartupTime, n.Analyzed, n.Timed = v.float(), true, true
	case "Actual Total Time":
		n.ActualTotalTime, n.Analyzed, n.Timed = v.float(), true, true
	case "Actual Rows":
		n.ActualRows, n.Analyzed = v.float(), true
	case "Actual Loops":
		n.ActualLoops, n.Analyzed = v.float(), true
	case "Output", "Sort Key", "Presorted Key", "Group Key":
		var items []string
		if s := v.str(); s != "" {
			items = []string{s}
		}
		n.setList(key, items)
	case "Index Cond":
		n.IndexCond = v.str()
	case "Recheck Cond":
		n.RecheckCond = v.str()
	case "Order By":
		n.OrderBy = v.str()
	case "Filter":
		n.Filter = v.str()
	case "Join Filter":
		n.JoinFilter = v.str()
	case "Hash Cond":
		n.HashCond = v.str()
	case "Merge Cond":
		n.MergeCond = v.str()
	case "One-Time Filter":
		n.OneTimeFilter = v.str()
	case "TID Cond":
		n.TIDCond = v.str()
	case "Rows Removed by Filter":
		n.RowsRemovedByFilter = v.float()
	case "Rows Removed by Join Filter":
		n.RowsRemovedByJoinFilter = v.float()
	case "Rows Removed by Index Recheck":
		n.RowsRemovedByIndexRecheck = v.float()
	case "Heap Fetches":
		n.HeapFetches = v.float()
	case "Index Searches":
		n.IndexSearches = v.int()
	case "Hash Buckets":
		n.HashBuckets = v.int()
	case "Original Hash Buckets":
		n.OriginalHashBuckets = v.int()
	case "Hash Batches":
		n.HashBatches = v.int()
	case "Original Hash Batches":
		n.OriginalHashBatches = v.int()
	case "Planned Partitions":
		n.PlannedPartitions = v.int()
	case "Workers Planned":
		n.WorkersPlanned = v.int()
	case "Workers Launched":
		n.WorkersLaunched = v.int()
	case "Subplans Removed":
		n.SubplansRemoved = v.int()
	default:
		return n.Metrics.setScalar(key, v)
	}
	return true
}

// set stores one key of a parallel worker's entry from a generic value.
func (w *Worker) set(key string, v any) {
	switch v.(type) {
	case object, []any:
		w.Extra = append(w.Extra, Prop{Key: key, Value: propValue(v)})
		return
	}
	if !w.setScalar(key, toScalar(v)) {
		w.Extra = append(w.Extra, Prop{Key: key, Value: propValue(v)})
	}
}

// setScalar stores one scalar key of a worker's entry.
func (w *Worker) setScalar(key string, v scalar) bool {
	if key == "Worker Number" {
		w.Number = int(v.int())
		return true
	}
	return w.Metrics.setScalar(key, v)
}

// setScalar stores one measured figure; false means it is not one.
func (m *Metrics) setScalar(key string, v scalar) bool {
	switch key {
	case "Actual Startup Time":
		m.ActualStartupTime = v.float()
	case "Actual Total Time":
		m.ActualTotalTime = v.float()
	case "Actual Rows":
		m.ActualRows = v.float()
	case "Actual Loops":
		m.ActualLoops = v.float()
	case "Sort Method":
		m.SortMethod = v.str()
	case "Sort Space Used":
		m.SortSpaceUsed = v.int()
	case "Sort Space Type":
		m.SortSpaceType = v.str()
	case "HashAgg Batches":
		m.HashAggBatches = v.int()
	case "Peak Memory Usage":
		m.PeakMemoryUsage = v.int()
	case "Disk Usage":
		m.DiskUsage = v.int()
	case "Cache Hits":
		m.CacheHits = v.int()
	case "Cache Misses":
		m.CacheMisses = v.int()
	case "Cache Evictions":
		m.CacheEvictions = v.int()
	case "Cache Overflows":
		m.CacheOverflows = v.int()
	case "Exact Heap Blocks":
		m.ExactHeapBlocks = v.int()
	case "Lossy Heap Blocks":
		m.LossyHeapBlocks = v.int()
	case "WAL Records":
		m.WAL.Records = v.int()
	case "WAL FPI":
		m.WAL.FPI = v.int()
	case "WAL Bytes":
		m.WAL.Bytes = v.int()
	case "WAL Buffers Full":
		m.WAL.BuffersFull = v.int()
	default:
		return setBuffers(&m.Buffers, &m.IO, key, v)
	}
	return true
}

func setBuffers(b *Buffers, io *IOTimings, key string, v scalar) bool {
	switch key {
	case "Shared Hit Blocks":
		b.SharedHit = v.int()
	case "Shared Read Blocks":
		b.SharedRead = v.int()
	case "Shared Dirtied Blocks":
		b.SharedDirtied = v.int()
	case "Shared Written Blocks":
		b.SharedWritten = v.int()
	case "Local Hit Blocks":
		b.LocalHit = v.int()
	case "Local Read Blocks":
		b.LocalRead = v.int()
	case "Local Dirtied Blocks":
		b.LocalDirtied = v.int()
	case "Local Written Blocks":
		b.LocalWritten = v.int()
	case "Temp Read Blocks":
		b.TempRead = v.int()
	case "Temp Written Blocks":
		b.TempWritten = v.int()
	case "I/O Read Time", "Shared I/O Read Time":
		io.SharedRead = v.float()
	case "I/O Write Time", "Shared I/O Write Time":
		io.SharedWrite = v.float()
	case "Local I/O Read Time":
		io.LocalRead = v.float()
	case "Local I/O Write Time":
		io.LocalWrite = v.float()
	case "Temp I/O Read Time":
		io.TempRead = v.float()
	case "Temp I/O Write Time":
		io.TempWrite = v.float()
	default:
		return false
	}
	return true
}
