package pglog

import "strings"

// severity is a message's error_severity, or one of the labels PostgreSQL
// puts before the secondary fields of a message in stderr and syslog logs
// (DETAIL, HINT, STATEMENT, ...).
type severity uint8

const (
	sevNone severity = iota
	sevLog
	sevError
	sevFatal
	sevPanic
	sevWarning
	sevNotice
	sevInfo
	sevDebug
	// Secondary labels: they continue the previous message.
	sevDetail
	sevHint
	sevContext
	sevStatement
	sevQuery
	sevLocation
)

func (s severity) secondary() bool { return s >= sevDetail }

func (s severity) failure() bool { return s == sevError || s == sevFatal || s == sevPanic }

// severityOf maps the label to its severity.
func severityOf(w string) severity {
	switch w {
	case "LOG":
		return sevLog
	case "ERROR":
		return sevError
	case "STATEMENT":
		return sevStatement
	case "DETAIL":
		return sevDetail
	case "HINT":
		return sevHint
	case "CONTEXT":
		return sevContext
	case "WARNING":
		return sevWarning
	case "NOTICE":
		return sevNotice
	case "FATAL":
		return sevFatal
	case "PANIC":
		return sevPanic
	case "INFO":
		return sevInfo
	case "QUERY":
		return sevQuery
	case "LOCATION":
		return sevLocation
	case "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5":
		return sevDebug
	}
	return sevNone
}

// maxPrefix bounds how far into a line the severity is looked for.
const maxPrefix = 2048

// findSeverity finds the severity label of a stderr line: the first
// "WORD:  " (two spaces) whose WORD is a severity. It returns the offset
// of WORD (the end of the prefix) and of the message after the two
// spaces.
func findSeverity(line string) (sevAt, msgAt int, sev severity) {
	limit := min(len(line), maxPrefix)
	from := 0
	for from < limit {
		i := strings.Index(line[from:limit], ":  ")
		if i < 0 {
			// A message can be empty: "LOG:  " at the very end may
			// lose its trailing spaces to editors; accept "WORD:" at the
			// end of the line too.
			break
		}
		colon := from + i
		w := colon
		for w > 0 && (line[w-1] >= 'A' && line[w-1] <= 'Z' || line[w-1] >= '0' && line[w-1] <= '9') {
			w--
		}
		if w < colon {
			if s := severityOf(line[w:colon]); s != sevNone {
				return w, colon + 3, s
			}
		}
		from = colon + 1
	}
	// "WORD:" at the end of the line (an empty message).
	if len(line) <= maxPrefix && strings.HasSuffix(line, ":") {
		colon := len(line) - 1
		w := colon
		for w > 0 && line[w-1] >= 'A' && line[w-1] <= 'Z' {
			w--
		}
		if s := severityOf(line[w:colon]); s != sevNone {
			return w, len(line), s
		}
	}
	return -1, -1, sevNone
}
