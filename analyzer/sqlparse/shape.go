package sqlparse

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
	"sync"
)

// Shape is a 128-bit key of a statement's text, from ShapeKey: two texts
// with the same Shape have the same pg_query fingerprint (or both fail to
// parse), barring a 128-bit hash collision (about 2^-128 for a pair, so
// around 10^-26 for a billion distinct shapes). Shapes are comparable and
// meant as map keys; they are only valid within one process (the hash
// seeds are random).
type Shape struct{ Hi, Lo uint64 }

var shapeSeedHi, shapeSeedLo = maphash.MakeSeed(), maphash.MakeSeed()

// ShapeKey returns the shape of sql: a key that ignores whitespace,
// comments, the case of keywords and unquoted identifiers and, in SELECT,
// INSERT, UPDATE, DELETE, MERGE, VALUES and TABLE statements, the values
// of literals (numbers and strings) and the lengths of IN (...) lists,
// ARRAY[...] lists and VALUES rows made of literals and parameters (their
// lengths do not change pg_query's fingerprint). Other statements keep
// their literals, because there some literals are names or options that
// change the fingerprint.
//
// It lets a caller parse each distinct query shape once: keep a map from
// Shape to (fingerprint, normalized). It is safe for concurrent use; a
// Shaper avoids its small synchronization cost in a hot loop.
func ShapeKey(sql string) Shape {
	sh := shaperPool.Get().(*Shaper)
	k := sh.Key(sql)
	shaperPool.Put(sh)
	return k
}

// AppendShape appends to dst the exact key that ShapeKey hashes: a byte
// encoding of the statement's normalized token sequence. Use it (as
// string(key)) when even a 128-bit hash collision is unacceptable.
func AppendShape(dst []byte, sql string) []byte {
	var sh Shaper
	return sh.Append(dst, sql)
}

var shaperPool = sync.Pool{New: func() any { return new(Shaper) }}

// Shaper computes shape keys reusing its buffers, so that keys cost no
// allocation. The zero value is ready to use; a Shaper is not safe for
// concurrent use.
type Shaper struct {
	buf    []byte
	parens []bool
}

// Key returns ShapeKey(sql).
func (sh *Shaper) Key(sql string) Shape {
	sh.buf = sh.run(sh.buf[:0], sql)
	return Shape{Hi: maphash.Bytes(shapeSeedHi, sh.buf), Lo: maphash.Bytes(shapeSeedLo, sh.buf)}
}

// Append appends AppendShape(sql) to dst.
func (sh *Shaper) Append(dst []byte, sql string) []byte {
	return sh.run(dst, sql)
}

// Tags of the shape encoding. Every token starts with a tag byte below
// 0x20; the payloads of words, operators and parameters never contain
// such bytes, so the next tag ends them. Raw payloads carry their length.
const (
	shWord     = 0x01 // + lower-cased identifier or keyword
	shPunct    = 0x02 // + punctuation
	shOp       = 0x03 // + operator characters
	shRaw      = 0x04 // + kind + uvarint length + bytes, kept verbatim
	shInt      = 0x05 // integer that fits int32 (ICONST)
	shBigInt   = 0x06 // larger integer (FCONST for PostgreSQL)
	shNumeric  = 0x07
	shString   = 0x08
	shEString  = 0x09 // E'' without escapes that can fail
	shBits     = 0x0a
	shHex      = 0x0b
	shNational = 0x0c
	shDollar   = 0x0d
	shList     = 0x0e // a collapsed (literal, ...) or [literal, ...] list
	shRows     = 0x0f // collapsed VALUES rows of literals
	shParam    = 0x10 // + digits
	shNUL      = 0x11 // a NUL byte: pg_query reads no further
)

// prevKind is what the key computation needs to know of the previous
// token.
type prevKind uint8

const (
	pvOther      prevKind = iota
	pvOp                  // an operator
	pvBracket             // [
	pvFloatParen          // ( after the word float
	pvFloat               // the word float
	pvUescape             // the word uescape
	pvPosition            // the word position
)

// shapeState is the state of one key computation, kept on the stack.
type shapeState struct {
	lx     Lexer
	src    string
	b      []byte
	parens []bool // for each open parenthesis: it opens position(...)
	prev   prevKind
	dml    bool
	merge  bool // the word MERGE was seen: its INSERT VALUES takes one row
}

