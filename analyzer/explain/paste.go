package explain

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file undoes what copying a plan out of a client does to it: psql's
// table frames in every \pset linestyle and border (and the session
// transcript around them), the quotes GUI clients and CSV exports put
// around lines, and a selection that starts at an inner node.

// unframe removes psql's table frames around query results: the centered
// "QUERY PLAN" header and its rules, the border characters of every row
// (ascii or unicode, border 0, 1 or 2), the "+" or "↵" that marks a value
// continuing on the next line, and the "(N rows)" footer in any language.
// When the input holds a frame, every line outside frames (a psql session
// transcript: prompts, SET, "Time:" lines) is dropped too. Removed lines
// become empty so that line numbers stay those of the input.
func unframe(data []byte) []byte {
	if !bytes.Contains(data, []byte("QUERY PLAN")) {
		return data
	}
	lines := strings.Split(string(data), "\n")
	keep := make([]bool, len(lines))
	found := false
	for i := 0; i+1 < len(lines); i++ {
		head := strings.TrimRight(lines[i], "\r ")
		if strings.Trim(head, " |│") != "QUERY PLAN" || !isRule(lines[i+1]) {
			continue
		}
		found = true
		border2 := strings.HasPrefix(strings.TrimLeft(head, " "), "|") || strings.HasPrefix(strings.TrimLeft(head, " "), "│")
		i = unframeRows(lines, keep, i+2, border2) - 1
	}
	if !found {
		return data
	}
	for i := range lines {
		if !keep[i] {
			lines[i] = ""
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// unframeRows rewrites the rows of one frame starting at line from, marks
// them kept and returns the index of the first line after the frame.
func unframeRows(lines []string, keep []bool, from int, border2 bool) int {
	strip := -1 // leading spaces of border 1 (1) or border 0 (0) rows
	last := -1  // the last row kept, that a wrapped line continues
	i := from
	for ; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		t := strings.TrimSpace(l)
		if t == "" || isFooter(t) {
			if t != "" {
				i++
			}
			break
		}
		if isRule(l) {
			// The bottom border (border 2); its footer follows.
			if i+1 < len(lines) && isFooter(strings.TrimSpace(lines[i+1])) {
				i++
			}
			i++
			break
		}
		var row string
		wrapped := false
		if border2 {
			r, ok := cutBorder(l)
			row, wrapped = r, !ok
		} else {
			if strip < 0 {
				strip = 0
				if strings.HasPrefix(l, " ") {
					strip = 1
				}
			}
			row = l
			if strip == 1 {
				var ok bool
				row, ok = strings.CutPrefix(l, " ")
				wrapped = !ok
			}
		}
		row = strings.TrimRight(row, " ")
		row = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(row, "+"), "↵"), " ")
		if wrapped && last >= 0 {
			// A terminal wrapped the row: glue it to the previous one.
			lines[last] += row
			lines[i] = ""
			continue
		}
		lines[i], keep[i], last = row, true, i
	}
	return i
}

// cutBorder removes the left and right borders of a border-2 row; false
// when l has no left border (a terminal wrapped the row before it).
func cutBorder(l string) (string, bool) {
	r, size := utf8.DecodeRuneInString(l)
	if r != '|' && r != '│' {
		return strings.TrimRight(strings.TrimRight(l, " "), "|│"), false
	}
	row := strings.TrimPrefix(l[size:], " ")
	row = strings.TrimRight(row, " ")
	row = strings.TrimSuffix(strings.TrimSuffix(row, "|"), "│")
	return row, true
}

// ruleRunes are the characters of psql's horizontal rules in every
// linestyle.
const ruleRunes = "-+─┌┐└┘├┤┼┬┴═╔╗╚╝╠╣╬╤╧╪╒╕╘╛╞╡"

func isRule(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && strings.Trim(t, ruleRunes) == "" && (strings.Contains(t, "--") || strings.Contains(t, "──") || strings.Contains(t, "══"))
}

