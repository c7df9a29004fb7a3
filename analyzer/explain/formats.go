package explain

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lineIndex maps byte offsets of a text to 1-based lines.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (l lineIndex) line(off int64) int {
	return sort.Search(len(l), func(i int) bool { return int64(l[i]) > off })
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 10000

// decodeJSON reads every JSON value of data (PostgreSQL writes an array of
// one object per statement) into generic values.
func decodeJSON(data []byte, base int) ([]any, error) {
	sc := &jsonScanner{data: data, line: base + 1}
	var out []any
	for {
		v, err := sc.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := sc.line
			var je *jsonError
			if errors.As(err, &je) {
				line = je.line
			}
			return out, &Error{Line: line, Msg: "invalid JSON plan: " + err.Error()}
		}
		out = append(out, v)
	}
}

// decodeYAML reads PostgreSQL's FORMAT YAML output.
func decodeYAML(data []byte, base int) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []any
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, &Error{Line: base + 1, Msg: "invalid YAML plan: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		}
		v, err := yamlValue(&doc, base, 0)
		if err != nil {
			return out, &Error{Line: base + doc.Line, Msg: "invalid YAML plan: " + err.Error()}
		}
		out = append(out, v)
	}
}

func yamlValue(n *yaml.Node, base, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d", maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, fmt.Errorf("empty document")
		}
		return yamlValue(n.Content[0], base, depth+1)
	case yaml.SequenceNode:
		arr := []any{}
		for _, c := range n.Content {
			v, err := yamlValue(c, base, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.MappingNode:
		var o object
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlValue(n.Content[i+1], base, depth+1)
			if err != nil {
				return nil, err
			}
			o.add(n.Content[i].Value, v, base+n.Content[i].Line)
		}
		return o, nil
	case yaml.ScalarNode:
		// PostgreSQL quotes every string and leaves numbers and booleans
		// plain, so the style tells the type.
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			return n.Value, nil
		}
		switch n.Value {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		if isNumber(n.Value) {
			return number(n.Value), nil
		}
		return n.Value, nil
	case yaml.AliasNode:
		return nil, fmt.Errorf("YAML aliases are not part of EXPLAIN output")
	}
	return nil, fmt.Errorf("unexpected YAML node")
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	digits := false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+':
			if i != 0 && s[i-1] != 'e' && s[i-1] != 'E' {
				return false
			}
		case c == '.' || c == 'e' || c == 'E':
		default:
			return false
		}
	}
	return digits
}

// xmlKeys maps PostgreSQL's XML tag names back to JSON keys: explain.c
// replaces every character other than letters, digits, '-', '_' and '.'
// by '-', so "I/O Read Time" becomes "I-O-Read-Time".
var xmlKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range knownKeys {
		m[xmlTag(k)] = k
	}
	return m
}()

func xmlTag(key string) string {
	b := []byte(key)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '-'
		}
	}
	return string(b)
}

// xmlArrays are the groups that hold repeated elements in XML: <Plans>
// holds <Plan>s, <Workers> holds <Worker>s, and lists hold <Item>s.
var xmlArrays = map[string]bool{
	"Plans": true, "Workers": true, "Triggers": true, "Output": true, "Sort-Key": true,
	"Group-Key": true, "Presorted-Key": true, "Hash-Key": true, "Conflict-Arbiter-Indexes": true,
	"Sampling-Parameters": true, "Sort-Methods-Used": true, "Grouping-Sets": true,
	"Group-Keys": true, "Hash-Keys": true, "Target-Tables": true,
}

type xmlElem struct {
	name     string
	text     strings.Builder
	children []*xmlElem
	line     int
}

// decodeXML reads PostgreSQL's FORMAT XML output.
func decodeXML(data []byte, base int) ([]any, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	lines := newLineIndex(data)
	var stack []*xmlElem
	var out []any
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return out, &Error{Line: lines.line(off) + base, Msg: fmt.Sprintf("invalid XML plan: <%s> is not closed", stack[len(stack)-1].name)}
			}
			return out, nil
		}
		if err != nil {
			return out, &Error{Line: lines.line(dec.InputOffset()) + base, Msg: "invalid XML plan: " + strings.TrimPrefix(err.Error(), "XML syntax error on line ")}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxDepth {
				return out, &Error{Line: lines.line(off) + base, Msg: "invalid XML plan: nesting too deep"}
			}
			e := &xmlElem{name: t.Name.Local, line: lines.line(off) + base}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			}
			stack = append(stack, e)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				// <explain> holds one <Query> per statement.
				if e.name == "Query" {
					out = append(out, xmlValue(e, false))
				} else {
					for _, q := range e.children {
						out = append(out, xmlValue(q, false))
					}
				}
			}
		}
	}
}

