package sqlfile

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// streamFiles are SQL files whose statements straddle chunk boundaries
// in every way: quotes, comments, dollar quotes, COPY data, psql
// meta-commands, BEGIN ATOMIC bodies, multibyte characters, errors.
var streamFiles = map[string]string{
	"plain":             "SELECT 1;\nSELECT 'a;b' FROM t WHERE x = 2;\n  UPDATE t SET a = 'é' WHERE id = 3; DELETE FROM t;\n",
	"comments":          "-- a comment; with a semicolon\nSELECT /* block; */ 1;\n/* multi\nline */ SELECT 2 -- trailing\n;\n",
	"dollar":            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT $$;$$;\n",
	"copy":              "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t\\.x\n\\.\nSELECT 3;\nCOPY t FROM STDIN;\nlong line " + strings.Repeat("z", 300) + "\n\\.\nSELECT 4;\n",
	"copy at end":       "SELECT 1;\nCOPY t FROM stdin;\n1\n2\n",
	"meta":              "\\set x 1\nSELECT :x;\n\\echo hi\nSELECT 2 \\g\nSELECT 3;\n",
	"atomic":            "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 5;\n",
	"errors":            "SELEC 1;\nSELECT 'unterminated;\n",
	"open comment":      "SELECT 1;\n/* never closed\nSELECT 2;\n",
	"multibyte columns": "SELECT 'ü'; SELECT 'ß'; SELECT 'ç'; SELECT 1; SELECT 2;\n",
	"crlf":              "SELECT 1;\r\nCOPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 2;\r\n",
}

// TestStreamMatchesParse checks that streaming a file in chunks of every
// small size gives the statements Parse gives for the whole file: same
// texts, positions, fingerprints and errors.
func TestStreamMatchesParse(t *testing.T) {
	defer func(n int) { chunkSize = n }(chunkSize)
	for name, src := range streamFiles {
		t.Run(name, func(t *testing.T) {
			want := Parse("f.sql", src)
			for size := 1; size <= 64; size++ {
				chunkSize = size
				var got []*Statement
				n, err := Stream(context.Background(), "f.sql", strings.NewReader(src), func(s *Statement) { got = append(got, s) })
				if err != nil || n != int64(len(src)) {
					t.Fatalf("chunk %d: Stream = %d, %v", size, n, err)
				}
				if diff := cmp.Diff(describeAll(want), describeAll(got)); diff != "" {
					t.Fatalf("chunk %d: Stream differs from Parse (-want +got):\n%s", size, diff)
				}
			}
		})
	}
}

func describeAll(sts []*Statement) []string {
	var out []string
	for _, s := range sts {
		e := ""
		if s.Err != nil {
			e = s.Err.Error()
		}
		out = append(out, strings.Join([]string{s.Pos.String(), s.Text, s.Fingerprint, s.Normalized, e}, " | "))
	}
	return out
}

// TestStreamCancel checks that a cancelled read stops, keeps the
// statements read and drops the one in progress.
func TestStreamCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		io.WriteString(pw, "SELECT 1;\nSELECT 2;\nSELECT 3")
		cancel()
		pw.CloseWithError(context.Canceled)
	}()
	var got []string
	_, err := Stream(ctx, "f.sql", pr, func(s *Statement) { got = append(got, s.Text) })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if diff := cmp.Diff([]string{"SELECT 1", "SELECT 2"}, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
}
