package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Render draws the plan as a compact tree for people: one line per node
// with its share of exclusive time, its time and its rows estimated vs
// actual, then its conditions, then the notes given for it (diagnostics),
// indented under it. Nodes are listed in plan order; the output is
// deterministic.
//
//	85.2%   54.8 ms  rows 6 (est 6)            Seq Scan on orders
//	                                             Filter: (customer_id = 4242), 599,994 removed
//	                                             ! plan-seq-scan: ...
func Render(p *Plan, notes func(n *Node) []string) string {
	var b strings.Builder
	if p.Root == nil {
		return ""
	}
	total := p.TotalTime()
	analyzed := p.Analyzed()
	var walk func(n *Node, prefix string, last, root bool)
	walk = func(n *Node, prefix string, last, root bool) {
		head, child := "", ""
		if !root {
			head, child = prefix+"├─ ", prefix+"│  "
			if last {
				head, child = prefix+"└─ ", prefix+"   "
			}
		}
		b.WriteString(nodeColumns(n, total, analyzed))
		b.WriteString(head)
		if n.SubplanName != "" {
			b.WriteString("[" + n.SubplanName + "] ")
		}
		b.WriteString(n.Label())
		b.WriteString("\n")
		pad := strings.Repeat(" ", len(nodeColumns(n, total, analyzed))) + child
		if len(n.Children) > 0 {
			pad += "│ "
		} else {
			pad += "  "
		}
		for _, d := range nodeDetails(n) {
			b.WriteString(strings.TrimRight(pad+d, " ") + "\n")
		}
		if notes != nil {
			for _, note := range notes(n) {
				b.WriteString(pad + "! " + note + "\n")
			}
		}
		for i, c := range n.Children {
			walk(c, child, i == len(n.Children)-1, false)
		}
	}
	walk(p.Root, "", true, true)
	var tail []string
	if p.HasPlanningTime {
		tail = append(tail, "planning "+ms(p.PlanningTime))
	}
	if p.HasExecutionTime {
		tail = append(tail, "execution "+ms(p.ExecutionTime))
	}
	if p.JIT != nil && p.JIT.HasTiming {
		tail = append(tail, "JIT "+ms(p.JIT.Total))
	}
	for _, t := range p.Triggers {
		name := t.Name
		if name == "" {
			name = "for constraint " + t.Constraint
		}
		tail = append(tail, fmt.Sprintf("trigger %s %s", name, ms(t.Time)))
	}
	if len(tail) > 0 {
		b.WriteString(strings.Join(tail, ", ") + "\n")
	}
	return b.String()
}

// nodeColumns is the fixed-width figures column of a node's line.
func nodeColumns(n *Node, total float64, analyzed bool) string {
	if !analyzed {
		return fmt.Sprintf("%-24s", "rows "+count(n.PlanRows)+" cost "+strconv.FormatFloat(n.TotalCost, 'f', 0, 64))
	}
	if n.NeverExecuted() {
		return fmt.Sprintf("%7s %10s  %-30s ", "", "", "never executed")
	}
	pct := ""
	if total > 0 && n.Timed {
		pct = fmt.Sprintf("%.1f%%", 100*n.Exclusive/total)
	}
	t := ""
	if n.Timed {
		t = ms(n.Exclusive)
	}
	rows := "rows " + count(n.TotalActualRows()) + " (est " + count(n.PlanRows*n.ActualLoops) + ")"
	if f := Misestimate(n); f >= 10 {
		rows += fmt.Sprintf(" %.0f×", f)
	}
	return fmt.Sprintf("%7s %10s  %-30s", pct, t, rows) + " "
}

// Misestimate returns how many times the actual rows per loop differ from
// the estimate, in either direction (1 means exact; 0 when not analyzed).
// Counts below one row are taken as one, so that 0 vs 1 is not infinite.
func Misestimate(n *Node) float64 {
	if !n.Analyzed || n.NeverExecuted() {
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
			s += fmt.Sprintf(" (%s %s)", count(removed*math.Max(n.ActualLoops, 1)), what)
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
		return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
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

// NodeAt returns the node that starts at line of the plan's input, or nil.
func (p *Plan) NodeAt(line int) *Node {
	var found *Node
	Walk(p.Root, func(n, _ *Node) bool {
		if found == nil && n.Line == line {
			found = n
		}
		return found == nil
	})
	return found
}
