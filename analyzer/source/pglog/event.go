package pglog

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// entry is one log message with its secondary fields, whatever the log
// format: the unit the classifier reads.
type entry struct {
	// line is the 1-based line of the message's first line. The column
	// where msg starts on it is computed only when needed (see column):
	// colBase plus the characters of head, the text before msg on its
	// line; noCol when unknown.
	line    int
	head    string
	colBase int
	noCol   bool
	f       fields
	sev     severity
	msg     string
	// detail is the DETAIL field; stmt the STATEMENT (stderr) or query
	// (csvlog, jsonlog) field, at stmtLine:stmtCol.
	detail   string
	stmt     string
	stmtLine int
	stmtCol  int
}

// column returns the 1-based column of msg (0: unknown).
func (e *entry) column() int {
	if e.noCol {
		return 0
	}
	return e.colBase + column(e.head, len(e.head))
}

// eventKind is what an entry means for the workload.
type eventKind uint8

const (
	evExec     eventKind = iota // a statement with its duration
	evPending                   // a statement logged before it ran: its duration may follow
	evDuration                  // a bare duration for the session's pending statement
	evFailed                    // a statement that ended in an error
	evPlan                      // an auto_explain plan
)

// event is one entry that matters, produced by the (parallel) parsers and
// consumed in order by the assembler.
type event struct {
	kind   eventKind
	line   int
	col    int
	hasDur bool
	durUS  int64
	// key pairs a statement with its later duration: the pid, else the
	// session id.
	key     string
	session string
	time    int64
	hasTime bool
	user    string
	db      string
	app     string
	text    string
	sh      *shape
	// detail is the raw DETAIL ("parameters: ..."), parsed only when
	// needed.
	detail string
	plan   *planEvent
}

// planEvent is an auto_explain plan.
type planEvent struct {
	text   string
	format string
	query  string
	sh     *shape
}

// problem is a positioned message about a line that was skipped.
type problem struct {
	line int
	msg  string
}

// maxProblems is how many problems are kept per input.
const maxProblems = 10

// chunkStats are the counters of one chunk, added up in order.
type chunkStats struct {
	lines    int64
	entries  int64
	skipped  int64
	other    int64
	protocol int64
	problems []problem
}

func (s *chunkStats) skip(line int, msg string) {
	s.skipped++
	if len(s.problems) < maxProblems {
		s.problems = append(s.problems, problem{line: line, msg: msg})
	}
}

// classifier turns entries into events; each worker has its own.
type classifier struct {
	shapes *localShapes
	// tr puts the fields of a csvlog or jsonlog written in another
	// language in English (nil: English).
	tr *translator
}

// translate puts e's severity field, message and detail in English.
func (c *classifier) translateFields(sev string, e *entry) string {
	if c.tr == nil {
		return sev
	}
	e.msg, e.detail = c.tr.message(e.msg), c.tr.message(e.detail)
	return c.tr.severity(sev)
}

func (c *classifier) classify(e *entry, out *[]event, st *chunkStats) {
	st.entries++
	ev := event{
		line:    e.line,
		time:    e.f.time,
		hasTime: e.f.hasTime,
		user:    e.f.user,
		db:      e.f.db,
		app:     e.f.app,
	}
	ev.key = e.f.pid
	if ev.key == "" {
		ev.key = e.f.session
	}
	ev.session = e.f.session
	if ev.session == "" {
		ev.session = e.f.pid
	}
	switch {
	case e.sev == sevLog:
		kind, dur, at := classifyMessage(e.msg)
		switch kind {
		case msgDurStatement, msgDurExecute:
			ev.kind, ev.durUS, ev.hasDur = evExec, dur, true
		case msgStatement, msgExecute:
			ev.kind = evPending
		case msgDurOnly:
			ev.kind, ev.durUS, ev.hasDur = evDuration, dur, true
			*out = append(*out, ev)
			return
		case msgDurPlan:
			ev.kind, ev.durUS, ev.hasDur = evPlan, dur, true
			ev.col = e.column()
			ev.plan = c.plan(e.msg[at:])
			*out = append(*out, ev)
			return
		case msgDurProtocol, msgProtocol:
			st.protocol++
			return
		default:
			st.other++
			return
		}
		ev.text = e.msg[at:]
		ev.col = advanceCol(e.column(), e.msg[:at])
		ev.detail = e.detail
	case e.sev.failure() && e.stmt != "":
		ev.kind = evFailed
		ev.text = e.stmt
		ev.line, ev.col = e.stmtLine, e.stmtCol
	default:
		st.other++
		return
	}
	if strings.TrimSpace(ev.text) == "" {
		st.other++
		return
	}
	ev.sh = c.shapes.get(ev.text)
	*out = append(*out, ev)
}

