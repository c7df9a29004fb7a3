package explain

import (
	"math"
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

// asFloat converts a scalar to a float; text that is not a number gives
// NaN, which the plan's validation rejects with its position.
func asFloat(v any) float64 {
	switch x := v.(type) {
	case number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return math.NaN()
		}
		return f
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return math.NaN()
		}
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
		return numberProp(string(x))
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
	s string
	f float64
	// b is the text of a number already parsed into f, in the input: it
	// is copied only when a text key asks for it (see str).
	b    []byte
	kind byte // 's' string, 'n' number, 'b' boolean
	num  bool // f holds the number; s is empty
}

func textValue(s string) scalar   { return scalar{s: s, kind: 's'} }
func numberValue(s string) scalar { return scalar{s: s, kind: 'n'} }
func floatValue(f float64) scalar { return scalar{f: f, kind: 'n', num: true} }

// floatText is a number parsed into f from text b of the input.
func floatText(f float64, b []byte) scalar { return scalar{f: f, b: b, kind: 'n', num: true} }
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
	switch {
	case v.num && v.b != nil:
		return string(v.b)
	case v.num:
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
		if f, err = strconv.ParseFloat(strings.TrimSpace(v.s), 64); err != nil {
			// Text where a number belongs: the plan's validation
			// rejects it with its position.
			return math.NaN()
		}
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
	switch {
	case v.kind == 'n' && !v.num:
		return numberProp(v.s)
	case v.kind == 'n':
		return v.f
	}
	switch v.kind {
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
func (n *Node) setScalar(key string, v scalar) bool { return n.setKey(keyIDs[key], v) }

// setKey is setScalar with the key's ID.
func (n *Node) setKey(id keyID, v scalar) bool {
	switch id {
	case kNodeType:
		n.Type = v.str()
	case kStrategy:
		n.Strategy = v.str()
	case kPartialMode:
		n.PartialMode = v.str()
	case kOperation:
		n.Operation = v.str()
	case kParentRelationship:
		n.ParentRelationship = v.str()
	case kSubplanName:
		n.SubplanName = v.str()
	case kCustomPlanProvider:
		n.CustomPlanProvider = v.str()
	case kParallelAware:
		n.ParallelAware = v.boolean()
	case kAsyncCapable:
		n.AsyncCapable = v.boolean()
	case kJoinType:
		n.JoinType = v.str()
	case kCommand:
		n.Command = v.str()
	case kScanDirection:
		n.ScanDirection = v.str()
	case kIndexName:
		n.IndexName = v.str()
	case kRelationName:
		n.RelationName = v.str()
	case kFunctionName:
		n.FunctionName = v.str()
	case kCTEName:
		n.CTEName = v.str()
	case kSchema:
		n.Schema = v.str()
	case kAlias:
		n.Alias = v.str()
	case kDisabled:
		n.Disabled = v.boolean()
	case kInnerUnique:
		n.InnerUnique = v.boolean()
	case kSingleCopy:
		n.SingleCopy = v.boolean()
	case kStartupCost:
		n.StartupCost, n.HasCosts = v.float(), true
	case kTotalCost:
		n.TotalCost, n.HasCosts = v.float(), true
	case kPlanRows:
		n.PlanRows, n.HasCosts = v.float(), true
	case kPlanWidth:
		n.PlanWidth = v.int()
	case kActualStartupTime:
		n.ActualStartupTime, n.Analyzed, n.Timed = v.float(), true, true
	case kActualTotalTime:
		n.ActualTotalTime, n.Analyzed, n.Timed = v.float(), true, true
	case kActualRows:
		n.ActualRows, n.Analyzed = v.float(), true
	case kActualLoops:
		n.ActualLoops, n.Analyzed = v.float(), true
	case kOutput, kSortKey, kPresortedKey, kGroupKey:
		var items []string
		if s := v.str(); s != "" {
			items = []string{s}
		}
		n.setList(keyNames[id], items)
	case kIndexCond:
		n.IndexCond = v.str()
	case kRecheckCond:
		n.RecheckCond = v.str()
	case kOrderBy:
		n.OrderBy = v.str()
	case kFilter:
		n.Filter = v.str()
	case kJoinFilter:
		n.JoinFilter = v.str()
	case kHashCond:
		n.HashCond = v.str()
	case kMergeCond:
		n.MergeCond = v.str()
	case kOneTimeFilter:
		n.OneTimeFilter = v.str()
	case kTIDCond:
		n.TIDCond = v.str()
	case kRowsRemovedbyFilter:
		n.RowsRemovedByFilter = v.float()
	case kRowsRemovedbyJoinFilter:
		n.RowsRemovedByJoinFilter = v.float()
	case kRowsRemovedbyIndexRecheck:
		n.RowsRemovedByIndexRecheck = v.float()
	case kHeapFetches:
		n.HeapFetches = v.float()
	case kIndexSearches:
		n.IndexSearches = v.int()
	case kHashBuckets:
		n.HashBuckets = v.int()
	case kOriginalHashBuckets:
		n.OriginalHashBuckets = v.int()
	case kHashBatches:
		n.HashBatches = v.int()
	case kOriginalHashBatches:
		n.OriginalHashBatches = v.int()
	case kPlannedPartitions:
		n.PlannedPartitions = v.int()
	case kWorkersPlanned:
		n.WorkersPlanned = v.int()
	case kWorkersLaunched:
		n.WorkersLaunched = v.int()
	case kSubplansRemoved:
		n.SubplansRemoved = v.int()
	default:
		return n.Metrics.setKey(id, v)
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
func (m *Metrics) setScalar(key string, v scalar) bool { return m.setKey(keyIDs[key], v) }

// setKey is setScalar with the key's ID.
func (m *Metrics) setKey(id keyID, v scalar) bool {
	switch id {
	case kActualStartupTime:
		m.ActualStartupTime = v.float()
	case kActualTotalTime:
		m.ActualTotalTime = v.float()
	case kActualRows:
		m.ActualRows = v.float()
	case kActualLoops:
		m.ActualLoops = v.float()
	case kSortMethod:
		m.SortMethod = v.str()
	case kSortSpaceUsed:
		m.SortSpaceUsed = v.int()
	case kSortSpaceType:
		m.SortSpaceType = v.str()
	case kHashAggBatches:
		m.HashAggBatches = v.int()
	case kPeakMemoryUsage:
		m.PeakMemoryUsage = v.int()
	case kDiskUsage:
		m.DiskUsage = v.int()
	case kCacheHits:
		m.CacheHits = v.int()
	case kCacheMisses:
		m.CacheMisses = v.int()
	case kCacheEvictions:
		m.CacheEvictions = v.int()
	case kCacheOverflows:
		m.CacheOverflows = v.int()
	case kExactHeapBlocks:
		m.ExactHeapBlocks = v.int()
	case kLossyHeapBlocks:
		m.LossyHeapBlocks = v.int()
	case kWALRecords:
		m.WAL.Records = v.int()
	case kWALFPI:
		m.WAL.FPI = v.int()
	case kWALBytes:
		m.WAL.Bytes = v.int()
	case kWALBuffersFull:
		m.WAL.BuffersFull = v.int()
	default:
		return setBuffersKey(&m.Buffers, &m.IO, id, v)
	}
	return true
}

// setBuffers stores one buffer or I/O timing figure; false means it is
// not one.
func setBuffers(b *Buffers, io *IOTimings, key string, v scalar) bool {
	return setBuffersKey(b, io, keyIDs[key], v)
}

func setBuffersKey(b *Buffers, io *IOTimings, id keyID, v scalar) bool {
	switch id {
	case kSharedHitBlocks:
		b.SharedHit = v.int()
	case kSharedReadBlocks:
		b.SharedRead = v.int()
	case kSharedDirtiedBlocks:
		b.SharedDirtied = v.int()
	case kSharedWrittenBlocks:
		b.SharedWritten = v.int()
	case kLocalHitBlocks:
		b.LocalHit = v.int()
	case kLocalReadBlocks:
		b.LocalRead = v.int()
	case kLocalDirtiedBlocks:
		b.LocalDirtied = v.int()
	case kLocalWrittenBlocks:
		b.LocalWritten = v.int()
	case kTempReadBlocks:
		b.TempRead = v.int()
	case kTempWrittenBlocks:
		b.TempWritten = v.int()
	case kIOReadTime, kSharedIOReadTime:
		io.SharedRead = v.float()
	case kIOWriteTime, kSharedIOWriteTime:
		io.SharedWrite = v.float()
	case kLocalIOReadTime:
		io.LocalRead = v.float()
	case kLocalIOWriteTime:
		io.LocalWrite = v.float()
	case kTempIOReadTime:
		io.TempRead = v.float()
	case kTempIOWriteTime:
		io.TempWrite = v.float()
	default:
		return false
	}
	return true
}

// keyID numbers the keys the model has a field for, so that readers
// dispatch on an integer rather than compare strings (a plan has tens of
// keys per node).
type keyID uint8

// Key IDs; kNone is a key without a field.
const (
	kNone keyID = iota
	kNodeType
	kStrategy
	kPartialMode
	kOperation
	kParentRelationship
	kSubplanName
	kCustomPlanProvider
	kParallelAware
	kAsyncCapable
	kJoinType
	kCommand
	kScanDirection
	kIndexName
	kRelationName
	kFunctionName
	kCTEName
	kSchema
	kAlias
	kDisabled
	kInnerUnique
	kSingleCopy
	kStartupCost
	kTotalCost
	kPlanRows
	kPlanWidth
	kActualStartupTime
	kActualTotalTime
	kActualRows
	kActualLoops
	kOutput
	kSortKey
	kPresortedKey
	kGroupKey
	kIndexCond
	kRecheckCond
	kOrderBy
	kFilter
	kJoinFilter
	kHashCond
	kMergeCond
	kOneTimeFilter
	kTIDCond
	kRowsRemovedbyFilter
	kRowsRemovedbyJoinFilter
	kRowsRemovedbyIndexRecheck
	kHeapFetches
	kIndexSearches
	kHashBuckets
	kOriginalHashBuckets
	kHashBatches
	kOriginalHashBatches
	kPlannedPartitions
	kWorkersPlanned
	kWorkersLaunched
	kSubplansRemoved
	kSortMethod
	kSortSpaceUsed
	kSortSpaceType
	kHashAggBatches
	kPeakMemoryUsage
	kDiskUsage
	kCacheHits
	kCacheMisses
	kCacheEvictions
	kCacheOverflows
	kExactHeapBlocks
	kLossyHeapBlocks
	kWALRecords
	kWALFPI
	kWALBytes
	kWALBuffersFull
	kSharedHitBlocks
	kSharedReadBlocks
	kSharedDirtiedBlocks
	kSharedWrittenBlocks
	kLocalHitBlocks
	kLocalReadBlocks
	kLocalDirtiedBlocks
	kLocalWrittenBlocks
	kTempReadBlocks
	kTempWrittenBlocks
	kIOReadTime
	kSharedIOReadTime
	kIOWriteTime
	kSharedIOWriteTime
	kLocalIOReadTime
	kLocalIOWriteTime
	kTempIOReadTime
	kTempIOWriteTime
)

// keyNames are the JSON keys of the IDs.
var keyNames = [...]string{
	kNodeType:                  "Node Type",
	kStrategy:                  "Strategy",
	kPartialMode:               "Partial Mode",
	kOperation:                 "Operation",
	kParentRelationship:        "Parent Relationship",
	kSubplanName:               "Subplan Name",
	kCustomPlanProvider:        "Custom Plan Provider",
	kParallelAware:             "Parallel Aware",
	kAsyncCapable:              "Async Capable",
	kJoinType:                  "Join Type",
	kCommand:                   "Command",
	kScanDirection:             "Scan Direction",
	kIndexName:                 "Index Name",
	kRelationName:              "Relation Name",
	kFunctionName:              "Function Name",
	kCTEName:                   "CTE Name",
	kSchema:                    "Schema",
	kAlias:                     "Alias",
	kDisabled:                  "Disabled",
	kInnerUnique:               "Inner Unique",
	kSingleCopy:                "Single Copy",
	kStartupCost:               "Startup Cost",
	kTotalCost:                 "Total Cost",
	kPlanRows:                  "Plan Rows",
	kPlanWidth:                 "Plan Width",
	kActualStartupTime:         "Actual Startup Time",
	kActualTotalTime:           "Actual Total Time",
	kActualRows:                "Actual Rows",
	kActualLoops:               "Actual Loops",
	kOutput:                    "Output",
	kSortKey:                   "Sort Key",
	kPresortedKey:              "Presorted Key",
	kGroupKey:                  "Group Key",
	kIndexCond:                 "Index Cond",
	kRecheckCond:               "Recheck Cond",
	kOrderBy:                   "Order By",
	kFilter:                    "Filter",
	kJoinFilter:                "Join Filter",
	kHashCond:                  "Hash Cond",
	kMergeCond:                 "Merge Cond",
	kOneTimeFilter:             "One-Time Filter",
	kTIDCond:                   "TID Cond",
	kRowsRemovedbyFilter:       "Rows Removed by Filter",
	kRowsRemovedbyJoinFilter:   "Rows Removed by Join Filter",
	kRowsRemovedbyIndexRecheck: "Rows Removed by Index Recheck",
	kHeapFetches:               "Heap Fetches",
	kIndexSearches:             "Index Searches",
	kHashBuckets:               "Hash Buckets",
	kOriginalHashBuckets:       "Original Hash Buckets",
	kHashBatches:               "Hash Batches",
	kOriginalHashBatches:       "Original Hash Batches",
	kPlannedPartitions:         "Planned Partitions",
	kWorkersPlanned:            "Workers Planned",
	kWorkersLaunched:           "Workers Launched",
	kSubplansRemoved:           "Subplans Removed",
	kSortMethod:                "Sort Method",
	kSortSpaceUsed:             "Sort Space Used",
	kSortSpaceType:             "Sort Space Type",
	kHashAggBatches:            "HashAgg Batches",
	kPeakMemoryUsage:           "Peak Memory Usage",
	kDiskUsage:                 "Disk Usage",
	kCacheHits:                 "Cache Hits",
	kCacheMisses:               "Cache Misses",
	kCacheEvictions:            "Cache Evictions",
	kCacheOverflows:            "Cache Overflows",
	kExactHeapBlocks:           "Exact Heap Blocks",
	kLossyHeapBlocks:           "Lossy Heap Blocks",
	kWALRecords:                "WAL Records",
	kWALFPI:                    "WAL FPI",
	kWALBytes:                  "WAL Bytes",
	kWALBuffersFull:            "WAL Buffers Full",
	kSharedHitBlocks:           "Shared Hit Blocks",
	kSharedReadBlocks:          "Shared Read Blocks",
	kSharedDirtiedBlocks:       "Shared Dirtied Blocks",
	kSharedWrittenBlocks:       "Shared Written Blocks",
	kLocalHitBlocks:            "Local Hit Blocks",
	kLocalReadBlocks:           "Local Read Blocks",
	kLocalDirtiedBlocks:        "Local Dirtied Blocks",
	kLocalWrittenBlocks:        "Local Written Blocks",
	kTempReadBlocks:            "Temp Read Blocks",
	kTempWrittenBlocks:         "Temp Written Blocks",
	kIOReadTime:                "I/O Read Time",
	kSharedIOReadTime:          "Shared I/O Read Time",
	kIOWriteTime:               "I/O Write Time",
	kSharedIOWriteTime:         "Shared I/O Write Time",
	kLocalIOReadTime:           "Local I/O Read Time",
	kLocalIOWriteTime:          "Local I/O Write Time",
	kTempIOReadTime:            "Temp I/O Read Time",
	kTempIOWriteTime:           "Temp I/O Write Time",
}

// keyIDs maps the JSON keys to their IDs.
var keyIDs = func() map[string]keyID {
	m := make(map[string]keyID, len(keyNames))
	for id, name := range keyNames {
		if name != "" {
			m[name] = keyID(id)
		}
	}
	return m
}()

// slab hands out values from chunks: one allocation per chunk rather than
// per value, for the nodes of big plans. Chunks grow from 4 to 256
// values, so that a small plan does not hold a big chunk.
type slab[T any] struct {
	free []T
	size int
}

func (s *slab[T]) alloc() *T {
	if len(s.free) == 0 {
		s.size = min(max(2*s.size, 4), 256)
		s.free = make([]T, s.size)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// numberProp converts a number kept in Extra: a float64, or an int64 for
// an integer a float64 cannot hold exactly (a Query Identifier).
func numberProp(s string) any {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err == nil && (f > 1<<53 || f < -(1<<53)) {
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return i
		}
	}
	return f
}
