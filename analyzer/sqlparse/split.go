package sqlparse

import (
	"strings"
	"unicode/utf8"
)

// PieceKind is the kind of a piece of a SQL file.
type PieceKind uint8

// Piece kinds.
const (
	// PieceSQL is an SQL statement, without its terminating semicolon.
	PieceSQL PieceKind = iota + 1
	// PieceMeta is a psql meta-command such as \connect db, \set x 1,
	// \i file or \gset: from the backslash to the end of its arguments.
	PieceMeta
	// PieceCopyData is the data of COPY ... FROM STDIN (or \copy ... from
	// stdin): whole lines up to, not including, the terminating \. line
	// (or to the end of the input).
	PieceCopyData
)

// String returns "sql", "meta" or "copy-data".
func (k PieceKind) String() string {
	switch k {
	case PieceSQL:
		return "sql"
	case PieceMeta:
		return "meta"
	case PieceCopyData:
		return "copy-data"
	}
	return "unknown"
}

// Open names a construct left open at the end of the input.
type Open uint8

// Open constructs.
const (
	OpenNone Open = iota
	OpenString
	OpenBitString
	OpenHexString
	OpenQuotedIdent
	OpenDollarString
	OpenComment
)

// String returns PostgreSQL's message for the construct, such as
// "unterminated quoted string", or "" for OpenNone.
func (o Open) String() string {
	switch o {
	case OpenString:
		return "unterminated quoted string"
	case OpenBitString:
		return "unterminated bit string literal"
	case OpenHexString:
		return "unterminated hexadecimal string literal"
	case OpenQuotedIdent:
		return "unterminated quoted identifier"
	case OpenDollarString:
		return "unterminated dollar-quoted string"
	case OpenComment:
		return "unterminated /* comment"
	}
	return ""
}

// splitOpenOf returns the construct an unterminated token leaves open.
func splitOpenOf(t Token) Open {
	if t.Flags&FlagUnterminated == 0 {
		return OpenNone
	}
	switch t.Kind {
	case TokString:
		switch {
		case t.Flags&FlagBit != 0:
			return OpenBitString
		case t.Flags&FlagHex != 0:
			return OpenHexString
		}
		return OpenString
	case TokQuotedIdent:
		return OpenQuotedIdent
	case TokDollarString:
		return OpenDollarString
	case TokComment:
		return OpenComment
	}
	return OpenNone
}

// Piece is one piece of a SQL file: a statement, a psql meta-command or a
// COPY data block, with its exact place in the input.
type Piece struct {
	Kind PieceKind
	// Start and End are byte offsets in the input; Text is
	// input[Start:End]. An SQL piece starts at its first token (leading
	// comments and whitespace are not part of it) and ends after its last
	// token (trailing comments and the semicolon are not part of it).
	Start, End int
	Text       string
	// Line and Column are the 1-based position of Start; columns count
	// characters (an invalid UTF-8 byte counts as one), not bytes.
	Line, Column int
	// Open is the construct (quote, comment, dollar quote) left open at
	// the end of the input, which then ends the piece; OpenOffset is where
	// it starts, as a byte offset in Text. Report it as
	// "<Open> starting at <Pos(OpenOffset)>".
	Open       Open
	OpenOffset int
	// Vars is true when an SQL piece references psql variables (:name,
	// :'name', :"name"), which psql substitutes before sending the
	// statement: such a statement may not parse as written. An array
	// slice such as a[1:n] also sets it.
	Vars bool
}

// Pos returns the 1-based line and column of byte offset off of p.Text
// (clamped to the text; a negative offset gives the piece's start).
func (p *Piece) Pos(off int) (line, col int) {
	off = min(max(off, 0), len(p.Text))
	line, col = p.Line, p.Column
	text := p.Text[:off]
	if k := strings.LastIndexByte(text, '\n'); k >= 0 {
		line += strings.Count(text, "\n")
		col = 1
		text = text[k+1:]
	}
	return line, col + utf8.RuneCountInString(text)
}

// splitWholeLine are the psql meta-commands whose argument is the rest of
// the line, backslashes included (OT_WHOLE_LINE in psql).
var splitWholeLine = map[string]bool{
	"!": true, "copy": true, "h": true, "help": true,
	"sf": true, "sf+": true, "sv": true, "sv+": true, "ef": true, "ev": true,
}

// splitPipeMeta are the meta-commands whose file argument may be "|command",
// which then takes the rest of the line.
var splitPipeMeta = map[string]bool{"o": true, "out": true, "g": true, "gx": true, "w": true, "write": true}

