package explain

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tline is one physical line of a text plan after psql frames were
// removed: its 1-based line number, indentation in columns and text
// without the indentation.
type tline struct {
	n      int
	indent int
	s      string
}

// tnode is a node being read from text.
type tnode struct {
	n        *Node
	children []*tnode
	open     int // 1 + the index in n.Workers of the worker whose lines are being read
	arrow    int // column of "->" (-2 for the root)
	props    int // indentation of the node's property lines
}

// tplan is a plan being read from text.
type tplan struct {
	top     object
	root    *tnode
	stack   []*tnode
	closed  bool    // the plan-level lines after the tree have started
	block   *object // open plan-level group (Planning, JIT, Serialization)
	line    int
	query   []string
	inQuery bool
	label   string // pending subplan label
	labelAt int
}

type textParser struct {
	nodes  slab[Node]
	tnodes slab[tnode]
	file   string
	errs   ErrorList
	plans  []*Plan
	cur    *tplan
	// unknown is the first line that was not understood before any plan.
	unknown *tline
}

// The regular expressions read lines that are rare in a plan (a few per
// plan at most); the lines of every node are read by hand, as a
// 10,000-node plan must parse in well under 100 ms.
var (
	reWorker         = regexp.MustCompile(`^Worker (\d+):\s*(.*)$`)
	reKV             = regexp.MustCompile(`([a-z][a-z ]*?)=([-0-9.]+)`)
	reSortMethod     = regexp.MustCompile(`^Sort Method: (.+?)\s+(Memory|Disk|Average Memory|Peak Memory): (-?\d+)kB$`)
	reMemory         = regexp.MustCompile(`(used|allocated)=(\d+)kB`)
	reTriggerFigures = regexp.MustCompile(`^: (?:time=([-0-9.]+) )?calls=([0-9.e+]+)$`)
	reTiming         = regexp.MustCompile(`(Generation|Inlining|Optimization|Emission|Total|Deform) ([-0-9.]+) ms`)
)

// plainNodes are node names printed as is, with their JSON Node Type.
var plainNodes = map[string]string{
	"Result": "Result", "ProjectSet": "ProjectSet", "Append": "Append", "Merge Append": "Merge Append",
	"Recursive Union": "Recursive Union", "BitmapAnd": "BitmapAnd", "BitmapOr": "BitmapOr",
	"Gather": "Gather", "Gather Merge": "Gather Merge", "Materialize": "Materialize",
	"Memoize": "Memoize", "Sort": "Sort", "Incremental Sort": "Incremental Sort", "Group": "Group",
	"WindowAgg": "WindowAgg", "Unique": "Unique", "LockRows": "LockRows", "Limit": "Limit",
	"Hash": "Hash", "Nested Loop": "Nested Loop", "Foreign Scan": "Foreign Scan",
	"Custom Scan": "Custom Scan", "Function Scan": "Function Scan", "Subquery Scan": "Subquery Scan",
	"Values Scan": "Values Scan", "Table Function Scan": "Table Function Scan", "Seq Scan": "Seq Scan",
}

// scanTargets maps scan node names to the JSON key of the object they
// name after " on " ("" when only an alias is printed).
var scanTargets = map[string]string{
	"Seq Scan": "Relation Name", "Sample Scan": "Relation Name", "Bitmap Heap Scan": "Relation Name",
	"Tid Scan": "Relation Name", "Tid Range Scan": "Relation Name", "Foreign Scan": "Relation Name",
	"Custom Scan": "Relation Name", "ModifyTable": "Relation Name", "Index Scan": "Relation Name",
	"Index Only Scan": "Relation Name", "Function Scan": "Function Name",
	"Table Function Scan": "Table Function Name", "CTE Scan": "CTE Name", "WorkTable Scan": "CTE Name",
	"Named Tuplestore Scan": "Tuplestore Name", "Values Scan": "", "Subquery Scan": "",
}

// listKeys are printed as comma-separated lists in text.
var listKeys = map[string]bool{
	"Output": true, "Sort Key": true, "Presorted Key": true, "Group Key": true, "Hash Key": true,
	"Conflict Arbiter Indexes": true, "Sampling Parameters": true,
}

// numberKeys are numeric in JSON.
var numberKeys = map[string]bool{
	"Rows Removed by Filter": true, "Rows Removed by Join Filter": true, "Rows Removed by Index Recheck": true,
	"Rows Removed by Conflict Filter": true, "Heap Fetches": true, "Workers Planned": true,
	"Workers Launched": true, "Subplans Removed": true, "Index Searches": true, "Tuples Inserted": true,
	"Conflicting Tuples": true, "Functions": true, "Query Identifier": true, "Planning Time": true,
	"Execution Time": true, "Total runtime": true, "Planned Partitions": true,
}

var boolKeys = map[string]bool{"Inner Unique": true, "Single Copy": true, "Disabled": true, "Async Capable": true}

