package explain

import (
	"regexp"
	"strconv"
	"strings"
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
	obj      object
	children []*tnode
	workers  []*tworker
	open     *tworker // the worker whose lines are being read
	arrow    int      // column of "->" (-2 for the root)
	props    int      // indentation of the node's property lines
	label    string   // subplan name printed above the node
	line     int
}

type tworker struct {
	num int
	obj object
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
	file  string
	errs  ErrorList
	plans []*Plan
	cur   *tplan
	// unknown is the first line that was not understood before any plan.
	unknown *tline
}

var (
	reJoin           = regexp.MustCompile(`^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))? Join$`)
	reAgg            = regexp.MustCompile(`^(?:(Partial|Finalize) )?(Aggregate|GroupAggregate|HashAggregate|MixedAggregate)$`)
	reSetOp          = regexp.MustCompile(`^(SetOp|HashSetOp) (Intersect All|Intersect|Except All|Except)$`)
	reLabel          = regexp.MustCompile(`^(?:(?:InitPlan|SubPlan) [^:]+|CTE [^:]+)$`)
	reWorker         = regexp.MustCompile(`^Worker (\d+):\s*(.*)$`)
	reKV             = regexp.MustCompile(`([a-z][a-z ]*?)=([-0-9.]+)`)
	reSortMethod     = regexp.MustCompile(`^Sort Method: (.+?)\s+(Memory|Disk|Average Memory|Peak Memory): (-?\d+)kB$`)
	reBuckets        = regexp.MustCompile(`^Buckets: (\d+)(?: \(originally (\d+)\))?\s+Batches: (\d+)(?: \(originally (\d+)\))?\s+Memory Usage: (\d+)kB$`)
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
			if _, ok := parseHeader(l.s); !ok {
				joined := l.s
				for k := 1; k <= 3 && i+k < len(lines) && lines[i+k].indent == 0; k++ {
					joined += lines[i+k].s
					if _, ok := parseHeader(joined); ok {
						l.s = joined
						i += k
						break
					}
				}
			}
		}
		// Join the lines a terminal wrapped (they continue at column 0 or
		// at an indentation no plan line can have).
		for i+1 < len(lines) && p.continues(l, lines[i+1]) {
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
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var warn *Error
	var out []tline
	quoted := allQuoted(raw)
	for i := 0; i < len(raw); i++ {
		// Trailing spaces are kept: a terminal may have wrapped the line
		// right after one.
		s := strings.TrimRight(raw[i], "\r")
		n := base + i + 1
		t := strings.TrimSpace(s)
		if isFooter(t) {
			continue
		}
		if quoted && len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			s = strings.ReplaceAll(t[1:len(t)-1], `""`, `"`)
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
	// Remove the indentation common to the plan (a log's tab, a pasted
	// block): the root node sets it.
	for _, l := range out {
		if _, ok := parseHeader(l.s); ok && !strings.HasPrefix(l.s, "->") {
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

func allQuoted(lines []string) bool {
	n := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
			return false
		}
		n++
	}
	return n > 0
}

func isRule(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && strings.Trim(t, "-+") == ""
}

func isFooter(t string) bool {
	if !strings.HasPrefix(t, "(") || !strings.HasSuffix(t, ")") {
		return false
	}
	num, word, ok := strings.Cut(t[1:len(t)-1], " ")
	if !ok || (word != "rows" && word != "row") {
		return false
	}
	_, err := strconv.Atoi(num)
	return err == nil
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
		_, header := parseHeader(l.s)
		return !header
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
		if _, ok := parseHeader(l.s); ok {
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
	return reLabel.MatchString(s)
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
	if _, ok := parseHeader(l.s); ok && (!c.inQuery || headerCore(l.s) != l.s || strings.Contains(l.s, "(cost=")) {
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
	o, ok := parseHeader(s)
	if !ok {
		p.errs = append(p.errs, &Error{File: p.file, Line: l.n, Msg: "unrecognized plan node: " + clip(s)})
		o = object{{key: "Node Type", val: s, line: l.n}}
	}
	for i := range o {
		o[i].line = l.n
	}
	t := &tnode{obj: o, arrow: arrow, props: arrow + 6, line: l.n}
	if arrow < 0 {
		t.props = 2
		c.root = t
		c.stack = []*tnode{t}
		return
	}
	if c.label != "" && c.labelAt < arrow {
		t.label = c.label
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

// parseHeader parses a node line ("Seq Scan on t  (cost=...) (actual
// ...)") into its JSON keys; ok is false when it is not a node line.
func parseHeader(s string) (object, bool) {
	s = strings.TrimRight(s, " ")
	o := make(object, 0, 20)
	tail := make(object, 0, 4)
	if i := strings.LastIndex(s, " (actual "); i >= 0 && strings.HasSuffix(s, ")") {
		if m := actualFigures(s[i+len(" (actual ") : len(s)-1]); m != nil {
			if m[0] != "" {
				tail.add("Actual Startup Time", number(m[0]), 0)
				tail.add("Actual Total Time", number(m[1]), 0)
			}
			tail.add("Actual Rows", number(m[2]), 0)
			tail.add("Actual Loops", number(m[3]), 0)
			s = s[:i]
		}
	} else if r, ok := strings.CutSuffix(s, " (never executed)"); ok {
		tail.add("Actual Rows", number("0"), 0)
		tail.add("Actual Loops", number("0"), 0)
		s = r
	}
	cost := make(object, 0, 4)
	if i := strings.LastIndex(s, "(cost="); i >= 0 && strings.HasSuffix(s, ")") {
		if m := costFigures(s[i+len("(cost=") : len(s)-1]); m != nil {
			cost.add("Startup Cost", number(m[0]), 0)
			cost.add("Total Cost", number(m[1]), 0)
			cost.add("Plan Rows", number(m[2]), 0)
			cost.add("Plan Width", number(m[3]), 0)
			s = strings.TrimRight(s[:i], " ")
		}
	}
	parallel, async := false, false
	for {
		if r, ok := strings.CutPrefix(s, "Parallel "); ok {
			s, parallel = r, true
			continue
		}
		if r, ok := strings.CutPrefix(s, "Async "); ok {
			s, async = r, true
			continue
		}
		break
	}
	name, target := s, ""
	if i := strings.Index(s, " on "); i >= 0 {
		name, target = s[:i], s[i+4:]
	}
	head := make(object, 0, 4)
	typ := ""
	switch {
	case strings.HasPrefix(name, "Index Scan") || strings.HasPrefix(name, "Index Only Scan"):
		typ = "Index Scan"
		rest := strings.TrimPrefix(name, "Index Scan")
		if strings.HasPrefix(name, "Index Only Scan") {
			typ, rest = "Index Only Scan", strings.TrimPrefix(name, "Index Only Scan")
		}
		dir := "Forward"
		if r, ok := strings.CutPrefix(rest, " Backward"); ok {
			dir, rest = "Backward", r
		}
		idx, ok := strings.CutPrefix(rest, " using ")
		if !ok {
			return nil, false
		}
		head.add("Node Type", typ, 0)
		head.add("Scan Direction", dir, 0)
		head.add("Index Name", unquoteIdent(idx), 0)
	case name == "Bitmap Index Scan":
		typ = name
		head.add("Node Type", typ, 0)
		head.add("Index Name", unquoteIdent(target), 0)
		target = ""
	case reJoin.MatchString(name):
		m := reJoin.FindStringSubmatch(name)
		typ = m[1] + " Join"
		if m[1] == "Nested Loop" {
			typ = "Nested Loop"
		}
		jt := m[2]
		if jt == "" {
			jt = "Inner"
		}
		head.add("Node Type", typ, 0)
		head.add("Join Type", jt, 0)
	case name == "Nested Loop":
		typ = name
		head.add("Node Type", typ, 0)
		head.add("Join Type", "Inner", 0)
	case reAgg.MatchString(name):
		m := reAgg.FindStringSubmatch(name)
		typ = "Aggregate"
		strategy := map[string]string{"Aggregate": "Plain", "GroupAggregate": "Sorted", "HashAggregate": "Hashed", "MixedAggregate": "Mixed"}[m[2]]
		mode := m[1]
		if mode == "" {
			mode = "Simple"
		}
		head.add("Node Type", typ, 0)
		head.add("Strategy", strategy, 0)
		head.add("Partial Mode", mode, 0)
	case reSetOp.MatchString(name):
		m := reSetOp.FindStringSubmatch(name)
		typ = "SetOp"
		strategy := "Sorted"
		if m[1] == "HashSetOp" {
			strategy = "Hashed"
		}
		head.add("Node Type", typ, 0)
		head.add("Strategy", strategy, 0)
		head.add("Command", m[2], 0)
	case name == "Insert" || name == "Update" || name == "Delete" || name == "Merge":
		typ = "ModifyTable"
		head.add("Node Type", typ, 0)
		head.add("Operation", name, 0)
	case strings.HasPrefix(name, "Foreign ") && name != "Foreign Scan":
		typ = "Foreign Scan"
		head.add("Node Type", typ, 0)
		head.add("Operation", strings.TrimPrefix(name, "Foreign "), 0)
	case strings.HasPrefix(name, "Custom Scan (") && strings.HasSuffix(name, ")"):
		typ = "Custom Scan"
		head.add("Node Type", typ, 0)
		head.add("Custom Plan Provider", name[len("Custom Scan ("):len(name)-1], 0)
	default:
		if _, ok := scanTargets[name]; ok {
			typ = name
		} else if t, ok := plainNodes[name]; ok {
			typ = t
		} else {
			return nil, false
		}
		head.add("Node Type", typ, 0)
		if typ == "Foreign Scan" {
			head.add("Operation", "Select", 0)
		}
	}
	o = append(o, head...)
	o.add("Parallel Aware", parallel, 0)
	o.add("Async Capable", async, 0)
	if target != "" {
		key, ok := scanTargets[typ]
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
			o.add(key, obj, 0)
			if schema != "" {
				o.add("Schema", schema, 0)
			}
		}
		o.add("Alias", alias, 0)
	}
	o = append(o, cost...)
	o = append(o, tail...)
	return o, true
}

// actualFigures reads "time=S..T rows=R loops=L" (time optional) into
// S, T, R, L; nil when it is not that.
func actualFigures(s string) []string {
	var start, end string
	if t, ok := strings.CutPrefix(s, "time="); ok {
		span, rest, ok := strings.Cut(t, " ")
		if !ok {
			return nil
		}
		if start, end, ok = strings.Cut(span, ".."); !ok || !isNumber(start) || !isNumber(end) {
			return nil
		}
		s = rest
	}
	r, ok := strings.CutPrefix(s, "rows=")
	if !ok {
		return nil
	}
	rows, loops, ok := strings.Cut(r, " loops=")
	if !ok || !isNumber(rows) || !isNumber(loops) {
		return nil
	}
	return []string{start, end, rows, loops}
}

// costFigures reads "A..B rows=R width=W".
func costFigures(s string) []string {
	span, rest, ok := strings.Cut(s, " rows=")
	if !ok {
		return nil
	}
	a, b, ok := strings.Cut(span, "..")
	rows, width, ok2 := strings.Cut(rest, " width=")
	if !ok || !ok2 || !isNumber(a) || !isNumber(b) || !isNumber(rows) || !isNumber(width) {
		return nil
	}
	return []string{a, b, rows, width}
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
	target := &t.obj
	if m := workerLine(s); m != nil && l.indent == t.props {
		num, _ := strconv.Atoi(m[1])
		var w *tworker
		for _, x := range t.workers {
			if x.num == num {
				w = x
			}
		}
		if w == nil {
			w = &tworker{num: num}
			w.obj.add("Worker Number", number(m[1]), l.n)
			t.workers = append(t.workers, w)
		}
		t.open = w
		if m[2] == "" {
			return
		}
		s = m[2]
		target = &w.obj
	} else if l.indent > t.props && t.open != nil {
		target = &t.open.obj
	} else if l.indent == t.props {
		t.open = nil
	}
	if r, ok := strings.CutPrefix(s, "actual "); ok {
		if m := actualFigures(r); m != nil {
			if m[0] != "" {
				target.add("Actual Startup Time", number(m[0]), l.n)
				target.add("Actual Total Time", number(m[1]), l.n)
			}
			target.add("Actual Rows", number(m[2]), l.n)
			target.add("Actual Loops", number(m[3]), l.n)
			return
		}
	}
	propLine(target, s, l.n)
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

// propLine reads one "Label: value" line into o, expanding the lines that
// pack several JSON keys.
func propLine(o *object, s string, n int) {
	label, value, ok := strings.Cut(s, ":")
	value = strings.TrimPrefix(value, " ")
	if !ok || !isPropLabel(label) {
		// ModifyTable target lines ("Update on t1") and the like.
		return
	}
	switch label {
	case "Sort Method":
		if m := reSortMethod.FindStringSubmatch(s); m != nil {
			o.add("Sort Method", m[1], n)
			o.add("Sort Space Used", number(m[3]), n)
			o.add("Sort Space Type", m[2], n)
			return
		}
	case "Buckets":
		if m := reBuckets.FindStringSubmatch(s); m != nil {
			ob, obt := m[2], m[4]
			if ob == "" {
				ob = m[1]
			}
			if obt == "" {
				obt = m[3]
			}
			o.add("Hash Buckets", number(m[1]), n)
			o.add("Original Hash Buckets", number(ob), n)
			o.add("Hash Batches", number(m[3]), n)
			o.add("Original Hash Batches", number(obt), n)
			o.add("Peak Memory Usage", number(m[5]), n)
			return
		}
	case "Planned Partitions", "Batches":
		for _, part := range strings.Split(s, "  ") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), ": ")
			v = strings.TrimSuffix(v, "kB")
			switch k {
			case "Planned Partitions":
				o.add(k, number(v), n)
			case "Batches":
				o.add("HashAgg Batches", number(v), n)
			case "Memory Usage":
				o.add("Peak Memory Usage", number(v), n)
			case "Disk Usage":
				o.add("Disk Usage", number(v), n)
			}
		}
		return
	case "Hits":
		keys := map[string]string{"Hits": "Cache Hits", "Misses": "Cache Misses", "Evictions": "Cache Evictions",
			"Overflows": "Cache Overflows", "Memory Usage": "Peak Memory Usage"}
		for _, part := range strings.Split(s, "  ") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), ": ")
			if key, ok := keys[k]; ok {
				o.add(key, number(strings.TrimSuffix(v, "kB")), n)
			}
		}
		return
	case "Storage":
		st, rest, _ := strings.Cut(value, "  Maximum Storage: ")
		o.add("Storage", st, n)
		if rest != "" {
			o.add("Maximum Storage", number(strings.TrimSuffix(rest, "kB")), n)
		}
		return
	case "Heap Blocks":
		for _, m := range reKV.FindAllStringSubmatch(value, -1) {
			switch m[1] {
			case "exact":
				o.add("Exact Heap Blocks", number(m[2]), n)
			case "lossy":
				o.add("Lossy Heap Blocks", number(m[2]), n)
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
				o.add("WAL Records", number(m[2]), n)
			case "fpi":
				o.add("WAL FPI", number(m[2]), n)
			case "bytes":
				o.add("WAL Bytes", number(m[2]), n)
			case "buffers full":
				o.add("WAL Buffers Full", number(m[2]), n)
			}
		}
		return
	case "Memory":
		for _, m := range regexp.MustCompile(`(used|allocated)=(\d+)kB`).FindAllStringSubmatch(value, -1) {
			if m[1] == "used" {
				o.add("Memory Used", number(m[2]), n)
			} else {
				o.add("Memory Allocated", number(m[2]), n)
			}
		}
		return
	case "Tuples":
		for _, m := range reKV.FindAllStringSubmatch(value, -1) {
			o.add("Tuples "+strings.ToUpper(m[1][:1])+m[1][1:], number(m[2]), n)
		}
		return
	}
	switch {
	case listKeys[label]:
		items := splitList(value)
		arr := make([]any, len(items))
		for i, it := range items {
			arr[i] = it
		}
		o.add(label, arr, n)
	case numberKeys[label]:
		o.add(label, number(strings.TrimSuffix(value, " ms")), n)
	case boolKeys[label]:
		o.add(label, value == "true", n)
	default:
		o.add(label, value, n)
	}
}