// run appends the key of sql to dst.
func (sh *Shaper) run(dst []byte, sql string) []byte {
	nul := false
	if i := strings.IndexByte(sql, 0); i >= 0 {
		// pg_query passes the text as a C string: it ends at the NUL.
		sql, nul = sql[:i], true
	}
	st := shapeState{lx: NewLexer(sql, false), src: sql, b: dst, parens: sh.parens[:0]}
	st.loop()
	if nul {
		st.b = append(st.b, shNUL)
	}
	sh.parens = st.parens[:0]
	return st.b
}

// loop appends the key of st.src to st.b. Whitespace, identifiers and
// single-byte punctuation, most of the text, are scanned here without
// going through Lexer.Next; everything else is lexed by it.
func (st *shapeState) loop() {
	src := st.src
	n := len(src)
	b := st.b
	i := 0
	decided := false
	for {
		for i < n && lexClass[src[i]]&clsSpace != 0 {
			i++
		}
		if i >= n {
			break
		}
		c := src[i]
		cls := lexClass[c]
		if cls&clsPunct != 0 {
			decided = decided || c != '('
			b = append(b, shPunct, c)
			i++
			prev := st.prev
			st.prev = pvOther
			switch c {
			case '(':
				st.parens = append(st.parens, prev == pvPosition)
				if prev == pvFloat {
					st.prev = pvFloatParen
				}
			case ')':
				if len(st.parens) > 0 {
					st.parens = st.parens[:len(st.parens)-1]
				}
			case '[':
				st.prev = pvBracket
			}
			continue
		}
		var j int // the end of an identifier starting at i
		if cls&clsIdentStart != 0 && (cls&clsPrefix == 0 || i+1 >= n || src[i+1] != '\'' && src[i+1] != '&') {
			// Scan the identifier, append it, and fold its case if it
			// has upper-case letters.
			j = i + 1
			upper := cls
			for j < n {
				cl := lexClass[src[j]]
				if cl&clsIdentCont == 0 {
					break
				}
				upper |= cl
				j++
			}
			k := len(b) + 1
			b = append(b, shWord)
			b = append(b, src[i:j]...)
			if upper&clsUpper != 0 {
				w := b[k:]
				for x, c := range w {
					w[x] = lowerASCII[c]
				}
			}
		} else {
			st.lx.pos = i
			t := st.lx.Next()
			if t.Kind == TokComment && t.Flags&FlagUnterminated == 0 {
				i = t.End
				continue
			}
			if t.Kind != TokIdent {
				decided = true
				st.b = b
				st.token(t)
				b, i = st.b, st.lx.pos
				continue
			}
			j = t.End
			b = appendLower(b, src[i:j])
		}
		w := src[i:j]
		lw := b[len(b)-len(w):] // w in lower case
		i = j
		st.prev = pvOther
		if !decided {
			// The first word (after opening parentheses) tells whether
			// literal values can be ignored.
			switch string(lw) {
			case "select", "insert", "update", "delete", "with", "values", "table", "merge":
				st.dml = true
			}
			decided = true
		}
		switch len(w) {
		case 2:
			if st.dml && string(lw) == "in" && !(len(st.parens) > 0 && st.parens[len(st.parens)-1]) {
				st.b, st.lx.pos = b, i
				st.collapseList('(', ')', 1)
				b, i = st.b, st.lx.pos
			}
		case 5:
			switch string(lw) {
			case "float":
				st.prev = pvFloat
			case "merge":
				st.merge = true
			case "array":
				if st.dml {
					st.b, st.lx.pos = b, i
					st.collapseList('[', ']', 2)
					b, i = st.b, st.lx.pos
				}
			}
		case 6:
			if st.dml && !st.merge && string(lw) == "values" {
				st.b, st.lx.pos = b, i
				st.collapseRows()
				b, i = st.b, st.lx.pos
			}
		case 7:
			if string(lw) == "uescape" {
				st.prev = pvUescape
			}
		case 8:
			if string(lw) == "position" {
				st.prev = pvPosition
			}
		}
	}
	st.b = b
}

// token appends a token other than an identifier or single-byte
// punctuation.
func (st *shapeState) token(t Token) {
	src := st.src
	text := src[t.Start:t.End]
	switch t.Kind {
	case TokOperator:
		if st.dml && st.prev == pvOp && text == "-" {
			if u, ok := st.negativeNumber(); ok {
				st.literal(u)
				return
			}
		}
		st.b = append(st.b, shOp)
		st.b = append(st.b, text...)
		st.prev = pvOp
		return
	case TokPunct: // . .. :
		st.b = append(st.b, shPunct)
		st.b = append(st.b, text...)
	case TokParam:
		st.b = append(st.b, shParam)
		st.b = append(st.b, text[1:]...)
	default:
		st.literal(t)
	}
	st.prev = pvOther
}