// parseText reads every text plan of data.
func parseText(data []byte, file string, base int) ([]*Plan, ErrorList) {
	p := &textParser{file: file}
	lines, warn := textLines(data, base)
	if warn != nil {
		warn.File = file
		p.errs = append(p.errs, warn)
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		// A root node line wrapped by a terminal: join until it parses.
		if (p.cur == nil || p.cur.root == nil) && !strings.HasPrefix(l.s, "Query Text:") {
			if !isHeader(l.s) {
				joined := l.s
				for k := 1; k <= 3 && i+k < len(lines) && lines[i+k].indent == 0; k++ {
					joined += lines[i+k].s
					if isHeader(joined) {
						l.s = joined
						i += k
						break
					}
				}
			}
		}
		// Join the lines a terminal wrapped (they continue at column 0 or
		// at an indentation no plan line can have, after a line as wide
		// as a terminal).
		for i+1 < len(lines) && fullWidth(lines[i]) && p.continues(l, lines[i+1]) {
			l.s += strings.Repeat(" ", lines[i+1].indent) + lines[i+1].s
			i++
		}
		l.s = strings.TrimRight(l.s, " ")
		p.line(l)
	}
	p.finish()
	if len(p.plans) == 0 && len(p.errs) == 0 {
		if p.unknown != nil {
			p.errs = append(p.errs, &Error{File: file, Line: p.unknown.n, Msg: "not an EXPLAIN plan: " + clip(p.unknown.s)})
		} else {
			p.errs = append(p.errs, &Error{File: file, Line: base + 1, Msg: "no EXPLAIN plan found (empty input)"})
		}
	}
	return p.plans, p.errs
}

// minWrapWidth is the narrowest terminal whose wrapping is undone: a line
// continues on the next one only when it is at least that wide.
const minWrapWidth = 60

// fullWidth reports whether l may have been cut by a terminal.
func fullWidth(l tline) bool {
	return l.indent+utf8.RuneCountInString(l.s) >= minWrapWidth
}

func clip(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return strconv.Quote(s)
}

// textLines splits data into lines, removing psql's table frames (QUERY
// PLAN header, "+" continuation marks, "(N rows)" footer), quotes added by
// GUI clients, tabs and a common indentation.
func textLines(data []byte, base int) ([]tline, *Error) {
	text := string(data)
	if strings.Contains(text, "\r\n") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	raw := strings.Split(text, "\n")
	var warn *Error
	out := make([]tline, 0, len(raw))
	unquote(raw)
	for i := 0; i < len(raw); i++ {
		// Trailing spaces are kept: a terminal may have wrapped the line
		// right after one.
		s := strings.TrimRight(raw[i], "\r")
		n := base + i + 1
		t := strings.TrimSpace(s)
		if isFooter(t) {
			continue
		}
		if strings.ContainsRune(s, '\t') {
			lead := s[:len(s)-len(strings.TrimLeft(s, " \t"))]
			if strings.Contains(lead, " ") && strings.Contains(lead, "\t") && warn == nil && len(strings.TrimLeft(lead, "\t")) != len(lead)-strings.Count(lead, "\t") {
				warn = &Error{Line: n, Msg: "indentation mixes tabs and spaces; tabs read as 8-column stops"}
			}
			s = expandTabs(s)
		}
		body := strings.TrimLeft(s, " ")
		if strings.TrimSpace(body) == "" {
			continue
		}
		out = append(out, tline{n: n, indent: len(s) - len(body), s: body})
	}
	unfragment(out)
	// Remove the indentation common to the plan (a log's tab, a pasted
	// block): the root node sets it.
	for _, l := range out {
		if !strings.HasPrefix(l.s, "->") && isHeader(l.s) {
			if l.indent > 0 {
				for j := range out {
					out[j].indent = max(0, out[j].indent-l.indent)
				}
			}
			break
		}
	}
	return out, warn
}

