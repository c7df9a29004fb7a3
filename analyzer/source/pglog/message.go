package pglog

import (
	"strconv"
	"strings"
)

// msgKind is what a LOG message says about a statement.
type msgKind uint8

const (
	msgOther        msgKind = iota
	msgDurStatement         // duration: X ms  statement: TEXT
	msgDurExecute           // duration: X ms  execute NAME: TEXT
	msgDurProtocol          // duration: X ms  parse|bind NAME: TEXT, execute fetch from
	msgDurPlan              // duration: X ms  plan:\nPLAN (auto_explain)
	msgDurOnly              // duration: X ms (the statement was logged before)
	msgStatement            // statement: TEXT (log_statement)
	msgExecute              // execute NAME: TEXT (log_statement, extended protocol)
	msgProtocol             // execute fetch from NAME: TEXT (log_statement)
)

// classifyMessage reads a LOG message. textAt is the offset of the
// statement text (or of the plan) in msg.
func classifyMessage(msg string) (kind msgKind, durUS int64, textAt int) {
	if strings.HasPrefix(msg, "duration: ") {
		rest := msg[len("duration: "):]
		end := strings.IndexByte(rest, ' ')
		if end < 0 || !strings.HasPrefix(rest[end:], " ms") {
			return msgOther, 0, 0
		}
		us, ok := parseDurationMS(rest[:end])
		if !ok {
			return msgOther, 0, 0
		}
		at := len("duration: ") + end + len(" ms")
		tail := msg[at:]
		switch {
		case strings.TrimRight(tail, " \r\n") == "":
			return msgDurOnly, us, at
		case strings.HasPrefix(tail, "  statement: "):
			return msgDurStatement, us, at + len("  statement: ")
		case strings.HasPrefix(tail, "  execute "):
			k, off := executeKind(tail[2:])
			if off < 0 {
				return msgOther, us, 0
			}
			if k == msgExecute {
				return msgDurExecute, us, at + 2 + off
			}
			return msgDurProtocol, us, at + 2 + off
		case strings.HasPrefix(tail, "  parse "), strings.HasPrefix(tail, "  bind "):
			return msgDurProtocol, us, at
		case strings.HasPrefix(tail, "  plan:"):
			off := at + len("  plan:")
			if off < len(msg) && msg[off] == '\n' {
				off++
			}
			return msgDurPlan, us, off
		}
		return msgOther, us, 0
	}
	if strings.HasPrefix(msg, "statement: ") {
		return msgStatement, 0, len("statement: ")
	}
	if strings.HasPrefix(msg, "execute ") {
		k, off := executeKind(msg)
		if off < 0 {
			return msgOther, 0, 0
		}
		return k, 0, off
	}
	return msgOther, 0, 0
}

// executeKind reads "execute NAME: TEXT" or "execute fetch from NAME:
// TEXT" and returns the offset of TEXT (-1 when it is not one).
func executeKind(s string) (msgKind, int) {
	k := msgExecute
	if strings.HasPrefix(s, "execute fetch from ") {
		k = msgProtocol
	}
	i := strings.Index(s, ": ")
	if i < 0 {
		return msgOther, -1
	}
	// Statement names have no newline: a ": " past one is in the text.
	if nl := strings.IndexByte(s[:i], '\n'); nl >= 0 {
		return msgOther, -1
	}
	return k, i + 2
}

// parseDurationMS reads PostgreSQL's "%.3f" milliseconds into
// microseconds; more decimals are rounded.
func parseDurationMS(s string) (int64, bool) {
	var whole int64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		whole = whole*10 + int64(s[i]-'0')
		if whole > 1<<40 {
			return 0, false
		}
		i++
	}
	if i == 0 {
		return 0, false
	}
	var frac int64
	if i < len(s) {
		if s[i] != '.' {
			return 0, false
		}
		i++
		n := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if n < 3 {
				frac = frac*10 + int64(s[i]-'0')
			} else if n == 3 && s[i] >= '5' {
				frac++
			}
			n++
		}
		if i < len(s) {
			return 0, false
		}
		for ; n < 3; n++ {
			frac *= 10
		}
	}
	return whole*1000 + frac, true
}

// parseParams reads a "parameters: $1 = '...', $2 = NULL" detail into
// values indexed by parameter number; buf is reused between calls. It
// returns nil when detail is not a parameter list.
func parseParams(detail string, buf *paramBuf) []*string {
	const lead = "parameters: "
	if !strings.HasPrefix(detail, lead) {
		return nil
	}
	s := detail[len(lead):]
	buf.vals = buf.vals[:0]
	buf.null = buf.null[:0]
	for {
		if len(s) == 0 || s[0] != '$' {
			return nil
		}
		n := digits(s[1:])
		if n == 0 {
			return nil
		}
		idx, err := strconv.Atoi(s[1 : 1+n])
		if err != nil || idx != len(buf.vals)+1 {
			return nil
		}
		s = s[1+n:]
		if !strings.HasPrefix(s, " = ") {
			return nil
		}
		s = s[3:]
		switch {
		case strings.HasPrefix(s, "NULL"):
			buf.vals = append(buf.vals, "")
			buf.null = append(buf.null, true)
			s = s[4:]
		case strings.HasPrefix(s, "'"):
			v, rest, ok := unquote(s)
			if !ok {
				return nil
			}
			buf.vals = append(buf.vals, v)
			buf.null = append(buf.null, false)
			s = rest
		default:
			return nil
		}
		s = strings.TrimRight(s, "\r\n")
		if s == "" {
			break
		}
		if !strings.HasPrefix(s, ", ") {
			return nil
		}
		s = s[2:]
	}
	buf.ptrs = buf.ptrs[:0]
	for i := range buf.vals {
		if buf.null[i] {
			buf.ptrs = append(buf.ptrs, nil)
		} else {
			buf.ptrs = append(buf.ptrs, &buf.vals[i])
		}
	}
	return buf.ptrs
}

// paramBuf is reused storage for parseParams.
type paramBuf struct {
	vals []string
	null []bool
	ptrs []*string
}

// unquote reads a single-quoted SQL literal (” is a quote) at the start
// of s and returns its value and what follows it.
func unquote(s string) (string, string, bool) {
	i := 1
	simple := true
	for i < len(s) {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				simple = false
				i += 2
				continue
			}
			if simple {
				return s[1:i], s[i+1:], true
			}
			return strings.ReplaceAll(s[1:i], "''", "'"), s[i+1:], true
		}
		i++
	}
	return "", "", false
}
