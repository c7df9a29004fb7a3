package sqlparse

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// want describes an expected piece; the test finds Text in the input
// after the previous piece to compute Start and End, and checks the rest.
type want struct {
	Kind         PieceKind
	Text         string
	Line, Column int
	Open         Open
	OpenOffset   int
	Vars         bool
}

func sqlp(text string, line, col int) want {
	return want{Kind: PieceSQL, Text: text, Line: line, Column: col}
}
func meta(text string, line, col int) want {
	return want{Kind: PieceMeta, Text: text, Line: line, Column: col}
}
func copyp(text string, line, col int) want {
	return want{Kind: PieceCopyData, Text: text, Line: line, Column: col}
}

func expand(t *testing.T, src string, ws []want) []Piece {
	t.Helper()
	var out []Piece
	from := 0
	for _, w := range ws {
		i := strings.Index(src[from:], w.Text)
		if i < 0 {
			t.Fatalf("test bug: %q not in input after offset %d", w.Text, from)
		}
		start := from + i
		out = append(out, Piece{
			Kind: w.Kind, Start: start, End: start + len(w.Text), Text: w.Text,
			Line: w.Line, Column: w.Column, Open: w.Open, OpenOffset: w.OpenOffset, Vars: w.Vars,
		})
		from = start + len(w.Text)
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"empty file", "", nil},
		{"whitespace only", " \n\t\r\n", nil},
		{"comments only", "-- header\n/* block\n -- nested? */\n  -- end", nil},
		{"empty statements", ";;\n ; ", nil},
		{"two statements", "SELECT 1;\nSELECT 2;\n", []want{sqlp("SELECT 1", 1, 1), sqlp("SELECT 2", 2, 1)}},
		{"no trailing newline or semicolon", "SELECT 1;\n  SELECT 2", []want{sqlp("SELECT 1", 1, 1), sqlp("SELECT 2", 2, 3)}},
		{"leading and trailing comments", "-- header; not a statement\n/* c; */ SELECT 1 -- after\n /* before ; */ ; -- tail\n",
			[]want{sqlp("SELECT 1", 2, 10)}},
		{"comments inside a statement", "SELECT 1 /* ; */ +\n -- ;\n 2;", []want{sqlp("SELECT 1 /* ; */ +\n -- ;\n 2", 1, 1)}},
		{"several statements on a line", "SELECT 1; SELECT 2 ;SELECT 3", []want{sqlp("SELECT 1", 1, 1), sqlp("SELECT 2", 1, 11), sqlp("SELECT 3", 1, 21)}},
		{"semicolons in quotes", `SELECT ';', "a;b", $$;$$, $t$ ; $$ ; $t$, E'\';', B'1', 'it''s;';`,
			[]want{sqlp(`SELECT ';', "a;b", $$;$$, $t$ ; $$ ; $t$, E'\';', B'1', 'it''s;'`, 1, 1)}},
		{"semicolons in parentheses", "SELECT (1; 2), f(a;b);\nSELECT 3;", []want{sqlp("SELECT (1; 2), f(a;b)", 1, 1), sqlp("SELECT 3", 2, 1)}},
		{"unbalanced close parenthesis", "SELECT 1);\nSELECT 2;", []want{sqlp("SELECT 1)", 1, 1), sqlp("SELECT 2", 2, 1)}},
		{"nested comments", "/* a /* b; */ c; */ SELECT 1; /* x */", []want{sqlp("SELECT 1", 1, 21)}},
		{"dollar-quoted function body", "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql;\nSELECT f();",
			[]want{sqlp("CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql", 1, 1), sqlp("SELECT f()", 6, 1)}},
		{"begin atomic", "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN a > 0 THEN a END;\nEND;\nSELECT 2;",
			[]want{sqlp("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN a > 0 THEN a END;\nEND", 1, 1), sqlp("SELECT 2", 6, 1)}},
		{"begin atomic lower case, or replace procedure", "create or replace procedure p() language sql begin atomic insert into t values (1); end; select 1",
			[]want{sqlp("create or replace procedure p() language sql begin atomic insert into t values (1); end", 1, 1), sqlp("select 1", 1, 90)}},
		{"begin outside a function is a statement", "BEGIN; SELECT 1; END;", []want{sqlp("BEGIN", 1, 1), sqlp("SELECT 1", 1, 8), sqlp("END", 1, 18)}},
		{"copy from stdin", "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t'q' \"d\" $$\n\\.\nSELECT 1;\n",
			[]want{sqlp("COPY t (a, b) FROM stdin", 1, 1), copyp("1\tx;y\n2\t'q' \"d\" $$\n", 2, 1), sqlp("SELECT 1", 5, 1)}},
		{"copy from stdin with options and CRLF", "copy t FROM STDIN WITH (FORMAT csv);\r\na,\"b;\"\r\n\\.\r\nSELECT 1;",
			[]want{sqlp("copy t FROM STDIN WITH (FORMAT csv)", 1, 1), copyp("a,\"b;\"\r\n", 2, 1), sqlp("SELECT 1", 4, 1)}},
		{"copy data to end of input", "COPY t FROM stdin;\n1\n2", []want{sqlp("COPY t FROM stdin", 1, 1), copyp("1\n2", 2, 1)}},
		{"empty copy data", "COPY t FROM stdin;\n\\.\nSELECT 1;", []want{sqlp("COPY t FROM stdin", 1, 1), sqlp("SELECT 1", 3, 1)}},
		{"copy to stdout has no data", "COPY t TO stdout;\nSELECT 1;", []want{sqlp("COPY t TO stdout", 1, 1), sqlp("SELECT 1", 2, 1)}},
		{"copy from a subquery name is not stdin", "COPY (SELECT * FROM stdin) TO stdout;\n1;", []want{sqlp("COPY (SELECT * FROM stdin) TO stdout", 1, 1), sqlp("1", 2, 1)}},
		{"psql copy from stdin", "\\copy t from stdin\n1\t2\n\\.\nSELECT 1;", []want{meta("\\copy t from stdin", 1, 1), copyp("1\t2\n", 2, 1), sqlp("SELECT 1", 4, 1)}},
		{"meta-commands", "\\connect mydb\n\\set ON_ERROR_STOP on\n  \\i 'other file.sql'\nSELECT 1;\n",
			[]want{meta("\\connect mydb", 1, 1), meta("\\set ON_ERROR_STOP on", 2, 1), meta("\\i 'other file.sql'", 3, 3), sqlp("SELECT 1", 4, 1)}},
		{"gset ends the statement", "SELECT 1 AS x \\gset\n\\echo :x\n", []want{sqlp("SELECT 1 AS x", 1, 1), meta("\\gset", 1, 15), meta("\\echo :x", 2, 1)}},
		{"g on its own line", "SELECT 1\n\\g\nSELECT 2;", []want{sqlp("SELECT 1", 1, 1), meta("\\g", 2, 1), sqlp("SELECT 2", 3, 1)}},
		{"copy sent by g", "COPY t FROM stdin \\g\n1\n\\.\n", []want{sqlp("COPY t FROM stdin", 1, 1), meta("\\g", 1, 19), copyp("1\n", 2, 1)}},
		{"double backslash resumes SQL", "\\set x 1 \\\\ SELECT 1;", []want{meta("\\set x 1", 1, 1), sqlp("SELECT 1", 1, 13)}},
		{"backslash starts the next command", "\\echo one \\echo two", []want{meta("\\echo one", 1, 1), meta("\\echo two", 1, 11)}},
		{"quoted meta argument", "\\echo 'a \\\\ b' \\\\ SELECT 9;", []want{meta("\\echo 'a \\\\ b'", 1, 1), sqlp("SELECT 9", 1, 19)}},
		{"whole-line meta-command", "\\! echo a \\\\ b\nSELECT 1;", []want{meta("\\! echo a \\\\ b", 1, 1), sqlp("SELECT 1", 2, 1)}},
		{"reset discards the statement", "SELECT 7\n\\r\nSELECT 8;", []want{meta("\\r", 2, 1), sqlp("SELECT 8", 3, 1)}},
		{"backslash semicolon separates", "select 5 \\; select 6;", []want{sqlp("select 5", 1, 1), sqlp("select 6", 1, 13)}},
		{"backslash in quotes and comments is text", "SELECT '\\g', $$\\x$$ /* \\q */;", []want{sqlp("SELECT '\\g', $$\\x$$", 1, 1)}},
		{"CRLF line endings", "SELECT 1;\r\n\\set a b\r\nSELECT\r\n  2;\r\n", []want{sqlp("SELECT 1", 1, 1), meta("\\set a b", 2, 1), sqlp("SELECT\r\n  2", 3, 1)}},
		{"multibyte text", "SELECT 'ñandú'; SELECT ñ FROM tablé; /* é */ SELECT 3",
			[]want{sqlp("SELECT 'ñandú'", 1, 1), sqlp("SELECT ñ FROM tablé", 1, 17), sqlp("SELECT 3", 1, 46)}},
		{"psql variables", "SELECT :v, :'s' FROM :\"t\";\nSELECT a::int;", []want{
			{Kind: PieceSQL, Text: `SELECT :v, :'s' FROM :"t"`, Line: 1, Column: 1, Vars: true}, sqlp("SELECT a::int", 2, 1)}},
		{"unterminated quote", "SELECT 1;\nSELECT 'abc;\nx", []want{sqlp("SELECT 1", 1, 1),
			{Kind: PieceSQL, Text: "SELECT 'abc;\nx", Line: 2, Column: 1, Open: OpenString, OpenOffset: 7}}},
		{"unterminated comment after the last statement", "SELECT 1; /* abc;\n", []want{sqlp("SELECT 1", 1, 1),
			{Kind: PieceSQL, Text: "/* abc;\n", Line: 1, Column: 11, Open: OpenComment}}},
		{"unterminated comment in a statement", "SELECT 1 /* abc", []want{{Kind: PieceSQL, Text: "SELECT 1 /* abc", Line: 1, Column: 1, Open: OpenComment, OpenOffset: 9}}},
		{"unterminated dollar quote", "CREATE FUNCTION f() AS $$ SELECT 1; ", []want{
			{Kind: PieceSQL, Text: "CREATE FUNCTION f() AS $$ SELECT 1; ", Line: 1, Column: 1, Open: OpenDollarString, OpenOffset: 23}}},
		{"unterminated identifier", `SELECT "a;`, []want{{Kind: PieceSQL, Text: `SELECT "a;`, Line: 1, Column: 1, Open: OpenQuotedIdent, OpenOffset: 7}}},
		{"binary garbage", "\x00\xff\xfe;\x01\x02 ;\x89PNG", []want{sqlp("\x00\xff\xfe", 1, 1), sqlp("\x01\x02", 1, 5), sqlp("\x89PNG", 1, 9)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.src)
			if diff := cmp.Diff(expand(t, tt.src, tt.want), got); diff != "" {
				t.Errorf("Split(%q) (-want +got):\n%s", tt.src, diff)
			}
			checkPieces(t, tt.src, got)
		})
	}
}

