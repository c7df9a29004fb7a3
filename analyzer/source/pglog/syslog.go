package pglog

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// syslogLine is a syslog line written by PostgreSQL:
//
//	Nov 28 06:11:42 host postgres[13560]: [3-1] 2026-11-28 ... LOG:  ...
//	2026-11-28T06:11:42.382+01:00 host postgres[13560]: [3-2] #011FROM t
//
// The header (BSD or RFC 3339 timestamp, host, ident[pid]) is dropped;
// [seq-part] numbers the parts of a message that PostgreSQL split at
// newlines (the part then starts with a tab, which rsyslog writes as
// #011) or at about 900 bytes (then it continues the previous part).
type syslogLine struct {
	pid  string
	seq  string
	part int
	text string
	// hdr is the width, in characters, of what precedes text.
	hdr int
}

// parseSyslogLine reads the header of a syslog line.
func parseSyslogLine(line string) (syslogLine, bool) {
	var l syslogLine
	// The ident: the first "word[digits]: " in the line.
	limit := min(len(line), 256)
	i := strings.Index(line[:limit], "]: ")
	if i < 0 {
		return l, false
	}
	j := strings.LastIndexByte(line[:i], '[')
	if j <= 0 || j+1 == i || line[j-1] == ' ' {
		return l, false
	}
	pid := line[j+1 : i]
	// Heroku's logplex names the backend "postgres.PID".
	pid = strings.TrimPrefix(pid, "postgres.")
	if digits(pid) != len(pid) || pid == "" {
		return l, false
	}
	l.pid = pid
	rest := line[i+3:]
	// Heroku puts the database's color before the numbers: "[DATABASE] ".
	if k := strings.Index(rest, "] "); k > 1 && rest[0] == '[' && isColor(rest[1:k]) {
		rest = rest[k+2:]
	}
	// [seq-part] (syslog_sequence_numbers on), [part] (off) or nothing
	// (syslog_split_messages off).
	l.part = 1
	if strings.HasPrefix(rest, "[") {
		k := strings.Index(rest, "] ")
		if k > 0 {
			num := rest[1:k]
			seq, part, hasPart := strings.Cut(num, "-")
			if digits(seq) == len(seq) && len(seq) > 0 && (!hasPart || (digits(part) == len(part) && len(part) > 0)) {
				if hasPart {
					l.seq = seq
					l.part, _ = strconv.Atoi(part)
				} else {
					// Without sequence numbers, PostgreSQL numbers the
					// parts of each message only.
					l.part, _ = strconv.Atoi(seq)
				}
				rest = rest[k+2:]
			}
		} else if k := strings.IndexByte(rest, ']'); k == len(rest)-1 && digits(rest[1:k]) == k-1 {
			// "[3]" alone: an empty message (part 3 without sequence
			// numbers; message 3 with them: taken as a first part).
			rest = ""
		}
	}
	l.hdr = utf8.RuneCountInString(line[:len(line)-len(rest)])
	l.text = strings.ReplaceAll(rest, "#011", "\t")
	return l, true
}

// isColor says whether s is the name Heroku gives a database in its
// log lines: DATABASE, HEROKU_POSTGRESQL_RED...
func isColor(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}

// herokuSample says whether the syslog lines of sample come from Heroku's
// logplex ("app[postgres.PID]: ").
func herokuSample(sample []byte) bool {
	for _, l := range sampleLines(sample, 50) {
		if i := strings.Index(l, "[postgres."); i >= 0 && i < 256 {
			return true
		}
	}
	return false
}

// syslogParser reassembles syslog messages, per backend, into stderr
// lines for one lineParser per backend (the DETAIL and STATEMENT of a
// message are messages of their own, and other backends' lines can come
// between them). It keeps state across chunks, so syslog logs are read by
// one worker.
type syslogParser struct {
	prefix  *Prefix
	cls     *classifier
	out     *[]event
	st      *chunkStats
	pending map[string]*syslogMsg
	parsers map[string]*syslogBackend
	// clock orders messages and backends by when they were last seen.
	clock int
}

type syslogMsg struct {
	line  int
	hdr   int
	seq   string
	text  strings.Builder
	start int
}

