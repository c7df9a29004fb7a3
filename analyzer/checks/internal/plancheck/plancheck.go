// Package plancheck holds what the EXPLAIN plan checks (the plan-* checks
// under analyzer/checks) share: node positions, the plan's fingerprint and
// the index a node calls for (proposed by advisor/candidate, from the
// plan's query when it is known, else from the node's conditions). It is
// not a check.
package plancheck

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Pos returns the position of node n of plan p (the plan's own position
// when the node's line is unknown).
func Pos(p *explain.Plan, n *explain.Node) check.Position {
	line := p.Line
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return check.Position{File: p.File, Line: line}
}

// Fingerprint returns the fingerprint of the plan's query, "" when the
// query is unknown or does not parse.
func Fingerprint(p *explain.Plan) string {
	if p.Fingerprint != "" {
		return p.Fingerprint
	}
	if p.Query == "" {
		return ""
	}
	fp, err := sqlparse.Fingerprint(p.Query)
	if err != nil {
		return ""
	}
	return fp
}

// Report reports a finding of the pass's check about node n of plan p.
func Report(pass *check.Pass, p *explain.Plan, n *explain.Node, help string, fix *check.Fix, format string, args ...any) {
	pass.Report(check.Finding{
		Check:       pass.Check.Name,
		Severity:    pass.Check.Severity,
		Pos:         Pos(p, n),
		Fingerprint: Fingerprint(p),
		Message:     fmt.Sprintf(format, args...),
		Help:        help,
		Fix:         fix,
		Plan:        p,
		Node:        n,
	})
}

// Each calls fn for every node of every plan of the pass, with its parent.
func Each(pass *check.Pass, fn func(p *explain.Plan, n, parent *explain.Node)) {
	for _, p := range pass.Plans {
		explain.Walk(p.Root, func(n, parent *explain.Node) bool {
			fn(p, n, parent)
			return true
		})
	}
}
