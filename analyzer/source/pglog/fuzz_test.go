package pglog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// seedLines returns lines of the committed logs as fuzzing seeds.
func seedLines(f *testing.F, n int) []string {
	var out []string
	for _, file := range []string{
		filepath.Join(logs, "pgbench.log"), filepath.Join(logs, "pgbench.csv"), filepath.Join(logs, "pgbench.json"),
		filepath.Join(logs, "escapes.log"), "testdata/syslog.log", "testdata/bad.log",
		// Platforms' wrappings and other languages.
		filepath.Join(logs, "platforms/cnpg.json"), filepath.Join(logs, "platforms/gcp.json"),
		filepath.Join(logs, "platforms/heroku.log"), filepath.Join(logs, "platforms/lang_fr.log"),
		filepath.Join(logs, "platforms/lang_ja.log"), filepath.Join(logs, "platforms/syslog_noseq.log"),
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		for i := 0; i < len(lines); i += max(1, len(lines)/n) {
			out = append(out, strings.Join(lines[i:min(i+3, len(lines))], ""))
		}
	}
	return out
}

// FuzzPrefix compiles any log_line_prefix and matches it against any
// line: no panic, and a line made from the prefix's own literal text
// parses.
func FuzzPrefix(f *testing.F) {
	for _, p := range KnownPrefixes {
		f.Add(p, "2026-11-28 05:11:41.612 UTC [13487] postgres@bench LOG:  duration: 0.013 ms  statement: SELECT 1")
	}
	f.Add("%m|%t|%n|%p|%P|%c|%l|%s|%v|%x|%e|%a|%u|%d|%r|%h|%b|%i|%Q|%%|%q> ", "")
	f.Add("%-10u%5p%q%", "x")
	for _, l := range seedLines(f, 10) {
		f.Add("%m [%p] %q%u@%d ", l)
	}
	f.Fuzz(func(t *testing.T, prefix, line string) {
		p, err := CompilePrefix(prefix)
		if err != nil {
			return
		}
		var fl fields
		var ts tsCache
		if at, _, _ := findSeverity(line); at >= 0 {
			p.match(line[:at], &fl, &ts)
		}
		p.match(line, &fl, &ts)
		rec := &recorder{w: workload.New()}
		st, err := Read(context.Background(), strings.NewReader(line), "fuzz", Options{Format: Stderr, Prefix: prefix}, rec)
		if err != nil {
			t.Fatal(err)
		}
		if st.Skipped > st.Lines {
			t.Fatalf("%d lines, %d skipped", st.Lines, st.Skipped)
		}
	})
}

// FuzzRead reads any bytes as every log format, whole and in tiny chunks:
// no panic, every line counted, and the same executions either way
// (except for csvlog, whose chunks are cut by a quote-parity guess that
// garbage can fool).
func FuzzRead(f *testing.F) {
	for _, l := range seedLines(f, 20) {
		f.Add([]byte(l), uint8(0))
	}
	f.Add([]byte("\t\n\x00\xff"), uint8(1))
	f.Add([]byte(`"unbalanced,"quote`+"\n"), uint8(1))
	formats := []Format{Stderr, CSV, JSON, Syslog, ""}
	f.Fuzz(func(t *testing.T, data []byte, fi uint8) {
		format := formats[int(fi)%len(formats)]
		lines := int64(bytes.Count(data, []byte{'\n'}))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++
		}
		read := func(opts Options) (*recorder, *Stats) {
			rec := &recorder{w: workload.New()}
			st, err := Read(context.Background(), bytes.NewReader(data), "fuzz", opts, rec)
			if err != nil {
				t.Fatal(err)
			}
			return rec, st
		}
		whole, st := read(Options{Format: format})
		if st.Lines != lines || st.Skipped > st.Lines || st.Executions > st.Entries+st.Lines {
			t.Fatalf("%s: %d lines (want %d), %d skipped, %d entries, %d executions", st.Format, st.Lines, lines, st.Skipped, st.Entries, st.Executions)
		}
		// The same format and prefix, in chunks of a few bytes.
		if st.Prefix == Generic.src {
			return
		}
		chunked, st2 := read(Options{Format: st.Format, Prefix: st.Prefix, ChunkSize: 7, Workers: 2, firstSize: 7})
		if st2.Lines != lines {
			t.Fatalf("chunked: %d lines, want %d", st2.Lines, lines)
		}
		if st.Format != CSV {
			if diff := cmp.Diff(whole.execs, chunked.execs); diff != "" {
				t.Fatalf("%s: executions differ (-whole +chunked):\n%s", st.Format, diff)
			}
		}
	})
}