func expandTabs(s string) string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// planLevel reports whether s is a line printed after the plan tree.
func planLevel(s string) bool {
	for _, p := range []string{"Planning Time:", "Execution Time:", "Total runtime:", "Planning:", "JIT:",
		"Settings:", "Query Identifier:", "Serialization:", "Trigger ", "Trigger:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// continues reports whether l is the rest of the previous line, wrapped by
// a terminal.
func (p *textParser) continues(prev, l tline) bool {
	c := p.cur
	if c == nil || c.root == nil || strings.HasPrefix(l.s, "->") {
		return false
	}
	if l.indent == 0 {
		if planLevel(l.s) {
			return false
		}
		return !isHeader(l.s)
	}
	if c.closed || prev.indent == 0 && planLevel(prev.s) {
		// Lines of the Planning, JIT and Serialization groups.
		opener := prev.indent == 0 && (prev.s == "Planning:" || prev.s == "JIT:" || strings.HasPrefix(prev.s, "Serialization:"))
		return !opener && !(prev.indent > 0 && c.block != nil)
	}
	if isLabel(l.s) {
		return false
	}
	for _, t := range c.stack {
		if l.indent == t.props || l.indent == t.props+2 || l.indent == t.props-4 {
			return false
		}
	}
	// prev may be a node line not read yet: its properties follow.
	if strings.HasPrefix(prev.s, "->") && (l.indent == prev.indent+6 || l.indent == prev.indent+8) {
		return false
	}
	return true
}

func (p *textParser) line(l tline) {
	c := p.cur
	if c == nil || c.root == nil {
		p.preamble(l)
		return
	}
	if strings.HasPrefix(l.s, "->") {
		if c.closed {
			p.errs = append(p.errs, &Error{File: p.file, Line: l.n, Msg: "plan node after the plan's summary lines: " + clip(l.s)})
			return
		}
		p.node(l, l.indent)
		return
	}
	if l.indent == 0 {
		if planLevel(l.s) {
			c.closed = true
			p.planLine(l)
			return
		}
		if isHeader(l.s) {
			p.finish()
			p.preamble(l)
			return
		}
		p.errs = append(p.errs, &Error{File: p.file, Line: l.n, Msg: "unexpected line in plan: " + clip(l.s)})
		return
	}
	if c.closed {
		if c.block != nil {
			p.blockLine(l)
		}
		return
	}
	if isLabel(l.s) {
		c.label, c.labelAt = l.s, l.indent
		return
	}
	// A property of the innermost node whose property indentation fits.
	for len(c.stack) > 1 && c.stack[len(c.stack)-1].props > l.indent && c.stack[len(c.stack)-1].props-4 != l.indent {
		c.stack = c.stack[:len(c.stack)-1]
	}
	t := c.stack[len(c.stack)-1]
	if l.indent < t.props {
		// Only ModifyTable target labels and grouping set lines sit
		// here; keep them on the node.
		l.indent = t.props
	}
	p.nodeProp(t, l)
}

// isLabel reports whether s names a subplan: "InitPlan 1 (returns $0)",
// "SubPlan 2", "CTE name".
func isLabel(s string) bool {
	if !strings.HasPrefix(s, "InitPlan ") && !strings.HasPrefix(s, "SubPlan ") && !strings.HasPrefix(s, "CTE ") {
		return false
	}
	_, rest, _ := strings.Cut(s, " ")
	return rest != "" && !strings.Contains(rest, ":")
}

// preamble handles the lines before a plan's root node: the auto_explain
// "Query Text" and the root node itself.
func (p *textParser) preamble(l tline) {
	if p.cur == nil {
		p.cur = &tplan{line: l.n}
	}
	c := p.cur
	if strings.HasPrefix(l.s, "Query Text: ") {
		c.query = append(c.query, strings.TrimPrefix(l.s, "Query Text: "))
		c.inQuery = true
		return
	}
	if strings.HasPrefix(l.s, "Query Parameters: ") {
		c.top.add("Query Parameters", strings.TrimPrefix(l.s, "Query Parameters: "), l.n)
		c.inQuery = false
		return
	}
	if isHeader(l.s) && (!c.inQuery || headerCore(l.s) != l.s || strings.Contains(l.s, "(cost=")) {
		c.inQuery = false
		p.node(l, -2)
		return
	}
	if c.inQuery {
		c.query = append(c.query, strings.Repeat(" ", l.indent)+l.s)
		return
	}
	if p.unknown == nil {
		p.unknown = &l
	}
	p.cur = nil
}

func headerCore(s string) string {
	if i := strings.LastIndex(s, " (actual "); i >= 0 {
		return s[:i]
	}
	return strings.TrimSuffix(s, " (never executed)")
}

// node starts a plan node at arrow column arrow (-2 for the root).
func (p *textParser) node(l tline, arrow int) {
	c := p.cur
	s := strings.TrimSpace(strings.TrimPrefix(l.s, "->"))
	n := p.nodes.alloc()
	n.Line = l.n
	if !parseHeader(n, s) {
		p.errs = append(p.errs, &Error{File: p.file, Line: l.n, Msg: "unrecognized plan node: " + clip(s)})
		*n = Node{Type: s, Line: l.n}
	}
	t := p.tnodes.alloc()
	*t = tnode{n: n, arrow: arrow, props: arrow + 6}
	if arrow < 0 {
		t.props = 2
		c.root = t
		c.stack = append(c.stack[:0], t)
		return
	}
	if c.label != "" && c.labelAt < arrow {
		n.SubplanName = c.label
		c.label = ""
	}
	// The parent is the innermost node whose properties are indented at
	// or left of the arrow.
	for len(c.stack) > 1 && c.stack[len(c.stack)-1].props > arrow {
		c.stack = c.stack[:len(c.stack)-1]
	}
	parent := c.stack[len(c.stack)-1]
	parent.children = append(parent.children, t)
	c.stack = append(c.stack, t)
}

// isHeader reports whether s is a node line.
func isHeader(s string) bool {
	var n Node
	return parseHeader(&n, s)
}

// parseHeader reads a node line ("Seq Scan on t  (cost=...) (actual
// ...)") into n; false when it is not a node line.
func parseHeader(n *Node, s string) bool {
	s = strings.TrimRight(s, " ")
	if i := strings.LastIndex(s, " (actual "); i >= 0 && strings.HasSuffix(s, ")") {
		if actualFigures(s[i+len(" (actual "):len(s)-1], &n.Metrics) {
			n.Analyzed = true
			n.Timed = strings.HasPrefix(s[i+len(" (actual "):], "time=")
			s = s[:i]
		}
	} else if r, ok := strings.CutSuffix(s, " (never executed)"); ok {
		n.Analyzed = true
		s = r
	}
	if i := strings.LastIndex(s, "(cost="); i >= 0 && strings.HasSuffix(s, ")") {
		if costFigures(s[i+len("(cost="):len(s)-1], n) {
			n.HasCosts = true
			s = strings.TrimRight(s[:i], " ")
		}
	}
	for {
		if r, ok := strings.CutPrefix(s, "Parallel "); ok {
			s, n.ParallelAware = r, true
			continue
		}
		if r, ok := strings.CutPrefix(s, "Async "); ok {
			s, n.AsyncCapable = r, true
			continue
		}
		break
	}
	name, target := s, ""
	if i := strings.Index(s, " on "); i >= 0 {
		name, target = s[:i], s[i+4:]
	} else if alias, ok := strings.CutPrefix(s, "Subquery Scan "); ok && alias != "" && (!strings.Contains(alias, " ") || len(alias) > 1 && alias[0] == '"' && alias[len(alias)-1] == '"') {
		// PostgreSQL 8.x: "Subquery Scan ss", the alias without "on".
		name, target = "Subquery Scan", alias
	}
	switch {
	case strings.HasPrefix(name, "Index Scan") || strings.HasPrefix(name, "Index Only Scan"):
		n.Type = "Index Scan"
		rest := strings.TrimPrefix(name, "Index Scan")
		if strings.HasPrefix(name, "Index Only Scan") {
			n.Type, rest = "Index Only Scan", strings.TrimPrefix(name, "Index Only Scan")
		}
		n.ScanDirection = "Forward"
		if r, ok := strings.CutPrefix(rest, " Backward"); ok {
			n.ScanDirection, rest = "Backward", r
		}
		idx, ok := strings.CutPrefix(rest, " using ")
		if !ok {
			return false
		}
		n.IndexName = unquoteIdent(idx)
	case name == "Bitmap Index Scan":
		n.Type = name
		n.IndexName = unquoteIdent(target)
		target = ""
	case name == "Nested Loop":
		n.Type, n.JoinType = name, "Inner"
	case strings.HasSuffix(name, " Join"):
		typ, jt, ok := parseJoin(name)
		if !ok {
			return false
		}
		n.Type, n.JoinType = typ, jt
	case strings.HasSuffix(name, "Aggregate"):
		mode, agg, ok := strings.Cut(name, " ")
		if !ok {
			mode, agg = "Simple", name
		} else if mode != "Partial" && mode != "Finalize" {
			return false
		}
		strategy, ok := aggStrategies[agg]
		if !ok {
			return false
		}
		n.Type, n.Strategy, n.PartialMode = "Aggregate", strategy, mode
	case strings.HasPrefix(name, "SetOp ") || strings.HasPrefix(name, "HashSetOp "):
		op, cmd, _ := strings.Cut(name, " ")
		switch cmd {
		case "Intersect All", "Intersect", "Except All", "Except":
		default:
			return false
		}
		n.Type, n.Strategy, n.Command = "SetOp", "Sorted", cmd
		if op == "HashSetOp" {
			n.Strategy = "Hashed"
		}
	case name == "Insert" || name == "Update" || name == "Delete" || name == "Merge":
		n.Type, n.Operation = "ModifyTable", name
	case strings.HasPrefix(name, "Foreign ") && name != "Foreign Scan":
		n.Type, n.Operation = "Foreign Scan", strings.TrimPrefix(name, "Foreign ")
	case strings.HasPrefix(name, "Custom Scan (") && strings.HasSuffix(name, ")"):
		n.Type, n.CustomPlanProvider = "Custom Scan", name[len("Custom Scan ("):len(name)-1]
	default:
		if _, ok := scanTargets[name]; ok {
			n.Type = name
		} else if t, ok := plainNodes[name]; ok {
			n.Type = t
		} else {
			return false
		}
		if n.Type == "Foreign Scan" {
			n.Operation = "Select"
		}
	}
	if target != "" {
		key, ok := scanTargets[n.Type]
		if !ok {
			key = "Relation Name"
		}
		schema, obj, alias := parseTarget(target)
		if key == "" {
			// Subquery and Values scans print their alias only.
			alias = obj
			if schema != "" {
				alias = schema + "." + obj
			}
		} else {
			n.scalar(key, textValue(obj), 0)
			if schema != "" {
				n.Schema = schema
			}
		}
		n.Alias = alias
	}
	return true
}

// aggStrategies maps the text names of aggregates to their strategy.
var aggStrategies = map[string]string{"Aggregate": "Plain", "GroupAggregate": "Sorted", "HashAggregate": "Hashed", "MixedAggregate": "Mixed"}

// parseJoin reads "Hash Join", "Merge Left Join", "Nested Loop Anti
// Join"... into the node type and join type.
func parseJoin(name string) (typ, joinType string, ok bool) {
	rest, _ := strings.CutSuffix(name, " Join")
	for _, base := range []string{"Nested Loop", "Hash", "Merge"} {
		r, ok := strings.CutPrefix(rest, base)
		if !ok {
			continue
		}
		typ = base + " Join"
		if base == "Nested Loop" {
			typ = base
		}
		switch r {
		case "":
			return typ, "Inner", true
		case " Left", " Right", " Full", " Semi", " Anti", " Right Semi", " Right Anti":
			return typ, r[1:], true
		}
		return "", "", false
	}
	return "", "", false
}

// actualFigures reads "time=S..T rows=R loops=L" (time optional) into m;
// false when it is not that.
func actualFigures(s string, m *Metrics) bool {
	var start, end float64
	if t, ok := strings.CutPrefix(s, "time="); ok {
		span, rest, ok := strings.Cut(t, " ")
		if !ok {
			return false
		}
		a, b, ok := strings.Cut(span, "..")
		if !ok || !parseNumber(a, &start) || !parseNumber(b, &end) {
			return false
		}
		s = rest
	}
	r, ok := strings.CutPrefix(s, "rows=")
	if !ok {
		return false
	}
	rows, loops, ok := strings.Cut(r, " loops=")
	var nr, nl float64
	if !ok || !parseNumber(rows, &nr) || !parseNumber(loops, &nl) {
		return false
	}
	m.ActualStartupTime, m.ActualTotalTime, m.ActualRows, m.ActualLoops = start, end, nr, nl
	return true
}

// costFigures reads "A..B rows=R width=W" into n.
func costFigures(s string, n *Node) bool {
	span, rest, ok := strings.Cut(s, " rows=")
	if !ok {
		return false
	}
	a, b, ok := strings.Cut(span, "..")
	rows, width, ok2 := strings.Cut(rest, " width=")
	var fa, fb, fr, fw float64
	if !ok || !ok2 || !parseNumber(a, &fa) || !parseNumber(b, &fb) || !parseNumber(rows, &fr) || !parseNumber(width, &fw) {
		return false
	}
	n.StartupCost, n.TotalCost, n.PlanRows, n.PlanWidth = fa, fb, fr, scalar{f: fw, num: true}.int()
	return true
}

// parseNumber parses s, a number as EXPLAIN prints it, into f.
func parseNumber(s string, f *float64) bool {
	if v, ok := simpleNumber(s); ok {
		*f = v
		return true
	}
	if !isNumber(s) {
		return false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	*f = v
	return true
}

// parseTarget splits "schema.name alias" (identifiers possibly quoted).
func parseTarget(s string) (schema, name, alias string) {
	first, rest := nextIdent(s)
	if strings.HasPrefix(rest, ".") {
		second, r := nextIdent(rest[1:])
		schema, name, rest = first, second, r
	} else {
		name = first
	}
	alias = name
	if a, _ := nextIdent(strings.TrimLeft(rest, " ")); a != "" {
		alias = a
	}
	return schema, name, alias
}

// nextIdent reads one identifier, quoted or not, from the start of s.
func nextIdent(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				return b.String(), s[i+1:]
			}
			b.WriteByte(s[i])
		}
		return b.String(), ""
	}
	end := strings.IndexAny(s, ". ")
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

func unquoteIdent(s string) string {
	id, _ := nextIdent(strings.TrimSpace(s))
	return id
}

// nodeProp reads one property line of node t (or of its open worker).
func (p *textParser) nodeProp(t *tnode, l tline) {
	s := l.s
	var target sink = t.n
	if m := workerLine(s); m != nil && l.indent == t.props {
		num, _ := strconv.Atoi(m[1])
		t.open = 0
		for i := range t.n.Workers {
			if t.n.Workers[i].Number == num {
				t.open = i + 1
			}
		}
		if t.open == 0 {
			t.n.Workers = append(t.n.Workers, Worker{Number: num})
			t.open = len(t.n.Workers)
		}
		if m[2] == "" {
			return
		}
		s = m[2]
		target = &t.n.Workers[t.open-1]
	} else if l.indent > t.props && t.open > 0 {
		target = &t.n.Workers[t.open-1]
	} else if l.indent == t.props {
		t.open = 0
	}
	if r, ok := strings.CutPrefix(s, "actual "); ok {
		var m Metrics
		if actualFigures(r, &m) {
			if strings.HasPrefix(r, "time=") {
				target.scalar("Actual Startup Time", floatValue(m.ActualStartupTime), l.n)
				target.scalar("Actual Total Time", floatValue(m.ActualTotalTime), l.n)
			}
			target.scalar("Actual Rows", floatValue(m.ActualRows), l.n)
			target.scalar("Actual Loops", floatValue(m.ActualLoops), l.n)
			return
		}
	}
	propLine(target, s, l.n)
}

// sink receives the keys read from property lines: a node, a parallel
// worker's entry, or a generic object (plan-level groups).
type sink interface {
	scalar(key string, v scalar, line int)
	list(key string, items []string, line int)
}

func (n *Node) scalar(key string, v scalar, _ int) { n.scalarKey(keyIDs[key], key, v) }

// scalarKey stores the scalar of a key whose ID is known.
func (n *Node) scalarKey(id keyID, key string, v scalar) {
	switch {
	case n.setKey(id, v):
	case key == "Plans" || key == "Workers":
		// A scalar is neither a node nor a worker: dropped, as set does.
	default:
		n.Extra = append(n.Extra, Prop{Key: key, Value: v.prop()})
	}
}

func (n *Node) list(key string, items []string, _ int) {
	if !n.setList(key, items) {
		n.Extra = append(n.Extra, Prop{Key: key, Value: items})
	}
}

func (w *Worker) scalar(key string, v scalar, _ int) {
	if !w.setScalar(key, v) {
		w.Extra = append(w.Extra, Prop{Key: key, Value: v.prop()})
	}
}

func (w *Worker) list(key string, items []string, _ int) {
	w.Extra = append(w.Extra, Prop{Key: key, Value: items})
}

func (o *object) scalar(key string, v scalar, line int) {
	var val any
	switch {
	case v.num:
		val = number(strconv.FormatFloat(v.f, 'f', -1, 64))
	case v.kind == 'n':
		val = number(v.s)
	case v.kind == 'b':
		val = v.s == "true"
	default:
		val = v.s
	}
	o.add(key, val, line)
}

func (o *object) list(key string, items []string, line int) {
	arr := make([]any, len(items))
	for i, it := range items {
		arr[i] = it
	}
	o.add(key, arr, line)
}

func workerLine(s string) []string {
	if !strings.HasPrefix(s, "Worker ") {
		return nil
	}
	return reWorker.FindStringSubmatch(s)
}

// isPropLabel reports whether s can be a property label: a letter, then
// letters, digits, spaces, '/', '_' and '-'.
func isPropLabel(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ' || c == '/' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// memoizeKeys name the figures of a Memoize node's "Hits:" line.
var memoizeKeys = map[string]string{"Hits": "Cache Hits", "Misses": "Cache Misses", "Evictions": "Cache Evictions",
	"Overflows": "Cache Overflows", "Memory Usage": "Peak Memory Usage"}

// propLine reads one "Label: value" line into o, expanding the lines that
// pack several JSON keys.
func propLine(o sink, s string, n int) {
	label, value, ok := strings.Cut(s, ":")
	value = strings.TrimPrefix(value, " ")
	if !ok || !isPropLabel(label) {
		// ModifyTable target lines ("Update on t1") and the like.
		return
	}
	switch label {
	case "Sort Method":
		if m := reSortMethod.FindStringSubmatch(s); m != nil {
			o.scalar("Sort Method", textValue(m[1]), n)
			o.scalar("Sort Space Used", numberValue(m[3]), n)
			o.scalar("Sort Space Type", textValue(m[2]), n)
			return
		}
	case "Buckets":
		if bucketsLine(o, value, n) {
			return
		}
	case "Planned Partitions", "Batches":
		for part := range strings.SplitSeq(s, "  ") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), ": ")
			v = strings.TrimSuffix(v, "kB")
			switch k {
			case "Planned Partitions":
				o.scalar(k, numberValue(v), n)
			case "Batches":
				o.scalar("HashAgg Batches", numberValue(v), n)
			case "Memory Usage":
				o.scalar("Peak Memory Usage", numberValue(v), n)
			case "Disk Usage":
				o.scalar("Disk Usage", numberValue(v), n)
			}
		}
		return
	case "Hits":
		for part := range strings.SplitSeq(s, "  ") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), ": ")
			if key, ok := memoizeKeys[k]; ok {
				o.scalar(key, numberValue(strings.TrimSuffix(v, "kB")), n)
			}
		}
		return
	case "Storage":
		st, rest, _ := strings.Cut(value, "  Maximum Storage: ")
		o.scalar("Storage", textValue(st), n)
		if rest != "" {
			o.scalar("Maximum Storage", numberValue(strings.TrimSuffix(rest, "kB")), n)
		}
		return
	case "Heap Blocks":
		for _, f := range strings.Fields(value) {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "exact":
				o.scalar("Exact Heap Blocks", numberValue(v), n)
			case "lossy":
				o.scalar("Lossy Heap Blocks", numberValue(v), n)
			}
		}
		return
	case "Buffers":
		bufferLine(o, value, n)
		return
	case "I/O Timings":
		ioLine(o, value, n)
		return
	case "WAL":
		for _, m := range reKV.FindAllStringSubmatch(value, -1) {
			switch m[1] {
			case "records":
				o.scalar("WAL Records", numberValue(m[2]), n)
			case "fpi":
				o.scalar("WAL FPI", numberValue(m[2]), n)
			case "bytes":
				o.scalar("WAL Bytes", numberValue(m[2]), n)
			case "buffers full":
				o.scalar("WAL Buffers Full", numberValue(m[2]), n)
			}
		}
		return
	case "Memory":
		for _, m := range reMemory.FindAllStringSubmatch(value, -1) {
			if m[1] == "used" {
				o.scalar("Memory Used", numberValue(m[2]), n)
			} else {
				o.scalar("Memory Allocated", numberValue(m[2]), n)
			}
		}
		return
	case "Tuples":
		for _, m := range reKV.FindAllStringSubmatch(value, -1) {
			o.scalar("Tuples "+strings.ToUpper(m[1][:1])+m[1][1:], numberValue(m[2]), n)
		}
		return
	}
	switch {
	case listKeys[label]:
		o.list(label, splitList(value), n)
	case numberKeys[label]:
		o.scalar(label, numberValue(strings.TrimSuffix(value, " ms")), n)
	case boolKeys[label]:
		o.scalar(label, boolValue(value == "true"), n)
	default:
		o.scalar(label, textValue(value), n)
	}
}