// splitSendsQuery reports whether meta-command name sends the query buffer to
// the server, as ; does.
func splitSendsQuery(name string) bool {
	switch name {
	case "g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch":
		return true
	}
	return false
}

// Split splits a SQL file (as psql reads it) into pieces, in input order,
// non-overlapping. It never fails: unterminated quotes and comments end
// the input as a piece with Open set; garbage comes back as SQL pieces for
// the parser to reject. Text holding only comments and whitespace gives
// no piece.
//
// The rules are psql's: a semicolon ends a statement only outside
// parentheses, quotes, comments and dollar quotes, and outside the
// BEGIN ... END body of CREATE [OR REPLACE] FUNCTION/PROCEDURE (psql's
// BEGIN/CASE/END depth heuristic). A final statement needs no semicolon.
// A backslash outside quotes and comments starts a meta-command that runs
// to the end of the line, to a \\ separator (after which SQL resumes on
// the same line) or to the next backslash command; \; separates
// statements like a semicolon. A meta-command ends the statement in
// progress (psql sends it for \g, \gset, \gx, \gexec, \gdesc, \watch and
// \crosstabview; for other commands psql would keep accumulating it, a
// case not modelled), except \r (\reset) which discards it. After a
// statement COPY ... FROM STDIN (or \copy ... from stdin) the following
// lines up to a line \. are a PieceCopyData.
func Split(src string) []Piece {
	sp := splitter{src: src, lx: NewLexer(src, true), start: -1, copyLine: -1, lcLine: 1, lcCol: 1}
	sp.run()
	return sp.pieces
}

type splitter struct {
	src    string
	lx     Lexer
	pieces []Piece

	// The statement in progress: start < 0 when there is none.
	start, last int
	open        Open
	openAt      int
	vars        bool
	paren       int
	begin       int
	idents      int
	identTag    [4]byte
	isCopy      bool // first word is COPY
	sawFrom     bool // previous token was FROM at depth 0
	fromStdin   bool // FROM STDIN seen at depth 0

	// copyLine is the index of the newline ending the line where a COPY
	// FROM STDIN statement ended (its data starts after it), or -1.
	copyLine int

	// Line/column cursor: the position of byte lcOff.
	lcOff, lcLine, lcCol int

	// metaLineEnd is the end of the line holding byte metaFrom.
	metaFrom, metaLineEnd int
}

// pos returns the line and column of byte offset off, which must not be
// before the previous call's.
func (sp *splitter) pos(off int) (int, int) {
	text := sp.src[sp.lcOff:off]
	if k := strings.LastIndexByte(text, '\n'); k >= 0 {
		sp.lcLine += strings.Count(text, "\n")
		sp.lcCol = 1
		text = text[k+1:]
	}
	sp.lcCol += utf8.RuneCountInString(text)
	sp.lcOff = off
	return sp.lcLine, sp.lcCol
}

func (sp *splitter) emit(kind PieceKind, start, end int) *Piece {
	line, col := sp.pos(start)
	sp.pieces = append(sp.pieces, Piece{Kind: kind, Start: start, End: end, Text: sp.src[start:end], Line: line, Column: col})
	return &sp.pieces[len(sp.pieces)-1]
}

// endStatement emits the statement in progress, if any, and resets the
// statement state. It returns whether the statement was COPY ... FROM
// STDIN.
func (sp *splitter) endStatement(keep bool) bool {
	if sp.start < 0 {
		return false
	}
	copyIn := sp.isCopy && sp.fromStdin
	if keep {
		p := sp.emit(PieceSQL, sp.start, sp.last)
		p.Vars = sp.vars
		if sp.open != OpenNone {
			p.Open, p.OpenOffset = sp.open, sp.openAt-sp.start
		}
	}
	sp.start = -1
	sp.open = OpenNone
	sp.vars = false
	sp.paren, sp.begin, sp.idents = 0, 0, 0
	sp.isCopy, sp.sawFrom, sp.fromStdin = false, false, false
	return copyIn && keep
}

// lineAfter returns the index of the newline ending the line that holds
// off, or len(src).
func (sp *splitter) lineAfter(off int) int {
	if k := strings.IndexByte(sp.src[off:], '\n'); k >= 0 {
		return off + k
	}
	return len(sp.src)
}

