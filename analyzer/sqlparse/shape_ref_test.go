package sqlparse

// This file keeps the first, straightforward implementation of the shape
// encoding (token by token through Lexer.Next) as a reference: the
// optimized implementation in shape.go must produce the same bytes.

import "strings"

// referenceShape returns the reference encoding of sql.
func referenceShape(sql string) []byte {
	nul := false
	if i := strings.IndexByte(sql, 0); i >= 0 {
		sql, nul = sql[:i], true
	}
	st := refShapeState{lx: NewLexer(sql, false), src: sql}
	st.loop()
	if nul {
		st.b = append(st.b, shNUL)
	}
	return st.b
}

// refShapeState is the state of one key computation, kept on the stack.
type refShapeState struct {
	lx     Lexer
	src    string
	b      []byte
	parens []bool // for each open parenthesis: it opens position(...)
	p0, p1 Token  // the last two significant tokens, p0 the latest
	dml    bool
	merge  bool // the word MERGE was seen: its INSERT VALUES takes one row
}

func (st *refShapeState) loop() {
	src := st.src
	// The first token (after opening parentheses) tells whether literal
	// values can be ignored.
	t := st.next()
	for t.Kind == TokPunct && src[t.Start] == '(' {
		st.emit(t)
		t = st.next()
	}
	st.dml = t.Kind == TokIdent && isDMLWord(src[t.Start:t.End])
	// The frequent tokens are handled here with the output in a local
	// variable; the others go through emit.
	b := st.b
	for ; t.Kind != TokEOF; t = st.next() {
		switch t.Kind {
		case TokIdent:
			w := src[t.Start:t.End]
			b = appendLower(b, w)
			st.p1, st.p0 = st.p0, t
			if st.dml {
				switch len(w) {
				case 2:
					if lexEqualFold(w, "in") && !(len(st.parens) > 0 && st.parens[len(st.parens)-1]) {
						st.b = b
						st.collapseList('(', ')', 1)
						b = st.b
					}
				case 5:
					if lexEqualFold(w, "merge") {
						st.merge = true
					}
					if lexEqualFold(w, "array") {
						st.b = b
						st.collapseList('[', ']', 2)
						b = st.b
					}
				case 6:
					if !st.merge && lexEqualFold(w, "values") {
						st.b = b
						st.collapseRows()
						b = st.b
					}
				}
			}
			continue
		case TokOperator:
			if st.dml && st.p0.Kind == TokOperator && t.End == t.Start+1 && src[t.Start] == '-' {
				if u, ok := st.negativeNumber(); ok {
					t = u
					break
				}
			}
			b = append(b, shOp)
			b = append(b, src[t.Start:t.End]...)
			st.p1, st.p0 = st.p0, t
			continue
		case TokPunct:
			if c := src[t.Start]; t.End == t.Start+1 && c != '(' && c != ')' {
				b = append(b, shPunct, c)
				st.p1, st.p0 = st.p0, t
				continue
			}
		}
		st.b = b
		st.emit(t)
		b = st.b
	}
	st.b = b
}

// next returns the next token that is not a comment (an unterminated
// comment is returned: it is an error that must stay in the key).
func (st *refShapeState) next() Token {
	for {
		t := st.lx.Next()
		if t.Kind != TokComment || t.Flags&FlagUnterminated != 0 {
			return t
		}
	}
}

// emit appends token t to the key (any kind; loop handles the frequent
// ones itself).
func (st *refShapeState) emit(t Token) {
	src := st.src
	text := src[t.Start:t.End]
	switch t.Kind {
	case TokIdent:
		st.b = appendLower(st.b, text)
	case TokPunct:
		st.b = append(st.b, shPunct)
		st.b = append(st.b, text...)
		switch text {
		case "(":
			p := st.p0
			st.parens = append(st.parens, p.Kind == TokIdent && lexEqualFold(src[p.Start:p.End], "position"))
		case ")":
			if len(st.parens) > 0 {
				st.parens = st.parens[:len(st.parens)-1]
			}
		}
	case TokOperator:
		st.b = append(st.b, shOp)
		st.b = append(st.b, text...)
	case TokParam:
		st.b = append(st.b, shParam)
		st.b = append(st.b, text[1:]...)
	default:
		if c, ok := st.literalClass(t); ok {
			st.b = append(st.b, c)
		} else {
			st.b = appendRaw(st.b, t.Kind, text)
		}
	}
	st.p1, st.p0 = st.p0, t
}

