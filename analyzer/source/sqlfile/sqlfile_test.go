package sqlfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

func TestParse(t *testing.T) {
	type stmt struct {
		Pos    string
		Text   string
		Err    string
		ErrOff int
		Norm   string
	}
	for _, tc := range []struct {
		name, src string
		want      []stmt
	}{
		{"statements", "-- c\nSELECT 1;\n  select  2 ;\n", []stmt{
			{Pos: "f.sql:2:1", Text: "SELECT 1", Norm: "SELECT $1"},
			{Pos: "f.sql:3:3", Text: "select  2", Norm: "select  $1"},
		}},
		{"meta and copy", "\\set x 1\nCOPY t FROM stdin;\n1\t2\n\\.\nSELECT é FROM t;", []stmt{
			{Pos: "f.sql:2:1", Text: "COPY t FROM stdin", Norm: "COPY t FROM stdin"},
			{Pos: "f.sql:5:1", Text: "SELECT é FROM t", Norm: "SELECT é FROM t"},
		}},
		{"syntax error", "SELECT 1;\nSELEC 2;\nSELECT 3", []stmt{
			{Pos: "f.sql:1:1", Text: "SELECT 1", Norm: "SELECT $1"},
			{Pos: "f.sql:2:1", Text: "SELEC 2", Err: `syntax error at or near "SELEC"`, ErrOff: 0, Norm: "SELEC 2"},
			{Pos: "f.sql:3:1", Text: "SELECT 3", Norm: "SELECT $1"},
		}},
		{"unterminated", "SELECT 1;\nSELECT 'abc\n", []stmt{
			{Pos: "f.sql:1:1", Text: "SELECT 1", Norm: "SELECT $1"},
			{Pos: "f.sql:2:1", Text: "SELECT 'abc\n", Err: "unterminated quoted string starting at line 2, column 8", ErrOff: 7, Norm: "SELECT 'abc\n"},
		}},
		{"psql variable", "SELECT * FROM t WHERE a = :'v' AND b = :x;", []stmt{
			{Pos: "f.sql:1:1", Text: "SELECT * FROM t WHERE a = :'v' AND b = :x",
				Err: "(the statement uses psql variables, which psql substitutes before running it)", ErrOff: 26,
				Norm: "SELECT * FROM t WHERE a = :'v' AND b = :x"},
		}},
		{"empty", "  -- nothing\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []stmt
			for _, s := range Parse("f.sql", tc.src) {
				g := stmt{Pos: s.Pos.String(), Text: s.Text, Norm: s.Normalized}
				if s.Err != nil {
					g.Err, g.ErrOff = s.Err.Error(), s.ErrOffset
					var pe *sqlparse.Error
					if !errors.As(s.Err, &pe) {
						t.Errorf("error %T is not a *sqlparse.Error", s.Err)
					}
					if !strings.HasPrefix(s.Fingerprint, "!") {
						t.Errorf("fingerprint %q of a bad statement", s.Fingerprint)
					}
				} else if len(s.Fingerprint) != 16 || s.Fingerprint[0] == '!' {
					t.Errorf("fingerprint %q", s.Fingerprint)
				}
				e := s.Execution()
				if e.Calls != 1 || e.Fingerprint != s.Fingerprint || e.Kind != Kind || e.Line != s.Pos.Line {
					t.Errorf("execution %+v", e)
				}
				got = append(got, g)
			}
			// The message of a psql-variable error starts with
			// PostgreSQL's own; compare its tail.
			for i := range got {
				if i < len(tc.want) && strings.HasPrefix(tc.want[i].Err, "(") && strings.HasSuffix(got[i].Err, tc.want[i].Err) {
					got[i].Err = tc.want[i].Err
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
