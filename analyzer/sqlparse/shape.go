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
	parens []bool // for each open parenthesis: it opens position(...)
	lx     Lexer
	src    string
	dml    bool
	prev   [2]Token // the last two significant tokens, prev[0] the latest
}

// Key returns ShapeKey(sql).
func (sh *Shaper) Key(sql string) Shape {
	sh.buf = sh.run(sh.buf[:0], sql)
	return Shape{Hi: maphash.Bytes(shapeSeedHi, sh.buf), Lo: maphash.Bytes(shapeSeedLo, sh.buf)}
}

// Tags of the shape encoding. Every token starts with a tag byte below
// 0x20; the payloads of words, operators and parameters never contain
// such bytes, so the next tag ends them. Raw payloads carry their length.
const (
	shWord     = 0x01 // + lower-cased identifier or keyword
	shPunct    = 0x02 // + one byte
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

// Append appends AppendShape(sql) to dst.
func (sh *Shaper) Append(dst []byte, sql string) []byte {
	own := sh.buf
	out := sh.run(dst, sql)
	sh.buf = own
	return out
}

// run appends the key of sql to dst, using sh.buf as the output.
func (sh *Shaper) run(dst []byte, sql string) []byte {
	nul := false
	if i := strings.IndexByte(sql, 0); i >= 0 {
		// pg_query passes the text as a C string: it ends at the NUL.
		sql, nul = sql[:i], true
	}
	sh.buf = dst
	sh.src = sql
	sh.lx = NewLexer(sql, false)
	sh.parens = sh.parens[:0]
	sh.prev = [2]Token{}
	sh.dml = false
	first := true
	for {
		t := sh.next()
		if t.Kind == TokEOF {
			break
		}
		if first {
			if t.Kind == TokPunct && sql[t.Start] == '(' {
				sh.emit(t)
				continue
			}
			first = false
			sh.dml = t.Kind == TokIdent && isDMLWord(sql[t.Start:t.End])
		}
		if sh.dml && t.Kind == TokOperator && sh.prev[0].Kind == TokOperator && sql[t.Start:t.End] == "-" {
			if u, ok := sh.negativeNumber(); ok {
				sh.emit(u)
				continue
			}
		}
		if sh.dml && t.Kind == TokIdent {
			switch w := sql[t.Start:t.End]; len(w) {
			case 2:
				if lexEqualFold(w, "in") && !(len(sh.parens) > 0 && sh.parens[len(sh.parens)-1]) {
					sh.emit(t)
					sh.collapseList('(', ')', 1)
					continue
				}
			case 5:
				if lexEqualFold(w, "array") {
					sh.emit(t)
					sh.collapseList('[', ']', 2)
					continue
				}
			case 6:
				if lexEqualFold(w, "values") {
					sh.emit(t)
					sh.collapseRows()
					continue
				}
			}
		}
		sh.emit(t)
	}
	if nul {
		sh.buf = append(sh.buf, shNUL)
	}
	sh.src = ""
	return sh.buf
}

// next returns the next token that is not a comment (an unterminated
// comment is returned: it is an error that must stay in the key).
func (sh *Shaper) next() Token {
	for {
		t := sh.lx.Next()
		if t.Kind != TokComment || t.Flags&FlagUnterminated != 0 {
			return t
		}
	}
}

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

// lexEqualFold reports whether word equals lower (lower-case ASCII),
// ignoring ASCII case.
func lexEqualFold(word, lower string) bool {
	if len(word) != len(lower) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// emit appends token t to the key.
func (sh *Shaper) emit(t Token) {
	src := sh.src
	text := src[t.Start:t.End]
	b := sh.buf
	switch t.Kind {
	case TokIdent:
		n := len(b) + 1
		b = append(b, shWord)
		b = append(b, text...)
		for i, c := range b[n:] {
			if c-'A' < 26 {
				b[n+i] = c + 'a' - 'A'
			}
		}
	case TokPunct:
		b = append(b, shPunct)
		b = append(b, text...)
		switch text {
		case "(":
			p := sh.prev[0]
			sh.parens = append(sh.parens, p.Kind == TokIdent && lexEqualFold(src[p.Start:p.End], "position"))
		case ")":
			if len(sh.parens) > 0 {
				sh.parens = sh.parens[:len(sh.parens)-1]
			}
		}
	case TokOperator:
		b = append(b, shOp)
		b = append(b, text...)
	case TokParam:
		b = append(b, shParam)
		b = append(b, text[1:]...)
	default:
		if c, ok := sh.literalClass(t); ok {
			b = append(b, c)
		} else {
			b = appendRaw(b, t.Kind, text)
		}
	}
	sh.buf = b
	sh.prev[1], sh.prev[0] = sh.prev[0], t
}

func appendRaw(b []byte, kind TokenKind, text string) []byte {
	b = append(b, shRaw, byte(kind))
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

// literalClass returns the tag that stands for literal t when its value
// cannot change the fingerprint, or false when it must be kept verbatim.
func (sh *Shaper) literalClass(t Token) (byte, bool) {
	if !sh.dml || t.Flags&FlagUnterminated != 0 {
		return 0, false
	}
	src := sh.src
	switch t.Kind {
	case TokInteger:
		// In float(p) the precision picks the type (float4 or float8), and
		// array bounds (int[3]) are kept by the fingerprint.
		p0, p1 := sh.prev[0], sh.prev[1]
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
		if p := sh.prev[0]; p.Kind == TokIdent && lexEqualFold(src[p.Start:p.End], "uescape") {
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

// safeEscapes reports whether an E” string has only escapes that cannot
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

// negativeNumber is called after a unary minus (a - after another
// operator, PostgreSQL having no postfix operators). When a number
// follows that the grammar folds with the minus into one negative
// constant, it returns the number (the minus then needs no place in the
// key: the fingerprint ignores constants). A following ::, [, ( or .
// binds tighter than the minus, which then stays an operator.
func (sh *Shaper) negativeNumber() (Token, bool) {
	save := sh.lx.Pos()
	u := sh.next()
	if u.Kind == TokInteger || u.Kind == TokNumeric {
		after := sh.lx.Pos()
		w := sh.next()
		sh.lx.SetPos(after)
		text := sh.src[w.Start:w.End]
		if !(w.Kind == TokOperator && text == "::" || w.Kind == TokPunct && (text == "[" || text == "(" || text == ".")) {
			return u, true
		}
	}
	sh.lx.SetPos(save)
	return Token{}, false
}

// listElement reads one literal element of a collapsible list: a number
// (optionally negated), a string, a parameter, NULL, TRUE or FALSE. These
// are constants or parameters, which the fingerprint ignores.
func (sh *Shaper) listElement() bool {
	t := sh.next()
	src := sh.src
	if t.Kind == TokOperator && src[t.Start:t.End] == "-" {
		t = sh.next()
		return t.Kind == TokInteger || t.Kind == TokNumeric
	}
	switch t.Kind {
	case TokInteger, TokNumeric, TokDollarString, TokParam:
		return t.Flags&FlagUnterminated == 0
	case TokString:
		_, ok := sh.literalClass(t)
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
func (sh *Shaper) literalList(open, close byte) int {
	t := sh.next()
	if t.Kind != TokPunct || sh.src[t.Start] != open {
		return 0
	}
	n := 0
	for {
		if !sh.listElement() {
			return 0
		}
		n++
		t = sh.next()
		if t.Kind != TokPunct {
			return 0
		}
		switch sh.src[t.Start] {
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
func (sh *Shaper) collapseList(open, close byte, min int) {
	save := sh.lx.Pos()
	if n := sh.literalList(open, close); n >= min {
		sh.buf = append(sh.buf, shList)
		sh.prev[1], sh.prev[0] = sh.prev[0], Token{Kind: TokPunct, Start: sh.lx.Pos() - 1, End: sh.lx.Pos()}
		return
	}
	sh.lx.SetPos(save)
}

// collapseRows replaces VALUES rows made only of literals by one shRows
// tag: the fingerprint deduplicates rows, so their number (and width)
// does not change it.
func (sh *Shaper) collapseRows() {
	save := sh.lx.Pos()
	if sh.literalList('(', ')') == 0 {
		sh.lx.SetPos(save)
		return
	}
	for {
		end := sh.lx.Pos()
		t := sh.next()
		if t.Kind != TokPunct || sh.src[t.Start] != ',' {
			sh.lx.SetPos(end)
			break
		}
		if sh.literalList('(', ')') == 0 {
			// A row that is not all literals (or the end of the VALUES
			// list followed by a comma): keep everything as written.
			sh.lx.SetPos(save)
			return
		}
	}
	sh.buf = append(sh.buf, shRows)
	sh.prev[1], sh.prev[0] = sh.prev[0], Token{Kind: TokPunct, Start: sh.lx.Pos() - 1, End: sh.lx.Pos()}
}
