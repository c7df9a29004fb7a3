package explain

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// jsonScanner reads JSON into generic values keeping key order and each
// key's line. encoding/json's token API is several times slower, and a
// 10,000-node plan must parse in well under 100 ms.
type jsonScanner struct {
	slab slab[Node]
	data []byte
	pos  int
	line int
}

type jsonError struct {
	line int
	msg  string
}

func (e *jsonError) Error() string { return e.msg }

func (s *jsonScanner) fail(format string, args ...any) error {
	return &jsonError{line: s.line, msg: fmt.Sprintf(format, args...)}
}

func (s *jsonScanner) skip() { s.pos, s.line = skipSpace(s.data, s.pos, s.line) }

// skipSpace passes the white space of data from pos, counting lines, and
// returns the new position and line.
func skipSpace(data []byte, pos, line int) (int, int) {
	for pos < len(data) {
		switch data[pos] {
		case ' ', '\t', '\r':
			pos++
		case '\n':
			line++
			pos++
			// PostgreSQL indents deep plans by many spaces: pass them
			// eight at a time.
			for pos+8 <= len(data) && binary.LittleEndian.Uint64(data[pos:]) == 0x2020202020202020 {
				pos += 8
			}
		default:
			return pos, line
		}
	}
	return pos, line
}

// next reads the next top-level value; io.EOF at the end of the input.
func (s *jsonScanner) next() (any, error) {
	s.skip()
	if s.pos >= len(s.data) {
		return nil, io.EOF
	}
	return s.value(0)
}

func (s *jsonScanner) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, s.fail("nesting deeper than %d", maxDepth)
	}
	s.skip()
	if s.pos >= len(s.data) {
		return nil, s.fail("unexpected end of input")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		s.pos++
		var o object
		for {
			s.skip()
			if s.pos < len(s.data) && s.data[s.pos] == '}' {
				s.pos++
				return o, nil
			}
			if len(o) > 0 {
				if s.pos >= len(s.data) || s.data[s.pos] != ',' {
					return nil, s.fail("expected , or } in object")
				}
				s.pos++
				s.skip()
			}
			line := s.line
			key, _, err := s.fieldKey()
			if err != nil {
				return nil, err
			}
			var v any
			if key == "Plan" && s.peek() == '{' {
				v, err = s.node(depth + 1)
			} else {
				v, err = s.value(depth + 1)
			}
			if err != nil {
				return nil, err
			}
			o = append(o, field{key: key, val: v, line: line})
		}
	case c == '[':
		s.pos++
		arr := []any{}
		for {
			s.skip()
			if s.pos < len(s.data) && s.data[s.pos] == ']' {
				s.pos++
				return arr, nil
			}
			if len(arr) > 0 {
				if s.pos >= len(s.data) || s.data[s.pos] != ',' {
					return nil, s.fail("expected , or ] in array")
				}
				s.pos++
			}
			v, err := s.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case c == '"':
		return s.str()
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(string(s.data[s.pos:min(len(s.data), s.pos+5)]), lit) {
				s.pos += len(lit)
				switch lit {
				case "true":
					return true, nil
				case "false":
					return false, nil
				}
				return "", nil
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		start := s.pos
		s.numberEnd()
		num := string(s.data[start:s.pos])
		if !isNumber(num) {
			return nil, s.fail("invalid number %q", num)
		}
		return number(num), nil
	}
	return nil, s.fail("unexpected character %q", s.data[s.pos])
}

// peek returns the next character after white space, 0 at the end.
func (s *jsonScanner) peek() byte {
	s.skip()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// numberEnd moves past the characters of a number.
func (s *jsonScanner) numberEnd() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '+', '-', '.', 'e', 'E', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			s.pos++
			continue
		}
		return
	}
}

// fieldKey reads an object key and the colon after it.
func (s *jsonScanner) fieldKey() (string, keyID, error) {
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return "", kNone, s.fail("expected a string key in object")
	}
	key, id, err := s.key()
	if err != nil {
		return "", kNone, err
	}
	s.skip()
	if s.pos >= len(s.data) || s.data[s.pos] != ':' {
		return "", kNone, s.fail("expected : after object key")
	}
	s.pos++
	return key, id, nil
}

