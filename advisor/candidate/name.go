package candidate

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxIdentLen is PostgreSQL's identifier limit (NAMEDATALEN - 1 bytes):
// longer names are silently truncated by the server, so a name we propose
// must already fit or two proposals could collide after truncation.
const maxIdentLen = 63

// IndexName returns the name PostgreSQL's own naming scheme would give an
// index on table with the given key parts: table_part1_part2_idx, the
// table and key parts shortened (the longer first, as PostgreSQL's
// makeObjectName does) so that the whole fits in 63 bytes. Each part is
// used as is: pass column names, and ExprName of expressions. When taken is not nil and reports the
// name as used, a number is appended to the label (idx1, idx2, ...) as
// PostgreSQL's ChooseRelationName does.
func IndexName(table string, parts []string, taken func(string) bool) string {
	var words []string
	for _, p := range parts {
		if p != "" {
			words = append(words, p)
		}
	}
	cols := strings.Join(words, "_")
	for n := 0; ; n++ {
		label := "idx"
		if n > 0 {
			label += strconv.Itoa(n)
		}
		name := makeObjectName(table, cols, label)
		if taken == nil || !taken(name) {
			return name
		}
	}
}

// makeObjectName joins name1, name2 (may be empty) and label with
// underscores, clipping name1 and name2 (the longer one first) so that the
// result fits in maxIdentLen bytes without splitting a character.
func makeObjectName(name1, name2, label string) string {
	overhead := len(label) + 1
	if name2 != "" {
		overhead++
	}
	avail := maxIdentLen - overhead
	for len(name1)+len(name2) > avail {
		if len(name1) > len(name2) {
			name1 = clip(name1, len(name1)-1)
		} else {
			name2 = clip(name2, len(name2)-1)
		}
	}
	out := name1
	if name2 != "" {
		out += "_" + name2
	}
	return out + "_" + label
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ExprName reduces an expression to the words it is made of, joined by
// underscores, for use in an index name: "lower(email)" gives
// "lower_email", "(created_at)::date" gives "created_at_date",
// "(data ->> 'kind'::text)" gives "data_kind_text".
func ExprName(expr string) string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range expr {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r >= utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	return strings.Join(words, "_")
}
