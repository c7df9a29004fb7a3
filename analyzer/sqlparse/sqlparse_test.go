package sqlparse

import (
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorOffsets(t *testing.T) {
	tests := []struct {
		name, sql, at string // at: the text where the error is, "" for the end
		msg           string
	}{
		{"end of input after multibyte identifiers", "SELECT ñandú FROM tablé WHERE", "", "syntax error at end of input"},
		{"multibyte before the error", "SELECT ñandú FROM tablé WHERE ñ = = 1", "= 1", `syntax error at or near "="`},
		{"multibyte in a string", "SELECT 'ünïcödé' + + FROM t", "FROM", `syntax error at or near "FROM"`},
		{"four-byte characters", "SELECT '😀😀' AS \"🐘\" FRM t", "FRM", `syntax error at or near "FRM"`},
		{"invalid UTF-8 counted as PostgreSQL does", "SELECT \xc3( + FROM", "FROM", `syntax error at or near "FROM"`},
		{"trailing junk", "SELECT 1 FROM t LIMIT 5x", "5x", "trailing junk after numeric literal"},
		{"unterminated string", "SELECT 'abc", "'abc", "unterminated quoted string"},
		{"NUL byte", "SELECT 1\x00 FROM t", "\x00", `invalid byte sequence for encoding "UTF8": 0x00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := len(tt.sql)
			if tt.at != "" {
				want = strings.LastIndex(tt.sql, tt.at)
			}
			for name, f := range map[string]func(string) error{
				"parseTree":   func(s string) error { _, err := parseTree(s); return err },
				"Fingerprint": func(s string) error { _, err := Fingerprint(s); return err },
				"Normalize":   func(s string) error { _, err := Normalize(s); return err },
			} {
				var pe *Error
				if err := f(tt.sql); !errors.As(err, &pe) {
					t.Fatalf("%s(%q) = %v, want *Error", name, tt.sql, err)
				}
				if pe.Offset != want || !strings.HasPrefix(pe.Message, tt.msg) {
					t.Errorf("%s(%q) = %q at %d, want %q at %d", name, tt.sql, pe.Message, pe.Offset, tt.msg, want)
				}
			}
		})
	}
}

func TestCharToByte(t *testing.T) {
	s := "aé😀\xc3(b"
	tests := []struct{ pos, want int }{{0, -1}, {1, 0}, {2, 1}, {3, 3}, {4, 7}, {5, 9}, {6, 10}, {99, 10}}
	for _, tt := range tests {
		if got := charToByte(s, tt.pos); got != tt.want {
			t.Errorf("charToByte(%q, %d) = %d, want %d", s, tt.pos, got, tt.want)
		}
	}
}

// TestCommentsAfterLookaheadTokens checks the work-around for pg_query's
// scanner, which returns comments as tokens and so breaks the parser's
// lookahead: these statements are valid for PostgreSQL.
func TestCommentsAfterLookaheadTokens(t *testing.T) {
	tests := []struct{ commented, plain string }{
		{"SELECT 1 FROM t WHERE a NOT /* c */ IN (1, 2)", "SELECT 1 FROM t WHERE a NOT IN (1, 2)"},
		{"SELECT 1 FROM t WHERE a NOT -- c\n LIKE 'x%'", "SELECT 1 FROM t WHERE a NOT LIKE 'x%'"},
		{"SELECT 1 FROM t ORDER BY a NULLS /* c */ /* d */ FIRST", "SELECT 1 FROM t ORDER BY a NULLS FIRST"},
		{"SELECT x::timestamp WITH /* c */ TIME ZONE FROM t", "SELECT x::timestamp WITH TIME ZONE FROM t"},
		{"SELECT x::timestamp WITHOUT /* c */ TIME ZONE FROM t", "SELECT x::timestamp WITHOUT TIME ZONE FROM t"},
		{"SELECT * FROM f() WITH /* c */ ORDINALITY", "SELECT * FROM f() WITH ORDINALITY"},
		{"SELECT U&'x' /* c */ UESCAPE /* d */ '!'", "SELECT U&'x' UESCAPE '!'"},
		{"SELECT json_object('a': 1 RETURNING text FORMAT /* é */ JSON)", "SELECT json_object('a': 1 RETURNING text FORMAT JSON)"},
	}
	for _, tt := range tests {
		t.Run(tt.plain, func(t *testing.T) {
			got, err := Fingerprint(tt.commented)
			if err != nil {
				t.Fatalf("Fingerprint(%q): %v", tt.commented, err)
			}
			if want, _ := Fingerprint(tt.plain); got != want {
				t.Errorf("fingerprint %s, want %s as without comments", got, want)
			}
			if _, err := parseTree(tt.commented); err != nil {
				t.Errorf("Check: %v", err)
			}
			if _, err := Normalize(tt.commented); err != nil {
				t.Errorf("Normalize: %v", err)
			}
		})
	}
	// An error after such a comment is still at the right place.
	sql := "SELECT 1 FROM t WHERE a NOT /* ünï */ IN (1,) "
	var pe *Error
	if _, err := parseTree(sql); !errors.As(err, &pe) || pe.Offset != strings.Index(sql, ")") {
		t.Errorf("parseTree(%q) = %v, want an error at the )", sql, err)
	}
}

func TestParseFile(t *testing.T) {
	src := "-- setup\n\\connect db\nSELECT a FROM t WHERE b = 1;\n" +
		"SELECT ñandú,\n  tablé FROM WHERE;\n" +
		"COPY t FROM stdin;\n1\n\\.\n" +
		"UPDATE t SET a = 'x' WHERE id = 7;\n" +
		"SELECT 'open"
	got := ParseFile(src)
	fp1, _ := Fingerprint("SELECT a FROM t WHERE b = 1")
	fp2, _ := Fingerprint("UPDATE t SET a = 'x' WHERE id = 7")
	type summary struct {
		Kind              PieceKind
		Text              string
		Fingerprint, Norm string
		Err               string
		ErrLine, ErrCol   int
	}
	var sums []summary
	for _, st := range got {
		s := summary{Kind: st.Kind, Text: st.Text, Fingerprint: st.Fingerprint, Norm: st.Normalized}
		if st.Err != nil {
			s.Err = st.Err.Message
			s.ErrLine, s.ErrCol = st.Pos(st.Err.Offset)
		}
		sums = append(sums, s)
	}
	want := []summary{
		{Kind: PieceMeta, Text: `\connect db`},
		{Kind: PieceSQL, Text: "SELECT a FROM t WHERE b = 1", Fingerprint: fp1, Norm: "SELECT a FROM t WHERE b = $1"},
		{Kind: PieceSQL, Text: "SELECT ñandú,\n  tablé FROM WHERE", Err: `syntax error at or near "WHERE"`, ErrLine: 5, ErrCol: 14},
		{Kind: PieceSQL, Text: "COPY t FROM stdin", Fingerprint: mustFingerprint(t, "COPY t FROM stdin"), Norm: "COPY t FROM stdin"},
		{Kind: PieceCopyData, Text: "1\n"},
		{Kind: PieceSQL, Text: "UPDATE t SET a = 'x' WHERE id = 7", Fingerprint: fp2, Norm: "UPDATE t SET a = $1 WHERE id = $2"},
		{Kind: PieceSQL, Text: "SELECT 'open", Err: "unterminated quoted string", ErrLine: 10, ErrCol: 8},
	}
	if diff := cmp.Diff(want, sums); diff != "" {
		t.Errorf("ParseFile (-want +got):\n%s", diff)
	}
}

func mustFingerprint(t *testing.T, sql string) string {
	t.Helper()
	fp, err := Fingerprint(sql)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// generatedFile returns a SQL file of n statements: the corpus statements
// with other literals, whitespace and comments, some broken ones, psql
// meta-commands and COPY blocks, as a large script would have.
func generatedFile(n int) string {
	rng := rand.New(rand.NewPCG(9, 10))
	var stmts []string
	for _, s := range strings.Split(corpusText, "\n----\n") {
		stmts = append(stmts, strings.TrimSpace(s))
	}
	stmts = append(stmts, pgbenchStatements(2000)[:14]...)
	var b strings.Builder
	b.WriteString("-- generated\n\\set ON_ERROR_STOP on\n")
	for i := range n {
		switch {
		case i%1000 == 999:
			b.WriteString("COPY t (a, b) FROM stdin;\n1\tone\n2\ttwo; three\n\\.\n")
		case i%500 == 250:
			b.WriteString("SELECT FROM WHERE oops;\n")
		default:
			s := strings.TrimSuffix(stmts[rng.IntN(len(stmts))], ";")
			b.WriteString(vary(s, rng))
			b.WriteString(";\n")
		}
	}
	return b.String()
}

// corpusText is testdata/corpus.sql, read once by the benchmarks.
var corpusText = func() string {
	b, _ := os.ReadFile("testdata/corpus.sql")
	return string(b)
}()

func TestParsePiecesParallel(t *testing.T) {
	src := generatedFile(3000)
	pieces := Split(src)
	got := ParsePieces(pieces)
	nsql, nerr := 0, 0
	for i, st := range got {
		if st.Piece != pieces[i] {
			t.Fatalf("statement %d is not piece %d", i, i)
		}
		if st.Kind != PieceSQL {
			continue
		}
		nsql++
		var want Statement
		want.Piece = pieces[i]
		parseStatement(&want)
		if diff := cmp.Diff(want, st); diff != "" {
			t.Fatalf("statement %d differs from a sequential parse (-want +got):\n%s", i, diff)
		}
		if st.Err != nil {
			nerr++
		}
	}
	if nsql != 3000 || nerr != 6 {
		t.Errorf("%d statements, %d errors; want 3000 and 6", nsql, nerr)
	}
}

func BenchmarkSplit(b *testing.B) {
	src := generatedFile(10000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Split(src)
	}
}

// BenchmarkParseFile10k measures a 10,000-statement file: split,
// fingerprint and normalize on all CPUs (the analyze command must take
// under 2 s for it on 2 cores).
func BenchmarkParseFile10k(b *testing.B) {
	src := generatedFile(10000)
	b.SetBytes(int64(len(src)))
	n := 0
	for b.Loop() {
		n += len(ParseFile(src))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "statements/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/file")
}
