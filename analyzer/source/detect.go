package source

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pgadvisor/pgadvisor/analyzer/source/pglog"
)

// Input kinds, as in the report's inputs[].kind.
const (
	KindSQL    = "sql"
	KindStderr = string(pglog.Stderr)
	KindCSV    = string(pglog.CSV)
	KindJSON   = string(pglog.JSON)
	KindSyslog = string(pglog.Syslog)
	KindPGSS   = "pg_stat_statements"
	KindPlan   = "plan"
	// KindBinary is not read: a file that is none of the above.
	KindBinary = "binary"
)

// DetectKind tells what an input is from its name (compression suffix
// removed) and its first bytes: a log (stderr, csvlog, jsonlog, syslog),
// an EXPLAIN plan, SQL, or binary data. Content wins over the name; the
// name only breaks ties: a .sql file is SQL unless most of its lines are
// log lines (one pasted log line does not make it a log), another file is
// a log when a quarter of its lines are (a log with garbage in it is
// still a log).
func DetectKind(name string, head []byte) string {
	if isBinary(head) {
		return KindBinary
	}
	lines := nonEmptyLines(head, 200)
	if len(lines) == 0 {
		if strings.HasSuffix(name, ".csv") {
			return KindCSV
		}
		if strings.HasSuffix(name, ".json") {
			return KindJSON
		}
		if strings.HasSuffix(name, ".log") {
			return KindStderr
		}
		return KindSQL
	}
	if name, f := pglog.DetectPlatform(head); name != "" {
		return string(f)
	}
	// A log in another language is detected in English.
	head = pglog.Translate(head)
	if f, ok := pglog.DetectFormat(head); ok && logShare(head, f, len(lines), strings.HasSuffix(name, ".sql")) {
		return string(f)
	}
	if isPlan(head, lines) {
		return KindPlan
	}
	return KindSQL
}

// logShare says whether enough of the first lines are log lines of f: a
// quarter (a log with garbage in it is still a log), or more than half
// for a file named .sql (a SQL file with one pasted log line is SQL).
func logShare(head []byte, f pglog.Format, lines int, sqlName bool) bool {
	if f == pglog.CSV {
		// A csvlog record spans as many lines as its statement: count
		// records, not lines (two records of a ten-line statement are a
		// log).
		lines = csvRecords(head, 200)
	}
	n := logLines(head, f)
	if sqlName {
		return n*2 > lines
	}
	return n*4 >= lines && n > 0
}

// logLines counts the first lines of head that are log lines of f.
func logLines(head []byte, f pglog.Format) int {
	n := 0
	for _, l := range nonEmptyLines(head, 200) {
		if looksLike(l, f) {
			n++
		}
	}
	return n
}

// sqlNote says how a .sql file holding log lines was read, or "".
func sqlNote(name string, head []byte, kind string) string {
	if !strings.HasSuffix(name, ".sql") {
		return ""
	}
	f, ok := pglog.DetectFormat(head)
	if !ok {
		return ""
	}
	n, lines := logLines(head, f), len(nonEmptyLines(head, 200))
	switch {
	case n == 0:
		return ""
	case kind == KindSQL:
		return fmt.Sprintf("read as SQL: %d of its first %d lines look like %s log lines, too few for a log", n, lines, f)
	}
	return fmt.Sprintf("read as a %s log although named .sql: %d of its first %d lines are log lines", f, n, lines)
}

// csvRecords counts the non-empty lines of head that start outside a
// quoted CSV field, up to n.
func csvRecords(head []byte, n int) int {
	count, quoted, start := 0, false, true
	for _, c := range head {
		if start && !quoted && c != '\n' && c != '\r' {
			count++
			if count == n {
				break
			}
		}
		start = false
		switch c {
		case '"':
			quoted = !quoted
		case '\n':
			start = true
		}
	}
	return count
}

func looksLike(l string, f pglog.Format) bool {
	switch f {
	case pglog.JSON:
		return strings.HasPrefix(l, `{"timestamp":`)
	case pglog.CSV:
		return stampRE.MatchString(l) && strings.Contains(l, ",")
	case pglog.Syslog:
		return syslogRE.MatchString(l)
	}
	return severityRE.MatchString(l) || strings.HasPrefix(l, "\t")
}

var (
	stampRE    = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
	syslogRE   = regexp.MustCompile(`\S\[(?:postgres\.)?\d+\]: `)
	severityRE = regexp.MustCompile(`\b(LOG|ERROR|STATEMENT|DETAIL|HINT|CONTEXT|WARNING|NOTICE|FATAL|PANIC|INFO|QUERY|LOCATION|DEBUG[1-5]?):  `)
	// planNodeRE is the first line of a text plan: a node name and its
	// costs or actual figures.
	planNodeRE = regexp.MustCompile(`^\s*(->\s+)?[A-Z][A-Za-z ]+.*\((cost=|actual )`)
)

// isPlan recognizes EXPLAIN output: JSON ("Plan" and "Node Type"), XML
// (PostgreSQL's explain namespace), YAML ("- Plan:") or text (a psql
// "QUERY PLAN" header in the first 40 lines, or one of the first three
// lines a plan node, maybe quoted).
func isPlan(head []byte, lines []string) bool {
	t := bytes.TrimSpace(head)
	switch {
	case bytes.HasPrefix(t, []byte("[")) || bytes.HasPrefix(t, []byte("{")):
		return bytes.Contains(t, []byte(`"Plan"`)) && bytes.Contains(t, []byte(`"Node Type"`))
	case bytes.HasPrefix(t, []byte("<")):
		return bytes.Contains(t, []byte("postgresql.org/2009/explain"))
	case bytes.HasPrefix(t, []byte("- Plan:")):
		return true
	}
	for i, l := range lines {
		if i >= 40 {
			break
		}
		// psql's header in any frame, a psql session transcript's
		// included, or a CSV export's.
		if strings.Trim(l, " |│\"") == "QUERY PLAN" {
			return true
		}
		// A plan node, framed or quoted by a GUI client's copy.
		if i < 3 && planNodeRE.MatchString(strings.Trim(l, "| +│'\"")) {
			return true
		}
	}
	return false
}

// isBinary says whether head is not text: more than a tenth of its bytes
// are NUL, other control characters or invalid UTF-8 (a log with a few
// garbled lines is still a log).
func isBinary(head []byte) bool {
	bad := 0
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// A rune cut by the end of head is not bad.
			if len(head)-i >= utf8.UTFMax {
				bad++
			}
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f':
			bad++
		}
		i += max(size, 1)
	}
	return len(head) > 0 && bad*10 > len(head)
}

func nonEmptyLines(b []byte, n int) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, strings.TrimSuffix(l, "\r"))
		if len(out) == n {
			break
		}
	}
	return out
}
