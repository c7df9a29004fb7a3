package pglog

import (
	"fmt"
	"strings"
)

// Prefix is a compiled log_line_prefix: it parses the part of a stderr or
// syslog line that comes before the severity ("LOG:  ").
//
// Every escape of PostgreSQL 15 is understood: %a %u %d %r %h %b %p %P %t
// %m %n %i %e %c %l %s %v %x %q %Q %%, with optional padding (%-10u, %5p).
// Free-text fields (user, database, application, host, backend type,
// command tag) end where the literal text that follows them in the prefix
// is found; when several places fit, the first one that lets the rest of
// the prefix match wins.
type Prefix struct {
	src  string
	toks []token
	// has records which fields the prefix can fill.
	has fieldSet
	// generic prefixes are read by heuristics (see Generic).
	generic bool
}

type tokKind uint8

const (
	tokLit      tokKind = iota
	tokText             // %a %u %d %r %h %b %i %v: free text
	tokDigits           // %p %l %x: unsigned integer
	tokOptInt           // %P: integer or nothing
	tokSigned           // %Q: signed integer
	tokTime             // %t %s: timestamp without milliseconds
	tokTimeMS           // %m: timestamp with milliseconds
	tokEpoch            // %n: Unix epoch with milliseconds
	tokSession          // %c: hex.hex
	tokSQLState         // %e: five characters
	tokStop             // %q
)

type token struct {
	kind tokKind
	esc  byte // the escape letter
	lit  string
	pad  int // padding width (negative: left-aligned)
}

type fieldSet uint32

const (
	hasTime fieldSet = 1 << iota
	hasPID
	hasSession
	hasUser
	hasDB
	hasApp
)

// fields are the values a prefix carries (the others are matched and
// dropped).
type fields struct {
	time    int64 // Unix microseconds
	hasTime bool
	pid     string
	session string
	user    string
	db      string
	app     string
}

// tsCache remembers the last timestamp parsed: consecutive lines mostly
// share their second, often their millisecond.
type tsCache struct {
	text string
	us   int64
	ok   bool
}

func (c *tsCache) parse(v string) (int64, bool) {
	if v != c.text {
		c.text = v
		c.us, c.ok = parseTimestamp(v)
	}
	return c.us, c.ok
}

// CompilePrefix compiles a log_line_prefix setting such as
// '%m [%p] %q%u@%d '.
func CompilePrefix(prefix string) (*Prefix, error) {
	p := &Prefix{src: prefix}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.toks = append(p.toks, token{kind: tokLit, lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		i++
		if i >= len(prefix) {
			return nil, fmt.Errorf("log_line_prefix %q ends with a lone %%", prefix)
		}
		// Padding: an optional minus sign and digits.
		pad, neg := 0, false
		if prefix[i] == '-' {
			neg = true
			i++
		}
		for i < len(prefix) && prefix[i] >= '0' && prefix[i] <= '9' {
			pad = pad*10 + int(prefix[i]-'0')
			if pad > 1000 {
				return nil, fmt.Errorf("log_line_prefix %q: padding too wide", prefix)
			}
			i++
		}
		if i >= len(prefix) {
			return nil, fmt.Errorf("log_line_prefix %q ends inside an escape", prefix)
		}
		if neg {
			pad = -pad
		}
		e := prefix[i]
		t := token{esc: e, pad: pad}
		switch e {
		case '%':
			lit.WriteByte('%')
			continue
		case 'a':
			t.kind = tokText
			p.has |= hasApp
		case 'u':
			t.kind = tokText
			p.has |= hasUser
		case 'd':
			t.kind = tokText
			p.has |= hasDB
		case 'r', 'h', 'b', 'i', 'v':
			t.kind = tokText
		case 'p':
			t.kind = tokDigits
			p.has |= hasPID
		case 'l', 'x':
			t.kind = tokDigits
		case 'P':
			t.kind = tokOptInt
		case 'Q':
			t.kind = tokSigned
		case 't':
			t.kind = tokTime
			p.has |= hasTime
		case 's':
			t.kind = tokTime
		case 'm':
			t.kind = tokTimeMS
			p.has |= hasTime
		case 'n':
			t.kind = tokEpoch
			p.has |= hasTime
		case 'c':
			t.kind = tokSession
			p.has |= hasSession
		case 'e':
			t.kind = tokSQLState
		case 'q':
			t.kind = tokStop
		default:
			// PostgreSQL prints nothing for an unknown escape.
			continue
		}
		flush()
		p.toks = append(p.toks, t)
	}
	flush()
	return p, nil
}

// String returns the log_line_prefix the Prefix was compiled from.
func (p *Prefix) String() string { return p.src }

// match parses s, which must be exactly the prefix part of a line (the
// text before the severity), into f; ts caches timestamps between calls.
func (p *Prefix) match(s string, f *fields, ts *tsCache) bool {
	*f = fields{}
	if p.generic {
		genericMatch(s, f)
		return true
	}
	m := matcher{p: p, s: s, f: f, ts: ts}
	return m.from(0, 0)
}

// genericMatch picks what it recognizes in a prefix of unknown form: a
// timestamp, the first [digits] as the pid, user=, db=, app= settings or
// else a user@database pair.
func genericMatch(s string, f *fields) {
	for i := 0; i < len(s) && i < 8; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n, ok := scanTimestamp(s[i:], true)
			if !ok {
				n, ok = scanTimestamp(s[i:], false)
			}
			if ok {
				f.time, f.hasTime = parseTimestamp(s[i : i+n])
			}
			break
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '[' {
			n := digits(s[i+1:])
			if n > 0 && i+1+n < len(s) && (s[i+1+n] == ']' || s[i+1+n] == '-') {
				f.pid = s[i+1 : i+1+n]
				break
			}
		}
	}
	word := func(at int) string {
		j := at
		for j < len(s) && s[j] != ' ' && s[j] != ',' && s[j] != ':' && s[j] != ']' && s[j] != ')' {
			j++
		}
		return s[at:j]
	}
	keyed := false
	for _, kv := range [...]struct {
		key string
		dst *string
	}{{"user=", &f.user}, {"db=", &f.db}, {"app=", &f.app}} {
		if i := strings.Index(s, kv.key); i >= 0 {
			*kv.dst = word(i + len(kv.key))
			keyed = true
		}
	}
	if keyed {
		return
	}
	if at := strings.IndexByte(s, '@'); at > 0 {
		u := at
		for u > 0 && s[u-1] != ' ' && s[u-1] != ':' && s[u-1] != '[' && s[u-1] != ']' {
			u--
		}
		f.user = s[u:at]
		f.db = word(at + 1)
	}
}

