package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultWidth is the line width Render wraps conditions and notes at.
const DefaultWidth = 100

// Render draws the plan as a compact tree for people, wrapped at
// DefaultWidth columns; see RenderWidth.
func Render(p *Plan, notes func(n *Node) []string) string {
	return RenderWidth(p, notes, DefaultWidth)
}

// RenderWidth draws the plan as a compact tree for people: a header, then
// one line per node in plan order with its exclusive time, its share of
// the execution time, its rows (over all loops) and the planner's
// estimate (with the factor when they differ 10× or more), then its
// conditions and the notes given for it (diagnostics), indented under it
// and wrapped at width columns. A plan without ANALYZE shows the
// estimated rows and costs instead. The output is deterministic.
//
//	   time      %     rows      est       node
//	1,763 ms  47.5%    5,994    6,647       Seq Scan on orders
//	                                          Filter: (amount > '990'::numeric), 594,006 removed
//	                                          ! plan-seq-scan: ...
func RenderWidth(p *Plan, notes func(n *Node) []string, width int) string {
	var b strings.Builder
	if p.Root == nil {
		return ""
	}
	total := p.TotalTime()
	analyzed := p.Analyzed()
	if analyzed {
		fmt.Fprintf(&b, "%8s %6s %7s %7s %5s node\n", "time", "%", "rows", "est", "")
	} else {
		fmt.Fprintf(&b, "%10s %8s node\n", "cost", "est rows")
	}
	blank := strings.Repeat(" ", len(nodeColumns(p.Root, total, analyzed)))
	// The tree is walked with an explicit stack: a hostile plan may
	// nest deeply.
	type item struct {
		n            *Node
		prefix       string
		last, isRoot bool
	}
	stack := []item{{n: p.Root, last: true, isRoot: true}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		head, child := "", ""
		if !it.isRoot {
			head, child = it.prefix+"├─ ", it.prefix+"│  "
			if it.last {
				head, child = it.prefix+"└─ ", it.prefix+"   "
			}
		}
		b.WriteString(nodeColumns(n, total, analyzed))
		b.WriteString(head)
		if n.SubplanName != "" {
			b.WriteString("[" + n.SubplanName + "] ")
		}
		b.WriteString(n.Label())
		if n.NeverExecuted() {
			b.WriteString(" (never executed)")
		}
		b.WriteString("\n")
		pad := blank + child
		if len(n.Children) > 0 {
			pad += "│ "
		} else {
			pad += "  "
		}
		for _, d := range nodeDetails(n) {
			writeWrapped(&b, pad, "", d, width)
		}
		if notes != nil {
			for _, note := range notes(n) {
				writeWrapped(&b, pad, "! ", note, width)
			}
		}
		for i := len(n.Children) - 1; i >= 0; i-- {
			stack = append(stack, item{n: n.Children[i], prefix: child, last: i == len(n.Children)-1})
		}
	}
	var tail []string
	if p.HasPlanningTime {
		tail = append(tail, "planning "+duration(p.PlanningTime))
	}
	if p.HasExecutionTime {
		tail = append(tail, "execution "+duration(p.ExecutionTime))
	}
	if p.JIT != nil && p.JIT.HasTiming {
		tail = append(tail, "JIT "+duration(p.JIT.Total))
	}
	for _, t := range p.Triggers {
		name := t.Name
		if name == "" {
			name = "for constraint " + t.Constraint
		}
		tail = append(tail, fmt.Sprintf("trigger %s %s", name, duration(t.Time)))
	}
	if len(tail) > 0 {
		writeWrapped(&b, "", "", strings.Join(tail, ", "), width)
	}
	return b.String()
}

// writeWrapped writes text after pad and mark, wrapped at width columns
// on spaces; continuation lines are indented under the text. A line
// never gets less than 40 columns of text, however deep the tree.
func writeWrapped(b *strings.Builder, pad, mark, text string, width int) {
	indent := pad + strings.Repeat(" ", len(mark)+2)
	room := max(width-utf8.RuneCountInString(indent), 40)
	first := true
	for text != "" {
		line := text
		if utf8.RuneCountInString(line) > room {
			cut := byteAtRune(line, room)
			if i := strings.LastIndexByte(line[:cut], ' '); i > room/3 {
				cut = i
			}
			line = line[:cut]
		}
		text = strings.TrimLeft(text[len(line):], " ")
		line = strings.TrimRight(line, " ")
		if first {
			b.WriteString(strings.TrimRight(pad+mark+line, " "))
		} else {
			b.WriteString(strings.TrimRight(indent+line, " "))
		}
		b.WriteString("\n")
		first = false
	}
}

// byteAtRune returns the byte offset of the n-th rune of s.
func byteAtRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// nodeColumns is the fixed-width figures column of a node's line.
func nodeColumns(n *Node, total float64, analyzed bool) string {
	if !analyzed {
		return fmt.Sprintf("%10s %8s ", strconv.FormatFloat(n.TotalCost, 'f', 2, 64), shortCount(n.PlanRows))
	}
	est := shortCount(n.PlanRows * max(n.ActualLoops, 1))
	if !n.HasCosts {
		est = "-" // COSTS OFF: no estimate
	}
	if n.NeverExecuted() {
		return fmt.Sprintf("%8s %6s %7s %7s %5s ", "", "", "-", est, "")
	}
	pct, t := "", ""
	if n.Timed {
		t = duration(n.Exclusive)
		if total > 0 {
			pct = strconv.FormatFloat(100*n.Exclusive/total, 'f', 1, 64) + "%"
		}
	}
	factor := ""
	if f := Misestimate(n); f >= 10 {
		factor = shortFactor(f)
	}
	return fmt.Sprintf("%8s %6s %7s %7s %5s ", t, pct, shortCount(n.TotalActualRows()), est, factor)
}