// literalClass returns the tag that stands for literal t when its value
// cannot change the fingerprint, or false when it must be kept verbatim.
func (st *refShapeState) literalClass(t Token) (byte, bool) {
	if !st.dml || t.Flags&FlagUnterminated != 0 {
		return 0, false
	}
	src := st.src
	switch t.Kind {
	case TokInteger:
		// In float(p) the precision picks the type (float4 or float8), and
		// array bounds (int[3]) are kept by the fingerprint.
		p0, p1 := st.p0, st.p1
		if p0.Kind == TokPunct && (src[p0.Start] == '[' || src[p0.Start] == '(' && p1.Kind == TokIdent && lexEqualFold(src[p1.Start:p1.End], "float")) {
			return 0, false
		}
		if fitsInt32(src[t.Start:t.End]) {
			return shInt, true
		}
		return shBigInt, true
	case TokNumeric:
		return shNumeric, true
	case TokDollarString:
		return shDollar, true
	case TokString:
		// After UESCAPE the string is the escape character, checked by
		// the parser.
		if p := st.p0; p.Kind == TokIdent && lexEqualFold(src[p.Start:p.End], "uescape") {
			return 0, false
		}
		f := t.Flags
		switch {
		case f&FlagUnicode != 0:
			return 0, false // escapes checked by the parser
		case f&FlagEscape != 0:
			if !safeEscapes(src[t.Start:t.End]) {
				return 0, false
			}
			return shEString, true
		case f&FlagBit != 0:
			return shBits, true
		case f&FlagHex != 0:
			return shHex, true
		case f&FlagNational != 0:
			return shNational, true
		}
		return shString, true
	}
	return 0, false
}

// negativeNumber is called after a unary minus (a - after another
// operator, PostgreSQL having no postfix operators). When a number
// follows that the grammar folds with the minus into one negative
// constant, it returns the number (the minus then needs no place in the
// key: the fingerprint ignores constants). A following ::, [, ( or .
// binds tighter than the minus, which then stays an operator.
func (st *refShapeState) negativeNumber() (Token, bool) {
	save := st.lx.Pos()
	u := st.next()
	if u.Kind == TokInteger || u.Kind == TokNumeric {
		after := st.lx.Pos()
		w := st.next()
		st.lx.SetPos(after)
		text := st.src[w.Start:w.End]
		if !(w.Kind == TokOperator && text == "::" || w.Kind == TokPunct && (text == "[" || text == "(" || text == ".")) {
			return u, true
		}
	}
	st.lx.SetPos(save)
	return Token{}, false
}

// listElement reads one literal element of a collapsible list: a number
// (optionally negated), a string, a parameter, NULL, TRUE or FALSE. These
// are constants or parameters, which the fingerprint ignores.
func (st *refShapeState) listElement() bool {
	t := st.next()
	src := st.src
	if t.Kind == TokOperator && src[t.Start:t.End] == "-" {
		t = st.next()
		return t.Kind == TokInteger || t.Kind == TokNumeric
	}
	switch t.Kind {
	case TokInteger, TokNumeric, TokDollarString, TokParam:
		return t.Flags&FlagUnterminated == 0
	case TokString:
		_, ok := st.literalClass(t)
		return ok
	case TokIdent:
		w := src[t.Start:t.End]
		return lexEqualFold(w, "null") || lexEqualFold(w, "true") || lexEqualFold(w, "false")
	}
	return false
}

// literalList reads open, one or more literal elements separated by
// commas and close. It returns the number of elements, or 0 if the text
// is not such a list (the lexer is then left anywhere).
func (st *refShapeState) literalList(open, close byte) int {
	t := st.next()
	if t.Kind != TokPunct || st.src[t.Start] != open {
		return 0
	}
	n := 0
	for {
		if !st.listElement() {
			return 0
		}
		n++
		t = st.next()
		if t.Kind != TokPunct {
			return 0
		}
		switch st.src[t.Start] {
		case ',':
		case close:
			return n
		default:
			return 0
		}
	}
}

// closed records the closing bracket of a collapsed list as the last
// token.
func (st *refShapeState) closed() {
	end := st.lx.Pos()
	st.p1, st.p0 = st.p0, Token{Kind: TokPunct, Start: end - 1, End: end}
}

// collapseList replaces a list of at least min literals in open/close
// brackets by one shList tag: the fingerprint is the same whatever the
// number of elements (IN lists, ARRAY[...]; one-element ARRAY[n] is
// kept because int ARRAY[n] is a type with a bound).
func (st *refShapeState) collapseList(open, close byte, min int) {
	save := st.lx.Pos()
	if n := st.literalList(open, close); n >= min {
		st.b = append(st.b, shList)
		st.closed()
		return
	}
	st.lx.SetPos(save)
}

// collapseRows replaces VALUES rows made only of literals by one shRows
// tag: the fingerprint deduplicates rows, so their number (and width)
// does not change it.
func (st *refShapeState) collapseRows() {
	save := st.lx.Pos()
	if st.literalList('(', ')') == 0 {
		st.lx.SetPos(save)
		return
	}
	for {
		end := st.lx.Pos()
		t := st.next()
		if t.Kind != TokPunct || st.src[t.Start] != ',' {
			st.lx.SetPos(end)
			break
		}
		if st.literalList('(', ')') == 0 {
			// A row that is not all literals: keep everything as written.
			st.lx.SetPos(save)
			return
		}
	}
	st.b = append(st.b, shRows)
	st.closed()
}

// isDMLWord reports whether w starts a statement whose literals are
// constants (SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, TABLE, WITH).
func isDMLWord(w string) bool {
	switch len(w) {
	case 4:
		return lexEqualFold(w, "with")
	case 5:
		return lexEqualFold(w, "table") || lexEqualFold(w, "merge")
	case 6:
		return lexEqualFold(w, "select") || lexEqualFold(w, "insert") || lexEqualFold(w, "update") ||
			lexEqualFold(w, "delete") || lexEqualFold(w, "values")
	}
	return false
}
