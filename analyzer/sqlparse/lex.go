package sqlparse

import "strings"

// TokenKind classifies a token of SQL text.
type TokenKind uint8

// Token kinds. The lexer follows PostgreSQL 17's scanner (scan.l), which
// is what pg_query uses, plus psql's variable references in psql mode.
const (
	// TokEOF ends the input; Start == End == len(src).
	TokEOF TokenKind = iota
	// TokComment is a -- line comment (without its newline) or a
	// /* block comment */ (nested, as PostgreSQL allows).
	TokComment
	// TokIdent is an unquoted identifier or keyword, as written (callers
	// fold ASCII case to compare).
	TokIdent
	// TokQuotedIdent is a "quoted" identifier (with "" escapes) or a
	// U&"unicode" identifier (FlagUnicode).
	TokQuotedIdent
	// TokInteger is an integer literal: decimal, 0x hex, 0o octal, 0b
	// binary, with PostgreSQL 16+ underscores between digits.
	TokInteger
	// TokNumeric is a numeric literal with a fraction or an exponent.
	TokNumeric
	// TokString is a quoted string: '...', E'...' (FlagEscape),
	// B'...' (FlagBit), X'...' (FlagHex), N'...' (FlagNational),
	// U&'...' (FlagUnicode). Strings continued on a following line
	// ('a'<newline>'b', one literal for PostgreSQL) are one token with
	// FlagContinued.
	TokString
	// TokDollarString is a dollar-quoted string: $$...$$ or $tag$...$tag$.
	TokDollarString
	// TokParam is a positional parameter: $1, $2, ...
	TokParam
	// TokVariable is a psql variable reference (psql mode only): :name,
	// :'name', :"name" or :{?name}.
	TokVariable
	// TokOperator is an operator: one or more of ~!@#^&|`?+-*/%<>= as
	// PostgreSQL splits them (so "=-1" is "=" then "-"), or :: or :=.
	TokOperator
	// TokPunct is one of , ( ) [ ] . ; : or the .. of PL/pgSQL ranges.
	TokPunct
	// TokOther is any other single byte: \ { } a lone $, control bytes,
	// NUL.
	TokOther
	// TokBadNumber is a malformed numeric literal that PostgreSQL rejects:
	// trailing junk (123abc, 1.5x, 1e), 0x without digits, 1e+ without
	// exponent digits.
	TokBadNumber
)

var lexKindNames = [...]string{
	TokEOF:          "EOF",
	TokComment:      "comment",
	TokIdent:        "identifier",
	TokQuotedIdent:  "quoted identifier",
	TokInteger:      "integer",
	TokNumeric:      "numeric",
	TokString:       "string",
	TokDollarString: "dollar-quoted string",
	TokParam:        "parameter",
	TokVariable:     "psql variable",
	TokOperator:     "operator",
	TokPunct:        "punctuation",
	TokOther:        "other",
	TokBadNumber:    "bad number",
}

// String returns a lower-case name of the kind.
func (k TokenKind) String() string {
	if int(k) < len(lexKindNames) {
		return lexKindNames[k]
	}
	return "unknown"
}

// TokenFlag qualifies a token.
type TokenFlag uint8

// Token flags.
const (
	// FlagUnterminated marks a string, quoted identifier, dollar-quoted
	// string or block comment that reaches the end of the input without
	// its closing delimiter. The token then ends at len(src).
	FlagUnterminated TokenFlag = 1 << iota
	// FlagEscape marks an E'...' string (backslash escapes).
	FlagEscape
	// FlagBit marks a B'...' bit string.
	FlagBit
	// FlagHex marks an X'...' hexadecimal bit string.
	FlagHex
	// FlagNational marks an N'...' national character string.
	FlagNational
	// FlagUnicode marks a U&'...' string or U&"..." identifier.
	FlagUnicode
	// FlagContinued marks a string continued on another line
	// ('a'<newline>'b').
	FlagContinued
)

// Token is one token: its kind, flags and byte range [Start, End) in the
// lexed text.
type Token struct {
	Start, End int
	Kind       TokenKind
	Flags      TokenFlag
}

// Text returns the token's source text.
func (t Token) Text(src string) string { return src[t.Start:t.End] }

// Character classes of the scanner, from PostgreSQL's scan.l.
const (
	clsSpace      = 1 << iota // [ \t\n\r\f\v]
	clsIdentStart             // [A-Za-z_\x80-\xff]
	clsIdentCont              // [A-Za-z_0-9$\x80-\xff]
	clsDigit                  // [0-9]
	clsOp                     // op_chars: ~!@#^&|`?+-*/%<>=
	clsWord                   // psql variable and dollar-quote tag chars: [A-Za-z_0-9\x80-\xff]
	clsOpSpecial              // op chars that let an operator end in + or -: ~!@#^&|`?%
	clsPrefix                 // letters that may prefix a quote: bBeEnNuUxX
	clsPunct                  // single-byte punctuation tokens: , ( ) [ ] ;
	clsUpper                  // [A-Z]
)

