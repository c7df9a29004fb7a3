package dbconn

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// passwordKeys are the connection parameters that hold secrets.
var passwordKeys = map[string]bool{"password": true, "sslpassword": true}

// Redact returns the connection string with its passwords removed, for
// messages: the password of a URL's user (postgres://user:pw@host/db
// becomes postgres://user@host/db) and password or sslpassword
// parameters of URLs (?password=...) and keyword/value strings
// (host=h password='p w' becomes host=h). Malformed input is redacted
// too, erring on the side of removing too much.
func Redact(conn string) string {
	if scheme, rest, ok := cutScheme(conn); ok {
		return scheme + redactURLRest(rest)
	}
	return redactKeyValue(conn)
}

// cutScheme splits "postgres://rest" or "postgresql://rest".
func cutScheme(s string) (scheme, rest string, ok bool) {
	i := strings.Index(s, "://")
	if i < 0 {
		return "", "", false
	}
	switch strings.ToLower(strings.TrimSpace(s[:i])) {
	case "postgres", "postgresql":
		return s[:i+3], s[i+3:], true
	}
	return "", "", false
}

// paramsRE matches well-formed URL parameters ("?a=b&c=d").
var paramsRE = regexp.MustCompile(`^\?[A-Za-z_]+=[^&]*(&[A-Za-z_]+=[^&]*)*$`)

// splitUserinfo finds the user:password@ part of a URL without scheme.
// Users type passwords with unencoded '/', '?', '#' or '@' (and Azure
// user names hold '@'), so the userinfo ends at the last '@' before the
// first '?' (when what follows is parameters or holds no '@'), or else
// at the last '@' if a ':' comes before it, unless that colon is followed by a port number and the
// '@' is in well-formed parameters (host:5432/db?application_name=me@x).
// Ambiguous strings are cut so as to hide too much rather than too
// little.
func splitUserinfo(rest string) (userinfo, hostAndRest string, ok bool) {
	q := strings.IndexByte(rest, '?')
	if q < 0 {
		q = len(rest)
	}
	if at := strings.LastIndexByte(rest[:q], '@'); at >= 0 &&
		(!strings.Contains(rest[q:], "@") || paramsRE.MatchString(rest[q:])) {
		return rest[:at], rest[at+1:], true
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return "", rest, false
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return "", rest, false
	}
	port := rest[colon+1:]
	if i := strings.IndexAny(port, "/?"); i >= 0 {
		port = port[:i]
	}
	if q < at && port != "" && strings.Trim(port, "0123456789") == "" && paramsRE.MatchString(rest[q:]) {
		return "", rest, false
	}
	return rest[:at], rest[at+1:], true
}

