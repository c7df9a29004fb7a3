package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fuzzNames are the names a fuzzed input is given: the name is a hint
// the readers use (.sql, .log, .json, .csv; compression by magic number).
var fuzzNames = []string{"in.sql", "in.log", "plan.json", "plan.txt", "in.csv", "in.yaml", "in"}

// FuzzCommands drives the whole analyze and explain commands, as a user
// runs them, on mutated inputs: as a file and on standard input, in every
// format. Whatever the input, the command must not panic (Main turns a
// panic into "internal error"), must exit 0, 1 or 3 (never a usage
// error: the arguments are valid), must finish, and its JSON must parse.
//
//	go test -run '^$' -fuzz '^FuzzCommands$' -fuzztime 10s ./cmd/internal/cli
func FuzzCommands(f *testing.F) {
	for _, seed := range []string{
		"SELECT a FROM t WHERE b = 1;\nDELETE FROM t;\n",
		"2024-05-01 12:00:00.123 UTC [42] LOG:  duration: 1.5 ms  statement: SELECT a FROM t WHERE b = 2\n",
		`[{"Plan": {"Node Type": "Seq Scan", "Relation Name": "t", "Plan Rows": 1, "Filter": "(a = 1)"}}]`,
		"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=0.01..0.02 rows=1 loops=1)\n  Filter: (a = 1)\n",
		"- Plan:\n    Node Type: \"Seq Scan\"\n",
		"COPY t FROM stdin;\n1\n\\.\nSELECT 1",
		"SELECT " + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000),
		"\x1f\x8b\x08\x00",
	} {
		for cmd := range uint8(2) {
			f.Add([]byte(seed), cmd, uint8(0))
		}
	}
	for _, dir := range []string{"../../../testdata/e2e/explain-text", "../../../testdata/e2e/analyze-stdin", "../../../testdata/e2e/analyze-bad-inputs"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() == "stdout" || e.Name() == "args" || e.Name() == "exit" || e.IsDir() {
				continue
			}
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) < 64<<10 {
				f.Add(b, uint8(0), uint8(1))
				f.Add(b, uint8(1), uint8(3))
			}
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, cmd, how uint8) {
		name := fuzzNames[int(how)%len(fuzzNames)]
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		format := []string{"json", "table", "markdown", "sarif"}[int(how/8)%4]
		command := []string{"analyze", "explain"}[cmd%2]
		input := path
		if how&4 != 0 {
			input = "-"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var out, errOut bytes.Buffer
		code := Main(ctx, []string{command, "--format", format, input}, Streams{In: bytes.NewReader(data), Out: &out, Err: &errOut})
		if ctx.Err() != nil {
			t.Fatalf("%s %s did not finish in 20 s", command, name)
		}
		if strings.Contains(errOut.String(), "internal error") {
			t.Fatalf("%s %s: %s", command, name, errOut.String())
		}
		if code != 0 && code != 1 && code != ExitInput {
			t.Fatalf("%s %s: exit %d\n%s", command, name, code, errOut.String())
		}
		if format == "json" && out.Len() > 0 && !json.Valid(out.Bytes()) {
			t.Fatalf("%s %s: invalid JSON:\n%s", command, name, out.String())
		}
	})
}
