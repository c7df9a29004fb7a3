package explain

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errNotPlain says that an input is not in the plain shape PostgreSQL
// writes: the fast readers give up and the general decoders (yaml.v3,
// encoding/xml), with their precise error messages, take over.
var errNotPlain = errors.New("not PostgreSQL's plain output")

// decodeXMLFast reads PostgreSQL's FORMAT XML output like decodeXML, but
// fills plan nodes directly, without building a tree of elements first:
// encoding/xml takes about a second for 10,000 nodes. It handles elements
// (attributes ignored), text, character references and the predefined
// entities, and returns errNotPlain for anything else (comments, CDATA,
// DTDs, processing instructions other than the XML declaration, mixed or
// malformed content).
func decodeXMLFast(data []byte, base int) ([]any, error) {
	s := &xmlScanner{data: data, line: base + 1}
	s.skip()
	if bytes.HasPrefix(s.data[s.pos:], []byte("<?xml")) {
		end := bytes.Index(s.data[s.pos:], []byte("?>"))
		if end < 0 {
			return nil, errNotPlain
		}
		s.advance(end + 2)
		s.skip()
	}
	root, ok := s.startTag()
	if !ok {
		return nil, errNotPlain
	}
	var out []any
	if root == "Query" {
		q, err := s.query(root)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	} else {
		for {
			s.skip()
			if s.endTag(root) {
				break
			}
			line := s.line
			name, ok := s.startTag()
			if !ok {
				return nil, errNotPlain
			}
			var v any
			var err error
			if name == "Query" {
				v, err = s.query(name)
			} else {
				var e *xmlElem
				e, err = s.element(name, line, 0)
				v = xmlValue(e, false)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	s.skip()
	if s.pos != len(s.data) {
		return nil, errNotPlain
	}
	return out, nil
}

type xmlScanner struct {
	slab slab[Node]
	data []byte
	pos  int
	line int
	// text collects decoded character data.
	text []byte
}

func (s *xmlScanner) advance(n int) {
	s.line += bytes.Count(s.data[s.pos:s.pos+n], []byte{'\n'})
	s.pos += n
}

func (s *xmlScanner) skip() { s.pos, s.line = skipSpace(s.data, s.pos, s.line) }

// startTag reads "<name attr=...>" and returns the name (interned for
// PostgreSQL's tags); false when the input is not at a start tag.
func (s *xmlScanner) startTag() (string, bool) {
	t, ok := s.startTagInfo()
	return t.tag, ok
}

// tagInfo is what the reader knows of a tag: its JSON key and key ID.
type tagInfo struct {
	tag, key string
	id       keyID
	text     bool // textKeys[key]: a value that is text even when it looks like a number
}

// startTagInfo is startTag returning the tag's key too.
func (s *xmlScanner) startTagInfo() (tagInfo, bool) {
	d := s.data
	if s.pos >= len(d) || d[s.pos] != '<' {
		return tagInfo{}, false
	}
	i := s.pos + 1
	if i >= len(d) || !xmlNameStart(d[i]) {
		return tagInfo{}, false
	}
	for i < len(d) && xmlNameChar(d[i]) {
		i++
	}
	name := d[s.pos+1 : i]
	if i >= len(d) {
		return tagInfo{}, false
	}
	end := i
	switch d[i] {
	case '>':
	case ' ', '\t', '\r', '\n':
		// Attributes (the namespace of <explain>): skipped, but quoted
		// values may not hide a '>'.
		j := bytes.IndexByte(d[i:], '>')
		if j < 0 {
			return tagInfo{}, false
		}
		attrs := d[i : i+j]
		if bytes.IndexByte(attrs, '<') >= 0 || bytes.HasSuffix(attrs, []byte("/")) ||
			bytes.Count(attrs, []byte{'"'})%2 != 0 || bytes.Count(attrs, []byte{'\''})%2 != 0 {
			return tagInfo{}, false
		}
		s.line += bytes.Count(attrs, []byte{'\n'})
		end = i + j
	default:
		return tagInfo{}, false
	}
	t, ok := xmlTagTable.get(name)
	if !ok {
		t = tagInfo{tag: string(name), key: xmlKeyName(string(name))}
		t.id, t.text = keyIDs[t.key], textKeys[t.key]
	}
	s.pos = end + 1
	return t, true
}

// endTag reads "</name>" when the input is at it.
func (s *xmlScanner) endTag(name string) bool {
	d := s.data[s.pos:]
	if len(d) < len(name)+3 || d[0] != '<' || d[1] != '/' || string(d[2:2+len(name)]) != name {
		return false
	}
	rest := d[2+len(name):]
	if len(rest) > 0 && rest[0] == '>' {
		s.pos += 2 + len(name) + 1
		return true
	}
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r' || rest[i] == '\n') {
		i++
	}
	if i >= len(rest) || rest[i] != '>' {
		return false
	}
	s.advance(2 + len(name) + i + 1)
	return true
}

func xmlNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func xmlNameChar(c byte) bool {
	return xmlNameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// xmlTagNames interns PostgreSQL's tags.
var xmlTagNames = func() map[string]tagInfo {
	m := map[string]tagInfo{}
	for _, tag := range []string{"explain", "Query", "Item", "Worker"} {
		m[tag] = tagInfo{tag: tag, key: xmlKeyName(tag)}
	}
	for tag, key := range xmlKeys {
		m[tag] = tagInfo{tag: tag, key: key, id: keyIDs[key], text: textKeys[key]}
	}
	return m
}()

// xmlTagTable is xmlTagNames as a keyTable.
var xmlTagTable = newKeyTable(xmlTagNames)

// chars reads character data up to the next '<', decoding references;
// false for a character data that is not plain.
func (s *xmlScanner) chars() ([]byte, bool) {
	d := s.data
	end := bytes.IndexByte(d[s.pos:], '<')
	if end < 0 {
		return nil, false
	}
	raw := d[s.pos : s.pos+end]
	s.advance(end)
	if bytes.IndexByte(raw, '&') < 0 {
		if bytes.IndexByte(raw, '>') >= 0 && bytes.Contains(raw, []byte("]]>")) {
			return nil, false
		}
		return raw, true
	}
	s.text = s.text[:0]
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			s.text = append(s.text, raw...)
			break
		}
		s.text = append(s.text, raw[:i]...)
		raw = raw[i:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return nil, false
		}
		ref := string(raw[1:semi])
		raw = raw[semi+1:]
		switch ref {
		case "amp":
			s.text = append(s.text, '&')
		case "lt":
			s.text = append(s.text, '<')
		case "gt":
			s.text = append(s.text, '>')
		case "quot":
			s.text = append(s.text, '"')
		case "apos":
			s.text = append(s.text, '\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ref, "#x"):
				n, err = strconv.ParseUint(ref[2:], 16, 32)
			case strings.HasPrefix(ref, "#"):
				n, err = strconv.ParseUint(ref[1:], 10, 32)
			default:
				return nil, false
			}
			r := rune(n)
			if err != nil || n == 0 || !utf8.ValidRune(r) || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
				return nil, false
			}
			s.text = utf8.AppendRune(s.text, r)
		}
	}
	return s.text, true
}

