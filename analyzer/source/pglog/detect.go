package pglog

import (
	"fmt"
	"math/bits"
	"strings"
)

// Format is a PostgreSQL log format: a log_destination.
type Format string

// Log formats; their names are the input kinds of the report.
const (
	Stderr Format = "stderr"
	CSV    Format = "csvlog"
	JSON   Format = "jsonlog"
	Syslog Format = "syslog"
)

// ParseFormat reads a --log-format value: stderr, csvlog (csv), jsonlog
// (json) or syslog; "" and "auto" mean detect.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return "", nil
	case "stderr", "text", "log":
		return Stderr, nil
	case "csvlog", "csv":
		return CSV, nil
	case "jsonlog", "json":
		return JSON, nil
	case "syslog":
		return Syslog, nil
	}
	return "", fmt.Errorf("unknown log format %q (want stderr, csvlog, jsonlog or syslog)", s)
}

// KnownPrefixes are the log_line_prefix settings tried, in this order,
// when none is given: PostgreSQL's default, the Debian and Ubuntu
// default, pgBadger's recommendations, and those of the managed services.
var KnownPrefixes = []string{
	"%m [%p] ",                       // PostgreSQL 10+ default
	"%m [%p] %q%u@%d ",               // Debian, Ubuntu
	"%t [%p] %q%u@%d ",               // Debian, Ubuntu with %t
	"%m [%p-%l] %q%u@%d ",            // older Debian
	"%t [%p-%l] %q%u@%d ",            // older Debian
	"%t:%r:%u@%d:[%p]:",              // Amazon RDS and Aurora
	"%m:%r:%u@%d:[%p]:",              // Amazon RDS with milliseconds
	"%t-%c-",                         // Azure Database for PostgreSQL
	"sql_error_code = %e ",           // Heroku Postgres (in logplex's syslog lines)
	"%m [%p]: [%l-1] db=%d,user=%u ", // Google Cloud SQL
	"%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", // pgBadger
	"%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
	"%t [%p]: user=%u,db=%d,app=%a,client=%h ",
	"%m [%p]: user=%u,db=%d,app=%a,client=%h ",
	"%t [%p]: [%l-1] db=%d,user=%u ",
	"%t [%p]: [%l-1] ",
	"%m [%p]: [%l-1] ",
	"%m [%p] %q[user=%u,db=%d,app=%a] ",
	"%m [%p] %u@%d ",
	"%t [%p] ",
	"< %m > ", // Red Hat, older default
	"< %t > ",
	"%m ",
	"%t ",
	"",
}

// prefixPlatforms name the managed services whose log_line_prefix is
// theirs alone.
var prefixPlatforms = map[string]string{
	"%t:%r:%u@%d:[%p]:":              "Amazon RDS/Aurora",
	"%m:%r:%u@%d:[%p]:":              "Amazon RDS/Aurora",
	"%t-%c-":                         "Azure Database for PostgreSQL",
	"%m [%p]: [%l-1] db=%d,user=%u ": "Google Cloud SQL",
}

// DetectFormat guesses the format of a log from its first bytes: the
// format most of its first lines fit. ok is false when no line fits any.
func DetectFormat(sample []byte) (f Format, ok bool) {
	var votes [4]int
	lines := sampleLines(sample, 200)
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, `{"timestamp":`):
			votes[2]++
		case startsTimestamp([]byte(l)) && csvAfterTimestamp(l):
			votes[1]++
		case isSyslog(l):
			votes[3]++
		default:
			if at, _, _ := findSeverity(l); at >= 0 {
				votes[0]++
			}
		}
	}
	best, n := -1, 0
	for i, v := range votes {
		if v > n {
			best, n = i, v
		}
	}
	if best < 0 {
		return "", false
	}
	return [...]Format{Stderr, CSV, JSON, Syslog}[best], true
}

// csvAfterTimestamp says whether the timestamp at the start of l is a
// csvlog field: followed by a comma after its zone.
func csvAfterTimestamp(l string) bool {
	n, ok := scanTimestamp(l, true)
	if !ok {
		n, ok = scanTimestamp(l, false)
	}
	return ok && n < len(l) && l[n] == ','
}

func isSyslog(l string) bool {
	sl, ok := parseSyslogLine(l)
	if !ok {
		return false
	}
	at, _, _ := findSeverity(sl.text)
	return at >= 0 || sl.seq != ""
}

// sampleLines returns up to n complete lines of sample that are not
// continuation lines.
func sampleLines(sample []byte, n int) []string {
	s := string(sample)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 && i < len(s)-1 && len(s) > 1<<16 {
		s = s[:i]
	}
	var out []string
	for len(s) > 0 && len(out) < n {
		i := strings.IndexByte(s, '\n')
		var l string
		if i < 0 {
			l, s = s, ""
		} else {
			l, s = s[:i], s[i+1:]
		}
		l = strings.TrimSuffix(l, "\r")
		if l == "" || l[0] == '\t' {
			continue
		}
		out = append(out, l)
	}
	return out
}

// DetectPrefix finds the log_line_prefix of a stderr (or syslog) log from
// its first lines: the known prefix that matches the most lines, the most
// specific one on a tie. It returns nil when no known prefix matches half
// of the lines that have a severity.
func DetectPrefix(sample []byte, format Format) *Prefix {
	lines := sampleLines(sample, 500)
	var heads []string
	for _, l := range lines {
		if format == Syslog {
			sl, ok := parseSyslogLine(l)
			if !ok || sl.part != 1 {
				continue
			}
			l = sl.text
		}
		if at, _, _ := findSeverity(l); at >= 0 {
			heads = append(heads, l[:at])
		}
	}
	if len(heads) == 0 {
		return nil
	}
	var best *Prefix
	bestN, bestFields := 0, -1
	var f fields
	var ts tsCache
	for _, src := range KnownPrefixes {
		p, err := CompilePrefix(src)
		if err != nil {
			continue
		}
		n := 0
		for _, h := range heads {
			if p.match(h, &f, &ts) {
				n++
			}
		}
		nf := bits.OnesCount32(uint32(p.has))
		if n > bestN || (n == bestN && n > 0 && nf > bestFields) {
			best, bestN, bestFields = p, n, nf
		}
	}
	if bestN*2 < len(heads) {
		return nil
	}
	return best
}

// Generic is the Prefix used when no known log_line_prefix fits: it takes
// whatever comes before the severity as the prefix and picks from it a
// leading timestamp, a [pid] and user@database when it sees them.
var Generic = &Prefix{src: "(unknown: timestamp, [pid] and user@db read by heuristics)", generic: true}
