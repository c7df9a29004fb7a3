package sqlparse

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// tok is a token as the tests write it.
type tok struct {
	Kind  TokenKind
	Text  string
	Flags TokenFlag
}

func lexAll(src string, psql bool) []Token {
	lx := NewLexer(src, psql)
	var out []Token
	for {
		t := lx.Next()
		if t.Kind == TokEOF {
			return out
		}
		out = append(out, t)
	}
}

func lexToks(src string, psql bool) []tok {
	var out []tok
	for _, t := range lexAll(src, psql) {
		out = append(out, tok{t.Kind, t.Text(src), t.Flags})
	}
	return out
}

func TestLexer(t *testing.T) {
	id := func(s string) tok { return tok{TokIdent, s, 0} }
	op := func(s string) tok { return tok{TokOperator, s, 0} }
	p := func(s string) tok { return tok{TokPunct, s, 0} }
	str := func(s string, f TokenFlag) tok { return tok{TokString, s, f} }
	num := func(s string) tok { return tok{TokInteger, s, 0} }
	dec := func(s string) tok { return tok{TokNumeric, s, 0} }
	bad := func(s string) tok { return tok{TokBadNumber, s, 0} }
	com := func(s string) tok { return tok{TokComment, s, 0} }
	tests := []struct {
		name string
		src  string
		psql bool
		want []tok
	}{
		{"empty", "", false, nil},
		{"whitespace", " \t\r\n\f\v", false, nil},
		{"keywords and identifiers", "SELECT Foo_1, bar$2 FROM \"T\"\"x\"", false,
			[]tok{id("SELECT"), id("Foo_1"), p(","), id("bar$2"), id("FROM"), {TokQuotedIdent, `"T""x"`, 0}}},
		{"multibyte identifiers", "SELECT ñandú FROM tablé", false, []tok{id("SELECT"), id("ñandú"), id("FROM"), id("tablé")}},
		{"unicode identifier", `U&"d\0061t\+000061"`, false, []tok{{TokQuotedIdent, `U&"d\0061t\+000061"`, FlagUnicode}}},
		{"u& without quote", "u&x", false, []tok{id("u"), op("&"), id("x")}},
		{"line comment", "a -- c ; 'x'\nb", false, []tok{id("a"), com("-- c ; 'x'"), id("b")}},
		{"nested block comment", "a /* x /* y */ ; */ b", false, []tok{id("a"), com("/* x /* y */ ; */"), id("b")}},
		{"comment stars", "/**/ /*/ x */ /***/", false, []tok{com("/**/"), com("/*/ x */"), com("/***/")}},
		{"unterminated comment", "a /* x /* y */", false, []tok{id("a"), {TokComment, "/* x /* y */", FlagUnterminated}}},
		{"integers", "1 1_000 0x1F 0X_ff 0o17 0b1_01", false, []tok{num("1"), num("1_000"), num("0x1F"), num("0X_ff"), num("0o17"), num("0b1_01")}},
		{"numerics", "1.5 .5 1. 1e10 1.5E-3 .5e+2 1_0.0_1", false, []tok{dec("1.5"), dec(".5"), dec("1."), dec("1e10"), dec("1.5E-3"), dec(".5e+2"), dec("1_0.0_1")}},
		{"bad numbers", "123abc 1.5x 1e 1e+ 0x 0x1g 0b2 1__0 1_", false, []tok{bad("123abc"), bad("1.5x"), bad("1e"), bad("1e+"), bad("0x"), bad("0x1g"), bad("0b2"), bad("1__0"), bad("1_")}},
		{"range dots", "1..2 a.b t.1", false, []tok{num("1"), p(".."), num("2"), id("a"), p("."), id("b"), id("t"), dec(".1")}},
		{"strings", `'it''s' 'a\' E'\'' e'\\' B'01' x'1F' N'n' U&'\0041'`, false, []tok{
			str(`'it''s'`, 0), str(`'a\'`, 0), str(`E'\''`, FlagEscape), str(`e'\\'`, FlagEscape),
			str(`B'01'`, FlagBit), str(`x'1F'`, FlagHex), str(`N'n'`, FlagNational), str(`U&'\0041'`, FlagUnicode)}},
		{"escape digits never escape a quote", `E'\0' E'\x' E'\u'`, false, []tok{str(`E'\0'`, FlagEscape), str(`E'\x'`, FlagEscape), str(`E'\u'`, FlagEscape)}},
		{"bit string has no '' escape", "B'1''0'", false, []tok{str("B'1'", FlagBit), str("'0'", 0)}},
		{"prefix needs adjacency", "e 'x' ex'y'", false, []tok{id("e"), str("'x'", 0), id("ex"), str("'y'", 0)}},
		{"continued string", "'a'\n'b' 'c' \n\t 'd'", false, []tok{str("'a'\n'b'", FlagContinued), str("'c' \n\t 'd'", FlagContinued)}},
		{"pg_query ends a string at a comment", "'a' -- x\n'b'", false, []tok{str("'a'", 0), com("-- x"), str("'b'", 0)}},
		{"psql continues a string over a comment", "'a' -- x\n'b'", true, []tok{str("'a' -- x\n'b'", FlagContinued)}},
		{"no continuation on one line", "'a' 'b'", false, []tok{str("'a'", 0), str("'b'", 0)}},
		{"no continuation through block comment", "'a' /**/\n'b'", false, []tok{str("'a'", 0), com("/**/"), str("'b'", 0)}},
		{"continuation with CR", "E'a'\r'b'", false, []tok{str("E'a'\r'b'", FlagEscape|FlagContinued)}},
		{"unterminated string", "SELECT 'abc", false, []tok{id("SELECT"), str("'abc", FlagUnterminated)}},
		{"unterminated E string ending in backslash", `E'ab\`, false, []tok{str(`E'ab\`, FlagEscape|FlagUnterminated)}},
		{"unterminated identifier", `"ab`, false, []tok{{TokQuotedIdent, `"ab`, FlagUnterminated}}},
		{"dollar quotes", "$$a;'b$$ $fn$x$y$fn$ $_1$ $1$ $_1$ $a", false, []tok{
			{TokDollarString, "$$a;'b$$", 0}, {TokDollarString, "$fn$x$y$fn$", 0},
			{TokDollarString, "$_1$ $1$ $_1$", 0}, {TokOther, "$", 0}, id("a")}},
		{"dollar inside identifier", "a$$b$$", false, []tok{id("a$$b$$")}},
		{"unterminated dollar quote", "$q$ abc $Q$", false, []tok{{TokDollarString, "$q$ abc $Q$", FlagUnterminated}}},
		{"parameters", "$1 $23abc $1.5", false, []tok{{TokParam, "$1", 0}, {TokParam, "$23", 0}, id("abc"), {TokParam, "$1", 0}, dec(".5")}},
		{"operators", "a::int->>'k' #>> @> <= != || <> => := ~~* !~", false, []tok{
			id("a"), op("::"), id("int"), op("->>"), str("'k'", 0), op("#>>"), op("@>"), op("<="), op("!="), op("||"), op("<>"), op("=>"), op(":="), op("~~*"), op("!~")}},
		{"operator trailing sign", "a=-1 a<-b a?-b a@-b a*-+b", false, []tok{
			id("a"), op("="), op("-"), num("1"), id("a"), op("<"), op("-"), id("b"), id("a"), op("?-"), id("b"),
			id("a"), op("@-"), id("b"), id("a"), op("*"), op("-"), op("+"), id("b")}},
		{"operator cut at comment", "a+--x\nb c*/*y*/d", false, []tok{id("a"), op("+"), com("--x"), id("b"), id("c"), op("*"), com("/*y*/"), id("d")}},
		{"long sign run", "1+-+-+-2", false, []tok{num("1"), op("+"), op("-"), op("+"), op("-"), op("+"), op("-"), num("2")}},
		{"punctuation", "f(a[1:2]);", false, []tok{id("f"), p("("), id("a"), p("["), num("1"), p(":"), num("2"), p("]"), p(")"), p(";")}},
		{"other bytes", "\\x {} \x00", false, []tok{{TokOther, "\\", 0}, id("x"), {TokOther, "{", 0}, {TokOther, "}", 0}, {TokOther, "\x00", 0}}},
		{"psql variables", "SELECT :v, :'s', :\"i\", :{?d}, a::int, :'", true, []tok{
			id("SELECT"), {TokVariable, ":v", 0}, p(","), {TokVariable, ":'s'", 0}, p(","), {TokVariable, `:"i"`, 0}, p(","),
			{TokVariable, ":{?d}", 0}, p(","), id("a"), op("::"), id("int"), p(","), p(":"), str("'", FlagUnterminated)}},
		{"no variables outside psql mode", "a[1:n]", false, []tok{id("a"), p("["), num("1"), p(":"), id("n"), p("]")}},
		{"invalid utf-8 is identifier text", "SELECT \xff\xfe", false, []tok{id("SELECT"), id("\xff\xfe")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lexToks(tt.src, tt.psql)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lex %q (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// pgTokens returns the token ranges of pg_query's own scanner, or an
// error. N'x' (scanned as NCHAR then a string) is merged into one token,
// as our lexer returns it.
func pgTokens(src string) ([][2]int, error) {
	r, err := pg_query.Scan(src)
	if err != nil {
		return nil, err
	}
	var out [][2]int
	for i := 0; i < len(r.Tokens); i++ {
		t := r.Tokens[i]
		s, e := int(t.Start), int(t.End)
		if t.Token == pg_query.Token_NCHAR && e == s+1 && i+1 < len(r.Tokens) && int(r.Tokens[i+1].Start) == e {
			i++
			e = int(r.Tokens[i].End)
		}
		out = append(out, [2]int{s, e})
	}
	return out, nil
}

func ourTokens(src string) [][2]int {
	var out [][2]int
	for _, t := range lexAll(src, false) {
		out = append(out, [2]int{t.Start, t.End})
	}
	return out
}

// compareWithPostgres checks that our token boundaries are PostgreSQL's
// whenever PostgreSQL's scanner accepts the text.
func compareWithPostgres(t *testing.T, src string) {
	t.Helper()
	if i := strings.IndexByte(src, 0); i >= 0 {
		src = src[:i] // pg_query reads a C string
	}
	want, err := pgTokens(src)
	if err != nil {
		return
	}
	if diff := cmp.Diff(want, ourTokens(src)); diff != "" {
		t.Errorf("token ranges of %q differ from pg_query.Scan (-pg +ours):\n%s", src, diff)
	}
}

func TestLexerMatchesPostgres(t *testing.T) {
	corpus, err := os.ReadFile("testdata/corpus.sql")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []string{
		string(corpus),
		"SELECT N'x', n 'x', $1abc, $1_0, 1..2, u&'x' UESCAPE '!', a$$b, $a$x$a$, 1_000, 0x_1F, 0b101, .5e-3, 1.e5",
		"a<-b, a<=-b, a?-b, a+/*x*/b, a@-b, a-+b, :=, =>, ::, |/ 1, a!=b, a*-/*c*/1, a---b, a-/**/-b, a<>-1, a||-1",
		"SELECT 'a' -- c\n 'b', E'x\\'y' \n 'z', B'1' \n '0', X'f'\n\n'f', $$ $ $$, $a$ $b$ $a$, \"a\"\"b\", U&\"x\"",
		"SELECT 1/*a/*b*/c*/+2, 3 /* x */ -- y\n, ~4, !5, @6, #7, ^8, &9, |10, `11, ?12, %13",
		"SELECT 'x'\v\n'y', 'a'\f\n\f'b', 1.5.5, .1.1, 1.e, 1ee, 1e1e1",
	}
	for i, src := range srcs {
		t.Run(fmt.Sprint(i), func(t *testing.T) { compareWithPostgres(t, src) })
	}
}

func TestLexerNoAllocs(t *testing.T) {
	src := strings.Repeat("SELECT a.b, 'x''y', $1, 1.5e3 FROM t /* c */ WHERE a->>'k' = E'\\n' AND $$d$$ <> x; -- z\n", 20)
	lx := NewLexer(src, true)
	allocs := testing.AllocsPerRun(10, func() {
		lx.SetPos(0)
		for lx.Next().Kind != TokEOF {
		}
	})
	if allocs != 0 {
		t.Errorf("lexing allocates %v times per run, want 0", allocs)
	}
}

// checkTokens checks the lexer's invariants on src: tokens in order,
// within the input, non-empty, only whitespace between them.
func checkTokens(t *testing.T, src string, psql bool) {
	t.Helper()
	prev := 0
	for _, tk := range lexAll(src, psql) {
		if tk.Start < prev || tk.End <= tk.Start || tk.End > len(src) {
			t.Fatalf("bad token %+v after offset %d in %q", tk, prev, src)
		}
		for i := prev; i < tk.Start; i++ {
			if lexClass[src[i]]&clsSpace == 0 {
				t.Fatalf("byte %d (%q) of %q skipped between tokens", i, src[i], src)
			}
		}
		prev = tk.End
	}
	for i := prev; i < len(src); i++ {
		if lexClass[src[i]]&clsSpace == 0 {
			t.Fatalf("byte %d (%q) of %q skipped at the end", i, src[i], src)
		}
	}
}

func FuzzLex(f *testing.F) {
	for _, s := range []string{
		"SELECT 1", "'a'\n'b'", "E'\\''", "$a$ $b$ $a$", "1e+", "0x1g", "a+--b", "/* /* */", "a::int", ":'v'",
		"U&'x' UESCAPE '!'", "\"a\"\"b\"", "1..2", "+-+-+", "B'1''0'", "$1abc",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkTokens(t, src, false)
		checkTokens(t, src, true)
		compareWithPostgres(t, src)
	})
}

func BenchmarkLexer(b *testing.B) {
	src := pgbenchLog(1 << 20)
	b.SetBytes(int64(len(src)))
	lx := NewLexer(src, false)
	for b.Loop() {
		lx.SetPos(0)
		for lx.Next().Kind != TokEOF {
		}
	}
}