// advanceCol returns the column reached after s from col (0 stays 0:
// unknown).
func advanceCol(col int, s string) int {
	if col == 0 {
		return 0
	}
	if strings.IndexByte(s, '\n') >= 0 {
		return 0
	}
	return col + utf8.RuneCountInString(s)
}

// plan reads an auto_explain plan: its format and the query it belongs
// to.
func (c *classifier) plan(text string) *planEvent {
	p := &planEvent{text: text, format: "text"}
	t := strings.TrimLeft(text, " \t\r\n")
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		p.format = "json"
		var doc struct {
			QueryText string `json:"Query Text"`
		}
		if json.Unmarshal([]byte(t), &doc) == nil {
			p.query = doc.QueryText
		}
	case strings.HasPrefix(t, "<"):
		p.format = "xml"
		if i := strings.Index(t, "<Query-Text>"); i >= 0 {
			rest := t[i+len("<Query-Text>"):]
			if j := strings.Index(rest, "</Query-Text>"); j >= 0 {
				p.query = xmlUnescape(rest[:j])
			}
		}
	case strings.HasPrefix(t, "Query Text: "):
		rest := t[len("Query Text: "):]
		if i := strings.Index(rest, "\nPlan:"); i >= 0 && yamlish(rest[:i]) {
			p.format = "yaml"
			p.query = yamlScalar(rest[:i])
		} else {
			p.query = textPlanQuery(rest)
		}
	}
	if strings.TrimSpace(p.query) != "" {
		p.sh = c.shapes.get(p.query)
	}
	return p
}

// textPlanQuery returns the query of a text-format auto_explain plan: the
// lines after "Query Text: " up to the plan's first node, recognized by
// its costs or actual figures.
func textPlanQuery(rest string) string {
	lines := strings.Split(rest, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if strings.Contains(l, "  (cost=") || strings.Contains(l, " (actual ") || strings.Contains(l, "(never executed)") {
			return strings.Join(lines[:i], "\n")
		}
	}
	return lines[0]
}

// yamlish says whether the text after "Query Text: " is a YAML scalar (a
// quoted string or a block), as auto_explain writes in YAML format.
func yamlish(s string) bool {
	return strings.HasPrefix(s, "\"") || strings.HasPrefix(s, "'") || strings.HasPrefix(s, "|")
}

// yamlScalar decodes the quoted or block scalar auto_explain writes.
func yamlScalar(s string) string {
	switch {
	case strings.HasPrefix(s, "\""):
		var v string
		if json.Unmarshal([]byte(strings.TrimSpace(s)), &v) == nil {
			return v
		}
		return strings.Trim(s, "\"")
	case strings.HasPrefix(s, "'"):
		s = strings.TrimSpace(s)
		s = strings.TrimSuffix(strings.TrimPrefix(s, "'"), "'")
		return strings.ReplaceAll(s, "''", "'")
	case strings.HasPrefix(s, "|"):
		lines := strings.Split(s, "\n")[1:]
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "  ")
		}
		return strings.Join(lines, "\n")
	}
	return s
}

func xmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", "\"", "&apos;", "'", "&#x0A;", "\n", "&#10;", "\n", "&amp;", "&").Replace(s)
}
