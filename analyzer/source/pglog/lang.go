package pglog

import (
	"sort"
	"strings"
)

//go:generate go run ./internal/langgen -o lang_table.go

// catalog is the translation of the messages the reader understands into
// one language, from PostgreSQL's message catalogs (lang_table.go).
type catalog struct {
	lang string
	msgs map[string]string
}

// languageNames names the catalogs' languages for people.
var languageNames = map[string]string{
	"cs": "Czech", "de": "German", "el": "Greek", "es": "Spanish", "fr": "French", "it": "Italian",
	"ja": "Japanese", "ka": "Georgian", "ko": "Korean", "pl": "Polish", "pt_BR": "Brazilian Portuguese",
	"ru": "Russian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh_CN": "Chinese (simplified)",
	"zh_TW": "Chinese (traditional)",
}

// translator rewrites the lines of a log written with lc_messages set to
// another language into the English ones the parser reads: the severity
// or label and the head of the messages that log statements.
type translator struct {
	lang   string
	labels []labelPair
	rules  []msgRule
	// sevs maps translated severities to English (csvlog and jsonlog
	// give them in a field of their own).
	sevs map[string]string
}

type labelPair struct{ from, to string }

// msgRule is one message: the literal pieces of its translated format
// around each %s, and of its English format. The last %s, when the format
// ends with it, is the statement text and is left as it is.
type msgRule struct {
	from, to []string
}

// verbArg says which %s of a format is "execute" or "execute fetch from",
// itself translated: the rule is expanded for each verb.
var verbArg = map[string]int{"duration: %s ms  %s %s%s%s: %s": 1, "%s %s%s%s: %s": 0}

// translators are built once from catalogs.
var translators = buildTranslators()

func buildTranslators() []*translator {
	var out []*translator
	for _, c := range catalogs {
		t := &translator{lang: c.lang, sevs: map[string]string{}}
		for _, sev := range []string{"LOG", "ERROR", "WARNING", "NOTICE", "FATAL", "PANIC", "INFO", "DEBUG"} {
			if s, ok := c.msgs[sev]; ok && s != sev {
				t.labels = append(t.labels, labelPair{s + ":  ", sev + ":  "})
				t.sevs[s] = sev
			}
		}
		for _, l := range []string{"DETAIL:  ", "HINT:  ", "QUERY:  ", "CONTEXT:  ", "LOCATION:  ", "STATEMENT:  "} {
			if s, ok := c.msgs[l]; ok && s != l {
				t.labels = append(t.labels, labelPair{s, l})
			}
		}
		for id, s := range c.msgs {
			if !strings.Contains(id, "%s") {
				continue
			}
			if v, ok := verbArg[id]; ok {
				for _, verb := range []string{"execute fetch from", "execute"} {
					tv := c.msgs[verb]
					if tv == "" {
						tv = verb
					}
					t.rules = append(t.rules, msgRule{from: splitFormat(replaceArg(s, v, tv)), to: splitFormat(replaceArg(id, v, verb))})
				}
				continue
			}
			t.rules = append(t.rules, msgRule{from: splitFormat(s), to: splitFormat(id)})
		}
		// The most specific rules first: more pieces, longer head.
		sort.Slice(t.rules, func(i, j int) bool {
			a, b := t.rules[i].from, t.rules[j].from
			if len(a) != len(b) {
				return len(a) > len(b)
			}
			if len(a[0]) != len(b[0]) {
				return len(a[0]) > len(b[0])
			}
			return strings.Join(a, "%s") < strings.Join(b, "%s")
		})
		out = append(out, t)
	}
	return out
}

// replaceArg replaces the i-th %s of format by s.
func replaceArg(format string, i int, s string) string {
	parts := strings.Split(format, "%s")
	if i+1 >= len(parts) {
		return format
	}
	return strings.Join(parts[:i+1], "%s") + s + strings.Join(parts[i+1:], "%s")
}

// splitFormat returns the literal pieces of a format around its %s.
func splitFormat(f string) []string { return strings.Split(f, "%s") }