// bufferLine reads "shared hit=1 read=2, local ..., temp read=3 written=4".
func bufferLine(o *object, value string, n int) {
	for _, part := range strings.Split(value, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		kind := strings.ToUpper(fields[0][:1]) + fields[0][1:]
		for _, kv := range fields[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				continue
			}
			o.add(kind+" "+strings.ToUpper(k[:1])+k[1:]+" Blocks", number(v), n)
		}
	}
}

// ioLine reads I/O timings of every PostgreSQL version: "read=1 write=2"
// (12-14), "shared/local read=1, temp read=2" (15), "shared read=1 write=2,
// local ..., temp ..." (16+).
func ioLine(o *object, value string, n int) {
	for _, part := range strings.Split(value, ",") {
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
			op := "Read"
			if k == "write" {
				op = "Write"
			}
			o.add(kind+" I/O "+op+" Time", number(v), n)
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
	top := object{{key: "Plan", val: c.root.toObject(), line: c.root.line}}
	if len(c.query) > 0 {
		top = append(object{{key: "Query Text", val: strings.TrimSpace(strings.Join(c.query, "\n"))}}, top...)
	}
	top = append(top, c.top...)
	plan := buildPlan(top)
	plan.File, plan.Line, plan.Format = p.file, c.line, "text"
	p.plans = append(p.plans, plan)
}

// toObject converts a text node into the JSON shape, inferring each
// child's "Parent Relationship" as explain.c assigns it.
func (t *tnode) toObject() object {
	o := t.obj
	if len(t.workers) > 0 {
		arr := make([]any, len(t.workers))
		for i, w := range t.workers {
			arr[i] = w.obj
		}
		o = append(o, field{key: "Workers", val: arr, line: t.line})
	}
	if len(t.children) > 0 {
		typ, _ := t.obj.get("Node Type")
		member := map[string]bool{"Append": true, "Merge Append": true, "BitmapAnd": true, "BitmapOr": true}[asString(typ)]
		plain := 0
		arr := make([]any, 0, len(t.children))
		for _, c := range t.children {
			rel := ""
			switch {
			case strings.HasPrefix(c.label, "SubPlan"):
				rel = "SubPlan"
			case c.label != "":
				rel = "InitPlan"
			case member:
				rel = "Member"
			case asString(typ) == "Subquery Scan":
				rel = "Subquery"
			case asString(typ) == "Custom Scan":
				rel = "child"
			case plain == 0:
				rel, plain = "Outer", 1
			default:
				rel = "Inner"
			}
			co := c.toObject()
			extra := object{{key: "Parent Relationship", val: rel, line: c.line}}
			if c.label != "" {
				extra.add("Subplan Name", c.label, c.line)
			}
			// Keep "Node Type" first so the node's line is its header.
			co = append(append(co[:1:1], extra...), co[1:]...)
			arr = append(arr, co)
		}
		o = append(o, field{key: "Plans", val: arr, line: t.line})
	}
	return o
}