var lexClass = func() (t [256]uint16) {
	for _, c := range []byte(" \t\n\r\f\v") {
		t[c] |= clsSpace
	}
	for c := 0; c < 256; c++ {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
		digit := c >= '0' && c <= '9'
		if letter {
			t[c] |= clsIdentStart
		}
		if letter || digit {
			t[c] |= clsIdentCont | clsWord
		}
		if digit {
			t[c] |= clsDigit
		}
	}
	t['$'] |= clsIdentCont
	for _, c := range []byte("~!@#^&|`?+-*/%<>=") {
		t[c] |= clsOp
	}
	for _, c := range []byte("~!@#^&|`?%") {
		t[c] |= clsOpSpecial
	}
	for _, c := range []byte("bBeEnNuUxX") {
		t[c] |= clsPrefix
	}
	for _, c := range []byte(",()[];") {
		t[c] |= clsPunct
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= clsUpper
	}
	return t
}()

// Lexer splits SQL text into tokens, following PostgreSQL 17's lexical
// rules exactly: its token boundaries are those of pg_query's scanner
// (tested against pg_query.Scan, N'...' being one token here). It never
// fails: malformed input gives TokBadNumber, TokOther or flagged
// unterminated tokens. It runs in linear time and does not allocate.
//
// Whitespace is skipped; comments are returned as TokComment tokens.
type Lexer struct {
	src  string
	pos  int
	psql bool

	// Operator segment cache: long runs of operator characters are split
	// into several tokens, and these remember the run so that lexing
	// stays linear (see lexOperator).
	segStart, segEnd int
	segLastNonPM     int // last index in [segStart, segEnd) not + or -, or -1
	segSpecial       int // first index >= the last token start with a clsOpSpecial byte, or segEnd
}

// NewLexer returns a lexer of src. With psql false it lexes as pg_query
// does. With psql true it lexes as psql does in SQL scripts: it also
// recognizes psql variable references (:name, :'name', :"name",
// :{?name}), and lets -- comments separate the parts of a continued string
// ('a' -- c<newline> 'b' is one literal for PostgreSQL and psql, but two
// for pg_query's scanner, which returns comments as tokens). The backslash
// of a meta-command is returned as TokOther.
func NewLexer(src string, psql bool) Lexer {
	return Lexer{src: src, psql: psql, segEnd: -1}
}

// Pos returns the byte offset where the next token search starts.
func (l *Lexer) Pos() int { return l.pos }

// SetPos moves the lexer to byte offset pos (clamped to the input), which
// must be a token boundary (the Start or End of a token it returned, or a
// line start outside quotes and comments).
func (l *Lexer) SetPos(pos int) {
	l.pos = min(max(pos, 0), len(l.src))
}

// Next returns the next token, skipping whitespace, or a TokEOF token at
// the end.
func (l *Lexer) Next() Token {
	s := l.src
	i := l.pos
	n := len(s)
	for i < n && lexClass[s[i]]&clsSpace != 0 {
		i++
	}
	if i >= n {
		l.pos = n
		return Token{Start: n, End: n, Kind: TokEOF}
	}
	// Fast paths for the most frequent tokens: plain identifiers and
	// keywords, punctuation.
	c := s[i]
	cls := lexClass[c]
	if cls&clsIdentStart != 0 && (cls&clsPrefix == 0 || i+1 >= n || s[i+1] != '\'' && s[i+1] != '&') {
		j := i + 1
		for j < n && lexClass[s[j]]&clsIdentCont != 0 {
			j++
		}
		l.pos = j
		return Token{Start: i, End: j, Kind: TokIdent}
	}
	if cls&clsPunct != 0 {
		l.pos = i + 1
		return Token{Start: i, End: i + 1, Kind: TokPunct}
	}
	t := l.scan(i)
	l.pos = t.End
	return t
}