func (sp *splitter) run() {
	src := sp.src
	for {
		t := sp.lx.Next()
		if sp.copyLine >= 0 && (t.Kind == TokEOF || t.Start > sp.copyLine) {
			sp.endStatement(true)
			sp.copyData(sp.copyLine + 1)
			sp.copyLine = -1
			continue
		}
		if sp.copyLine >= 0 && t.End > sp.copyLine {
			// A token on the COPY line runs over the next lines (a
			// comment, a string): the data starts after it.
			sp.copyLine = sp.lineAfter(t.End)
		}
		switch t.Kind {
		case TokEOF:
			sp.endStatement(true)
			return
		case TokComment:
			if t.Flags&FlagUnterminated != 0 {
				if sp.start < 0 {
					sp.start = t.Start
				}
				sp.last = t.End
				sp.open, sp.openAt = OpenComment, t.Start
			}
			continue
		case TokPunct:
			if src[t.Start] == ';' && t.End == t.Start+1 {
				if sp.paren == 0 && sp.begin == 0 {
					sp.semicolon(t.End)
					continue
				}
			}
		case TokOther:
			if src[t.Start] == '\\' {
				sp.backslash(t.Start)
				continue
			}
		}
		sp.token(t)
	}
}

// semicolon ends the statement at a terminating ; (or \;) ending at end.
func (sp *splitter) semicolon(end int) {
	if sp.endStatement(true) {
		sp.copyLine = sp.lineAfter(end)
	}
}

// token adds a significant token to the statement in progress.
func (sp *splitter) token(t Token) {
	src := sp.src
	if sp.start < 0 {
		sp.start = t.Start
	}
	sp.last = t.End
	if o := splitOpenOf(t); o != OpenNone {
		sp.open, sp.openAt = o, t.Start
	}
	sawFrom := false
	switch t.Kind {
	case TokPunct:
		switch src[t.Start] {
		case '(':
			sp.paren++
		case ')':
			if sp.paren > 0 {
				sp.paren--
			}
		}
	case TokVariable:
		sp.vars = true
	case TokIdent:
		w := src[t.Start:t.End]
		sp.ident(w)
		if sp.paren == 0 {
			switch {
			case t.Start == sp.start:
				sp.isCopy = lexEqualFold(w, "copy")
			case sp.isCopy && lexEqualFold(w, "from"):
				sawFrom = true
			case sp.sawFrom && lexEqualFold(w, "stdin"):
				sp.fromStdin = true
			}
		}
	}
	sp.sawFrom = sawFrom
}

// ident applies psql's heuristic for BEGIN ... END bodies: once the
// statement starts with CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN
// opens a block, CASE inside a block opens one, END closes one, and a
// semicolon inside a block does not end the statement.
func (sp *splitter) ident(w string) {
	if sp.idents == 0 {
		sp.identTag = [4]byte{}
	}
	if sp.idents < len(sp.identTag) {
		switch len(w) {
		case 2:
			if lexEqualFold(w, "or") {
				sp.identTag[sp.idents] = 'o'
			}
		case 6:
			if lexEqualFold(w, "create") {
				sp.identTag[sp.idents] = 'c'
			}
		case 7:
			if lexEqualFold(w, "replace") {
				sp.identTag[sp.idents] = 'r'
			}
		case 8:
			if lexEqualFold(w, "function") {
				sp.identTag[sp.idents] = 'f'
			}
		case 9:
			if lexEqualFold(w, "procedure") {
				sp.identTag[sp.idents] = 'p'
			}
		}
	}
	sp.idents++
	tag := sp.identTag
	if tag[0] == 'c' && (tag[1] == 'f' || tag[1] == 'p' || tag[1] == 'o' && tag[2] == 'r' && (tag[3] == 'f' || tag[3] == 'p')) && sp.paren == 0 {
		switch len(w) {
		case 5:
			if lexEqualFold(w, "begin") {
				sp.begin++
			}
		case 4:
			if lexEqualFold(w, "case") && sp.begin >= 1 {
				sp.begin++
			}
		case 3:
			if lexEqualFold(w, "end") && sp.begin > 0 {
				sp.begin--
			}
		}
	}
}

