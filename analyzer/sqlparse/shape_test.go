package sqlparse

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpusStatements returns the statements of testdata/corpus.sql, which
// are separated by "----" lines.
func corpusStatements(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range strings.Split(string(b), "\n----\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pgbenchStatements returns the statements of pgbench's TPC-B-like script
// with random values, as a server logs them, about size bytes in all.
func pgbenchStatements(size int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	var out []string
	n := 0
	for n < size {
		aid, tid, bid, delta := rng.IntN(1000000)+1, rng.IntN(100)+1, rng.IntN(10)+1, rng.IntN(10001)-5000
		for _, s := range []string{
			"BEGIN;",
			fmt.Sprintf("UPDATE pgbench_accounts SET abalance = abalance + %d WHERE aid = %d;", delta, aid),
			fmt.Sprintf("SELECT abalance FROM pgbench_accounts WHERE aid = %d;", aid),
			fmt.Sprintf("UPDATE pgbench_tellers SET tbalance = tbalance + %d WHERE tid = %d;", delta, tid),
			fmt.Sprintf("UPDATE pgbench_branches SET bbalance = bbalance + %d WHERE bid = %d;", delta, bid),
			fmt.Sprintf("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (%d, %d, %d, %d, CURRENT_TIMESTAMP);", tid, bid, aid, delta),
			"END;",
		} {
			out = append(out, s)
			n += len(s)
		}
	}
	return out
}

// pgbenchLog returns pgbench statements of about size bytes, one a line.
func pgbenchLog(size int) string {
	return strings.Join(pgbenchStatements(size), "\n")
}

// fingerprintOrError returns the fingerprint, or "error" when it does not
// parse: texts of equal shape must agree on both.
func fingerprintOrError(sql string) string {
	fp, err := Fingerprint(sql)
	if err != nil {
		return "error"
	}
	return fp
}

func TestShapeKeyEqual(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"literals", "SELECT * FROM t WHERE a = 1 AND b = 'x' AND c = 1.5", "select * from t where a = 42 and b = 'it''s' and c = 2e3"},
		{"whitespace and comments", "SELECT a,b FROM t WHERE a=1", "SELECT /* hint */ a ,\n\tb -- x\n FROM t WHERE a = 1"},
		{"keyword and identifier case", "SELECT Name FROM Users", "select name from users"},
		{"pgbench update", "UPDATE pgbench_accounts SET abalance = abalance + -4218 WHERE aid = 48213", "UPDATE pgbench_accounts SET abalance = abalance + 12 WHERE aid = 7"},
		{"in list lengths", "SELECT 1 FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x')", "SELECT 1 FROM t WHERE a IN (7) AND b NOT IN ('y', 'z', NULL, -4)"},
		{"in list of parameters", "SELECT 1 FROM t WHERE a IN ($1, $2)", "SELECT 1 FROM t WHERE a IN ($1, $2, $3, $4)"},
		{"values rows", "INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t (a, b) VALUES (2, 'y'), (3, 'z'), ($1, $2)"},
		{"array literal lists", "SELECT 1 FROM t WHERE a = ANY(ARRAY[1, 2])", "SELECT 1 FROM t WHERE a = ANY(ARRAY[5, 6, 7, 8])"},
		{"string prefixes and dollar quotes", "SELECT E'a\\nb', B'01', X'ff', $$x$$, N'n'", "SELECT e'c', b'1111', x'00', $q$y$q$, n'm'"},
		{"continued strings", "SELECT 'a'\n'b'", "SELECT 'c'"},
		{"typed literals", "SELECT date '2024-01-01', interval '1 day', '5'::int", "SELECT date '1999-12-31', interval '2 hours', '7'::int"},
		{"typmods", "SELECT x::varchar(10), y::numeric(10, 2) FROM t", "SELECT x::varchar(20), y::numeric(12, 4) FROM t"},
		{"nul ends the text", "SELECT 1\x00garbage", "SELECT 2\x00other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ShapeKey(tt.a) != ShapeKey(tt.b) {
				t.Errorf("ShapeKey(%q) != ShapeKey(%q):\n%q\n%q", tt.a, tt.b, AppendShape(nil, tt.a), AppendShape(nil, tt.b))
			}
			if fa, fb := fingerprintOrError(tt.a), fingerprintOrError(tt.b); fa != fb {
				t.Errorf("test case is wrong: fingerprints differ: %s %s", fa, fb)
			}
		})
	}
}