func xmlValue(e *xmlElem, array bool) any {
	if array || xmlArrays[e.name] {
		arr := []any{}
		for _, c := range e.children {
			arr = append(arr, xmlValue(c, false))
		}
		if len(e.children) == 0 && strings.TrimSpace(e.text.String()) != "" {
			arr = append(arr, e.text.String())
		}
		return arr
	}
	if len(e.children) == 0 {
		s := e.text.String()
		switch s {
		case "true":
			return true
		case "false":
			return false
		}
		if isNumber(s) && !textKeys[xmlKeyName(e.name)] {
			return number(s)
		}
		return s
	}
	var o object
	for _, c := range e.children {
		o.add(xmlKeyName(c.name), xmlValue(c, false), c.line)
	}
	return o
}

func xmlKeyName(tag string) string {
	if k, ok := xmlKeys[tag]; ok {
		return k
	}
	return strings.ReplaceAll(tag, "-", " ")
}

// textKeys are keys whose values are always text, even when they look
// like numbers (a filter "1", an alias "1").
var textKeys = map[string]bool{
	"Filter": true, "Index Cond": true, "Recheck Cond": true, "Join Filter": true, "Hash Cond": true,
	"Merge Cond": true, "One-Time Filter": true, "Alias": true, "Relation Name": true, "Index Name": true,
	"Subplan Name": true, "Query Text": true, "Cache Key": true, "Order By": true, "TID Cond": true,
}

// knownKeys lists PostgreSQL's EXPLAIN keys, for the XML tag mapping.
var knownKeys = []string{
	"Plan", "Plans", "Node Type", "Strategy", "Partial Mode", "Operation", "Parent Relationship",
	"Subplan Name", "Custom Plan Provider", "Parallel Aware", "Async Capable", "Join Type", "Command",
	"Scan Direction", "Index Name", "Relation Name", "Function Name", "Table Function Name", "CTE Name",
	"Tuplestore Name", "Schema", "Alias", "Startup Cost", "Total Cost", "Plan Rows", "Plan Width",
	"Actual Startup Time", "Actual Total Time", "Actual Rows", "Actual Loops", "Disabled", "Output",
	"Inner Unique", "Index Cond", "Recheck Cond", "Order By", "Filter", "Join Filter", "Hash Cond",
	"Merge Cond", "One-Time Filter", "TID Cond", "Run Condition", "Rows Removed by Filter",
	"Rows Removed by Join Filter", "Rows Removed by Index Recheck", "Rows Removed by Conflict Filter",
	"Heap Fetches", "Index Searches", "Sort Key", "Presorted Key", "Group Key", "Hash Key", "Sort Method",
	"Sort Space Used", "Sort Space Type", "Hash Buckets", "Original Hash Buckets", "Hash Batches",
	"Original Hash Batches", "Peak Memory Usage", "Planned Partitions", "HashAgg Batches", "Disk Usage",
	"Workers Planned", "Workers Launched", "Single Copy", "Subplans Removed", "Workers", "Worker",
	"Worker Number", "Exact Heap Blocks", "Lossy Heap Blocks", "Cache Key", "Cache Mode", "Cache Hits",
	"Cache Misses", "Cache Evictions", "Cache Overflows", "Storage", "Maximum Storage", "Window",
	"Shared Hit Blocks", "Shared Read Blocks", "Shared Dirtied Blocks", "Shared Written Blocks",
	"Local Hit Blocks", "Local Read Blocks", "Local Dirtied Blocks", "Local Written Blocks",
	"Temp Read Blocks", "Temp Written Blocks", "I/O Read Time", "I/O Write Time", "Shared I/O Read Time",
	"Shared I/O Write Time", "Local I/O Read Time", "Local I/O Write Time", "Temp I/O Read Time",
	"Temp I/O Write Time", "WAL Records", "WAL FPI", "WAL Bytes", "WAL Buffers Full", "Planning",
	"Planning Time", "Execution Time", "Triggers", "Trigger", "Trigger Name", "Constraint Name",
	"Relation", "Time", "Calls", "JIT", "Functions", "Options", "Inlining", "Optimization",
	"Expressions", "Deforming", "Timing", "Generation", "Deform", "Emission", "Total", "Settings",
	"Query Identifier", "Query Text", "Query Parameters", "Memory Used", "Memory Allocated",
	"Serialization", "Output Volume", "Format", "Conflict Resolution", "Conflict Arbiter Indexes",
	"Conflict Filter", "Tuples Inserted", "Conflicting Tuples", "Tuples Updated", "Tuples Deleted",
	"Tuples Skipped", "Function Call", "Table Function Call", "Sampling Method", "Sampling Parameters",
	"Repeatable Seed", "Full-sort Groups", "Pre-sorted Groups", "Group Count", "Sort Methods Used",
	"Sort Space Memory", "Sort Space Disk", "Average Sort Space Used", "Peak Sort Space Used",
	"Grouping Sets", "Group Keys", "Hash Keys", "Target Tables", "Remote SQL", "Relations",
}
