package explain

import "strings"

// ComputeTimes sets Inclusive and Exclusive on every node of p: wall-clock
// milliseconds over all loops.
//
//   - A node's inclusive time is its per-loop total time times its loops.
//   - Below a Gather or Gather Merge, loops count every process (leader
//     and workers) that ran the node at the same time, so the sum over
//     loops is divided by the number of processes to stay wall-clock.
//   - A node's exclusive time is its inclusive time less its children's.
//     A CTE is run by the CTE Scans that read it, so its subplan's time is
//     taken off those scans (in proportion to their own time) rather than
//     off the node the CTE hangs from; InitPlan and SubPlan time is taken
//     off the node they hang from. Exclusive time never goes below zero.
//
// Parse calls it; call it again after changing a tree by hand.
func ComputeTimes(p *Plan) {
	if p.Root == nil {
		return
	}
	ctes := map[string]*Node{}
	var incl func(n *Node, procs float64)
	incl = func(n *Node, procs float64) {
		n.Inclusive = n.ActualTotalTime * n.ActualLoops
		if procs > 1 && n.ActualLoops > 0 {
			n.Inclusive /= min(procs, n.ActualLoops)
		}
		childProcs := procs
		if n.Type == "Gather" || n.Type == "Gather Merge" {
			w := n.WorkersLaunched
			if !n.Analyzed {
				w = n.WorkersPlanned
			}
			childProcs = float64(w + 1)
		}
		if name, ok := strings.CutPrefix(n.SubplanName, "CTE "); ok {
			ctes[name] = n
		}
		for _, c := range n.Children {
			incl(c, childProcs)
		}
	}
	incl(p.Root, 1)

	// Share each CTE's time among the CTE Scans reading it.
	scans := map[string][]*Node{}
	Walk(p.Root, func(n, _ *Node) bool {
		if n.Type == "CTE Scan" && ctes[n.CTEName] != nil {
			scans[n.CTEName] = append(scans[n.CTEName], n)
		}
		return true
	})
	cteShare := map[*Node]float64{}
	for name, list := range scans {
		total := 0.0
		for _, s := range list {
			total += s.Inclusive
		}
		for _, s := range list {
			if total > 0 {
				cteShare[s] = ctes[name].Inclusive * s.Inclusive / total
			}
		}
	}

	Walk(p.Root, func(n, _ *Node) bool {
		ex := n.Inclusive - cteShare[n]
		var sub float64
		for _, c := range n.Children {
			switch {
			case strings.HasPrefix(c.SubplanName, "CTE ") && len(scans[strings.TrimPrefix(c.SubplanName, "CTE ")]) > 0:
				// Counted in the CTE Scans.
			case c.ParentRelationship == "InitPlan" || c.ParentRelationship == "SubPlan":
				sub += c.Inclusive
			default:
				ex -= c.Inclusive
			}
		}
		// InitPlans and SubPlans may have been evaluated by a child rather
		// than by this node: take off only what is left.
		ex = max(0, ex)
		ex = max(0, ex-sub)
		n.Exclusive = ex
		return true
	})
}