// maxTries bounds backtracking over free-text fields, so that a hostile
// line cannot make matching quadratic.
const maxTries = 64

// matcher matches one prefix against one line's prefix part. Fields set
// on a path that fails are overwritten by the path that succeeds, which
// visits the same tokens.
type matcher struct {
	p  *Prefix
	s  string
	f  *fields
	ts *tsCache
}

func (m *matcher) from(ti, pos int) bool {
	toks, s := m.p.toks, m.s
	for ; ti < len(toks); ti++ {
		t := &toks[ti]
		switch t.kind {
		case tokLit:
			if len(s)-pos < len(t.lit) || s[pos:pos+len(t.lit)] != t.lit {
				return false
			}
			pos += len(t.lit)
		case tokStop:
			// Processes without a session stop printing at %q.
			if pos == len(s) {
				return true
			}
		case tokText:
			return m.text(ti, pos)
		case tokTime, tokTimeMS:
			// Most lines carry the timestamp of the line before.
			// (%t and %m share the cache: a %t text is no %m value.)
			c := m.ts.text
			if t.pad == 0 && c != "" && len(s)-pos >= len(c) && s[pos:pos+len(c)] == c &&
				(t.kind == tokTimeMS) == strings.Contains(c, ".") &&
				(pos+len(c) == len(s) || !isZoneByte(s[pos+len(c)])) {
				m.set(t, c)
				pos += len(c)
				continue
			}
			n, ok := scanToken(t, s[pos:])
			if !ok {
				return false
			}
			m.set(t, s[pos:pos+n])
			pos += n
		default:
			n, ok := scanToken(t, s[pos:])
			if !ok {
				return false
			}
			m.set(t, s[pos:pos+n])
			pos += n
		}
	}
	return pos == len(s)
}

// text matches a free-text field at pos and the rest of the prefix after
// it, trying the places where the following literal occurs.
func (m *matcher) text(ti, pos int) bool {
	toks, s := m.p.toks, m.s
	t := &toks[ti]
	next := ti + 1
	// A %q right after the field does not delimit it.
	for next < len(toks) && toks[next].kind == tokStop {
		next++
	}
	if next == len(toks) {
		m.set(t, s[pos:])
		return true
	}
	if toks[next].kind == tokLit {
		lit := toks[next].lit
		from := pos
		for tries := 0; tries < maxTries; tries++ {
			i := strings.Index(s[from:], lit)
			if i < 0 {
				return false
			}
			end := from + i
			m.set(t, s[pos:end])
			if m.from(ti+1, end) {
				return true
			}
			from = end + 1
			if from > len(s) {
				return false
			}
		}
		return false
	}
	// Followed by another field: try every end, shortest first.
	for end, tries := pos, 0; end <= len(s) && tries < maxTries; end, tries = end+1, tries+1 {
		m.set(t, s[pos:end])
		if m.from(ti+1, end) {
			return true
		}
	}
	return false
}

