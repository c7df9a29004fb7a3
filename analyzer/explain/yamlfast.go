package explain

import (
	"bytes"
	"encoding/json"
)

// decodeYAMLFast reads PostgreSQL's FORMAT YAML output like decodeYAML,
// but line by line and filling plan nodes directly: yaml.v3 takes about a
// second for 10,000 nodes. It handles block mappings and sequences with
// space indentation, double-quoted strings (PostgreSQL escapes them as
// JSON) and plain scalars, and returns errNotPlain for anything else
// (flow collections, single quotes, anchors, tags, comments, block
// scalars, several documents, multi-line scalars, tabs).
func decodeYAMLFast(data []byte, base int) ([]any, error) {
	s := &yamlScanner{data: data, line: base}
	s.advance()
	if s.err != nil {
		return nil, s.err
	}
	if s.eof {
		return nil, nil
	}
	var v any
	var err error
	if isDash(s.text) {
		v, err = s.sequence(s.indent, 0, true)
	} else {
		v, err = s.mapping(s.indent, 0, true)
	}
	if err == nil && (!s.eof || s.err != nil) {
		err = errNotPlain
	}
	if err != nil {
		return nil, err
	}
	return []any{v}, nil
}

// yamlScanner holds the current line of the input: its indentation and
// its text after it, without trailing spaces. Blank lines are skipped.
type yamlScanner struct {
	slab   slab[Node]
	data   []byte
	next   int // offset of the line after the current one
	line   int // number of the current line
	indent int
	text   []byte
	eof    bool
	err    error
}

// advance moves to the next non-blank line.
func (s *yamlScanner) advance() {
	for {
		if s.next >= len(s.data) || s.err != nil {
			s.eof, s.text, s.indent = true, nil, -1
			return
		}
		start := s.next
		end := bytes.IndexByte(s.data[start:], '\n')
		if end < 0 {
			end = len(s.data)
		} else {
			end += start
		}
		s.next = end + 1
		s.line++
		l := s.data[start:end]
		i := 0
		for i < len(l) && l[i] == ' ' {
			i++
		}
		rest := bytes.TrimRight(l[i:], " \r")
		if len(rest) == 0 {
			continue
		}
		switch {
		case rest[0] == '\t' || rest[0] == '#' || i == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))):
			s.err, s.eof, s.text = errNotPlain, true, nil
			return
		}
		s.indent, s.text = i, rest
		return
	}
}

// isDash reports whether a line is a sequence item.
func isDash(text []byte) bool {
	return len(text) > 0 && text[0] == '-' && (len(text) == 1 || text[1] == ' ')
}

// splitKey splits "Key: value" or "Key:"; ok is false for other lines.
func splitKey(text []byte) (key, value []byte, ok bool) {
	if len(text) == 0 || !plainStart(text[0]) || text[0] == '-' {
		return nil, nil, false
	}
	i := bytes.Index(text, []byte(": "))
	switch {
	case i >= 0:
		key, value = text[:i], bytes.TrimLeft(text[i+2:], " ")
	case text[len(text)-1] == ':':
		key = text[:len(text)-1]
	default:
		return nil, nil, false
	}
	if len(key) == 0 || bytes.ContainsAny(key, "\"'#") || key[len(key)-1] == ' ' {
		return nil, nil, false
	}
	return key, value, true
}

// plainStart reports whether c may start a plain scalar or key.
func plainStart(c byte) bool {
	switch c {
	case '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '#', ',', '?', ':':
		return false
	}
	return true
}

// internKey returns the interned copy of a known key.
func internKey(key []byte) (string, keyID) {
	if k, ok := internedTable.get(key); ok {
		return k.name, k.id
	}
	k := string(key)
	return k, keyIDs[k]
}

// scalarText reads a scalar value: quoted reports a double-quoted one.
func scalarText(v []byte) (text string, quoted bool, err error) {
	if v[0] == '"' {
		if len(v) < 2 || v[len(v)-1] != '"' {
			return "", false, errNotPlain
		}
		inner := v[1 : len(v)-1]
		if bytes.IndexByte(inner, '\\') < 0 {
			if bytes.IndexByte(inner, '"') >= 0 {
				return "", false, errNotPlain
			}
			if s, ok := values[string(inner)]; ok {
				return s, true, nil
			}
			return string(inner), true, nil
		}
		// PostgreSQL escapes YAML strings as JSON ones.
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false, errNotPlain
		}
		return s, true, nil
	}
	if !plainStart(v[0]) || isDash(v) || bytes.Contains(v, []byte(" #")) || bytes.Contains(v, []byte(": ")) || v[len(v)-1] == ':' {
		return "", false, errNotPlain
	}
	return string(v), false, nil
}