// bucketsLine reads a Hash node's "Buckets: 1024 (originally 512)
// Batches: 1 (originally 1)  Memory Usage: 13kB" (value without its
// label); false when it is not that.
func bucketsLine(o sink, value string, n int) bool {
	buckets, rest, ok := strings.Cut(value, "  Batches: ")
	if !ok {
		return false
	}
	batches, mem, ok := strings.Cut(rest, "  Memory Usage: ")
	mem, kb := strings.CutSuffix(mem, "kB")
	if !ok || !kb || !isNumber(mem) {
		return false
	}
	now, orig, ok := originally(buckets)
	nowB, origB, ok2 := originally(batches)
	if !ok || !ok2 {
		return false
	}
	o.scalar("Hash Buckets", numberValue(now), n)
	o.scalar("Original Hash Buckets", numberValue(orig), n)
	o.scalar("Hash Batches", numberValue(nowB), n)
	o.scalar("Original Hash Batches", numberValue(origB), n)
	o.scalar("Peak Memory Usage", numberValue(mem), n)
	return true
}

// originally splits "8 (originally 4)" into 8 and 4; "8" gives 8 and 8.
func originally(s string) (now, orig string, ok bool) {
	now, rest, found := strings.Cut(s, " (originally ")
	orig = now
	if found {
		var closed bool
		orig, closed = strings.CutSuffix(rest, ")")
		if !closed {
			return "", "", false
		}
	}
	return now, orig, isNumber(now) && isNumber(orig)
}