func TestShapeKeyDistinct(t *testing.T) {
	tests := []struct{ name, a, b string }{
		// The fingerprint differs (or one fails to parse): keys must differ.
		{"float precision", "SELECT x::float(5) FROM t", "SELECT x::float(30) FROM t"},
		{"array bounds", "SELECT x::int[3] FROM t", "SELECT x::int[4] FROM t"},
		{"in inside position", "SELECT position(1 IN (1, 2))", "SELECT position(1 IN (1))"},
		{"json_array length", "SELECT json_array(1, 2)", "SELECT json_array(1, 2, 3)"},
		{"bad escape", `SELECT E'\000'`, `SELECT E'\101'`},
		{"unicode escape", `SELECT U&'\0000'`, `SELECT U&'\0041'`},
		{"int32 overflow where an Iconst is required", "SELECT x::varchar(2147483648) FROM t", "SELECT x::varchar(2147483647) FROM t"},
		{"string continuation needs a newline", "SELECT 'a' 'b'", "SELECT 'a'\n'b'"},
		{"utility literals are names", "COMMENT ON TABLE t IS 'a'", "COMMENT ON TABLE t IS 'b'"},
		{"enum values", "CREATE TYPE e AS ENUM ('a', 'b')", "CREATE TYPE e AS ENUM ('a', 'c')"},
		{"sequence options", "CREATE SEQUENCE s INCREMENT 5", "CREATE SEQUENCE s INCREMENT 6"},
		{"quoted identifiers keep case", `SELECT "A" FROM t`, `SELECT "a" FROM t`},
		{"operators", "SELECT 1 FROM t WHERE a < 1", "SELECT 1 FROM t WHERE a <= 1"},
		{"trailing junk", "SELECT 1 FROM t LIMIT 5", "SELECT 1 FROM t LIMIT 5x"},
		{"one-element array (same fingerprint, but int ARRAY[1] is a type)", "SELECT ARRAY[1]", "SELECT ARRAY[1, 2]"},
		{"merge insert takes one row", "MERGE INTO t USING s ON true WHEN NOT MATCHED THEN INSERT VALUES (1)", "MERGE INTO t USING s ON true WHEN NOT MATCHED THEN INSERT VALUES (1), (2)"},
		{"different tables", "SELECT 1 FROM a", "SELECT 1 FROM b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ShapeKey(tt.a) == ShapeKey(tt.b) {
				t.Errorf("ShapeKey(%q) == ShapeKey(%q)", tt.a, tt.b)
			}
			if fa, fb := fingerprintOrError(tt.a), fingerprintOrError(tt.b); fa == fb && !strings.HasPrefix(tt.name, "one-element array") {
				t.Errorf("test case is wrong: same fingerprint %s", fa)
			}
		})
	}
}

// TestFingerprintCollapses verifies the fingerprint facts ShapeKey relies
// on, so a pg_query upgrade that changes them fails here.
func TestFingerprintCollapses(t *testing.T) {
	groups := [][]string{
		{"SELECT 1 FROM t WHERE a IN (1)", "SELECT 1 FROM t WHERE a IN (1, 2, 3)", "SELECT 1 FROM t WHERE a IN ($1, $2)", "SELECT 1 FROM t WHERE a IN (NULL, TRUE, -1, 'x', 2.5, B'1', $$d$$)"},
		{"INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1, 2), (3, 4)", "INSERT INTO t VALUES ($1, $2), ($3, $4), ($5, $6)"},
		{"SELECT ARRAY[1, 2]", "SELECT ARRAY[1, 2, 3, 4]"},
	}
	for i, g := range groups {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			want := fingerprintOrError(g[0])
			for _, s := range g[1:] {
				if got := fingerprintOrError(s); got != want || got == "error" {
					t.Errorf("fingerprint(%q) = %s, fingerprint(%q) = %s", g[0], want, s, got)
				}
			}
		})
	}
}

