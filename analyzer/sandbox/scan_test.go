package sandbox

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanScript(t *testing.T) {
	type item struct {
		Kind itemKind
		Text string
		Data string
		Line int
	}
	tests := []struct {
		name   string
		script string
		want   []item
		err    string
	}{
		{
			name:   "statements and lines",
			script: "SELECT 1;\n\nSELECT\n  2; SELECT 3\n",
			want: []item{
				{itemSQL, "SELECT 1;", "", 1},
				{itemSQL, "SELECT\n  2;", "", 3},
				{itemSQL, "SELECT 3", "", 4},
			},
		},
		{
			name:   "semicolons in quotes and comments",
			script: "SELECT ';', \"a;b\", E'\\';' -- c;\n/* x; /* nested; */ y; */ FROM t;\n",
			want:   []item{{itemSQL, "SELECT ';', \"a;b\", E'\\';' -- c;\n/* x; /* nested; */ y; */ FROM t;", "", 1}},
		},
		{
			name:   "doubled quotes",
			script: "SELECT 'it''s;';\nSELECT 2;",
			want:   []item{{itemSQL, "SELECT 'it''s;';", "", 1}, {itemSQL, "SELECT 2;", "", 2}},
		},
		{
			name: "dollar quotes",
			script: "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN RETURN 1; END;\n$body$ LANGUAGE plpgsql;\n" +
				"SELECT $$a;b$$, $1;\n",
			want: []item{
				{itemSQL, "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN RETURN 1; END;\n$body$ LANGUAGE plpgsql;", "", 1},
				{itemSQL, "SELECT $$a;b$$, $1;", "", 4},
			},
		},
		{
			name:   "leading comments are dropped",
			script: "-- header\n/* block\n comment */\nSELECT 1;\n",
			want:   []item{{itemSQL, "SELECT 1;", "", 4}},
		},
		{
			name: "copy from stdin",
			script: "COPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\n" +
				"copy t from STDIN with (format csv);\n\"a\",1\n\\.\nSELECT 1;\n",
			want: []item{
				{itemCopy, "COPY public.t (a, b) FROM stdin;", "1\tx;y\n2\t\\N\n", 1},
				{itemCopy, "copy t from STDIN with (format csv);", "\"a\",1\n", 5},
				{itemSQL, "SELECT 1;", "", 8},
			},
		},
		{
			name:   "copy to stdout is a plain statement",
			script: "COPY t TO stdout;\nSELECT 1;\n",
			want:   []item{{itemSQL, "COPY t TO stdout;", "", 1}, {itemSQL, "SELECT 1;", "", 2}},
		},
		{
			name:   "meta-commands",
			script: "\\restrict abc\nSET x = 1;\n  \\connect other\nSELECT '\\x';\n",
			want: []item{
				{itemMeta, "\\restrict abc", "", 1},
				{itemSQL, "SET x = 1;", "", 2},
				{itemMeta, "\\connect other", "", 3},
				{itemSQL, "SELECT '\\x';", "", 4},
			},
		},
		{
			name:   "crlf line ends",
			script: "SELECT 1;\r\nCOPY t FROM stdin;\r\n1\r\n\\.\r\n",
			want:   []item{{itemSQL, "SELECT 1;", "", 1}, {itemCopy, "COPY t FROM stdin;", "1\r\n", 2}},
		},
		{
			name:   "unterminated string",
			script: "SELECT 1;\nSELECT 'oops;\n",
			want:   []item{{itemSQL, "SELECT 1;", "", 1}},
			err:    "load f.sql:2: unterminated quoted string or comment at end of file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []item
			err := scanScript(strings.NewReader(tt.script), func(it scriptItem) error {
				got = append(got, item{it.kind, it.text, string(it.data), it.line})
				return nil
			}, "f.sql")
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.err {
				t.Errorf("error = %q, want %q", gotErr, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPsqlError(t *testing.T) {
	tests := []struct {
		name, out, file, want string
	}{
		{
			name: "error with detail",
			out: "psql:/tmp/x/schema.sql:3: NOTICE:  table \"a\" does not exist, skipping\n" +
				"psql:/tmp/x/schema.sql:12: ERROR:  insert or update on table \"b\" violates foreign key constraint \"b_a_fkey\"\n" +
				"DETAIL:  Key (a)=(1) is not present in table \"a\".\n",
			file: "/tmp/x/schema.sql",
			want: "schema.sql:12: ERROR: insert or update on table \"b\" violates foreign key constraint \"b_a_fkey\"; DETAIL: Key (a)=(1) is not present in table \"a\".",
		},
		{
			name: "stdin",
			out:  "psql:<stdin>:2: ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1;\n        ^\n",
			file: "-",
			want: "schema.sql:2: ERROR: syntax error at or near \"SELEC\"",
		},
		{
			name: "connection failure",
			out:  "psql: error: connection to server on socket \"/tmp/nope/.s.PGSQL.5432\" failed: No such file or directory\n",
			file: "-",
			want: "schema.sql: connection to server on socket \"/tmp/nope/.s.PGSQL.5432\" failed: No such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := psqlError(tt.out, tt.file, "schema.sql"); got != tt.want {
				t.Errorf("psqlError() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
