package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// jsonScanner reads JSON into generic values keeping key order and each
// key's line. encoding/json's token API is several times slower, and a
// 10,000-node plan must parse in well under 100 ms.
type jsonScanner struct {
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

func (s *jsonScanner) skip() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.pos++
	}
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
			if s.pos >= len(s.data) || s.data[s.pos] != '"' {
				return nil, s.fail("expected a string key in object")
			}
			key, err := s.key()
			if err != nil {
				return nil, err
			}
			s.skip()
			if s.pos >= len(s.data) || s.data[s.pos] != ':' {
				return nil, s.fail("expected : after object key")
			}
			s.pos++
			v, err := s.value(depth + 1)
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
		for s.pos < len(s.data) && strings.IndexByte("+-.eE0123456789", s.data[s.pos]) >= 0 {
			s.pos++
		}
		num := string(s.data[start:s.pos])
		if !isNumber(num) {
			return nil, s.fail("invalid number %q", num)
		}
		return number(num), nil
	}
	return nil, s.fail("unexpected character %q", s.data[s.pos])
}

// interned holds PostgreSQL's keys, so that reading them allocates nothing.
var interned = func() map[string]string {
	m := map[string]string{}
	for _, k := range knownKeys {
		m[k] = k
	}
	return m
}()

// key reads an object key, reusing the interned copy of known keys.
func (s *jsonScanner) key() (string, error) {
	if end := bytesIndexQuote(s.data[s.pos+1:]); end >= 0 {
		if k, ok := interned[string(s.data[s.pos+1:s.pos+1+end])]; ok {
			s.pos += end + 2
			return k, nil
		}
	}
	return s.str()
}

// bytesIndexQuote returns the index of the first '"' of b, or -1 when a
// backslash or a newline comes first.
func bytesIndexQuote(b []byte) int {
	for i, c := range b {
		switch c {
		case '"':
			return i
		case '\\', '\n':
			return -1
		}
	}
	return -1
}

func (s *jsonScanner) str() (string, error) {
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