// backslash handles a backslash outside quotes and comments at b.
func (sp *splitter) backslash(b int) {
	src := sp.src
	if b+1 < len(src) {
		switch src[b+1] {
		case ';':
			// \; puts a ; in the query buffer without sending it: psql
			// then sends several statements at once. Split them.
			if sp.paren == 0 && sp.begin == 0 {
				sp.semicolon(b + 2)
			} else {
				sp.token(Token{Start: b, End: b + 2, Kind: TokOther})
			}
			sp.lx.SetPos(b + 2)
			return
		case ':':
			// \: puts a literal : in the query.
			sp.token(Token{Start: b, End: b + 2, Kind: TokOther})
			sp.lx.SetPos(b + 2)
			return
		}
	}
	if b < sp.metaFrom || b >= sp.metaLineEnd {
		// The end of this line, cached for the other commands on it (a
		// line of backslashes would be quadratic otherwise).
		sp.metaFrom, sp.metaLineEnd = b, sp.lineAfter(b)
	}
	name, end, next := splitMetaCommand(src, b, sp.metaLineEnd)
	copyIn := sp.endStatement(name != "r" && name != "reset")
	sp.emit(PieceMeta, b, end)
	if copyIn && splitSendsQuery(name) || name == "copy" && splitCopyFromStdin(src[b:end]) {
		sp.copyLine = sp.lineAfter(b)
	}
	sp.lx.SetPos(next)
}

// splitMetaCommand parses the psql meta-command whose backslash is at b,
// on a line that ends at le (a newline or the end of src). It returns the
// command name, the end of the command text (after its last argument) and
// where SQL lexing resumes: the end of the line, the next backslash
// command, or after a \\ separator.
func splitMetaCommand(src string, b, le int) (name string, end, next int) {
	j := b + 1
	for j < le && lexClass[src[j]]&clsSpace == 0 && src[j] != '\\' {
		j++
	}
	name = src[b+1 : j]
	k := j
	for k < le && lexClass[src[k]]&clsSpace != 0 {
		k++
	}
	if splitWholeLine[name] || splitPipeMeta[name] && k < le && src[k] == '|' {
		return name, splitTrimSpace(src, j, le), le
	}
	end = j
	for k < le {
		c := src[k]
		if lexClass[c]&clsSpace != 0 {
			k++
			continue
		}
		if c == '\\' {
			break
		}
		// One argument: unquoted text with embedded quoted sections.
		for k < le && lexClass[src[k]]&clsSpace == 0 && src[k] != '\\' {
			switch src[k] {
			case '\'':
				k = splitMetaQuote(src, k+1, le)
			case '"', '`':
				q := src[k]
				if e := strings.IndexByte(src[k+1:le], q); e >= 0 {
					k += e + 2
				} else {
					k = le
				}
			default:
				k++
			}
		}
		end = k
	}
	next = k
	if k+1 < le && src[k] == '\\' && src[k+1] == '\\' {
		next = k + 2
	}
	return name, end, next
}

// splitMetaQuote returns the end of a single-quoted meta-command argument
// whose body starts at i: ” and backslash escapes, to the end of line.
func splitMetaQuote(src string, i, le int) int {
	for i < le {
		switch src[i] {
		case '\\':
			i += 2
		case '\'':
			if i+1 < le && src[i+1] == '\'' {
				i += 2
				continue
			}
			return i + 1
		default:
			i++
		}
	}
	return le
}

func splitTrimSpace(src string, start, end int) int {
	for end > start && lexClass[src[end-1]]&clsSpace != 0 {
		end--
	}
	return end
}

// splitCopyFromStdin reports whether a \copy command reads its data from the
// script (from stdin, as opposed to pstdin or a file).
func splitCopyFromStdin(cmd string) bool {
	lx := NewLexer(cmd, false)
	from := false
	for t := lx.Next(); t.Kind != TokEOF; t = lx.Next() {
		if t.Kind != TokIdent {
			from = false
			continue
		}
		w := t.Text(cmd)
		if from && lexEqualFold(w, "stdin") {
			return true
		}
		from = lexEqualFold(w, "from")
	}
	return false
}

// copyData emits the COPY data starting at ds (a line start) and moves
// the lexer after its terminating \. line.
func (sp *splitter) copyData(ds int) {
	src := sp.src
	n := len(src)
	if ds > n {
		ds = n
	}
	end, next := n, n
	for ls := ds; ls < n; {
		le := strings.IndexByte(src[ls:], '\n')
		if le < 0 {
			le = n
		} else {
			le += ls
		}
		if line := src[ls:le]; line == `\.` || line == "\\.\r" {
			end, next = ls, min(le+1, n)
			break
		}
		ls = le + 1
	}
	if end > ds {
		sp.emit(PieceCopyData, ds, end)
	}
	sp.lx.SetPos(next)
}
