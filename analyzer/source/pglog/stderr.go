package pglog

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldBuf accumulates one field of an entry: the text of its first line,
// and, only when continuation lines follow, a copy joined with newlines.
type fieldBuf struct {
	s     string
	b     []byte
	multi bool
}

func (f *fieldBuf) set(s string) {
	f.s = s
	f.multi = false
}

func (f *fieldBuf) cont(s string) {
	if !f.multi {
		f.b = append(f.b[:0], f.s...)
		f.multi = true
	}
	f.b = append(f.b, '\n')
	f.b = append(f.b, s...)
}

func (f *fieldBuf) String() string {
	if f.multi {
		return string(f.b)
	}
	return f.s
}

// lineParser reads stderr-format lines (prefix, severity, message, and
// tab-indented continuation lines) into entries: one message with its
// DETAIL and STATEMENT lines. Syslog lines are fed to it once their
// syslog header is removed.
type lineParser struct {
	prefix *Prefix
	cls    *classifier
	out    *[]event
	st     *chunkStats

	have   bool
	bad    bool
	nlines int
	e      entry
	msg    fieldBuf
	detail fieldBuf
	stmt   fieldBuf
	ignore fieldBuf
	cur    *fieldBuf
	pf     fields
	ts     tsCache
	// colBase is added to columns: the width of a syslog header.
	colBase int
}

// feed reads one line; n is its 1-based line number.
func (p *lineParser) feed(line string, n int) {
	p.st.lines++
	line = strings.TrimSuffix(line, "\r")
	if !utf8.ValidString(line) {
		if p.have && strings.HasPrefix(line, "\t") {
			p.bad = true
			p.st.skip(n, "invalid UTF-8 (the message of line "+strconv.Itoa(p.e.line)+" is dropped)")
			return
		}
		p.flush()
		p.st.skip(n, "invalid UTF-8")
		return
	}
	if strings.HasPrefix(line, "\t") || p.have && strings.HasPrefix(line, " ") && !hasSeverity(line) {
		// A continuation line; edited or re-wrapped logs indent them
		// with spaces instead of PostgreSQL's tab.
		if line[0] == ' ' {
			p.cur.cont(line)
			p.nlines++
			return
		}
		if !p.have {
			p.st.skip(n, "continuation line without a message before it")
			return
		}
		p.cur.cont(line[1:])
		p.nlines++
		return
	}
	sevAt, msgAt, sev := findSeverity(line)
	if sevAt < 0 {
		p.flush()
		if line == "" {
			p.st.skip(n, "empty line")
		} else {
			p.st.skip(n, "not a PostgreSQL log line (no severity such as LOG: or ERROR:)")
		}
		return
	}
	if !p.prefix.match(line[:sevAt], &p.pf, &p.ts) {
		p.flush()
		p.st.skip(n, "does not match log_line_prefix "+strconv.Quote(p.prefix.src))
		return
	}
	if sev.secondary() {
		if p.have && p.e.sev != sevNone && (p.pf.pid == "" || p.pf.pid == p.e.f.pid) {
			p.nlines++
			switch sev {
			case sevDetail:
				p.cur = &p.detail
				p.detail.set(line[msgAt:])
			case sevStatement:
				p.cur = &p.stmt
				p.stmt.set(line[msgAt:])
				p.e.stmtLine, p.e.stmtCol = n, p.colBase+column(line, msgAt)
			default:
				p.cur = &p.ignore
				p.ignore.set("")
			}
			return
		}
		// A DETAIL or STATEMENT whose message is not before it: counted,
		// with its continuation lines, as an other message.
		p.flush()
		p.start(n, line, msgAt, sevNone)
		p.cur = &p.ignore
		return
	}
	p.flush()
	p.start(n, line, msgAt, sev)
}

func (p *lineParser) start(n int, line string, msgAt int, sev severity) {
	p.have, p.bad, p.nlines = true, false, 1
	p.e = entry{line: n, head: line[:msgAt], colBase: p.colBase, f: p.pf, sev: sev}
	p.msg.set(line[msgAt:])
	p.detail.set("")
	p.stmt.set("")
	p.cur = &p.msg
}

// flush classifies the entry in progress.
func (p *lineParser) flush() {
	if !p.have {
		return
	}
	p.have = false
	if p.bad {
		// Its invalid line is already counted; the others go with it.
		p.st.skipped += int64(p.nlines)
		return
	}
	p.e.msg = p.msg.String()
	p.e.detail = p.detail.String()
	p.e.stmt = p.stmt.String()
	p.cls.classify(&p.e, p.out, p.st)
}

// column returns the 1-based column (in characters) of byte offset at.
func column(line string, at int) int {
	for i := 0; i < at; i++ {
		if line[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(line[:at]) + 1
		}
	}
	return at + 1
}

// parseStderr reads a chunk of whole stderr lines starting at line first.
func parseStderr(data string, first int, p *lineParser) {
	n := first
	for len(data) > 0 {
		i := strings.IndexByte(data, '\n')
		var line string
		if i < 0 {
			line, data = data, ""
		} else {
			line, data = data[:i], data[i+1:]
		}
		p.feed(line, n)
		n++
	}
	p.flush()
}

// stderrCut returns where to cut data so that the next chunk starts with a
// message of its own: after a newline followed neither by a continuation
// line (tab) nor by a secondary line (DETAIL, STATEMENT, ...). Only
// complete lines are looked at. It returns 0 when data holds no such
// place.
func stderrCut(data []byte) int {
	last := lastNewline(data)
	if last < 0 {
		return 0
	}
	end := last
	for tries := 0; tries < 4096; tries++ {
		nl := lastNewline(data[:end])
		if nl < 0 {
			return 0
		}
		next := data[nl+1 : last+1]
		if next[0] != '\t' && next[0] != ' ' && !startsSecondary(next) {
			return nl + 1
		}
		end = nl
	}
	return 0
}

// hasSeverity says whether line has a severity label (LOG:, DETAIL: ...).
func hasSeverity(line string) bool {
	at, _, _ := findSeverity(line)
	return at >= 0
}

// startsSecondary says whether the line at the start of b is a DETAIL,
// HINT, CONTEXT, STATEMENT, QUERY or LOCATION line.
func startsSecondary(b []byte) bool {
	if i := indexNewline(b); i >= 0 {
		b = b[:i]
	}
	if len(b) > maxPrefix {
		b = b[:maxPrefix]
	}
	_, _, sev := findSeverity(string(b))
	return sev.secondary()
}