// scalar reads an inline value as a node's scalar.
func (s *yamlScanner) scalar(v []byte) (scalar, error) {
	if v[0] != '"' {
		switch string(v) {
		case "true":
			return boolValue(true), nil
		case "false":
			return boolValue(false), nil
		}
		if f, ok := simpleNumber(bytesString(v)); ok {
			return floatText(f, v), nil
		}
	}
	text, quoted, err := scalarText(v)
	if err != nil {
		return scalar{}, err
	}
	if !quoted && isNumber(text) {
		return numberValue(text), nil
	}
	return textValue(text), nil
}

// generic reads an inline value as decodeYAML does.
func (s *yamlScanner) generic(v []byte) (any, error) {
	text, quoted, err := scalarText(v)
	if err != nil || quoted {
		return text, err
	}
	switch text {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	if isNumber(text) {
		return number(text), nil
	}
	return text, nil
}

// block reads the value nested under a key at indent keyIndent: a
// mapping or sequence on the next lines, or nothing ("", as decodeYAML
// gives for null).
func (s *yamlScanner) block(keyIndent, depth int) (any, error) {
	switch {
	case s.eof || s.indent < keyIndent:
		return "", nil
	case isDash(s.text):
		if s.indent < keyIndent {
			return "", nil
		}
		return s.sequence(s.indent, depth+1, false)
	case s.indent == keyIndent:
		return "", nil
	}
	return s.mapping(s.indent, depth+1, false)
}

// mapping reads the keys at indent; top is true for a plan's top level,
// whose "Plan" is read into a Node.
func (s *yamlScanner) mapping(indent, depth int, top bool) (object, error) {
	if depth > maxDepth {
		return nil, errNotPlain
	}
	var o object
	for !s.eof && s.indent == indent && !isDash(s.text) {
		k, val, ok := splitKey(s.text)
		if !ok {
			return nil, errNotPlain
		}
		key, _ := internKey(k)
		line := s.line
		s.advance()
		var v any
		var err error
		switch {
		case len(val) > 0:
			v, err = s.generic(val)
		case top && key == "Plan" && !s.eof && s.indent > indent && !isDash(s.text):
			v, err = s.node(s.indent, depth+1)
		default:
			v, err = s.block(indent, depth)
		}
		if err != nil {
			return nil, err
		}
		o = append(o, field{key: key, val: v, line: line})
	}
	if !s.eof && s.indent > indent {
		return nil, errNotPlain
	}
	return o, nil
}

// item moves into a sequence item: the line's text after "- " becomes a
// line of its own, indented where it starts.
func (s *yamlScanner) item(indent int) bool {
	rest := s.text[1:]
	n := 0
	for n < len(rest) && rest[n] == ' ' {
		n++
	}
	if n == len(rest) {
		s.advance()
		return false
	}
	s.indent, s.text = indent+1+n, rest[n:]
	return true
}

// sequence reads the items at indent; top is true for the list of plans.
func (s *yamlScanner) sequence(indent, depth int, top bool) ([]any, error) {
	if depth > maxDepth {
		return nil, errNotPlain
	}
	arr := []any{}
	for !s.eof && s.indent == indent && isDash(s.text) {
		var v any
		var err error
		if !s.item(indent) {
			v, err = s.block(indent+1, depth)
		} else if _, _, ok := splitKey(s.text); ok {
			v, err = s.mapping(s.indent, depth+1, top)
		} else {
			v, err = s.generic(s.text)
			s.advance()
		}
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	return arr, nil
}

// nodes reads the items of "Plans" at indent into nodes; items that are
// not mappings are dropped, as decodeYAML's reader does.
func (s *yamlScanner) nodes(indent, depth int) ([]*Node, error) {
	var out []*Node
	for !s.eof && s.indent == indent && isDash(s.text) {
		var err error
		switch {
		case !s.item(indent):
			_, err = s.block(indent+1, depth)
		default:
			if _, _, ok := splitKey(s.text); ok {
				var n *Node
				if n, err = s.node(s.indent, depth+1); err == nil {
					out = append(out, n)
				}
			} else {
				_, err = s.generic(s.text)
				s.advance()
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// node reads the keys at indent into a Node.
func (s *yamlScanner) node(indent, depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, errNotPlain
	}
	n := s.slab.alloc()
	first := true
	for !s.eof && s.indent == indent && !isDash(s.text) {
		k, val, ok := splitKey(s.text)
		if !ok {
			return nil, errNotPlain
		}
		key, id := internKey(k)
		line := s.line
		if first {
			n.Line, first = line, false
		}
		s.advance()
		switch {
		case len(val) > 0:
			v, err := s.scalar(val)
			if err != nil {
				return nil, err
			}
			n.scalarKey(id, key, v)
		case key == "Plans" && !s.eof && s.indent >= indent && isDash(s.text):
			kids, err := s.nodes(s.indent, depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, kids...)
		default:
			v, err := s.block(indent, depth)
			if err != nil {
				return nil, err
			}
			n.set(key, v, line)
		}
	}
	if !s.eof && s.indent > indent {
		return nil, errNotPlain
	}
	return n, nil
}