// bufferLine reads "shared hit=1 read=2, local ..., temp read=3 written=4".
func bufferLine(o sink, value string, n int) {
	for part := range strings.SplitSeq(value, ",") {
		part = strings.TrimSpace(part)
		kind, rest, _ := strings.Cut(part, " ")
		if kind == "" {
			continue
		}
		for kv := range strings.FieldsSeq(rest) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				continue
			}
			o.scalar(bufferKey(kind, k), numberValue(v), n)
		}
	}
}

// bufferKey returns the JSON key of a text buffer figure: "shared" and
// "hit" give "Shared Hit Blocks".
func bufferKey(kind, op string) string {
	switch kind {
	case "shared":
		switch op {
		case "hit":
			return "Shared Hit Blocks"
		case "read":
			return "Shared Read Blocks"
		case "dirtied":
			return "Shared Dirtied Blocks"
		case "written":
			return "Shared Written Blocks"
		}
	case "local":
		switch op {
		case "hit":
			return "Local Hit Blocks"
		case "read":
			return "Local Read Blocks"
		case "dirtied":
			return "Local Dirtied Blocks"
		case "written":
			return "Local Written Blocks"
		}
	case "temp":
		switch op {
		case "read":
			return "Temp Read Blocks"
		case "written":
			return "Temp Written Blocks"
		}
	}
	return upperFirst(kind) + " " + upperFirst(op) + " Blocks"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ioLine reads I/O timings of every PostgreSQL version: "read=1 write=2"
// (12-14), "shared/local read=1, temp read=2" (15), "shared read=1 write=2,
// local ..., temp ..." (16+).
func ioLine(o sink, value string, n int) {
	for part := range strings.SplitSeq(value, ",") {
		fields := strings.Fields(part)
		kind := "Shared"
		if len(fields) > 0 && !strings.Contains(fields[0], "=") {
			switch fields[0] {
			case "local":
				kind = "Local"
			case "temp":
				kind = "Temp"
			}
			fields = fields[1:]
		}
		for _, kv := range fields {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				continue
			}
			write := k == "write"
			var key string
			switch {
			case kind == "Shared" && !write:
				key = "Shared I/O Read Time"
			case kind == "Shared":
				key = "Shared I/O Write Time"
			case kind == "Local" && !write:
				key = "Local I/O Read Time"
			case kind == "Local":
				key = "Local I/O Write Time"
			case !write:
				key = "Temp I/O Read Time"
			default:
				key = "Temp I/O Write Time"
			}
			o.scalar(key, numberValue(v), n)
		}
	}
}