func (l *Lexer) scan(i int) Token {
	s := l.src
	n := len(s)
	c := s[i]
	cls := lexClass[c]
	switch {
	case cls&clsIdentStart != 0:
		if i+1 < n {
			switch c {
			case 'e', 'E':
				if s[i+1] == '\'' {
					return l.quoted(i, i+2, lexQEscape, FlagEscape)
				}
			case 'b', 'B':
				if s[i+1] == '\'' {
					return l.quoted(i, i+2, lexQBits, FlagBit)
				}
			case 'x', 'X':
				if s[i+1] == '\'' {
					return l.quoted(i, i+2, lexQBits, FlagHex)
				}
			case 'n', 'N':
				if s[i+1] == '\'' {
					return l.quoted(i, i+2, lexQStandard, FlagNational)
				}
			case 'u', 'U':
				if s[i+1] == '&' && i+2 < n {
					switch s[i+2] {
					case '\'':
						return l.quoted(i, i+3, lexQStandard, FlagUnicode)
					case '"':
						return lexQuotedIdent(s, i, i+3, FlagUnicode)
					}
				}
			}
		}
		return Token{Start: i, End: lexIdentEnd(s, i+1), Kind: TokIdent}
	case cls&clsDigit != 0:
		return lexNumber(s, i)
	case cls&clsOp != 0:
		if i+1 < n {
			if c == '-' && s[i+1] == '-' {
				return Token{Start: i, End: lexLineEnd(s, i+2), Kind: TokComment}
			}
			if c == '/' && s[i+1] == '*' {
				return lexBlockComment(s, i)
			}
			if lexClass[s[i+1]]&clsOp == 0 {
				return Token{Start: i, End: i + 1, Kind: TokOperator}
			}
		}
		return l.lexOperator(i)
	}
	switch c {
	case '\'':
		return l.quoted(i, i+1, lexQStandard, 0)
	case '"':
		return lexQuotedIdent(s, i, i+1, 0)
	case '$':
		return lexDollar(s, i)
	case '.':
		if i+1 < n {
			if lexClass[s[i+1]]&clsDigit != 0 {
				return lexNumber(s, i)
			}
			if s[i+1] == '.' {
				return Token{Start: i, End: i + 2, Kind: TokPunct}
			}
		}
		return Token{Start: i, End: i + 1, Kind: TokPunct}
	case ',', '(', ')', '[', ']', ';':
		return Token{Start: i, End: i + 1, Kind: TokPunct}
	case ':':
		if i+1 < n {
			switch s[i+1] {
			case ':', '=':
				return Token{Start: i, End: i + 2, Kind: TokOperator}
			}
			if l.psql {
				if e := lexPsqlVariable(s, i); e > 0 {
					return Token{Start: i, End: e, Kind: TokVariable}
				}
			}
		}
		return Token{Start: i, End: i + 1, Kind: TokPunct}
	}
	return Token{Start: i, End: i + 1, Kind: TokOther}
}

// lexIdentEnd returns the end of the identifier characters starting at i.
func lexIdentEnd(s string, i int) int {
	for i < len(s) && lexClass[s[i]]&clsIdentCont != 0 {
		i++
	}
	return i
}

// lexLineEnd returns the index of the first \n or \r at or after i, or
// len(s).
func lexLineEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c == '\n' || c == '\r' {
			return i
		}
		i++
	}
	return i
}

// lexBlockComment lexes a (nested) /* comment */ starting at i.
func lexBlockComment(s string, i int) Token {
	depth := 0
	j := i + 2
	n := len(s)
	for j < n {
		// Jump to the next byte that can open or close a comment.
		k := strings.IndexAny(s[j:], "*/")
		if k < 0 {
			break
		}
		j += k
		if j+1 >= n {
			break
		}
		switch {
		case s[j] == '*' && s[j+1] == '/':
			if depth == 0 {
				return Token{Start: i, End: j + 2, Kind: TokComment}
			}
			depth--
			j += 2
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j += 2
		default:
			j++
		}
	}
	return Token{Start: i, End: n, Kind: TokComment, Flags: FlagUnterminated}
}

// lexQuoteMode selects the rules inside a quoted string.
type lexQuoteMode uint8

const (
	lexQStandard lexQuoteMode = iota // '' escapes a quote; backslash is literal
	lexQEscape                       // E'': '' and backslash escapes
	lexQBits                         // B'' and X'': the next quote ends it
)