// translate returns the English form of msg, and whether a rule matched.
func (r *msgRule) translate(msg string) (string, bool) {
	from := r.from
	if !strings.HasPrefix(msg, from[0]) {
		return "", false
	}
	rest := msg[len(from[0]):]
	args := make([]string, 0, len(from)-1)
	for i := 1; i < len(from); i++ {
		lit := from[i]
		if i == len(from)-1 {
			if lit == "" {
				args = append(args, rest)
				rest = ""
				break
			}
			// The format ends with a literal: the message must too.
			j := strings.Index(rest, lit)
			if j < 0 || strings.TrimSpace(rest[j+len(lit):]) != "" {
				return "", false
			}
			args = append(args, rest[:j])
			rest = rest[j+len(lit):]
			break
		}
		if lit == "" {
			args = append(args, "")
			continue
		}
		j := strings.Index(rest, lit)
		if j < 0 {
			return "", false
		}
		args = append(args, rest[:j])
		rest = rest[j+len(lit):]
	}
	var b strings.Builder
	b.WriteString(r.to[0])
	for i, a := range args {
		b.WriteString(a)
		if i+1 < len(r.to) {
			b.WriteString(r.to[i+1])
		}
	}
	b.WriteString(rest)
	return b.String(), true
}

// line returns the English form of one log line (its prefix unchanged);
// changed is false when nothing in it was translated.
func (t *translator) line(l string) (out string, changed bool) {
	if l == "" || l[0] == '\t' || l[0] == ' ' {
		return l, false
	}
	limit := min(len(l), maxPrefix)
	at, msgAt := -1, -1
	var to string
	for _, p := range t.labels {
		if i := strings.Index(l[:limit], p.from); i >= 0 && (at < 0 || i < at) {
			at, msgAt, to = i, i+len(p.from), p.to
		}
	}
	if e, em, _ := findSeverity(l); e >= 0 && (at < 0 || e < at) {
		at, msgAt, to = e, em, l[e:em]
	}
	if at < 0 {
		return l, false
	}
	msg := l[msgAt:]
	for i := range t.rules {
		if m, ok := t.rules[i].translate(msg); ok {
			msg, changed = m, true
			break
		}
	}
	if to != l[at:msgAt] {
		changed = true
	}
	if !changed {
		return l, false
	}
	return l[:at] + to + msg, true
}

// detectLanguage returns the translator of the language most lines of
// sample are written in, or nil when they are in English.
func detectLanguage(sample []byte) *translator {
	lines := sampleLines(sample, 500)
	var best *translator
	bestN := 0
	for _, t := range translators {
		n := 0
		for _, l := range lines {
			if _, ok := t.line(l); ok {
				n++
			}
		}
		if n > bestN {
			best, bestN = t, n
		}
	}
	// A few translated words in an English log (a statement's text) do
	// not make it a French one.
	if bestN*20 < len(lines) {
		return nil
	}
	return best
}

// Translate returns sample with its lines in English when they are in
// another language of PostgreSQL's catalogs (lc_messages), else sample
// itself: for detecting the format of a log whose severities are all
// translated.
func Translate(sample []byte) []byte {
	t := detectLanguage(sample)
	if t == nil {
		return sample
	}
	lines := strings.Split(string(sample), "\n")
	for i, l := range lines {
		lines[i], _ = t.line(l)
	}
	return []byte(strings.Join(lines, "\n"))
}

// message returns the English form of a message field (csvlog,
// jsonlog): the head of the messages that log statements.
func (t *translator) message(msg string) string {
	for i := range t.rules {
		if m, ok := t.rules[i].translate(msg); ok {
			return m
		}
	}
	return msg
}

// severity returns the English form of an error_severity field.
func (t *translator) severity(s string) string {
	if e, ok := t.sevs[s]; ok {
		return e
	}
	return s
}

// detectFieldLanguage returns the translator of the language the message
// fields of a csvlog or jsonlog sample are written in, or nil: the
// language whose statement messages ("durée : ", "Dauer: ") occur most.
func detectFieldLanguage(sample []byte) *translator {
	text := string(sample)
	var best *translator
	bestN := 0
	for _, t := range translators {
		n := 0
		seen := map[string]bool{}
		for _, r := range t.rules {
			head := r.from[0]
			if len(head) < 4 || seen[head] || head == r.to[0] {
				continue
			}
			seen[head] = true
			// A field's start: quoted (csvlog with a comma in it, jsonlog)
			// or not.
			n += strings.Count(text, `"`+head) + strings.Count(text, ","+head)
		}
		if n > bestN {
			best, bestN = t, n
		}
	}
	return best
}

// name names the language for people.
func (t *translator) name() string {
	if n, ok := languageNames[t.lang]; ok {
		return n
	}
	return t.lang
}
