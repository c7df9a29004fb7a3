// Package sqltext finds things in a statement's text for the checks: where
// the first token starts, where a keyword or symbol appears outside
// comments, string literals and quoted identifiers. The query model keeps
// byte offsets for columns, relations and predicates but not for every
// clause (OFFSET, ORDER BY items, *), so the checks place those findings
// by scanning from the enclosing block's offset.
package sqltext

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// Start returns the position of the statement's first token, after any
// leading whitespace and comments, so that a finding about the whole
// statement lands on the line where it is written, not on a comment
// above it.
func Start(s *check.Statement) check.Position {
	return s.PosAt(FirstToken(s.Text, 0))
}

// FirstToken returns the offset of the first byte at or after from that
// is neither whitespace nor inside a comment (len(text) when none).
func FirstToken(text string, from int) int {
	i := max(from, 0)
	for i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return len(text)
			}
			i += j + 1
		case strings.HasPrefix(text[i:], "/*"):
			i = skipBlockComment(text, i)
		default:
			return i
		}
	}
	return len(text)
}

// skipBlockComment returns the offset after the (nested) block comment
// starting at i.
func skipBlockComment(text string, i int) int {
	depth := 0
	for i < len(text) {
		switch {
		case strings.HasPrefix(text[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(text[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(text)
}

// Find returns the offset of the first occurrence at or after from of
// word (a keyword, matched case-insensitively on word boundaries, or a
// symbol such as "*"), outside comments, string literals, dollar-quoted
// strings and quoted identifiers; -1 when there is none.
func Find(text string, from int, word string) int {
	isWord := word != "" && identByte(word[0])
	i := max(from, 0)
	for i < len(text) {
		c := text[i]
		switch {
		case strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return -1
			}
			i += j + 1
			continue
		case strings.HasPrefix(text[i:], "/*"):
			i = skipBlockComment(text, i)
			continue
		case c == '\'' || c == '"':
			i = skipQuoted(text, i, c)
			continue
		case c == '$':
			if tag, ok := dollarTag(text[i:]); ok {
				j := strings.Index(text[i+len(tag):], tag)
				if j < 0 {
					return -1
				}
				i += len(tag) + j + len(tag)
				continue
			}
		}
		if len(text)-i >= len(word) && strings.EqualFold(text[i:i+len(word)], word) {
			if !isWord {
				return i
			}
			before := i == 0 || !identByte(text[i-1])
			after := i+len(word) == len(text) || !identByte(text[i+len(word)])
			if before && after {
				return i
			}
		}
		if isWord && identByte(c) {
			// Skip the rest of this identifier: a keyword never starts
			// inside one.
			for i < len(text) && identByte(text[i]) {
				i++
			}
			continue
		}
		i++
	}
	return -1
}

// skipQuoted returns the offset after the literal or quoted identifier
// opened by q at i (a doubled quote is part of it).
func skipQuoted(text string, i int, q byte) int {
	i++
	for i < len(text) {
		if text[i] == q {
			if i+1 < len(text) && text[i+1] == q {
				i += 2
				continue
			}
			return i + 1
		}
		if q == '\'' && text[i] == '\\' && i+1 < len(text) {
			// E'...' escapes; in a standard string a backslash is
			// itself, and skipping one character after it only matters
			// for a quote, which would end the string one character
			// later at worst.
			i += 2
			continue
		}
		i++
	}
	return len(text)
}

// dollarTag returns the $tag$ opening a dollar-quoted string at the start
// of s.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1], true
		case identByte(c) && !(j == 1 && c >= '0' && c <= '9'):
		default:
			return "", false
		}
	}
	return "", false
}

// identByte reports whether c can be part of an unquoted identifier.
func identByte(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80
}

// FindBefore returns the offset of the last occurrence of word (as Find
// matches it) that starts before offset before; -1 when there is none.
func FindBefore(text string, before int, word string) int {
	last := -1
	for i := Find(text, 0, word); i >= 0 && i < before; i = Find(text, i+len(word), word) {
		last = i
	}
	return last
}

// Keyword returns the position of the last word (a keyword such as
// DELETE) before offset at in s, or of at itself when there is none:
// where a clause about the item at at starts.
func Keyword(s *check.Statement, at int, word string) check.Position {
	if i := FindBefore(s.Text, at, word); i >= 0 {
		return s.PosAt(i)
	}
	return s.PosAt(FirstToken(s.Text, at))
}

// ExprStart moves offset at, the start of a column reference, back to the
// start of the function calls and parentheses that enclose it directly:
// in "WHERE lower(email) = $1" from email to lower. The model locates
// columns and operators, not the expressions around them.
func ExprStart(text string, at int) int {
	if at < 0 || at > len(text) {
		return at
	}
	for {
		i := at
		for i > 0 && isSpace(text[i-1]) {
			i--
		}
		if i == 0 || text[i-1] != '(' {
			return at
		}
		i--
		j := i
		for j > 0 && (identByte(text[j-1]) || text[j-1] == '.') {
			j--
		}
		if j < i && stopWords[strings.ToLower(text[j:i])] {
			return i // WHERE(...: keep the parenthesis, not the keyword
		}
		at = j
	}
}

// stopWords are keywords that can stand right before a parenthesis
// without being a function name.
var stopWords = map[string]bool{"where": true, "and": true, "or": true, "not": true, "on": true, "in": true, "when": true, "then": true, "else": true, "having": true, "select": true, "by": true, "exists": true, "any": true, "all": true, "some": true, "using": true, "values": true}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
