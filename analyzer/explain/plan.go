// Package explain reads PostgreSQL EXPLAIN output of every format (text,
// JSON, YAML, XML, auto_explain) into one plan tree.
package explain

// Plan is one EXPLAIN output.
type Plan struct {
	// File and Line locate the plan in its input.
	File string
	Line int
	// Query is the statement text when known (auto_explain, --query).
	Query string
	Root  *Node
}

// Node is one plan node.
type Node struct {
	Type     string
	Children []*Node
}