// set stores a matched value.
func (m *matcher) set(t *token, v string) {
	if t.pad != 0 {
		v = strings.Trim(v, " ")
	}
	f := m.f
	switch t.esc {
	case 'a':
		f.app = v
	case 'u':
		f.user = v
	case 'd':
		f.db = v
	case 'p':
		f.pid = v
	case 'c':
		f.session = v
	case 'm':
		f.time, f.hasTime = m.ts.parse(v)
	case 't':
		if !f.hasTime {
			f.time, f.hasTime = m.ts.parse(v)
		}
	case 'n':
		if us, ok := parseEpoch(v); ok {
			f.time, f.hasTime = us, true
		}
	}
}

// scanToken returns the length of the value of a fixed-syntax token at
// the start of s.
func scanToken(t *token, s string) (int, bool) {
	lead := 0
	if t.pad > 0 {
		// Right-aligned: leading spaces.
		for lead < len(s) && s[lead] == ' ' {
			lead++
		}
	}
	n, ok := scanValue(t.kind, s[lead:])
	if !ok {
		return 0, false
	}
	n += lead
	if t.pad < 0 {
		// Left-aligned: trailing spaces up to the width.
		for n < len(s) && n < -t.pad && s[n] == ' ' {
			n++
		}
	}
	return n, true
}

func scanValue(k tokKind, s string) (int, bool) {
	switch k {
	case tokDigits:
		n := digits(s)
		return n, n > 0
	case tokOptInt:
		return digits(s), true
	case tokSigned:
		i := 0
		if i < len(s) && s[i] == '-' {
			i++
		}
		n := digits(s[i:])
		return i + n, n > 0
	case tokTime, tokTimeMS:
		return scanTimestamp(s, k == tokTimeMS)
	case tokEpoch:
		n := digits(s)
		if n == 0 {
			return 0, false
		}
		if n < len(s) && s[n] == '.' {
			n += 1 + digits(s[n+1:])
		}
		return n, true
	case tokSession:
		i := hexDigits(s)
		if i == 0 || i >= len(s) || s[i] != '.' {
			return 0, false
		}
		j := hexDigits(s[i+1:])
		if j == 0 {
			return 0, false
		}
		return i + 1 + j, true
	case tokSQLState:
		if len(s) < 5 {
			return 0, false
		}
		for i := 0; i < 5; i++ {
			c := s[i]
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
				return 0, false
			}
		}
		return 5, true
	}
	return 0, false
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func hexDigits(s string) int {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f' || s[i] >= 'A' && s[i] <= 'F') {
		i++
	}
	return i
}

// scanTimestamp matches "2006-01-02 15:04:05[.000] ZONE": the zone is a
// run of letters, digits, '+', '-' or ':' (an abbreviation such as UTC or
// CEST, or an offset such as +03 or -0330, as the tz database prints
// them).
func scanTimestamp(s string, ms bool) (int, bool) {
	const base = len("2006-01-02 15:04:05")
	if len(s) < base || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n := base
	if ms {
		if n >= len(s) || s[n] != '.' {
			return 0, false
		}
		d := digits(s[n+1:])
		if d == 0 {
			return 0, false
		}
		n += 1 + d
	}
	// The zone is optional (a log_timezone may print nothing).
	if n < len(s) && s[n] == ' ' {
		if z := scanZone(s, n+1); z > n+1 {
			n = z
		}
	}
	return n, true
}

// scanZone returns the end of the time zone at s[from:]: an abbreviation
// (UTC, CEST), a signed offset (+03, -0330, +05:30) or both (GMT+3). An
// offset glued to more letters or digits is not one: in Azure's prefix
// '%t-%c-' the zone "UTC" is followed by "-6b14e41e.11ed-", a session id.
func scanZone(s string, from int) int {
	z := from
	for z < len(s) && (s[z] >= 'A' && s[z] <= 'Z' || s[z] >= 'a' && s[z] <= 'z') {
		z++
	}
	if z < len(s) && (s[z] == '+' || s[z] == '-') {
		e := z + 1
		d := digits(s[e:])
		e += d
		if d > 0 && e < len(s) && s[e] == ':' && digits(s[e+1:]) > 0 {
			e += 1 + digits(s[e+1:])
		}
		if d > 0 && (e == len(s) || !isZoneByte(s[e]) || s[e] == '-' || s[e] == '+') {
			z = e
		}
	}
	return z
}

func isZoneByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-'
}