type syslogBackend struct {
	lp   lineParser
	used int
}

// maxBackends bounds the backends whose last message is kept waiting for
// a DETAIL or STATEMENT: past it, the least recently seen are finished.
const maxBackends = 4096

func (p *syslogParser) parse(data string, first int) {
	// Backends write their events to the current chunk's output.
	for _, b := range p.parsers {
		b.lp.out, b.lp.st = p.out, p.st
	}
	n := first
	for len(data) > 0 {
		i := strings.IndexByte(data, '\n')
		var line string
		if i < 0 {
			line, data = data, ""
		} else {
			line, data = data[:i], data[i+1:]
		}
		p.feed(strings.TrimSuffix(line, "\r"), n)
		n++
	}
}

func (p *syslogParser) feed(line string, n int) {
	p.st.lines++
	p.clock++
	l, ok := parseSyslogLine(line)
	if !ok {
		if line == "" {
			p.st.skip(n, "empty line")
		} else {
			p.st.skip(n, "not a PostgreSQL syslog line (no ident[pid]: header)")
		}
		return
	}
	m := p.pending[l.pid]
	if m != nil && (l.part == 1 || l.seq != m.seq) {
		p.emit(l.pid, m)
		m = nil
	}
	if m == nil {
		if l.part != 1 {
			p.st.skip(n, "syslog continuation without its first part")
			return
		}
		if p.pending == nil {
			p.pending = map[string]*syslogMsg{}
		}
		m = &syslogMsg{line: n, hdr: l.hdr, seq: l.seq, start: p.clock}
		p.pending[strings.Clone(l.pid)] = m
		m.text.WriteString(l.text)
		return
	}
	// A part starts a line of the message (a continuation line, or a
	// DETAIL or STATEMENT line with its own prefix) or continues one that
	// PostgreSQL cut at its syslog line length.
	if at, _, _ := findSeverity(l.text); strings.HasPrefix(l.text, "\t") || at >= 0 {
		m.text.WriteByte('\n')
	}
	m.text.WriteString(l.text)
}

// emit feeds a complete message to its backend's line parser.
func (p *syslogParser) emit(pid string, m *syslogMsg) {
	delete(p.pending, pid)
	b := p.parsers[pid]
	if b == nil {
		if p.parsers == nil {
			p.parsers = map[string]*syslogBackend{}
		}
		if len(p.parsers) >= maxBackends {
			p.evict()
		}
		b = &syslogBackend{lp: lineParser{prefix: p.prefix, cls: p.cls, out: p.out, st: p.st}}
		p.parsers[strings.Clone(pid)] = b
	}
	p.clock++
	b.used = p.clock
	b.lp.colBase = m.hdr
	text := m.text.String()
	for {
		i := strings.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line = text[:i]
		}
		// Lines were counted as they were read.
		p.st.lines--
		b.lp.feed(line, m.line)
		if i < 0 {
			break
		}
		text = text[i+1:]
	}
}

// evict finishes the least recently seen half of the backends.
func (p *syslogParser) evict() {
	pids := slices.Collect(maps.Keys(p.parsers))
	slices.SortFunc(pids, func(a, b string) int { return cmp.Or(p.parsers[a].used-p.parsers[b].used, strings.Compare(a, b)) })
	for _, pid := range pids[:len(pids)/2] {
		p.parsers[pid].lp.flush()
		delete(p.parsers, pid)
	}
}

// finish emits the messages still pending and the entries still open, in
// the order they started.
func (p *syslogParser) finish() {
	ms := slices.Collect(maps.Keys(p.pending))
	slices.SortFunc(ms, func(a, b string) int { return cmp.Or(p.pending[a].start-p.pending[b].start, strings.Compare(a, b)) })
	for _, pid := range ms {
		p.emit(pid, p.pending[pid])
	}
	pids := slices.Collect(maps.Keys(p.parsers))
	slices.SortFunc(pids, func(a, b string) int { return cmp.Or(p.parsers[a].used-p.parsers[b].used, strings.Compare(a, b)) })
	for _, pid := range pids {
		p.parsers[pid].lp.flush()
	}
	p.parsers = nil
}