// splitList splits a text list on the commas that separate items, not
// those inside parentheses, brackets or quotes.
func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0 && i+1 < len(s) && s[i+1] == ' ':
			out = append(out, s[start:i])
			start = i + 2
			i++
		}
	}
	return append(out, s[start:])
}

// planLine reads a line printed after the tree.
func (p *textParser) planLine(l tline) {
	c := p.cur
	c.block = nil
	s := l.s
	switch {
	case s == "Planning:":
		c.top.add("Planning", object{}, l.n)
		c.block = lastObject(&c.top)
	case s == "JIT:":
		c.top.add("JIT", object{}, l.n)
		c.block = lastObject(&c.top)
	case strings.HasPrefix(s, "Serialization:"):
		var o object
		v := strings.TrimSpace(strings.TrimPrefix(s, "Serialization:"))
		for _, part := range strings.Fields(v) {
			k, val, _ := strings.Cut(part, "=")
			switch k {
			case "time":
				o.add("Time", number(val), l.n)
			case "output":
				o.add("Output Volume", number(strings.TrimSuffix(val, "kB")), l.n)
			case "format":
				o.add("Format", val, l.n)
			}
		}
		c.top.add("Serialization", o, l.n)
		c.block = lastObject(&c.top)
	case strings.HasPrefix(s, "Trigger"):
		// "Trigger NAME for constraint CON on REL: time=T calls=N", every
		// part but the figures optional.
		i := strings.LastIndex(s, ": ")
		m := reTriggerFigures.FindStringSubmatch(s[max(i, 0):])
		if i < 0 || m == nil {
			p.errs = append(p.errs, &Error{File: p.file, Line: l.n, Msg: "unrecognized trigger line: " + clip(s)})
			return
		}
		head := strings.TrimPrefix(s[:i], "Trigger")
		var o object
		name, con, rel := head, "", ""
		if j := strings.Index(head, " on "); j >= 0 {
			name, rel = head[:j], head[j+4:]
		}
		if j := strings.Index(name, "for constraint "); j >= 0 {
			name, con = name[:j], name[j+len("for constraint "):]
		}
		if name = strings.TrimSpace(name); name != "" {
			o.add("Trigger Name", name, l.n)
		}
		if con = strings.TrimSpace(con); con != "" {
			o.add("Constraint Name", con, l.n)
		}
		if rel != "" {
			o.add("Relation", rel, l.n)
		}
		if m[1] != "" {
			o.add("Time", number(m[1]), l.n)
		}
		o.add("Calls", number(m[2]), l.n)
		if v, ok := c.top.get("Triggers"); ok {
			for i := range c.top {
				if c.top[i].key == "Triggers" {
					c.top[i].val = append(v.([]any), o)
				}
			}
		} else {
			c.top.add("Triggers", []any{o}, l.n)
		}
	case strings.HasPrefix(s, "Settings:"):
		var o object
		for _, item := range splitList(strings.TrimSpace(strings.TrimPrefix(s, "Settings:"))) {
			k, v, _ := strings.Cut(item, " = ")
			v = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
			o.add(k, strings.ReplaceAll(v, "''", "'"), l.n)
		}
		c.top.add("Settings", o, l.n)
	case strings.HasPrefix(s, "Total runtime:"):
		c.top.add("Execution Time", number(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(s, "Total runtime:")), " ms")), l.n)
	default:
		propLine(&c.top, s, l.n)
	}
}

