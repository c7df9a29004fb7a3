package checktest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
)

// recorder collects what compare reports.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatal(args ...any) { r.errs = append(r.errs, "FATAL "+fmt.Sprint(args...)) }

func TestCompare(t *testing.T) {
	c := &check.Check{Name: "demo"}
	src := strings.Join([]string{
		"SELECT 1; -- want \"one\"",
		"SELECT 2; -- want `two` \"deux\"",
		"SELECT 3; -- want \"three\" help:\"^do this$\" fix:\"CREATE\"",
		"SELECT 4;",
	}, "\n")
	at := func(line int, msg string) check.Finding {
		return check.Finding{Check: "demo", Pos: check.Position{File: "f.sql", Line: line, Column: 1}, Message: msg}
	}
	withFix := at(3, "three")
	withFix.Help = "do this"
	withFix.Fix = &check.Fix{SQL: "CREATE INDEX x"}
	tests := []struct {
		name  string
		found []check.Finding
		want  []string // substrings of the reported errors, in order
	}{
		{"all matched", []check.Finding{at(1, "one"), at(2, "two"), at(2, "deux"), withFix}, nil},
		{"missing finding", []check.Finding{at(2, "two"), at(2, "deux"), withFix},
			[]string{`f.sql:1: no finding matched message "one"`}},
		{"unexpected finding", []check.Finding{at(1, "one"), at(2, "two"), at(2, "deux"), withFix, at(4, "four")},
			[]string{"f.sql:4:1: unexpected finding: four"}},
		{"wrong line", []check.Finding{at(2, "one"), at(2, "two"), at(2, "deux"), withFix},
			[]string{"f.sql:2:1: unexpected finding: one", `f.sql:1: no finding matched message "one"`}},
		{"one want matches one finding", []check.Finding{at(1, "one"), at(1, "one"), at(2, "two"), at(2, "deux"), withFix},
			[]string{"f.sql:1:1: unexpected finding: one"}},
		{"help and fix checked", []check.Finding{at(1, "one"), at(2, "two"), at(2, "deux"), at(3, "three")},
			[]string{`f.sql:3: no finding matched help "^do this$"`, `f.sql:3: no finding matched fix "CREATE"`}},
		{"other check", []check.Finding{at(1, "one"), at(2, "two"), at(2, "deux"), withFix, {Check: "other", Pos: check.Position{File: "f.sql", Line: 1}, Message: "one"}},
			[]string{`finding of check "other"`, "unexpected finding: one"}},
		{"other file", []check.Finding{at(1, "one"), at(2, "two"), at(2, "deux"), withFix, {Check: "demo", Pos: check.Position{File: "g.sql", Line: 1}, Message: "x"}},
			[]string{"g.sql:1: finding outside the test file f.sql: x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			compare(r, c, "f.sql", src, tt.found)
			if len(r.errs) != len(tt.want) {
				t.Fatalf("errors:\n%s\nwant %d containing %q", strings.Join(r.errs, "\n"), len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(r.errs[i], w) {
					t.Errorf("error %d = %q, want it to contain %q", i, r.errs[i], w)
				}
			}
		})
	}
}

func TestParseWants(t *testing.T) {
	type w struct {
		Line        int
		Field, Text string
	}
	tests := []struct {
		name, src string
		want      []w
		err       string
	}{
		{"none", "SELECT 1;", nil, ""},
		{"several", "SELECT 1; -- want \"a\" `b\\d` help:\"h\" fix:`f`", []w{{1, "message", "a"}, {1, "message", `b\d`}, {1, "help", "h"}, {1, "fix", "f"}}, ""},
		{"escaped quote", `x -- want "say \"hi\""`, []w{{1, "message", `say "hi"`}}, ""},
		{"second line", "SELECT 1;\n  -- want \"x\"", []w{{2, "message", "x"}}, ""},
		{"empty", "x -- want ", nil, "without expectations"},
		{"unquoted", "x -- want abc", nil, "want a quoted regexp"},
		{"unterminated", "x -- want \"abc", nil, "unterminated"},
		{"bad regexp", "x -- want \"(\"", nil, "missing closing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWants("f.sql", tt.src)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ws []w
			for _, g := range got {
				ws = append(ws, w{g.line, g.field, g.text})
			}
			if diff := cmp.Diff(tt.want, ws); diff != "" {
				t.Errorf("wants (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatements checks what checks receive from a file: positions of
// the first token, the text without the semicolon, models and errors.
func TestStatements(t *testing.T) {
	src := "-- lead\nSELECT 1;\n\n  SELEC 2;\nSELECT 'é', x FROM t WHERE x = 1"
	stmts := Statements("f.sql", src, nil)
	if len(stmts) != 3 {
		t.Fatalf("%d statements", len(stmts))
	}
	type s struct {
		Pos      check.Position
		Text     string
		Model    bool
		Err      bool
		ErrOff   int
		Fprinted bool
	}
	var got []s
	for _, st := range stmts {
		got = append(got, s{st.Pos, st.Text, st.Model != nil, st.Err != nil, st.ErrOffset, st.Fingerprint != ""})
	}
	want := []s{
		{check.Position{File: "f.sql", Line: 2, Column: 1}, "SELECT 1", true, false, 0, true},
		{check.Position{File: "f.sql", Line: 4, Column: 3}, "SELEC 2", false, true, 0, false},
		{check.Position{File: "f.sql", Line: 5, Column: 1}, "SELECT 'é', x FROM t WHERE x = 1", true, false, 0, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
}