// isFooter reports whether t is psql's row count footer, "(8 rows)", in
// any language psql speaks: "(8 lignes)", "(8 Zeilen)", "(8 行)".
func isFooter(t string) bool {
	if !strings.HasPrefix(t, "(") || !strings.HasSuffix(t, ")") {
		return false
	}
	num, word, ok := strings.Cut(t[1:len(t)-1], " ")
	if !ok || word == "" || utf8.RuneCountInString(word) > 16 {
		return false
	}
	for _, r := range word {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	_, err := strconv.Atoi(num)
	return err == nil
}

// unquote removes the quotes clients put around the lines of a plan, in
// place: every line in single quotes (pgAdmin's copy, quotes inside
// doubled), every line in double quotes, or the lines of a CSV export
// that CSV quoting wrapped (those holding a comma or a quote).
func unquote(raw []string) {
	for _, q := range []byte{'\'', '"'} {
		if allQuoted(raw, q) {
			for i, l := range raw {
				if t := strings.TrimSpace(l); t != "" {
					raw[i] = strings.ReplaceAll(t[1:len(t)-1], string(q)+string(q), string(q))
				}
			}
			return
		}
	}
	if multiLineField(raw) {
		return
	}
	for _, l := range raw {
		if strings.HasPrefix(strings.TrimSpace(l), "Query Text:") {
			// auto_explain's statement text may hold such lines.
			return
		}
	}
	for i, l := range raw {
		t := strings.TrimSpace(l)
		if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
			continue
		}
		in := t[1 : len(t)-1]
		// CSV quotes a field that holds a comma or a quote; a plan line
		// never starts with a quote of its own.
		if strings.Contains(in, ",") || strings.Contains(in, `""`) {
			raw[i] = strings.ReplaceAll(in, `""`, `"`)
		}
	}
}

// multiLineField unquotes, in place, a plan exported as one CSV field
// holding newlines (a spreadsheet or a GUI client's CSV of the single
// "QUERY PLAN" cell): its first line opens a double quote that its last
// line closes. It reports whether it did.
func multiLineField(raw []string) bool {
	first, last := -1, -1
	for i, l := range raw {
		t := strings.TrimSpace(l)
		if t == "" || first < 0 && (t == "QUERY PLAN" || t == `"QUERY PLAN"`) {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 || first == last {
		return false
	}
	a, b := strings.TrimSpace(raw[first]), strings.TrimRight(raw[last], " \r")
	if !strings.HasPrefix(a, `"`) || strings.HasSuffix(a, `"`) || !strings.HasSuffix(b, `"`) || strings.HasSuffix(b, `""`) && !strings.HasSuffix(b, `"""`) {
		return false
	}
	for i := first; i <= last; i++ {
		l := raw[i]
		switch i {
		case first:
			l = strings.TrimPrefix(strings.TrimSpace(l), `"`)
		case last:
			l = strings.TrimSuffix(strings.TrimRight(l, " \r"), `"`)
		}
		raw[i] = strings.ReplaceAll(l, `""`, `"`)
	}
	return true
}

func allQuoted(lines []string, q byte) bool {
	n := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if len(t) < 2 || t[0] != q || t[len(t)-1] != q {
			return false
		}
		n++
	}
	return n > 0
}

// unfragment makes a plan selection that starts at an inner node ("->  Hash
// Join ...") a plan whose root is that node. out are the non-empty lines
// of the input. A selection made in a terminal starts at the arrow and
// loses the indentation of its first line: the next line, a property or
// a child of that node, is indented 6 columns right of the arrow.
func unfragment(out []tline) {
	if len(out) == 0 || !strings.HasPrefix(out[0].s, "->") {
		return
	}
	body := strings.TrimLeft(strings.TrimPrefix(out[0].s, "->"), " ")
	if !isHeader(body) {
		return
	}
	arrow := out[0].indent
	if arrow == 0 && len(out) > 1 && out[1].indent >= 6 {
		arrow = out[1].indent - 6
	}
	out[0].s, out[0].indent = body, arrow+len(out[0].s)-len(body)
}