func TestPieceHelpers(t *testing.T) {
	ps := Split("-- x\n  SELECT 'é',\n  ñ FROM t WHERE;\n\\connect  db  other \n")
	if len(ps) != 2 {
		t.Fatalf("got %d pieces, want 2", len(ps))
	}
	p := ps[0]
	off := strings.Index(p.Text, "WHERE")
	if line, col := p.Pos(off); line != 3 || col != 12 {
		t.Errorf("Pos(%d) = %d:%d, want 3:12", off, line, col)
	}
	if line, col := p.Pos(-1); line != 2 || col != 3 {
		t.Errorf("Pos(-1) = %d:%d, want 2:3", line, col)
	}
	if line, col := p.Pos(len(p.Text) + 5); line != 3 || col != 17 {
		t.Errorf("Pos(past end) = %d:%d, want 3:17", line, col)
	}
	for k, s := range map[fmt.Stringer]string{PieceSQL: "sql", PieceMeta: "meta", PieceCopyData: "copy-data", OpenString: "unterminated quoted string", OpenComment: "unterminated /* comment"} {
		if k.String() != s {
			t.Errorf("String() = %q, want %q", k.String(), s)
		}
	}
}

// position is the reference line:column computation (the one of
// check.Position.Advance).
func position(src string, off int) (int, int) {
	line, col := 1, 1
	for _, r := range src[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// checkPieces checks the invariants of Split's result on any input.
func checkPieces(t *testing.T, src string, ps []Piece) {
	t.Helper()
	prev := 0
	for i, p := range ps {
		if p.Start < prev || p.End < p.Start || p.End > len(src) {
			t.Fatalf("piece %d [%d,%d) out of order or range (previous end %d, len %d)", i, p.Start, p.End, prev, len(src))
		}
		if p.Text != src[p.Start:p.End] {
			t.Fatalf("piece %d Text %q != src[%d:%d] %q", i, p.Text, p.Start, p.End, src[p.Start:p.End])
		}
		if line, col := position(src, p.Start); p.Line != line || p.Column != col {
			t.Fatalf("piece %d at %d:%d, want %d:%d", i, p.Line, p.Column, line, col)
		}
		switch p.Kind {
		case PieceSQL:
			if p.Start == p.End || lexClass[src[p.Start]]&clsSpace != 0 || lexClass[src[p.End-1]]&clsSpace != 0 && p.Open == OpenNone {
				t.Fatalf("SQL piece %d %q is empty or not trimmed", i, p.Text)
			}
		case PieceMeta:
			if src[p.Start] != '\\' {
				t.Fatalf("meta piece %d %q does not start with a backslash", i, p.Text)
			}
		case PieceCopyData:
			if p.Column != 1 {
				t.Fatalf("copy data %d does not start a line", i)
			}
		default:
			t.Fatalf("piece %d has kind %d", i, p.Kind)
		}
		if p.OpenOffset < 0 || p.OpenOffset > len(p.Text) {
			t.Fatalf("piece %d OpenOffset %d out of range", i, p.OpenOffset)
		}
		prev = p.End
	}
}

func TestSplitReproducesStatements(t *testing.T) {
	stmts := corpusStatements(t)
	seps := []string{";", ";\n", " ;\n\n", ";  -- done; really\n", "\n;", ";/* ; */", ";\r\n", "; -- x\n/* y */\n"}
	leads := []string{"", "", "-- lead\n", "/* a /* b */ */ ", "\n\n  ", "\t"}
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 300 {
		n := 1 + rng.IntN(8)
		var b strings.Builder
		var picked []string
		for i := range n {
			s := stmts[rng.IntN(len(stmts))]
			picked = append(picked, s)
			b.WriteString(leads[rng.IntN(len(leads))])
			b.WriteString(s)
			if i < n-1 || rng.IntN(2) == 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
		}
		src := b.String()
		got := Split(src)
		var texts []string
		for _, p := range got {
			texts = append(texts, p.Text)
		}
		if diff := cmp.Diff(picked, texts); diff != "" {
			t.Fatalf("round %d: Split of\n%s\n(-want +got):\n%s", round, src, diff)
		}
		checkPieces(t, src, got)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"SELECT 1; SELECT 2", "COPY t FROM stdin;\n1\n\\.\n", "\\set x 1 \\\\ SELECT 1;", "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; END;",
		"SELECT 'a", "/* /* */", "$$ $a$ $$;", "\\copy t from stdin\nx\n", "SELECT :'v' \\gset", "a\\;b;\\r\n\\", "\x00\xff;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		ps := Split(src)
		checkPieces(t, src, ps)
		// A statement split again alone is the same single statement.
		for _, p := range ps {
			if p.Kind != PieceSQL || p.Open != OpenNone || strings.Contains(p.Text, "\\") {
				continue
			}
			again := Split(p.Text)
			if len(again) != 1 || again[0].Text != p.Text || again[0].Kind != PieceSQL {
				t.Fatalf("Split(%q) = %+v, want the same single statement", p.Text, again)
			}
		}
	})
}
