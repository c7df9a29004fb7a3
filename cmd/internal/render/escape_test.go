package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain é text\twith tab\nand newline", "plain é text\twith tab\nand newline"},
		{"\x1b]0;owned\x07\x1b[2J", `\x1b]0;owned\x07\x1b[2J`},
		{"a\x00b\rc\x7f", `a\x00b\x0dc\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEscapeWriterSplitRune checks that a character cut between two
// writes is not taken for invalid UTF-8.
func TestEscapeWriterSplitRune(t *testing.T) {
	var b bytes.Buffer
	w := EscapeWriter(&b)
	s := "é€😀\x1b"
	for i := range len(s) {
		w.Write([]byte{s[i]})
	}
	if diff := cmp.Diff(`é€😀\x1b`, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestHumanFormatsEscapeControls checks that control bytes from inputs
// (a crafted plan's filter, NUL bytes of a partly binary file) never
// reach the terminal raw in the table and Markdown formats.
func TestHumanFormatsEscapeControls(t *testing.T) {
	rep := &report.Report{
		Version: report.Version,
		Findings: []report.Finding{{
			Check: "seq-scan", Severity: "warning", File: "plan\x1b[2J.json", Line: 1,
			Message: "Filter: (name = '\x1b]0;owned\x07\x1b[2J')\x00",
		}},
		Inputs: []report.Input{{Path: "bin\x00.sql", Kind: "sql", Messages: []string{"x\x1b[31m"}}},
	}
	for _, tc := range []struct {
		name string
		f    Format
		opts Options
	}{
		{"table", Table, Options{}},
		{"aligned table", Table, Options{Aligned: true, Width: 100}},
		{"markdown", Markdown, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tc.f, rep, tc.opts); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, c := range []string{"\x1b", "\x07", "\x00"} {
				if strings.Contains(out, c) {
					t.Errorf("output holds %q:\n%s", c, out)
				}
			}
			if !strings.Contains(out, `\x1b`) {
				t.Errorf("output does not show the escaped ESC:\n%s", out)
			}
		})
	}
}