// vary returns a variant of sql with other literal values, other
// whitespace and comments between tokens and other case in unquoted
// words. Literal changes keep each literal's class, so in SELECT, INSERT,
// UPDATE, DELETE ... statements the variant must have the same shape.
func vary(sql string, rng *rand.Rand) string {
	gaps := []string{" ", "  ", "\n", "\t", " /* c */ ", "/**/", " -- c\n", "\r\n", "\n\n  "}
	var b strings.Builder
	lx := NewLexer(sql, false)
	prev, lastStart := 0, 0
	var p0, p1 string // the last two significant tokens
	for {
		t := lx.Next()
		gap := sql[prev:t.Start]
		if gap != "" && t.Kind != TokEOF && prev > 0 {
			if strings.HasPrefix(sql[lastStart:prev], "--") {
				gap = "\n" + gaps[rng.IntN(len(gaps))] // end the line comment
			} else {
				gap = gaps[rng.IntN(len(gaps))]
			}
		}
		b.WriteString(gap)
		if t.Kind == TokEOF {
			break
		}
		text := t.Text(sql)
		switch t.Kind {
		case TokIdent:
			// PostgreSQL folds ASCII letters only.
			for i := 0; i < len(text); i++ {
				c := text[i]
				if c < 0x80 && rng.IntN(2) == 0 {
					c = strings.ToUpper(string(c))[0]
				} else if c < 0x80 {
					c = strings.ToLower(string(c))[0]
				}
				b.WriteByte(c)
			}
		case TokInteger:
			if p0 == "[" || p0 == "(" && strings.EqualFold(p1, "float") {
				b.WriteString(text) // kept by ShapeKey
			} else if fitsInt32(text) {
				fmt.Fprint(&b, rng.IntN(100000))
			} else {
				fmt.Fprintf(&b, "%d0000000000", rng.IntN(100)+1)
			}
		case TokNumeric:
			fmt.Fprintf(&b, "%d.%d", rng.IntN(1000), rng.IntN(1000))
		case TokString:
			if t.Flags&(FlagUnterminated|FlagUnicode|FlagContinued) != 0 || t.Flags&FlagEscape != 0 && !safeEscapes(text) {
				b.WriteString(text)
				break
			}
			values := []string{"", "x", "it''s", "ñandú", "a;b", "--", "/*", "$$"}
			v := values[rng.IntN(len(values))]
			switch {
			case t.Flags&FlagBit != 0:
				v = strconv.FormatInt(int64(rng.IntN(64)), 2)
			case t.Flags&FlagHex != 0:
				v = strconv.FormatInt(int64(rng.IntN(4096)), 16)
			}
			quote := strings.IndexByte(text, '\'')
			b.WriteString(text[:quote+1] + v + "'")
		default:
			b.WriteString(text)
		}
		if t.Kind != TokComment {
			p1, p0 = p0, text
		}
		prev, lastStart = t.End, t.Start
	}
	return b.String()
}

func TestShapeKeyVariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	stmts := append(corpusStatements(t), pgbenchStatements(2000)[:14]...)
	same, checked := 0, 0
	for _, s := range stmts {
		s = strings.TrimSuffix(s, ";")
		key, fp := ShapeKey(s), fingerprintOrError(s)
		dml := isDMLWord(strings.Fields(strings.TrimLeft(s, "("))[0])
		for range 20 {
			v := vary(s, rng)
			if ShapeKey(v) != key {
				if dml {
					t.Errorf("literal variant has another key:\n%s\n%s\n%q\n%q", s, v, AppendShape(nil, s), AppendShape(nil, v))
				}
				continue
			}
			same++
			if got := fingerprintOrError(v); got != fp {
				_, err1 := Fingerprint(s)
				_, err2 := Fingerprint(v)
				t.Errorf("same key, different fingerprints %s (%v) and %s (%v):\n%s\n%q", fp, err1, got, err2, s, v)
			}
			checked++
		}
	}
	if checked < len(stmts)*10 {
		t.Errorf("only %d variants had the original's key", checked)
	}
}

func TestShapeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	srcs := append(corpusStatements(t), pgbenchStatements(2000)...)
	for _, s := range corpusStatements(t) {
		srcs = append(srcs, vary(s, rng), "("+s+")", s+" /* unterminated")
	}
	for _, s := range srcs {
		if got, want := AppendShape(nil, s), referenceShape(s); string(got) != string(want) {
			t.Errorf("AppendShape(%q):\n got %q\nwant %q", s, got, want)
		}
	}
}