// node reads a plan node object straight into a Node: building generic
// objects first would allocate for every key and figure, and a plan can
// have tens of thousands of nodes.
func (s *jsonScanner) node(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, s.fail("nesting deeper than %d", maxDepth)
	}
	if s.peek() != '{' {
		return nil, s.fail("expected a plan node object")
	}
	s.pos++
	n := s.slab.alloc()
	for first := true; ; first = false {
		if s.peek() == '}' {
			s.pos++
			return n, nil
		}
		if !first {
			if s.peek() != ',' {
				return nil, s.fail("expected , or } in object")
			}
			s.pos++
			s.skip()
		}
		line := s.line
		if first {
			n.Line = line
		}
		key, id, err := s.fieldKey()
		if err != nil {
			return nil, err
		}
		switch c := s.peek(); {
		case key == "Plans" && c == '[':
			kids, err := s.nodes(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, kids...)
		case c == '"':
			str, err := s.strValue()
			if err != nil {
				return nil, err
			}
			n.scalarKey(id, key, textValue(str))
		case c == '-' || c >= '0' && c <= '9':
			start := s.pos
			s.numberEnd()
			var f float64
			if !parseNumber(bytesString(s.data[start:s.pos]), &f) {
				return nil, s.fail("invalid number %q", s.data[start:s.pos])
			}
			n.scalarKey(id, key, floatText(f, s.data[start:s.pos]))
		default:
			v, err := s.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.set(key, v, line)
		}
	}
}

// nodes reads an array of plan nodes; elements that are not objects are
// skipped.
func (s *jsonScanner) nodes(depth int) ([]*Node, error) {
	s.pos++ // [
	var out []*Node
	for first := true; ; first = false {
		if s.peek() == ']' {
			s.pos++
			return out, nil
		}
		if !first {
			if s.peek() != ',' {
				return nil, s.fail("expected , or ] in array")
			}
			s.pos++
		}
		if s.peek() == '{' {
			n, err := s.node(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
			continue
		}
		if _, err := s.value(depth + 1); err != nil {
			return nil, err
		}
	}
}

// bytesString converts b for a call that does not keep the string (the
// compiler then does not copy it).
func bytesString(b []byte) string { return string(b) }

// values holds the strings PostgreSQL repeats in every node (node types,
// relationships, strategies), so that reading them allocates nothing.
var values = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{
		"Outer", "Inner", "Member", "Subquery", "InitPlan", "SubPlan", "Forward", "Backward", "NoMovement",
		"Plain", "Sorted", "Hashed", "Mixed", "Simple", "Partial", "Finalize", "Left", "Full", "Right",
		"Semi", "Anti", "Right Semi", "Right Anti", "Memory", "Disk", "quicksort", "top-N heapsort",
		"external merge", "external sort", "public", "Insert", "Update", "Delete", "Merge", "Select",
		"Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan", "Hash Join", "Merge Join",
		"Aggregate", "SetOp", "ModifyTable", "CTE Scan", "WorkTable Scan", "Named Tuplestore Scan",
	} {
		m[v] = v
	}
	for _, v := range plainNodes {
		m[v] = v
	}
	return m
}()

// strValue reads a string value, reusing the copy of common ones.
func (s *jsonScanner) strValue() (string, error) {
	if end := bytes.IndexByte(s.data[s.pos+1:], '"'); end >= 0 && end <= 24 {
		if v, ok := values[string(s.data[s.pos+1:s.pos+1+end])]; ok {
			s.pos += end + 2
			return v, nil
		}
	}
	return s.str()
}

// internedKey is one of PostgreSQL's keys and its ID.
type internedKey struct {
	name string
	id   keyID
}

// interned holds PostgreSQL's keys, so that reading them allocates nothing.
var interned = func() map[string]internedKey {
	m := map[string]internedKey{}
	for _, k := range knownKeys {
		m[k] = internedKey{k, keyIDs[k]}
	}
	return m
}()

// internedTable is interned as a keyTable.
var internedTable = newKeyTable(interned)

// key reads an object key, reusing the interned copy of known keys; the
// ID is kNone for other keys.
func (s *jsonScanner) key() (string, keyID, error) {
	// No known key holds a backslash or a newline, so the text up to
	// the next quote is the key whenever it is a known one.
	if end := bytes.IndexByte(s.data[s.pos+1:], '"'); end >= 0 {
		if k, ok := internedTable.get(s.data[s.pos+1 : s.pos+1+end]); ok {
			s.pos += end + 2
			return k.name, k.id, nil
		}
	}
	k, err := s.str()
	return k, keyIDs[k], err
}

func (s *jsonScanner) str() (string, error) {
	if end := bytes.IndexByte(s.data[s.pos+1:], '"'); end >= 0 {
		raw := s.data[s.pos+1 : s.pos+1+end]
		if bytes.IndexByte(raw, '\\') < 0 && bytes.IndexByte(raw, '\n') < 0 {
			s.pos += end + 2
			return string(raw), nil
		}
	}
	start := s.pos
	s.pos++
	escaped := false
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			escaped = true
			s.pos += 2
			continue
		case '\n':
			return "", s.fail("newline in string")
		case '"':
			s.pos++
			raw := s.data[start:s.pos]
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var out string
			if err := json.Unmarshal(raw, &out); err != nil {
				return "", s.fail("invalid string: %v", err)
			}
			return out, nil
		}
		s.pos++
	}
	return "", s.fail("unterminated string")
}
