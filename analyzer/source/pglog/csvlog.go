package pglog

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// csvlog columns (PostgreSQL 9.0 to 17; 13 added backend_type, 14
// leader_pid and query_id).
const (
	csvTime     = 0
	csvUser     = 1
	csvDB       = 2
	csvPID      = 3
	csvSession  = 5
	csvSeverity = 11
	csvMessage  = 13
	csvDetail   = 14
	csvQuery    = 19
	csvApp      = 22
	csvMinCols  = 22
	csvMaxCols  = 40
)

// csvParser reads csvlog records.
type csvParser struct {
	cls    *classifier
	out    *[]event
	st     *chunkStats
	fields []string
	starts []int
	quoted []bool
}

// parseCSV reads a chunk of whole csvlog records starting at line first.
func (p *csvParser) parse(data string, first int) {
	line := first
	for len(data) > 0 {
		n, lines, ok := p.record(data)
		if !ok {
			// Resynchronize on the next physical line.
			i := strings.IndexByte(data, '\n')
			if i < 0 {
				i = len(data) - 1
			}
			p.st.lines++
			p.st.skip(line, "not a csvlog record")
			data = data[i+1:]
			line++
			continue
		}
		p.st.lines += int64(lines)
		rec := data[:n]
		if !utf8.ValidString(rec) {
			p.st.skipped += int64(lines) - 1
			p.st.skip(line, "invalid UTF-8")
		} else {
			p.entry(rec, line)
		}
		data = data[n:]
		line += lines
	}
}

// record splits the record at the start of data into p.fields. It returns
// the record's length (with its newline) and its number of lines.
func (p *csvParser) record(data string) (n, lines int, ok bool) {
	p.fields, p.starts, p.quoted = p.fields[:0], p.starts[:0], p.quoted[:0]
	i := 0
	lines = 1
	for {
		if len(p.fields) >= csvMaxCols {
			return 0, 0, false
		}
		if i < len(data) && data[i] == '"' {
			j := i + 1
			esc := false
			for {
				k := strings.IndexByte(data[j:], '"')
				if k < 0 {
					return 0, 0, false
				}
				j += k
				if j+1 < len(data) && data[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			v := data[i+1 : j]
			lines += strings.Count(v, "\n")
			if esc {
				v = strings.ReplaceAll(v, `""`, `"`)
			}
			p.fields = append(p.fields, v)
			p.starts = append(p.starts, i+1)
			p.quoted = append(p.quoted, esc)
			i = j + 1
		} else {
			j := i
			for j < len(data) && data[j] != ',' && data[j] != '\n' && data[j] != '"' {
				j++
			}
			if j < len(data) && data[j] == '"' {
				return 0, 0, false
			}
			p.fields = append(p.fields, strings.TrimSuffix(data[i:j], "\r"))
			p.starts = append(p.starts, i)
			p.quoted = append(p.quoted, false)
			i = j
		}
		if i >= len(data) {
			break
		}
		switch data[i] {
		case ',':
			i++
			continue
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			} else {
				return 0, 0, false
			}
		case '\n':
		default:
			return 0, 0, false
		}
		i++
		break
	}
	if len(p.fields) < csvMinCols {
		return 0, 0, false
	}
	if _, ok := parseTimestamp(p.fields[csvTime]); !ok {
		return 0, 0, false
	}
	return i, lines, true
}

func (p *csvParser) entry(rec string, line int) {
	f := p.fields
	sevText := f[csvSeverity]
	if p.cls.tr != nil {
		sevText = p.cls.tr.severity(sevText)
	}
	sev := severityOf(sevText)
	if sev == sevNone || sev.secondary() {
		p.st.skip(line, "unknown error_severity "+f[csvSeverity])
		return
	}
	var e entry
	e.line = line
	e.sev = sev
	e.f.time, e.f.hasTime = parseTimestamp(f[csvTime])
	e.f.user, e.f.db, e.f.pid, e.f.session = f[csvUser], f[csvDB], f[csvPID], f[csvSession]
	if len(f) > csvApp {
		// PostgreSQL 8.4 had no application_name column.
		e.f.app = f[csvApp]
	}
	e.msg, e.detail, e.stmt = f[csvMessage], f[csvDetail], f[csvQuery]
	p.cls.translateFields("", &e)
	// The column is a guess after escaped quotes: none is given then.
	at := p.starts[csvMessage]
	e.head = rec[strings.LastIndexByte(rec[:at], '\n')+1 : at]
	e.noCol = p.quoted[csvMessage] || strings.Contains(e.head, `""`)
	if e.stmt != "" {
		at := p.starts[csvQuery]
		e.stmtLine = line + strings.Count(rec[:at], "\n")
		if !p.quoted[csvQuery] {
			e.stmtCol = csvColumn(rec, at)
		}
	}
	p.cls.classify(&e, p.out, p.st)
}

// csvColumn returns the 1-based column of byte offset at in rec, or 0
// when the line holds escaped quotes before it (the column would be a
// guess).
func csvColumn(rec string, at int) int {
	ls := strings.LastIndexByte(rec[:at], '\n') + 1
	if strings.Contains(rec[ls:at], `""`) {
		return 0
	}
	return column(rec[ls:], at-ls)
}

// csvCut returns where to cut data so that the next chunk starts with a
// record: after a newline outside quotes (an even number of quotes
// before it, since each chunk starts with a record) that is followed by
// a timestamp. It returns 0 when there is no such place.
func csvCut(data []byte) int {
	last := lastNewline(data)
	if last < 0 {
		return 0
	}
	quotes := bytes.Count(data[:last+1], []byte{'"'})
	end := last + 1
	for tries := 0; tries < 1<<16; tries++ {
		nl := lastNewline(data[:end])
		if nl < 0 {
			return 0
		}
		quotes -= bytes.Count(data[nl+1:end], []byte{'"'})
		if quotes%2 == 0 && startsTimestamp(data[nl+1:]) {
			return nl + 1
		}
		end = nl
	}
	return 0
}

func startsTimestamp(b []byte) bool {
	if len(b) < 19 {
		return false
	}
	_, ok := scanTimestamp(string(b[:19]), false)
	return ok
}
