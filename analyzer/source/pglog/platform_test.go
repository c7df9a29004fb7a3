package pglog

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// callCount is a query's fingerprint and counts, as compared between
// the platform logs: the same statements ran on every run of
// testdata/logs/platforms.sh.
type callCount struct {
	FP     string
	Calls  int64
	Failed int64
	Timed  int64
}

func callCounts(r *recorder) []callCount {
	var out []callCount
	for _, q := range r.w.Queries() {
		out = append(out, callCount{q.Fingerprint, q.Calls, q.Failed, q.Timed})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FP < out[j].FP })
	return out
}

// TestPlatforms reads the logs of testdata/logs/platforms (written by a
// real PostgreSQL 15, wrapped as each platform delivers them): each is
// detected and named, and holds the workload of the plain stderr log of
// the same statements.
func TestPlatforms(t *testing.T) {
	dir := filepath.Join(logs, "platforms")
	ref, refSt := read(t, filepath.Join(dir, "azure.log"), Options{})
	want := callCounts(ref)
	if len(want) != 4 || refSt.Skipped != 0 {
		t.Fatalf("azure.log: %d queries, %d lines skipped (%v)", len(want), refSt.Skipped, refSt.Problems)
	}
	for _, tc := range []struct {
		file     string
		detected string
		extra    int // queries besides the reference's
	}{
		{"azure.log", "stderr, log_line_prefix '%t-%c-' (detected), Azure Database for PostgreSQL", 0},
		{"cnpg.json", "jsonlog, CloudNativePG", 0},
		{"gcp.json", "stderr, log_line_prefix '%m [%p]: [%l-1] db=%d,user=%u ' (detected), Google Cloud Logging, Google Cloud SQL", 0},
		{"heroku.log", "syslog, log_line_prefix 'sql_error_code = %e ' (detected), Heroku Postgres (logplex)", 0},
		{"indented.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected)", 0},
		{"lang_fr.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected), messages in French", 0},
		{"lang_de.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected), messages in German", 0},
		{"lang_es.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected), messages in Spanish", 0},
		{"lang_ja.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected), messages in Japanese", 0},
		{"lang_fr.csv", "csvlog, messages in French", 0},
		{"lang_fr.json", "jsonlog, messages in French", 0},
		// Russian translates every severity, LOG too.
		{"lang_ru.log", "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected), messages in Russian", 0},
		// One more statement, long enough for PostgreSQL to split it.
		{"syslog_noseq.log", "syslog, log_line_prefix '%m [%p] %q%u@%d ' (detected)", 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rec, st := read(t, filepath.Join(dir, tc.file), Options{})
			if d := st.Detected(); d != tc.detected {
				t.Errorf("detected %q, want %q", d, tc.detected)
			}
			// The postmaster of a cluster initialized with locale C writes
			// Russian transliterated to ASCII ("SOOBSHHENIE:" for
			// "СООБЩЕНИЕ:"), which no catalog holds: those lines (none a
			// statement) are skipped. Backends write UTF-8.
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(strings.Count(string(data), "SOOBSHHENIE:")); st.Skipped != want {
				t.Errorf("%d lines skipped, want %d: %v", st.Skipped, want, st.Problems)
			}
			got := callCounts(rec)
			var extra []callCount
			var common []callCount
			for _, c := range got {
				if i := sort.Search(len(want), func(i int) bool { return want[i].FP >= c.FP }); i < len(want) && want[i].FP == c.FP {
					common = append(common, c)
				} else {
					extra = append(extra, c)
				}
			}
			if d := cmp.Diff(want, common); d != "" {
				t.Errorf("workload differs from azure.log's (-want +got):\n%s", d)
			}
			if len(extra) != tc.extra {
				t.Errorf("%d other queries, want %d: %+v", len(extra), tc.extra, extra)
			}
			if tc.file == "syslog_noseq.log" {
				long := false
				for _, x := range rec.execs {
					long = long || strings.Contains(x.Text, "148 AS c148, 149 AS c149")
				}
				if !long {
					t.Error("the split statement was not joined")
				}
			}
		})
	}
}

// TestTranslate checks the translation of the lines PostgreSQL writes
// with lc_messages in another language, word for word from its catalogs.
func TestTranslate(t *testing.T) {
	byLang := map[string]*translator{}
	for _, tr := range translators {
		byLang[tr.lang] = tr
	}
	for _, tc := range []struct {
		lang, in, want string
	}{
		{"fr", "2026-12-06 04:27:12.445 UTC [4668] postgres@shop LOG:  durée : 23.312 ms, instruction : SELECT 1",
			"2026-12-06 04:27:12.445 UTC [4668] postgres@shop LOG:  duration: 23.312 ms  statement: SELECT 1"},
		{"fr", "x ERREUR:  la relation « t » n'existe pas", "x ERROR:  la relation « t » n'existe pas"},
		{"fr", "x INSTRUCTION :  SELECT * FROM t;", "x STATEMENT:  SELECT * FROM t;"},
		{"fr", "x DÉTAIL:  paramètres : $1 = '702'", "x DETAIL:  parameters: $1 = '702'"},
		{"fr", "x LOG:  durée : 3.295 ms  exécute <unnamed>: SELECT $1", "x LOG:  duration: 3.295 ms  execute <unnamed>: SELECT $1"},
		{"fr", "x LOG:  durée : 0.081 ms, analyse <unnamed> : SELECT $1", "x LOG:  duration: 0.081 ms  parse <unnamed>: SELECT $1"},
		{"fr", "x LOG:  durée : 0.081 ms", "x LOG:  duration: 0.081 ms"},
		{"de", "x FEHLER:  Relation »t« existiert nicht", "x ERROR:  Relation »t« existiert nicht"},
		{"de", "x LOG:  Dauer: 8.686 ms  Ausführen <unnamed>: SELECT $1", "x LOG:  duration: 8.686 ms  execute <unnamed>: SELECT $1"},
		{"es", "x LOG:  duración: 1.681 ms  parse: <unnamed>: SELECT $1", "x LOG:  duration: 1.681 ms  parse <unnamed>: SELECT $1"},
		{"ja", "x LOG:  期間: 39.111 ミリ秒  文: SELECT 1", "x LOG:  duration: 39.111 ms  statement: SELECT 1"},
		{"ja", "x 詳細:  パラメータ: $1 = '208'", "x DETAIL:  parameters: $1 = '208'"},
		// Continuation lines and messages the reader does not need stay.
		{"fr", "\t  FROM orders o", "\t  FROM orders o"},
		{"fr", "x LOG:  le système est prêt", "x LOG:  le système est prêt"},
	} {
		t.Run(tc.lang+" "+tc.in, func(t *testing.T) {
			tr := byLang[tc.lang]
			if tr == nil {
				t.Fatalf("no catalog for %s", tc.lang)
			}
			if got, _ := tr.line(tc.in); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestRDSPrefix reads the log written with Amazon RDS's (and Aurora's)
// log_line_prefix: detected and named.
func TestRDSPrefix(t *testing.T) {
	rec, st := read(t, filepath.Join(logs, "rds.log"), Options{})
	if want := "stderr, log_line_prefix '%t:%r:%u@%d:[%p]:' (detected), Amazon RDS/Aurora"; st.Detected() != want {
		t.Errorf("detected %q, want %q", st.Detected(), want)
	}
	if len(rec.execs) == 0 || st.Skipped != 0 {
		t.Errorf("%d executions, %d lines skipped", len(rec.execs), st.Skipped)
	}
}