// literal appends a literal (or any other token kept verbatim).
func (st *shapeState) literal(t Token) {
	if c, ok := st.literalClass(t); ok {
		st.b = append(st.b, c)
	} else {
		st.b = appendRaw(st.b, t.Kind, st.src[t.Start:t.End])
	}
	st.prev = pvOther
}

// next returns the next token that is not a comment (an unterminated
// comment is returned: it is an error that must stay in the key).
func (st *shapeState) next() Token {
	for {
		t := st.lx.Next()
		if t.Kind != TokComment || t.Flags&FlagUnterminated != 0 {
			return t
		}
	}
}

// lexEqualFold reports whether word equals lower (lower-case ASCII),
// ignoring ASCII case.
func lexEqualFold(word, lower string) bool {
	if len(word) != len(lower) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c-'A' < 26 {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// appendRaw appends a token kept verbatim.
func appendRaw(b []byte, kind TokenKind, text string) []byte {
	b = append(b, shRaw, byte(kind))
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

// safeEscapes reports whether an E'...' string has only escapes that cannot
// fail: octal, hex and unicode escapes can produce invalid characters, an
// error that depends on the value.
func safeEscapes(s string) bool {
	for i := strings.IndexByte(s, '\\'); i >= 0; {
		if i+1 >= len(s) {
			return false
		}
		switch c := s[i+1]; {
		case c >= '0' && c <= '7', c == 'u', c == 'U', c == 'x':
			return false
		}
		j := strings.IndexByte(s[i+2:], '\\')
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return true
}

// fitsInt32 reports whether integer literal s (decimal, 0x, 0o or 0b, with
// underscores) is at most 2147483647, which PostgreSQL scans as ICONST
// rather than FCONST.
func fitsInt32(s string) bool {
	if len(s) <= 9 && (len(s) < 2 || s[0] != '0' || lexClass[s[1]]&clsDigit != 0) {
		return true // at most 9 decimal digits
	}
	base := uint64(10)
	if len(s) > 2 && s[0] == '0' {
		switch s[1] | 0x20 {
		case 'x':
			base = 16
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if base != 10 {
			s = s[2:]
		}
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case c == '_':
			continue
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			d = uint64(c|0x20-'a') + 10
		default:
			return false
		}
		v = v*base + d
		if v > 2147483647 {
			return false
		}
	}
	return true
}

// lowerASCII maps ASCII upper-case letters to lower case, other bytes to
// themselves.
var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

// appendLower appends shWord and word with ASCII letters in lower case.
func appendLower(b []byte, w string) []byte {
	n := len(b) + 1
	b = append(b, shWord)
	b = append(b, w...)
	out := b[n:]
	for i, c := range out {
		if c-'A' < 26 {
			out[i] = c + 'a' - 'A'
		}
	}
	return b
}

// literalClass returns the tag that stands for literal t when its value
// cannot change the fingerprint, or false when it must be kept verbatim.
func (st *shapeState) literalClass(t Token) (byte, bool) {
	if !st.dml || t.Flags&FlagUnterminated != 0 {
		return 0, false
	}
	src := st.src
	switch t.Kind {
	case TokInteger:
		// In float(p) the precision picks the type (float4 or float8), and
		// array bounds (int[3]) are kept by the fingerprint.
		if st.prev == pvBracket || st.prev == pvFloatParen {
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
		if st.prev == pvUescape {
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
func (st *shapeState) negativeNumber() (Token, bool) {
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
func (st *shapeState) listElement() bool {
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
func (st *shapeState) literalList(open, close byte) int {
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

// collapseList replaces a list of at least min literals in open/close
// brackets by one shList tag: the fingerprint is the same whatever the
// number of elements (IN lists, ARRAY[...]; one-element ARRAY[n] is
// kept because int ARRAY[n] is a type with a bound).
func (st *shapeState) collapseList(open, close byte, min int) {
	save := st.lx.Pos()
	if n := st.literalList(open, close); n >= min {
		st.b = append(st.b, shList)
		st.prev = pvOther
		return
	}
	st.lx.SetPos(save)
}

// collapseRows replaces VALUES rows made only of literals by one shRows
// tag: the fingerprint deduplicates rows, so their number (and width)
// does not change it.
func (st *shapeState) collapseRows() {
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
	st.prev = pvOther
}