func lastObject(o *object) *object {
	f := &(*o)[len(*o)-1]
	obj := f.val.(object)
	f.val = obj
	return &obj
}

// blockLine reads a line of the Planning, JIT or Serialization group.
func (p *textParser) blockLine(l tline) {
	c := p.cur
	key := c.top[len(c.top)-1].key
	b := c.block
	switch {
	case key == "JIT" && strings.HasPrefix(l.s, "Options:"):
		var o object
		for _, item := range strings.Split(strings.TrimPrefix(l.s, "Options:"), ",") {
			f := strings.Fields(item)
			if len(f) == 2 {
				o.add(f[0], f[1] == "true", l.n)
			}
		}
		b.add("Options", o, l.n)
	case key == "JIT" && strings.HasPrefix(l.s, "Timing:"):
		var o object
		var gen object
		for _, m := range reTiming.FindAllStringSubmatch(l.s, -1) {
			switch m[1] {
			case "Deform":
				gen.add("Deform", number(m[2]), l.n)
			case "Generation":
				gen.add("Total", number(m[2]), l.n)
			default:
				o.add(m[1], number(m[2]), l.n)
			}
		}
		if _, deform := gen.get("Deform"); deform {
			o = append(object{{key: "Generation", val: gen, line: l.n}}, o...)
		} else if v, ok := gen.get("Total"); ok {
			o = append(object{{key: "Generation", val: v, line: l.n}}, o...)
		}
		b.add("Timing", o, l.n)
	default:
		propLine(b, l.s, l.n)
	}
	c.top[len(c.top)-1].val = *b
}

