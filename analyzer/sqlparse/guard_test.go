package sqlparse

import (
	"errors"
	"strings"
	"testing"
)

// guardCases build statements that are deep in every way PostgreSQL's
// grammar nests, n levels deep.
var guardCases = []struct {
	name string
	make func(n int) string
}{
	{"plus chain", func(n int) string { return "SELECT " + strings.Repeat("1+", n) + "1" }},
	{"concat chain", func(n int) string { return "SELECT 'a'" + strings.Repeat(" || 'a'", n) }},
	{"union all", func(n int) string { return "SELECT 1" + strings.Repeat(" UNION ALL SELECT 1", n) }},
	{"joins", func(n int) string {
		return "SELECT * FROM t0" + strings.Repeat(" JOIN t USING (a)", n)
	}},
	{"unary minus", func(n int) string { return "SELECT " + strings.Repeat("- ", n) + "1" }},
	{"not", func(n int) string { return "SELECT " + strings.Repeat("NOT ", n) + "true" }},
	{"function calls", func(n int) string { return "SELECT " + strings.Repeat("f(", n) + "1" + strings.Repeat(")", n) }},
	{"subqueries", func(n int) string {
		return strings.Repeat("SELECT (", n) + "SELECT 1" + strings.Repeat(")", n)
	}},
	{"parenthesized and or", func(n int) string {
		return "SELECT * FROM t WHERE " + strings.Repeat("(a = 1 OR ", n) + "true" + strings.Repeat(")", n)
	}},
	{"nested case", func(n int) string {
		return "SELECT " + strings.Repeat("CASE WHEN a THEN ", n) + "1" + strings.Repeat(" END", n)
	}},
	{"casts", func(n int) string { return "SELECT 1" + strings.Repeat("::int", n) }},
	{"arrays", func(n int) string { return "SELECT " + strings.Repeat("ARRAY[", n) + "1" + strings.Repeat("]", n) }},
	{"is null", func(n int) string { return "SELECT a" + strings.Repeat(" IS NULL", n) }},
	{"collate", func(n int) string { return "SELECT a" + strings.Repeat(` COLLATE "C"`, n) }},
	{"keywords as columns", func(n int) string { return "SELECT 1" + strings.Repeat("+values+set", n/2) }},
	{"plain parentheses", func(n int) string { return "SELECT " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) }},
}

// TestGuardRefusesDeep checks that statements far too deep for pg_query
// (each of them crashed the process before the guard: SIGSEGV in
// pg_query_normalize) get PostgreSQL's "stack depth limit exceeded" from
// every entry point, with a position.
func TestGuardRefusesDeep(t *testing.T) {
	for _, tc := range guardCases {
		t.Run(tc.name, func(t *testing.T) {
			sql := tc.make(50000)
			for _, call := range []struct {
				name string
				f    func(string) error
			}{
				{"Fingerprint", func(s string) error { _, err := Fingerprint(s); return err }},
				{"Normalize", func(s string) error { _, err := Normalize(s); return err }},
				{"Analyze", func(s string) error { _, err := Analyze(s, nil); return err }},
				{"ParseDDL", func(s string) error { _, err := ParseDDL(s); return err }},
				{"CanonicalQuery", func(s string) error { _, err := CanonicalQuery(s); return err }},
				{"CanonicalExpr", func(s string) error { _, err := CanonicalExpr(strings.TrimPrefix(s, "SELECT ")); return err }},
				{"ParseFile", func(s string) error {
					sts := ParseFile(s + ";\nSELECT 2;")
					if len(sts) != 2 || sts[1].Err != nil || sts[1].Fingerprint == "" {
						t.Errorf("ParseFile: the statement after the deep one was not parsed: %+v", sts[1:])
					}
					if sts[0].Err == nil {
						return nil
					}
					return sts[0].Err
				}},
			} {
				err := call.f(sql)
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("%s: err = %v, want *Error", call.name, err)
				}
				if !strings.HasPrefix(pe.Message, "stack depth limit exceeded") || pe.Offset < 0 {
					t.Errorf("%s: err = %q at %d, want stack depth limit exceeded with a position", call.name, pe.Message, pe.Offset)
				}
			}
		})
	}
}

// TestGuardMargin checks that the deepest statement of each kind the guard
// lets through parses with pg_query (no protobuf recursion error, no
// crash), and that the guard does not refuse long but flat statements.
func TestGuardMargin(t *testing.T) {
	for _, tc := range guardCases {
		t.Run(tc.name, func(t *testing.T) {
			// The largest n the guard accepts.
			lo, hi := 0, MaxDepth+1
			for lo < hi {
				mid := (lo + hi + 1) / 2
				if guardDepth(tc.make(mid)) < 0 {
					lo = mid
				} else {
					hi = mid - 1
				}
			}
			if lo < 50 {
				t.Fatalf("the guard refuses %s from %d levels", tc.name, lo+1)
			}
			sql := tc.make(lo)
			if _, err := Fingerprint(sql); err != nil {
				t.Errorf("Fingerprint at %d levels: %v", lo, err)
			}
			if _, err := Normalize(sql); err != nil {
				t.Errorf("Normalize at %d levels: %v", lo, err)
			}
			if _, err := parseTree(sql); err != nil {
				t.Errorf("parse at %d levels: %v", lo, err)
			}
		})
	}
	flat := map[string]string{
		"or list":                       "SELECT * FROM t WHERE " + strings.Repeat("a = 1 OR ", 20000) + "true",
		"and list":                      "SELECT * FROM t WHERE " + strings.Repeat("a > 1 AND ", 20000) + "true",
		"in list":                       "SELECT * FROM t WHERE a IN (" + strings.Repeat("1, ", 20000) + "1)",
		"values":                        "INSERT INTO t VALUES " + strings.Repeat("(1, 'a' || 'b'), ", 20000) + "(1, 'a')",
		"case whens":                    "SELECT CASE " + strings.Repeat("WHEN a = 1 THEN 2 ", 20000) + "END",
		"select list":                   "SELECT " + strings.Repeat("a + 1, ", 20000) + "1",
		"union of 800 filtered selects": "SELECT a FROM t WHERE b = 1" + strings.Repeat(" UNION ALL SELECT a FROM t WHERE b = 1 AND c = 2", 800),
	}
	for name, sql := range flat {
		t.Run(name, func(t *testing.T) {
			if _, err := Normalize(sql); err != nil {
				t.Errorf("Normalize: %v", err)
			}
		})
	}
}

// TestGuardSize checks the statement size limit and its message.
func TestGuardSize(t *testing.T) {
	sql := "SELECT '" + strings.Repeat("x", MaxStatementSize) + "'"
	_, err := Fingerprint(sql)
	if err == nil || !strings.Contains(err.Error(), "64 MiB") {
		t.Errorf("err = %v, want the 64 MiB limit", err)
	}
}

// TestLongTokenMessage checks that a huge bad token is not echoed whole in
// the syntax error (a 50 MB token made a 52 MB message).
func TestLongTokenMessage(t *testing.T) {
	_, err := Fingerprint("SELECT 1 'x" + strings.Repeat("x", 1<<20) + "'")
	if err == nil {
		t.Fatal("no error")
	}
	if len(err.Error()) > 200 || !strings.HasPrefix(err.Error(), `syntax error at or near "'xxx`) || !strings.HasSuffix(err.Error(), `..."`) {
		t.Errorf("message (%d bytes) %.300q", len(err.Error()), err.Error())
	}
}