func redactURLRest(rest string) string {
	if userinfo, hostAndRest, ok := splitUserinfo(rest); ok {
		user, _, _ := strings.Cut(userinfo, ":")
		rest = user + "@" + hostAndRest
	}
	// Drop password parameters: any segment after a '?' or '&' (not
	// only after the first '?', which may be a typo in the host).
	var b strings.Builder
	needQuery := false // a dropped segment held the '?'
	i := strings.IndexAny(rest, "?&")
	if i < 0 {
		return rest
	}
	b.WriteString(rest[:i])
	for i < len(rest) {
		j := strings.IndexAny(rest[i+1:], "?&")
		if j < 0 {
			j = len(rest)
		} else {
			j += i + 1
		}
		sep, param := rest[i], rest[i+1:j]
		k, _, _ := strings.Cut(param, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if passwordKeys[strings.ToLower(strings.TrimSpace(k))] {
			needQuery = needQuery || sep == '?'
		} else {
			if needQuery && sep == '&' {
				sep, needQuery = '?', false
			}
			b.WriteByte(sep)
			b.WriteString(param)
		}
		i = j
	}
	return b.String()
}

// kvPair is one keyword=value of a keyword/value connection string:
// s[start:end] is the whole pair, value its unquoted value.
type kvPair struct {
	key, value string
	start, end int
}

// parseKeyValue splits a libpq keyword/value string. It returns the
// pairs it could read and the offset where it stopped understanding the
// input (len(s) when it understood all of it).
func parseKeyValue(s string) ([]kvPair, int) {
	var pairs []kvPair
	i := 0
	skipSpace := func() {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	for {
		skipSpace()
		if i >= len(s) {
			return pairs, len(s)
		}
		start := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[start:i]
		skipSpace()
		if key == "" || i >= len(s) || s[i] != '=' {
			return pairs, start
		}
		i++
		skipSpace()
		var v strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\\' && i+1 < len(s) {
					v.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '\'' {
					i++
					closed = true
					break
				}
				v.WriteByte(s[i])
				i++
			}
			if !closed {
				return pairs, start
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				v.WriteByte(s[i])
				i++
			}
		}
		pairs = append(pairs, kvPair{key: key, value: v.String(), start: start, end: i})
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// passwordRE finds password settings in text that is not a well-formed
// connection string.
var passwordRE = regexp.MustCompile(`(?i)\b(ssl)?password\s*=\s*('(?:\\.|[^'\\])*'?|\S*)`)

func redactKeyValue(s string) string {
	pairs, stop := parseKeyValue(s)
	var b strings.Builder
	last, removed := 0, false
	for _, p := range pairs {
		if !passwordKeys[strings.ToLower(p.key)] {
			continue
		}
		// Drop the pair and the blanks before it.
		from := p.start
		for from > last && isSpace(s[from-1]) {
			from--
		}
		b.WriteString(s[last:from])
		last, removed = p.end, true
	}
	b.WriteString(s[last:stop])
	tail := passwordRE.ReplaceAllString(s[stop:], "")
	if tail != s[stop:] {
		removed = true
	}
	out := b.String() + tail
	if removed {
		out = strings.TrimSpace(out)
	}
	return out
}

// secrets returns the password values found in a connection string, raw
// and decoded, for scrubbing them out of messages that quote them in
// some other form.
func secrets(conn string) []string {
	var out []string
	add := func(v string) {
		if v != "" {
			out = append(out, v)
			if u, err := url.QueryUnescape(v); err == nil && u != v {
				out = append(out, u)
			}
			if u, err := url.PathUnescape(v); err == nil && u != v {
				out = append(out, u)
			}
		}
	}
	if _, rest, ok := cutScheme(conn); ok {
		if userinfo, _, ok := splitUserinfo(rest); ok {
			if _, pw, ok := strings.Cut(userinfo, ":"); ok {
				add(pw)
			}
		}
		if _, query, ok := strings.Cut(rest, "?"); ok {
			for _, p := range strings.Split(query, "&") {
				k, v, _ := strings.Cut(p, "=")
				if uk, err := url.QueryUnescape(k); err == nil {
					k = uk
				}
				if passwordKeys[strings.ToLower(k)] {
					add(v)
				}
			}
		}
		return out
	}
	pairs, stop := parseKeyValue(conn)
	for _, p := range pairs {
		if passwordKeys[strings.ToLower(p.key)] {
			add(p.value)
			add(strings.TrimSpace(conn[p.start:p.end]))
		}
	}
	for _, m := range passwordRE.FindAllStringSubmatch(conn[stop:], -1) {
		add(strings.Trim(m[2], "'"))
	}
	return out
}

// urlInTextRE finds PostgreSQL URLs quoted inside messages.
var urlInTextRE = regexp.MustCompile("(?i)postgres(?:ql)?://[^\\s\"`']+")

// scrub removes passwords from a message by structure: URLs it quotes
// lose their passwords (Redact), password=... settings are dropped, and a
// field of the message that is exactly one of the secrets (the passwords
// of the connection string the message is about: a word between blanks,
// quotes or brackets) becomes xxxxx. A secret inside a longer word is left
// alone: replacing substrings would turn password "1" into a mask over the
// host 127.0.0.1 whose holes spell the password.
func scrub(msg string, secrets ...string) string {
	msg = urlInTextRE.ReplaceAllStringFunc(msg, Redact)
	msg = passwordRE.ReplaceAllString(msg, "")
	for _, s := range secrets {
		if s != "" {
			msg = replaceField(msg, s, "xxxxx")
		}
	}
	return msg
}

// replaceField replaces the occurrences of field in msg that stand alone
// (delimited by the start or end of msg or a fieldDelims byte) with repl.
func replaceField(msg, field, repl string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+len(field) <= len(msg); {
		k := strings.Index(msg[i:], field)
		if k < 0 {
			break
		}
		start, end := i+k, i+k+len(field)
		if (start == 0 || strings.IndexByte(fieldDelims, msg[start-1]) >= 0) &&
			(end == len(msg) || strings.IndexByte(fieldDelims, msg[end]) >= 0) {
			b.WriteString(msg[last:start])
			b.WriteString(repl)
			last = end
			i = end
			continue
		}
		i = start + 1
	}
	if last == 0 {
		return msg
	}
	b.WriteString(msg[last:])
	return b.String()
}

// fieldDelims end a field of a message.
const fieldDelims = " \t\n\r\"'`()[]{},;"

// ErrURLUnencoded is the error of a URL whose user name or password holds
// a character that ends that part for libpq and pgx ('@', '/', '?',
// '#'): they would read part of the password as the host, send it to DNS
// and print it in their errors.
var ErrURLUnencoded = errors.New("the user name or password holds an unencoded '@', '/', '?' or '#': percent-encode them (%40, %2F, %3F, %23)")

// checkURL refuses a postgres:// URL that libpq would split in the wrong
// place (ErrURLUnencoded), without quoting any part of it.
func checkURL(conn string) error {
	_, rest, ok := cutScheme(conn)
	if !ok {
		return nil
	}
	userinfo, _, ok := splitUserinfo(rest)
	if ok && strings.ContainsAny(userinfo, "@/?#") {
		return &Error{op: "invalid connection string", Target: Redact(conn), Reason: ErrURLUnencoded.Error(), Err: ErrURLUnencoded}
	}
	return nil
}

// RedactText removes from text (an error message, a program's output)
// the passwords of connection string conn and any connection string or
// password=... setting it quotes.
func RedactText(text, conn string) string {
	return scrub(text, secrets(conn)...)
}
