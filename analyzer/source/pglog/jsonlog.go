package pglog

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonParser reads jsonlog lines: one flat JSON object per line
// (PostgreSQL 15+). A hand-written scanner, because encoding/json would
// be the slowest part of reading such a log.
type jsonParser struct {
	cls *classifier
	out *[]event
	st  *chunkStats
	buf []byte
}

// parse reads a chunk of whole jsonlog lines starting at line first.
func (p *jsonParser) parse(data string, first int) {
	n := first
	for len(data) > 0 {
		i := strings.IndexByte(data, '\n')
		var line string
		if i < 0 {
			line, data = data, ""
		} else {
			line, data = data[:i], data[i+1:]
		}
		p.st.lines++
		p.line(strings.TrimSuffix(line, "\r"), n)
		n++
	}
}

func (p *jsonParser) line(line string, n int) {
	if !utf8.ValidString(line) {
		p.st.skip(n, "invalid UTF-8")
		return
	}
	var e entry
	e.line = n
	var sevText string
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		p.st.skip(n, "not a jsonlog line (no JSON object)")
		return
	}
	i++
	for {
		i = skipSpace(line, i)
		if i < len(line) && line[i] == '}' {
			break
		}
		key, next, _, ok := p.str(line, i)
		if !ok {
			p.st.skip(n, "malformed JSON")
			return
		}
		i = skipSpace(line, next)
		if i >= len(line) || line[i] != ':' {
			p.st.skip(n, "malformed JSON")
			return
		}
		i = skipSpace(line, i+1)
		if i >= len(line) {
			p.st.skip(n, "truncated JSON")
			return
		}
		var val string
		var plain bool
		valAt := i + 1
		if line[i] == '"' {
			val, next, plain, ok = p.str(line, i)
			if !ok {
				p.st.skip(n, "malformed JSON")
				return
			}
		} else {
			j := i
			for j < len(line) && line[j] != ',' && line[j] != '}' && line[j] != ' ' {
				j++
			}
			val, next, plain = line[i:j], j, true
			valAt = i
		}
		i = next
		switch key {
		case "timestamp":
			e.f.time, e.f.hasTime = parseTimestamp(val)
		case "user":
			e.f.user = val
		case "dbname":
			e.f.db = val
		case "pid":
			e.f.pid = val
		case "session_id":
			e.f.session = val
		case "application_name":
			e.f.app = val
		case "error_severity":
			sevText = val
		case "message":
			e.msg = val
			e.head, e.noCol = line[:valAt], !plain
		case "detail":
			e.detail = val
		case "statement":
			e.stmt = val
			e.stmtLine = n
			if plain {
				e.stmtCol = column(line, valAt)
			}
		}
		i = skipSpace(line, i)
		if i < len(line) && line[i] == ',' {
			i++
			continue
		}
		if i < len(line) && line[i] == '}' {
			break
		}
		p.st.skip(n, "malformed JSON")
		return
	}
	e.sev = severityOf(p.cls.translateFields(sevText, &e))
	if e.sev == sevNone || e.sev.secondary() || !e.f.hasTime {
		p.st.skip(n, "not a jsonlog record (no timestamp or error_severity)")
		return
	}
	p.cls.classify(&e, p.out, p.st)
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// str reads the JSON string at s[i] (a quote). plain says whether it held
// no escape, so that its text is a slice of s.
func (p *jsonParser) str(s string, i int) (val string, next int, plain bool, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false, false
	}
	j := i + 1
	for j < len(s) && s[j] != '"' && s[j] != '\\' {
		j++
	}
	if j < len(s) && s[j] == '"' {
		return s[i+1 : j], j + 1, true, true
	}
	b := append(p.buf[:0], s[i+1:j]...)
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			p.buf = b
			return string(b), j + 1, false, true
		case c != '\\':
			b = append(b, c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return "", 0, false, false
		}
		switch s[j+1] {
		case '"', '\\', '/':
			b = append(b, s[j+1])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, width, ok := hex4(s, j+2)
			if !ok {
				return "", 0, false, false
			}
			j += width
			if utf16.IsSurrogate(r) {
				r2, w2, ok2 := rune(0), 0, false
				if j+2 < len(s) && s[j+2] == '\\' && j+3 < len(s) && s[j+3] == 'u' {
					r2, w2, ok2 = hex4(s, j+4)
				}
				if ok2 {
					r = utf16.DecodeRune(r, r2)
					j += 2 + w2
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", 0, false, false
		}
		j += 2
	}
	return "", 0, false, false
}

// hex4 reads four hex digits at s[i]; width is what follows "\u" minus 0
// (it returns 4 so the caller can step over them).
func hex4(s string, i int) (rune, int, bool) {
	if i+4 > len(s) {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, 0, false
	}
	return rune(v), 4, true
}
