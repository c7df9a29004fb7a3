package sqlfile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// chunkSize is how much of a SQL file Stream reads at a time (a
// variable for the tests).
var chunkSize = 1 << 20

// Stream reads the SQL file name from r a chunk at a time and calls fn
// with each statement, in order, as Parse would return them: memory holds
// one chunk and the statement in progress (at most
// sqlparse.MaxStatementSize of it), never the whole file. COPY data, which
// may be any size, is skipped as it streams by.
//
// Stream returns the number of bytes read. When ctx is cancelled it stops
// reading: the statements complete so far have been passed to fn, the one
// in progress is dropped, and it returns ctx.Err(). A read error ends the
// file the same way and is returned.
func Stream(ctx context.Context, name string, r io.Reader, fn func(*Statement)) (int64, error) {
	s := &stream{name: name, r: r, fn: fn, line: 1, col: 1}
	return s.run(ctx)
}

type stream struct {
	name string
	r    io.Reader
	fn   func(*Statement)
	read int64
	// buf holds the text not handed out yet: the statement in progress
	// (or the partial line of COPY data being skipped); line and col are
	// the file position of buf[0].
	buf       []byte
	line, col int
	// copyData is true while COPY data is skipped: buf then holds the
	// current, partial line.
	copyData bool
	// longLine is true when the partial line of COPY data was cut (it
	// cannot be the \. terminator).
	longLine bool
}

func (s *stream) run(ctx context.Context) (int64, error) {
	chunk := make([]byte, chunkSize)
	for {
		if err := ctx.Err(); err != nil {
			return s.read, err
		}
		// A long statement in progress is re-split with each chunk:
		// chunks as long as it keep the work linear.
		if want := len(s.buf); want > len(chunk) && !s.copyData {
			chunk = make([]byte, want)
		}
		n, rerr := io.ReadFull(s.r, chunk)
		s.read += int64(n)
		eof := rerr != nil
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			rerr = nil
		}
		data := chunk[:n]
		if rerr != nil && ctx.Err() != nil {
			// Interrupted: hand out the statements complete so far.
			if !s.copyData {
				s.buf = append(s.buf, data...)
				s.split(false)
			}
			return s.read, ctx.Err()
		}
		if s.copyData {
			data = s.skipCopy(data)
			if s.copyData {
				if eof {
					return s.read, rerr
				}
				continue
			}
		}
		s.buf = append(s.buf, data...)
		if len(s.buf) > sqlparse.MaxStatementSize+chunkSize && !eof {
			// One statement longer than the parser takes: hand it out
			// now (the parser refuses it with its size) rather than
			// holding more.
			eof = true
			rerr = errors.Join(rerr, errTooLong)
		}
		s.split(eof)
		if eof {
			return s.read, rerr
		}
	}
}

var errTooLong = errors.New("a statement longer than the parser's limit: the rest of the file is not read")

// split splits buf and hands out its complete statements; unless the
// input ended, the last piece (possibly cut by the chunk's end) stays in
// buf for the next round.
func (s *stream) split(eof bool) {
	src := string(s.buf)
	pieces := sqlparse.Split(src)
	keep, carry := len(pieces), len(src)
	skipFrom := -1
	// from is the piece whose position carry is measured from (-1: buf's
	// start).
	from := -1
	switch last := len(pieces) - 1; {
	case eof:
	case last < 0:
		// Only comments: the last one may be cut.
		carry = lastTokenStart(src)
	case pieces[last].Kind == sqlparse.PieceCopyData:
		p := pieces[last]
		if copyEnded(src[p.End:]) {
			// Complete, with its \. line: nothing to carry but what
			// follows that line.
			from, carry = last, p.End+strings.IndexByte(src[p.End:], '\n')+1
			break
		}
		// COPY data runs on: skip it from here, keep no copy.
		keep, skipFrom = last, p.Start
	default:
		keep, carry, from = last, pieces[last].Start, last
	}
	for i := range pieces {
		s.shift(&pieces[i])
	}
	for _, st := range sqlparse.ParsePieces(pieces[:keep]) {
		if st.Kind == sqlparse.PieceSQL {
			// The text must not pin the chunk it was cut from.
			st.Text = strings.Clone(st.Text)
			s.fn(convert(s.name, &st))
		}
	}
	switch {
	case skipFrom >= 0:
		p := pieces[keep]
		s.line, s.col = p.Line, p.Column
		s.buf = s.buf[:0]
		s.copyData, s.longLine = true, false
		rest := s.skipCopy([]byte(src[skipFrom:]))
		s.buf = append(s.buf, rest...)
	default:
		start := 0
		if from >= 0 {
			p := pieces[from]
			s.line, s.col, start = p.Line, p.Column, p.Start
		}
		s.advance(src[start:carry])
		s.buf = append(s.buf[:0], src[carry:]...)
	}
}

// lastTokenStart returns where the last token of src starts (len(src)
// when there is none).
func lastTokenStart(src string) int {
	at := len(src)
	lx := sqlparse.NewLexer(src, true)
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		at = t.Start
	}
	return at
}

// shift turns p's position in buf into its position in the file.
func (s *stream) shift(p *sqlparse.Piece) {
	if p.Line == 1 {
		p.Column += s.col - 1
	}
	p.Line += s.line - 1
}

// advance moves the position of buf[0] past text.
func (s *stream) advance(text string) {
	if k := bytes.LastIndexByte([]byte(text), '\n'); k >= 0 {
		s.line += bytes.Count([]byte(text), []byte{'\n'})
		s.col = 1
		text = text[k+1:]
	}
	s.col += len([]rune(text))
}

// copyEnded says whether text, what follows a COPY data piece, starts
// with its complete \. line (else the data runs past the chunk).
func copyEnded(text string) bool {
	return len(text) >= 3 && text[0] == '\\' && text[1] == '.' && (text[2] == '\n' || text[2] == '\r' && len(text) >= 4)
}

// skipCopy skips COPY data lines in data (s.buf holding the current
// partial line) up to the \. line; after it, copyData is false and the
// rest of data is returned.
func (s *stream) skipCopy(data []byte) []byte {
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			if !s.longLine {
				s.buf = append(s.buf, data...)
				if len(s.buf) > 3 {
					s.longLine, s.buf = true, s.buf[:0]
				}
			}
			return nil
		}
		lineText := append(s.buf, data[:nl]...)
		end := !s.longLine && (string(lineText) == `\.` || string(lineText) == "\\.\r")
		s.buf, s.longLine = s.buf[:0], false
		s.line++
		s.col = 1
		data = data[nl+1:]
		if end {
			s.copyData = false
			return data
		}
	}
	return nil
}
