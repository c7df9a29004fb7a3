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
			if objs := asObjects(f.val); len(objs) > 0 {
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
						setBuffers(&p.Planning.Buffers, &p.Planning.IO, h.key, h.val)
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
		if !n.set(f.key, f.val, f.line) {
			n.Extra = append(n.Extra, Prop{Key: f.key, Value: propValue(f.val)})
		}
	}
	return n
}

// set stores one key of a node; false means the model has no field for it.
func (n *Node) set(key string, v any, line int) bool {
	switch key {
	case "Node Type":
		n.Type = asString(v)
	case "Strategy":
		n.Strategy = asString(v)
	case "Partial Mode":
		n.PartialMode = asString(v)
	case "Operation":
		n.Operation = asString(v)
	case "Parent Relationship":
		n.ParentRelationship = asString(v)
	case "Subplan Name":
		n.SubplanName = asString(v)
	case "Custom Plan Provider":
		n.CustomPlanProvider = asString(v)
	case "Parallel Aware":
		n.ParallelAware = asBool(v)
	case "Async Capable":
		n.AsyncCapable = asBool(v)
	case "Join Type":
		n.JoinType = asString(v)
	case "Command":
		n.Command = asString(v)
	case "Scan Direction":
		n.ScanDirection = asString(v)
	case "Index Name":
		n.IndexName = asString(v)
	case "Relation Name":
		n.RelationName = asString(v)
	case "Function Name":
		n.FunctionName = asString(v)
	case "CTE Name":
		n.CTEName = asString(v)
	case "Schema":
		n.Schema = asString(v)
	case "Alias":
		n.Alias = asString(v)
	case "Disabled":
		n.Disabled = asBool(v)
	case "Inner Unique":
		n.InnerUnique = asBool(v)
	case "Single Copy":
		n.SingleCopy = asBool(v)
	case "Startup Cost":
		n.StartupCost, n.HasCosts = asFloat(v), true
	case "Total Cost":
		n.TotalCost, n.HasCosts = asFloat(v), true
	case "Plan Rows":
		n.PlanRows, n.HasCosts = asFloat(v), true
	case "Plan Width":
		n.PlanWidth = asInt(v)
	case "Actual Startup Time":
		n.ActualStartupTime, n.Analyzed, n.Timed = asFloat(v), true, true
	case "Actual Total Time":
		n.ActualTotalTime, n.Analyzed, n.Timed = asFloat(v), true, true
	case "Actual Rows":
		n.ActualRows, n.Analyzed = asFloat(v), true
	case "Actual Loops":
		n.ActualLoops, n.Analyzed = asFloat(v), true
	case "Output":
		n.Output = asList(v)
	case "Index Cond":
		n.IndexCond = asString(v)
	case "Recheck Cond":
		n.RecheckCond = asString(v)
	case "Order By":
		n.OrderBy = asString(v)
	case "Filter":
		n.Filter = asString(v)
	case "Join Filter":
		n.JoinFilter = asString(v)
	case "Hash Cond":
		n.HashCond = asString(v)
	case "Merge Cond":
		n.MergeCond = asString(v)
	case "One-Time Filter":
		n.OneTimeFilter = asString(v)
	case "TID Cond":
		n.TIDCond = asString(v)
	case "Rows Removed by Filter":
		n.RowsRemovedByFilter = asFloat(v)
	case "Rows Removed by Join Filter":
		n.RowsRemovedByJoinFilter = asFloat(v)
	case "Rows Removed by Index Recheck":
		n.RowsRemovedByIndexRecheck = asFloat(v)
	case "Heap Fetches":
		n.HeapFetches = asFloat(v)
	case "Index Searches":
		n.IndexSearches = asInt(v)
	case "Sort Key":
		n.SortKey = asList(v)
	case "Presorted Key":
		n.PresortedKey = asList(v)
	case "Group Key":
		n.GroupKey = asList(v)
	case "Hash Buckets":
		n.HashBuckets = asInt(v)
	case "Original Hash Buckets":
		n.OriginalHashBuckets = asInt(v)
	case "Hash Batches":
		n.HashBatches = asInt(v)
	case "Original Hash Batches":
		n.OriginalHashBatches = asInt(v)
	case "Planned Partitions":
		n.PlannedPartitions = asInt(v)
	case "Workers Planned":
		n.WorkersPlanned = asInt(v)
	case "Workers Launched":
		n.WorkersLaunched = asInt(v)
	case "Subplans Removed":
		n.SubplansRemoved = asInt(v)
	case "Workers":
		for _, w := range asObjects(v) {
			var wk Worker
			for _, f := range w {
				if f.key == "Worker Number" {
					wk.Number = int(asInt(f.val))
					continue
				}
				if !wk.Metrics.set(f.key, f.val) {
					wk.Extra = append(wk.Extra, Prop{Key: f.key, Value: propValue(f.val)})
				}
			}
			n.Workers = append(n.Workers, wk)
		}
	case "Plans":
		for _, c := range asObjects(v) {
			n.Children = append(n.Children, buildNode(c, 0))
		}
	default:
		return n.Metrics.set(key, v)
	}
	return true
}