// query reads the content of a <Query> element into an object whose
// "Plan" is a *Node.
func (s *xmlScanner) query(name string) (object, error) {
	var o object
	for {
		s.skip()
		if s.endTag(name) {
			return o, nil
		}
		line := s.line
		tag, ok := s.startTag()
		if !ok {
			return nil, errNotPlain
		}
		if tag == "Plan" {
			n, err := s.node(1)
			if err != nil {
				return nil, err
			}
			o = append(o, field{key: "Plan", val: n, line: line})
			continue
		}
		e, err := s.element(tag, line, 1)
		if err != nil {
			return nil, err
		}
		o.add(xmlKeyName(tag), xmlValue(e, false), line)
	}
}

// node reads the content of a <Plan> element straight into a Node.
func (s *xmlScanner) node(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, errNotPlain
	}
	n := s.slab.alloc()
	for first := true; ; first = false {
		s.skip()
		if s.endTag("Plan") {
			return n, nil
		}
		line := s.line
		if first {
			n.Line = line
		}
		info, ok := s.startTagInfo()
		if !ok {
			return nil, errNotPlain
		}
		tag, key := info.tag, info.key
		switch {
		case tag == "Plans":
			for {
				s.skip()
				if s.endTag("Plans") {
					break
				}
				l := s.line
				t, ok := s.startTag()
				if !ok {
					return nil, errNotPlain
				}
				if t != "Plan" {
					// Not a node: dropped, as the general reader does.
					if _, err := s.element(t, l, depth+1); err != nil {
						return nil, err
					}
					continue
				}
				c, err := s.node(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Children = append(n.Children, c)
			}
		case xmlArrays[tag]:
			e, err := s.element(tag, line, depth+1)
			if err != nil {
				return nil, err
			}
			n.set(key, xmlValue(e, false), line)
		default:
			text, ok := s.chars()
			if !ok {
				return nil, errNotPlain
			}
			if s.endTag(tag) {
				n.scalarKey(info.id, key, xmlScalar(info.text, text))
				continue
			}
			// Elements inside: a group (JIT-like) kept generically.
			e := &xmlElem{name: tag, line: line}
			e.text.Write(text)
			if err := s.content(e, depth+1); err != nil {
				return nil, err
			}
			n.set(key, xmlValue(e, false), line)
		}
	}
}

// xmlScalar types the text of a leaf element as the general reader does;
// isText says the key's value is always text.
func xmlScalar(isText bool, text []byte) scalar {
	switch string(text) {
	case "true":
		return boolValue(true)
	case "false":
		return boolValue(false)
	}
	if !isText {
		if f, ok := simpleNumber(bytesString(text)); ok {
			return floatText(f, text)
		}
	}
	s := string(text)
	if !isText && isNumber(s) {
		return numberValue(s)
	}
	if v, ok := values[s]; ok {
		return textValue(v)
	}
	return textValue(s)
}

// element reads the content of element name (its start tag read) into an
// xmlElem.
func (s *xmlScanner) element(name string, line, depth int) (*xmlElem, error) {
	e := &xmlElem{name: name, line: line}
	return e, s.content(e, depth)
}

// content reads child elements and text up to e's end tag.
func (s *xmlScanner) content(e *xmlElem, depth int) error {
	if depth > maxDepth {
		return errNotPlain
	}
	for {
		text, ok := s.chars()
		if !ok {
			return errNotPlain
		}
		e.text.Write(text)
		if s.endTag(e.name) {
			return nil
		}
		line := s.line
		tag, ok := s.startTag()
		if !ok {
			return errNotPlain
		}
		c, err := s.element(tag, line, depth+1)
		if err != nil {
			return err
		}
		e.children = append(e.children, c)
	}
}