// quoted lexes a string whose body starts at body (after the opening
// quote), including continuation segments on following lines.
func (l *Lexer) quoted(start, body int, mode lexQuoteMode, flags TokenFlag) Token {
	s := l.src
	n := len(s)
	j := body
	for {
		// Find the closing quote of this segment.
		closed := false
		for j < n {
			if mode == lexQEscape {
				k := strings.IndexAny(s[j:], `'\`)
				if k < 0 {
					j = n
					break
				}
				j += k
				if s[j] == '\\' {
					// \ followed by [0-7uUx] starts an octal, unicode or hex
					// escape whose digits can never be a quote; any other
					// byte (including a quote) is escaped.
					if j+1 < n {
						switch c := s[j+1]; {
						case c >= '0' && c <= '7', c == 'u', c == 'U', c == 'x':
							j++
						default:
							j += 2
						}
					} else {
						j++
					}
					continue
				}
			} else {
				k := strings.IndexByte(s[j:], '\'')
				if k < 0 {
					j = n
					break
				}
				j += k
			}
			// s[j] is a quote.
			if mode != lexQBits && j+1 < n && s[j+1] == '\'' {
				j += 2
				continue
			}
			j++
			closed = true
			break
		}
		if !closed {
			return Token{Start: start, End: n, Kind: TokString, Flags: flags | FlagUnterminated}
		}
		next, ok := lexQuoteContinue(s, j, l.psql)
		if !ok {
			return Token{Start: start, End: j, Kind: TokString, Flags: flags}
		}
		flags |= FlagContinued
		j = next
	}
}

// lexQuoteContinue reports whether the string that closed just before i
// continues: whitespace including at least one newline, then a quote
// (scan.l's {quotecontinue}). It returns the index after that quote.
// PostgreSQL also accepts -- comments in that whitespace, and so does psql
// (comments true), but pg_query's scanner, which returns comments as
// tokens, does not.
func lexQuoteContinue(s string, i int, comments bool) (int, bool) {
	n := len(s)
	j := i
	newline := false
	for j < n {
		c := s[j]
		if lexClass[c]&clsSpace != 0 {
			newline = newline || c == '\n' || c == '\r'
			j++
			continue
		}
		if comments && c == '-' && j+1 < n && s[j+1] == '-' {
			k := lexLineEnd(s, j+2)
			if k >= n {
				return i, false
			}
			j = k
			continue
		}
		break
	}
	if newline && j < n && s[j] == '\'' {
		return j + 1, true
	}
	return i, false
}

// lexQuotedIdent lexes a "quoted identifier" whose body starts at body.
func lexQuotedIdent(s string, start, body int, flags TokenFlag) Token {
	j := body
	n := len(s)
	for {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return Token{Start: start, End: n, Kind: TokQuotedIdent, Flags: flags | FlagUnterminated}
		}
		j += k + 1
		if j < n && s[j] == '"' {
			j++
			continue
		}
		return Token{Start: start, End: j, Kind: TokQuotedIdent, Flags: flags}
	}
}

// lexDollar lexes at a $: a parameter, a dollar-quoted string, or a lone $.
func lexDollar(s string, i int) Token {
	n := len(s)
	j := i + 1
	if j < n && lexClass[s[j]]&clsDigit != 0 {
		for j < n && lexClass[s[j]]&clsDigit != 0 {
			j++
		}
		return Token{Start: i, End: j, Kind: TokParam}
	}
	// A tag is an identifier without $ that does not start with a digit.
	if j < n && lexClass[s[j]]&clsIdentStart != 0 {
		for j < n && lexClass[s[j]]&clsWord != 0 {
			j++
		}
	}
	if j >= n || s[j] != '$' {
		// {dolqfailed}: the $ alone; the rest is lexed again.
		return Token{Start: i, End: i + 1, Kind: TokOther}
	}
	delim := s[i : j+1]
	k := strings.Index(s[j+1:], delim)
	if k < 0 {
		return Token{Start: i, End: n, Kind: TokDollarString, Flags: FlagUnterminated}
	}
	return Token{Start: i, End: j + 1 + k + len(delim), Kind: TokDollarString}
}

// lexPsqlVariable returns the end of a psql variable reference starting with
// the colon at i, or 0.
func lexPsqlVariable(s string, i int) int {
	n := len(s)
	j := i + 1
	if j >= n {
		return 0
	}
	switch s[j] {
	case '\'', '"':
		q := s[j]
		k := j + 1
		for k < n && lexClass[s[k]]&clsWord != 0 {
			k++
		}
		if k > j+1 && k < n && s[k] == q {
			return k + 1
		}
		return 0
	case '{':
		if j+1 < n && s[j+1] == '?' {
			k := j + 2
			for k < n && lexClass[s[k]]&clsWord != 0 {
				k++
			}
			if k > j+2 && k < n && s[k] == '}' {
				return k + 1
			}
		}
		return 0
	}
	k := j
	for k < n && lexClass[s[k]]&clsWord != 0 {
		k++
	}
	if k > j {
		return k
	}
	return 0
}

// lexDecintEnd returns the end of {decinteger} = digit(_?digit)* at i, which
// must be a digit.
func lexDecintEnd(s string, i int) int {
	n := len(s)
	for i < n {
		if lexClass[s[i]]&clsDigit != 0 {
			i++
			continue
		}
		if s[i] == '_' && i+1 < n && lexClass[s[i+1]]&clsDigit != 0 {
			i += 2
			continue
		}
		break
	}
	return i
}

func lexIsBaseDigit(c byte, base byte) bool {
	switch base {
	case 'x':
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	case 'o':
		return c >= '0' && c <= '7'
	default:
		return c == '0' || c == '1'
	}
}

// lexNumber lexes a numeric literal at i (a digit, or a dot followed by a
// digit), choosing among scan.l's number rules by longest match.
func lexNumber(s string, i int) Token {
	n := len(s)
	if lexClass[s[i]]&clsDigit != 0 {
		// Fast path: plain digits.
		j := i + 1
		for j < n && lexClass[s[j]]&clsDigit != 0 {
			j++
		}
		if j == n || s[j] != '.' && lexClass[s[j]]&clsIdentStart == 0 {
			return Token{Start: i, End: j, Kind: TokInteger}
		}
	}
	bad := func(end int) Token { return Token{Start: i, End: end, Kind: TokBadNumber} }
	if s[i] == '0' && i+1 < n {
		base := s[i+1] | 0x20
		if base == 'x' || base == 'o' || base == 'b' {
			j := i + 2
			digits := 0
			for j < n {
				if lexIsBaseDigit(s[j], base) {
					j++
					digits++
					continue
				}
				if s[j] == '_' && j+1 < n && lexIsBaseDigit(s[j+1], base) {
					j += 2
					digits++
					continue
				}
				break
			}
			// {integer_junk} (0 followed by an identifier) is at least as
			// long as {hexfail} and wins over {hexinteger} when longer.
			junk := lexIdentEnd(s, i+1)
			if digits == 0 || junk > j {
				return bad(junk)
			}
			return Token{Start: i, End: j, Kind: TokInteger}
		}
	}
	kind := TokInteger
	j := i
	if lexClass[s[i]]&clsDigit != 0 {
		j = lexDecintEnd(s, i)
	}
	if j < n && s[j] == '.' {
		if j > i && j+1 < n && s[j+1] == '.' {
			// {numericfail}: 1..2 is 1 followed by "..".
			return Token{Start: i, End: j, Kind: TokInteger}
		}
		j++
		if j < n && lexClass[s[j]]&clsDigit != 0 {
			j = lexDecintEnd(s, j)
		}
		kind = TokNumeric
	}
	if j < n && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		sign := false
		if k < n && (s[k] == '+' || s[k] == '-') {
			k++
			sign = true
		}
		if k < n && lexClass[s[k]]&clsDigit != 0 {
			j = lexDecintEnd(s, k)
			kind = TokNumeric
		} else if sign {
			return bad(k) // {realfail}
		}
	}
	if j < n && lexClass[s[j]]&clsIdentStart != 0 {
		return bad(lexIdentEnd(s, j)) // {integer_junk}, {numeric_junk}, {real_junk}
	}
	return Token{Start: i, End: j, Kind: kind}
}

// lexOperator lexes an operator at i (not a comment start). PostgreSQL
// takes the longest run of operator characters, cuts it before an
// embedded /* or --, then drops trailing + and - unless the operator
// contains one of ~!@#^&|`?%; the rest is lexed again. The segment cache
// keeps this linear on long runs such as "+-+-+-...".
func (l *Lexer) lexOperator(i int) Token {
	s := l.src
	if i < l.segStart || i >= l.segEnd {
		n := len(s)
		j := i
		for j < n && lexClass[s[j]]&clsOp != 0 {
			if j > i && j+1 < n && (s[j] == '/' && s[j+1] == '*' || s[j] == '-' && s[j+1] == '-') {
				break
			}
			j++
		}
		l.segStart, l.segEnd = i, j
		l.segLastNonPM = -1
		for k := j - 1; k >= i; k-- {
			if s[k] != '+' && s[k] != '-' {
				l.segLastNonPM = k
				break
			}
		}
		l.segSpecial = i
	}
	e := l.segEnd
	if l.segSpecial < i {
		l.segSpecial = i
	}
	for l.segSpecial < e && lexClass[s[l.segSpecial]]&clsOpSpecial == 0 {
		l.segSpecial++
	}
	end := e
	if e-i > 1 && (s[e-1] == '+' || s[e-1] == '-') && l.segSpecial > e-2 {
		end = max(i+1, l.segLastNonPM+1)
	}
	return Token{Start: i, End: end, Kind: TokOperator}
}