// set stores one measured figure; false means it is not one.
func (m *Metrics) set(key string, v any) bool {
	switch key {
	case "Actual Startup Time":
		m.ActualStartupTime = asFloat(v)
	case "Actual Total Time":
		m.ActualTotalTime = asFloat(v)
	case "Actual Rows":
		m.ActualRows = asFloat(v)
	case "Actual Loops":
		m.ActualLoops = asFloat(v)
	case "Sort Method":
		m.SortMethod = asString(v)
	case "Sort Space Used":
		m.SortSpaceUsed = asInt(v)
	case "Sort Space Type":
		m.SortSpaceType = asString(v)
	case "HashAgg Batches":
		m.HashAggBatches = asInt(v)
	case "Peak Memory Usage":
		m.PeakMemoryUsage = asInt(v)
	case "Disk Usage":
		m.DiskUsage = asInt(v)
	case "Cache Hits":
		m.CacheHits = asInt(v)
	case "Cache Misses":
		m.CacheMisses = asInt(v)
	case "Cache Evictions":
		m.CacheEvictions = asInt(v)
	case "Cache Overflows":
		m.CacheOverflows = asInt(v)
	case "Exact Heap Blocks":
		m.ExactHeapBlocks = asInt(v)
	case "Lossy Heap Blocks":
		m.LossyHeapBlocks = asInt(v)
	case "WAL Records":
		m.WAL.Records = asInt(v)
	case "WAL FPI":
		m.WAL.FPI = asInt(v)
	case "WAL Bytes":
		m.WAL.Bytes = asInt(v)
	case "WAL Buffers Full":
		m.WAL.BuffersFull = asInt(v)
	default:
		return setBuffers(&m.Buffers, &m.IO, key, v)
	}
	return true
}

func setBuffers(b *Buffers, io *IOTimings, key string, v any) bool {
	switch key {
	case "Shared Hit Blocks":
		b.SharedHit = asInt(v)
	case "Shared Read Blocks":
		b.SharedRead = asInt(v)
	case "Shared Dirtied Blocks":
		b.SharedDirtied = asInt(v)
	case "Shared Written Blocks":
		b.SharedWritten = asInt(v)
	case "Local Hit Blocks":
		b.LocalHit = asInt(v)
	case "Local Read Blocks":
		b.LocalRead = asInt(v)
	case "Local Dirtied Blocks":
		b.LocalDirtied = asInt(v)
	case "Local Written Blocks":
		b.LocalWritten = asInt(v)
	case "Temp Read Blocks":
		b.TempRead = asInt(v)
	case "Temp Written Blocks":
		b.TempWritten = asInt(v)
	case "I/O Read Time", "Shared I/O Read Time":
		io.SharedRead = asFloat(v)
	case "I/O Write Time", "Shared I/O Write Time":
		io.SharedWrite = asFloat(v)
	case "Local I/O Read Time":
		io.LocalRead = asFloat(v)
	case "Local I/O Write Time":
		io.LocalWrite = asFloat(v)
	case "Temp I/O Read Time":
		io.TempRead = asFloat(v)
	case "Temp I/O Write Time":
		io.TempWrite = asFloat(v)
	default:
		return false
	}
	return true
}