// duration formats milliseconds for the tree: 0.188 ms, 16.9 ms,
// 1,763 ms, 12.3 s.
func duration(v float64) string {
	switch {
	case v >= 1000*1000:
		return count(v/1000) + " s"
	case v >= 10000:
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + " s"
	case v >= 100:
		return count(v) + " ms"
	}
	return ms(v)
}

// shortFactor formats a misestimate factor in at most 5 columns: 43×,
// 12k×, 3M×.
func shortFactor(f float64) string {
	switch {
	case f >= 1e6:
		return strconv.FormatFloat(min(f/1e6, 999), 'f', 0, 64) + "M×"
	case f >= 1e3:
		return strconv.FormatFloat(f/1e3, 'f', 0, 64) + "k×"
	}
	return strconv.FormatFloat(f, 'f', 0, 64) + "×"
}

// shortCount formats a row count in at most 7 columns: 999,999 then
// 9,980k then 123M.
func shortCount(v float64) string {
	switch {
	case v >= 1e11:
		return count(v/1e9) + "G"
	case v >= 1e8:
		return count(v/1e6) + "M"
	case v >= 1e6:
		return count(v/1e3) + "k"
	}
	return count(v)
}

// Misestimate returns how many times the actual rows per loop differ from
// the estimate, in either direction (1 means exact; 0 when not analyzed or without estimates, COSTS OFF).
// Counts below one row are taken as one, so that 0 vs 1 is not infinite.
func Misestimate(n *Node) float64 {
	// Without costs (COSTS OFF) the plan has no row estimate to compare.
	if !n.Analyzed || n.NeverExecuted() || !n.HasCosts {
		return 0
	}
	est, act := math.Max(n.PlanRows, 1), math.Max(n.ActualRows, 1)
	return math.Max(est, act) / math.Min(est, act)
}

// nodeDetails are the condition lines shown under a node.
func nodeDetails(n *Node) []string {
	var out []string
	add := func(label, v string, removed float64, what string) {
		if v == "" {
			return
		}
		s := label + ": " + v
		if removed > 0 {
			s += fmt.Sprintf(", %s %s", count(removed*math.Max(n.ActualLoops, 1)), what)
		}
		out = append(out, s)
	}
	add("Index Cond", n.IndexCond, 0, "")
	add("Recheck Cond", n.RecheckCond, n.RowsRemovedByIndexRecheck, "removed by recheck")
	add("Hash Cond", n.HashCond, 0, "")
	add("Merge Cond", n.MergeCond, 0, "")
	add("Join Filter", n.JoinFilter, n.RowsRemovedByJoinFilter, "removed")
	add("Filter", n.Filter, n.RowsRemovedByFilter, "removed")
	if n.ActualLoops > 1 {
		out = append(out, "loops: "+count(n.ActualLoops))
	}
	if n.SortSpaceType == "Disk" {
		out = append(out, fmt.Sprintf("Sort: %s, %s on disk", n.SortMethod, kb(n.SortSpaceUsed)))
	}
	if n.HashBatches > 1 {
		out = append(out, fmt.Sprintf("Hash: %d batches, %s memory", n.HashBatches, kb(n.PeakMemoryUsage)))
	}
	if n.HashAggBatches > 1 {
		out = append(out, fmt.Sprintf("HashAggregate: %d batches, %s on disk", n.HashAggBatches, kb(n.DiskUsage)))
	}
	if n.Type == "Gather" || n.Type == "Gather Merge" {
		if n.Analyzed && n.WorkersLaunched < n.WorkersPlanned {
			out = append(out, fmt.Sprintf("workers: %d planned, %d launched", n.WorkersPlanned, n.WorkersLaunched))
		}
	}
	if n.HeapFetches > 0 {
		out = append(out, "Heap Fetches: "+count(n.HeapFetches*math.Max(n.ActualLoops, 1)))
	}
	if n.LossyHeapBlocks > 0 {
		out = append(out, fmt.Sprintf("Heap Blocks: %s exact, %s lossy", count(float64(n.ExactHeapBlocks)), count(float64(n.LossyHeapBlocks))))
	}
	return out
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return count(v) + " ms"
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(v, 'f', 3, 64) + " ms"
}

func kb(v int64) string {
	switch {
	case v >= 1024*1024:
		return strconv.FormatFloat(float64(v)/1024/1024, 'f', 1, 64) + " GB"
	case v >= 1024:
		return strconv.FormatFloat(float64(v)/1024, 'f', 1, 64) + " MB"
	}
	return strconv.FormatInt(v, 10) + " kB"
}

// count formats a row count with thousands separators (fractions kept
// below 10, as PostgreSQL 18 prints them).
func count(v float64) string {
	if v < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatCount formats a row or block count for messages: 1,234,567.
func FormatCount(v float64) string { return count(v) }

// FormatMS formats milliseconds for messages.
func FormatMS(v float64) string { return ms(v) }

// FormatKB formats a size in kB for messages.
func FormatKB(v int64) string { return kb(v) }