// finish ends the plan being read and builds it.
func (p *textParser) finish() {
	c := p.cur
	p.cur = nil
	if c == nil || c.root == nil {
		return
	}
	c.root.link()
	top := object{{key: "Plan", val: c.root.n, line: c.root.n.Line}}
	if len(c.query) > 0 {
		top = append(object{{key: "Query Text", val: strings.TrimSpace(strings.Join(c.query, "\n"))}}, top...)
	}
	top = append(top, c.top...)
	plan := buildPlan(top)
	plan.File, plan.Line, plan.Format = p.file, c.line, "text"
	p.plans = append(p.plans, plan)
}

// link sets the children of the tree's nodes, inferring each child's
// "Parent Relationship" as explain.c assigns it. It walks the tree with
// an explicit stack: a hostile input may nest deeply.
func (t *tnode) link() {
	stack := []*tnode{t}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(t.children) == 0 {
			continue
		}
		typ := t.n.Type
		member := typ == "Append" || typ == "Merge Append" || typ == "BitmapAnd" || typ == "BitmapOr"
		plain := 0
		t.n.Children = make([]*Node, 0, len(t.children))
		for _, c := range t.children {
			rel := ""
			switch label := c.n.SubplanName; {
			case strings.HasPrefix(label, "SubPlan"):
				rel = "SubPlan"
			case label != "":
				rel = "InitPlan"
			case member:
				rel = "Member"
			case typ == "Subquery Scan":
				rel = "Subquery"
			case typ == "Custom Scan":
				rel = "child"
			case plain == 0:
				rel, plain = "Outer", 1
			default:
				rel = "Inner"
			}
			c.n.ParentRelationship = rel
			t.n.Children = append(t.n.Children, c.n)
			stack = append(stack, c)
		}
	}
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// simpleNumber parses the numbers EXPLAIN prints most ("64", "0.011",
// "-1.5") faster than strconv: with at most 15 digits the mantissa is an
// exact integer and dividing it by an exact power of ten rounds once,
// which gives the correctly rounded value strconv.ParseFloat returns.
// ok is false for any other form (exponents, longer numbers).
func simpleNumber(s string) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	var m uint64
	digits, frac := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || frac == 0 {
		return 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}