// TestShapeKeyGroups checks, over a generated workload, that statements
// of equal shape have equal fingerprints, and that pgbench's statements,
// whatever their values, make 8 shapes: the script's 7 statements, the
// INSERT twice (a negative delta after a comma keeps its minus sign: a
// minus is folded into the constant only after another operator).
func TestShapeKeyGroups(t *testing.T) {
	fps := map[Shape]string{}
	texts := map[Shape]string{}
	for _, st := range ParseFile(generatedFile(2000)) {
		if st.Kind != PieceSQL {
			continue
		}
		fp := st.Fingerprint
		if st.Err != nil {
			fp = "error"
		}
		k := ShapeKey(st.Text)
		if prev, ok := fps[k]; ok && prev != fp {
			t.Errorf("same shape, fingerprints %s and %s:\n%s\n%s", prev, fp, texts[k], st.Text)
		}
		fps[k], texts[k] = fp, st.Text
	}
	t.Logf("%d distinct shapes", len(fps))
	shapes := map[Shape]bool{}
	for _, s := range pgbenchStatements(100000) {
		shapes[ShapeKey(s)] = true
	}
	if len(shapes) != 8 {
		t.Errorf("pgbench statements make %d shapes, want 8", len(shapes))
	}
}

func TestShapeKeyNoAllocs(t *testing.T) {
	var sh Shaper
	stmts := corpusStatements(t)
	sh.Key(strings.Join(stmts, ";")) // grow the buffers
	allocs := testing.AllocsPerRun(10, func() {
		for _, s := range stmts {
			sh.Key(s)
		}
	})
	if allocs != 0 {
		t.Errorf("Shaper.Key allocates %v times per corpus, want 0", allocs)
	}
}

func TestAppendShapeKeepsDst(t *testing.T) {
	var sh Shaper
	dst := sh.Append([]byte("prefix:"), "SELECT 1")
	sh.Key("SELECT a, b, c, d, e, f, g FROM t WHERE x = 'y'")
	if want := append([]byte("prefix:"), AppendShape(nil, "SELECT 1")...); !cmp.Equal(dst, want) {
		t.Errorf("Append result changed by a later Key: %q, want %q", dst, want)
	}
}

func FuzzShapeKey(f *testing.F) {
	for _, s := range []string{
		"SELECT 1 FROM t WHERE a IN (1, 2)", "INSERT INTO t VALUES (1, 'a'), (2, 'b')", "SELECT x::float(5)",
		"SELECT 'a'\n'b'", "SELECT E'\\x41'", "COMMENT ON TABLE t IS 'x'", "SELECT position(1 IN (2))",
		"SELECT ARRAY[1, -2]", "UPDATE t SET a = $1 WHERE b = 0x1F", "SELECT 1\x00x",
	} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, sql string, seed uint64) {
		key := AppendShape(nil, sql)
		if ref := referenceShape(sql); string(ref) != string(key) {
			t.Fatalf("AppendShape(%q) = %q, reference %q", sql, key, ref)
		}
		if k2 := AppendShape(nil, sql); string(k2) != string(key) {
			t.Fatalf("AppendShape(%q) is not deterministic", sql)
		}
		var sh Shaper
		if k1, k2 := ShapeKey(sql), sh.Key(sql); k1 != k2 {
			t.Fatalf("ShapeKey(%q) = %v, Shaper.Key %v", sql, k1, k2)
		}
		v := vary(sql, rand.New(rand.NewPCG(seed, seed)))
		if string(AppendShape(nil, v)) != string(key) {
			return
		}
		if a, b := fingerprintOrError(sql), fingerprintOrError(v); a != b {
			t.Errorf("same shape, different fingerprints %s and %s:\n%q\n%q", a, b, sql, v)
		}
	})
}

func BenchmarkShapeKey(b *testing.B) {
	stmts := pgbenchStatements(4 << 20)
	n := 0
	for _, s := range stmts {
		n += len(s)
	}
	var sh Shaper
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range stmts {
			sh.Key(s)
		}
	}
}

func BenchmarkShapeKeyCorpus(b *testing.B) {
	stmts := corpusStatements(b)
	n := 0
	for _, s := range stmts {
		n += len(s)
	}
	var sh Shaper
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range stmts {
			sh.Key(s)
		}
	}
}
