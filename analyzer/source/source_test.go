package source

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// logs is the directory of the logs written by testdata/logs/generate.sh.
const logs = "../../testdata/logs"

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetectKind(t *testing.T) {
	const pasted = "../explain/testdata/pasted/"
	sqlText := []byte("SELECT 1;\nSELECT 2;\n")
	for _, tc := range []struct {
		name string
		head []byte
		want string
	}{
		{"pgbench.log", mustRead(t, filepath.Join(logs, "pgbench.log")), KindStderr},
		{"x", mustRead(t, filepath.Join(logs, "pgbench.csv")), KindCSV},
		{"x", mustRead(t, filepath.Join(logs, "pgbench.json")), KindJSON},
		{"x", mustRead(t, filepath.Join(logs, "rds.log")), KindStderr},
		{"x", mustRead(t, "pglog/testdata/syslog.log"), KindSyslog},
		{"x", mustRead(t, "pglog/testdata/bad.log"), KindStderr},
		{"q.sql", sqlText, KindSQL},
		{"q.log", sqlText, KindSQL},
		{"plan.json", mustRead(t, "testdata/plan.json"), KindPlan},
		{"plan.txt", mustRead(t, "testdata/plan.txt"), KindPlan},
		{"x", []byte("Index Scan using t_pkey on t  (cost=0.29..8.30 rows=1 width=4)\n  Index Cond: (id = 1)\n"), KindPlan},
		{"x", []byte("- Plan: \n    Node Type: \"Seq Scan\"\n"), KindPlan},
		{"x", []byte(`<explain xmlns="http://www.postgresql.org/2009/explain">` + "\n<Query>"), KindPlan},
		{"x", []byte(`{"not": "a plan"}`), KindSQL},
		{"x", mustRead(t, "testdata/binary.bin"), KindBinary},
		{"x.sql", nil, KindSQL},
		{"x.log", nil, KindStderr},
		{"x.csv", nil, KindCSV},
		// Platforms' logs (testdata/logs/platforms.sh).
		{"small.csv", mustRead(t, filepath.Join(logs, "platforms/small.csv")), KindCSV},
		{"x", mustRead(t, filepath.Join(logs, "platforms/small.csv")), KindCSV},
		{"x", mustRead(t, filepath.Join(logs, "platforms/cnpg.json")), KindJSON},
		{"x", mustRead(t, filepath.Join(logs, "platforms/gcp.json")), KindStderr},
		{"x", mustRead(t, filepath.Join(logs, "platforms/heroku.log")), KindSyslog},
		{"x", mustRead(t, filepath.Join(logs, "platforms/syslog_noseq.log")), KindSyslog},
		{"x", mustRead(t, filepath.Join(logs, "platforms/lang_ja.log")), KindStderr},
		{"x", mustRead(t, filepath.Join(logs, "platforms/lang_ru.log")), KindStderr},
		{"x", mustRead(t, filepath.Join(logs, "platforms/azure.log")), KindStderr},
		// Plans as people paste them (analyzer/explain/testdata/pasted).
		{"x", mustRead(t, pasted+"session.txt"), KindPlan},
		{"x", mustRead(t, pasted+"session_ja.txt"), KindPlan},
		{"x", mustRead(t, pasted+"unicode_border2.txt"), KindPlan},
		{"x", mustRead(t, pasted+"csv_export.txt"), KindPlan},
		{"x", mustRead(t, pasted+"pgadmin_quoted.txt"), KindPlan},
		{"x", mustRead(t, pasted+"fragment_selected.txt"), KindPlan},
		{"x", mustRead(t, pasted+"pg84_subquery.txt"), KindPlan},
	} {
		head := tc.head
		if len(head) > headSize {
			head = head[:headSize]
		}
		if got := DetectKind(tc.name, head); got != tc.want {
			t.Errorf("%s %.40q: %s, want %s", tc.name, head, got, tc.want)
		}
	}
}

// queryRow is a workload query as compared between reads.
type queryRow struct {
	FP      string
	Calls   int64
	Failed  int64
	TotalUS int64
}

func rows(w *workload.Workload) []queryRow {
	var out []queryRow
	for _, q := range w.Queries() {
		out = append(out, queryRow{q.Fingerprint, q.Calls, q.Failed, int64(math.Round(q.TotalMS * 1000))})
	}
	return out
}

func compress(t *testing.T, dir, name string, data []byte, kind string) string {
	t.Helper()
	var buf bytes.Buffer
	switch kind {
	case "gz":
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
	case "zst":
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompressed reads the same logs plain, gzip, zstd and bzip2
// compressed, and from stdin.
func TestCompressed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	plain := filepath.Join(logs, "rds.log")
	want, err := Read(ctx, []string{plain}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, plain)
	for _, tc := range []struct {
		path     string
		stdin    []byte
		detected string
	}{
		{path: compress(t, dir, "rds.log.gz", data, "gz"), detected: "gzip compressed"},
		{path: compress(t, dir, "rds.log.zst", data, "zst"), detected: "zstd compressed"},
		{path: "testdata/rds.log.bz2", detected: "bzip2 compressed"},
		// No suffix: the magic number tells.
		{path: compress(t, dir, "rds", data, "gz"), detected: "gzip compressed"},
		{path: "-", stdin: data},
		{path: "-", stdin: mustRead(t, compress(t, dir, "stdin.zst", data, "zst")), detected: "zstd compressed"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := Read(ctx, []string{tc.path}, Options{Stdin: bytes.NewReader(tc.stdin)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rows(want.Workload), rows(got.Workload)); diff != "" {
				t.Errorf("workload differs from the plain file's:\n%s", diff)
			}
			in := got.Inputs[0]
			if in.Kind != KindStderr || in.Statements != want.Inputs[0].Statements || in.Bytes != int64(len(data)) ||
				!strings.Contains(in.Detected, tc.detected) || !strings.Contains(in.Detected, "%t:%r:%u@%d:[%p]:") {
				t.Errorf("input %+v", in)
			}
		})
	}
}

// TestTruncatedGzip keeps what was read before the compressed stream
// broke, and says so.
func TestTruncatedGzip(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat(mustRead(t, filepath.Join(logs, "pgbench.log")), 4)
	path := compress(t, dir, "cut.log.gz", data, "gz")
	b := mustRead(t, path)
	if err := os.WriteFile(path, b[:len(b)*3/4], 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Read(context.Background(), []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := res.Inputs[0]
	if in.Statements == 0 || in.Errors == 0 || !strings.Contains(strings.Join(in.Messages, "\n"), "gzip") {
		t.Errorf("input %+v", in)
	}
}

// TestInputs reads a mix of good and bad inputs in one run.
func TestInputs(t *testing.T) {
	dir := t.TempDir()
	var calls int
	res, err := Read(context.Background(), []string{
		"testdata/queries.sql",
		filepath.Join(logs, "pgbench.log"),
		"testdata/plan.json",
		"testdata/missing.sql",
		"testdata/binary.bin",
		"testdata/empty.sql",
		dir,
		"pglog/testdata/bad.log",
	}, Options{Top: 3, OnExecution: func(*workload.Execution) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Inputs {
		res.Inputs[i].Detected = strings.TrimSpace(res.Inputs[i].Detected)
	}
	want := []report.Input{
		{Path: "testdata/queries.sql", Kind: "sql", Statements: 5, Errors: 1, Bytes: 299},
		{Path: filepath.Join(logs, "pgbench.log"), Kind: "stderr", Statements: 894, Errors: 1, Bytes: int64(len(mustRead(t, filepath.Join(logs, "pgbench.log")))),
			Lines: 2674, Failed: 5, OtherMessages: 53,
			Detected: "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected)"},
		{Path: "testdata/plan.json", Kind: "plan", Statements: 1, Bytes: 277},
		{Path: "testdata/missing.sql", Kind: "sql", Errors: 1, Messages: []string{"testdata/missing.sql: no such file or directory"}},
		{Path: "testdata/binary.bin", Kind: "binary", Errors: 1, Messages: []string{"testdata/binary.bin: binary data, not SQL, a PostgreSQL log or an EXPLAIN plan"}},
		{Path: "testdata/empty.sql", Kind: "sql", Messages: []string{"testdata/empty.sql: no SQL statement in it"}},
		{Path: dir, Kind: "sql", Errors: 1, Messages: []string{dir + ": is a directory"}},
		{Path: "pglog/testdata/bad.log", Kind: "stderr", Statements: 4, SkippedLines: 8, Bytes: 1270, Lines: 16, Failed: 1, OtherMessages: 2,
			Detected: "stderr, log_line_prefix '%m [%p] %q%u@%d ' (detected)"},
	}
	opt := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Messages" && p.Index(-2).String() == "[7]" }, cmp.Ignore())
	if diff := cmp.Diff(want, res.Inputs, opt); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if n := len(res.Inputs[7].Messages); n != 8 || !strings.HasPrefix(res.Inputs[7].Messages[0], "pglog/testdata/bad.log:2: ") {
		t.Errorf("bad.log messages %q", res.Inputs[7].Messages)
	}
	if res.NothingRead() {
		t.Errorf("NothingRead")
	}
	if calls != 5+894+4 {
		t.Errorf("OnExecution called %d times", calls)
	}

	// Every statement of the SQL file, then the log's top 3 queries by
	// total time (not already in the SQL file), then bad.log's.
	var got []string
	for _, s := range res.Statements {
		got = append(got, s.Pos.String()+" "+s.Kind)
	}
	wantStmts := []string{
		"testdata/queries.sql:2:1 sql",
		"testdata/queries.sql:5:1 sql",
		"testdata/queries.sql:9:1 sql",
		"testdata/queries.sql:13:1 sql",
		"testdata/queries.sql:14:1 sql",
	}
	top := res.Workload.Top(3)
	for _, s := range res.Statements[5:] {
		found := false
		for _, q := range top {
			found = found || q.Fingerprint == s.Fingerprint
		}
		if !found {
			t.Errorf("statement %s is not a top query", s.Pos)
		}
		if s.Calls == 0 || s.TotalMS == 0 {
			t.Errorf("statement %s without calls or time", s.Pos)
		}
	}
	if diff := cmp.Diff(wantStmts, got[:5]); diff != "" {
		t.Errorf("SQL statements (-want +got):\n%s", diff)
	}
	if len(res.Statements) > 5+3 {
		t.Errorf("%d statements, want at most 8", len(res.Statements))
	}
	if bad := res.Statements[3]; bad.Err == nil || bad.Text != "SELEC broken" || bad.ErrOffset != 0 {
		t.Errorf("bad statement %+v", bad)
	}

	if len(res.Plans) != 3 || res.Plans[0].Kind != KindStderr || res.Plans[1].Kind != KindStderr || res.Plans[2].Kind != KindPlan ||
		res.Plans[2].Pos != (check.Position{File: "testdata/plan.json", Line: 1, Column: 1}) || res.Plans[0].Fingerprint == "" {
		t.Errorf("plans %+v", res.Plans)
	}
}

func TestNothingRead(t *testing.T) {
	res, err := Read(context.Background(), []string{"testdata/missing.sql", "testdata/binary.bin", "testdata/empty.sql"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NothingRead() {
		t.Errorf("read something: %+v", res.Inputs)
	}
}

// TestForcedFormat reads a stderr log as a csvlog: nothing fits.
func TestForcedFormat(t *testing.T) {
	res, err := Read(context.Background(), []string{filepath.Join(logs, "rds.log")}, Options{LogFormat: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if in := res.Inputs[0]; in.Kind != KindCSV || in.Statements != 0 || in.SkippedLines != 222 {
		t.Errorf("input %+v", in)
	}
	if _, err := Read(context.Background(), nil, Options{LogFormat: "xml"}); err == nil {
		t.Errorf("--log-format xml accepted")
	}
	if _, err := Read(context.Background(), nil, Options{LogPrefix: "%"}); err == nil {
		t.Errorf("bad --log-prefix accepted")
	}
}

// TestProgress shows a progress bar for a large input only when asked.
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.log")
	if err := os.WriteFile(big, bytes.Repeat(mustRead(t, filepath.Join(logs, "pgbench.log")), 30), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		input string
		want  bool
	}{{big, true}, {filepath.Join(logs, "pgbench.log"), false}} {
		var out bytes.Buffer
		if _, err := Read(context.Background(), []string{tc.input}, Options{Progress: &out}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "big.log"); got != tc.want {
			t.Errorf("%s: progress %q", tc.input, out.String())
		}
	}
}

// TestPGSS reads pg_stat_statements through Read, next to a SQL file.
func TestPGSS(t *testing.T) {
	c := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{"shared_preload_libraries": "pg_stat_statements"}})
	url := c.URL("postgres")
	pgtest.Exec(t, url, "CREATE EXTENSION pg_stat_statements; CREATE TABLE pgbench_accounts (aid int, bid int, abalance int)")
	for i := 0; i < 3; i++ {
		pgtest.Exec(t, url, "SELECT abalance FROM pgbench_accounts WHERE bid = 1 ORDER BY abalance DESC LIMIT 10")
	}
	pgtest.Exec(t, url, "SELECT count(*) FROM pgbench_accounts WHERE abalance > 0")
	conn := pgtest.Connect(t, url)
	res, err := Read(context.Background(), []string{"testdata/queries.sql"}, Options{DB: conn})
	if err != nil {
		t.Fatal(err)
	}
	in := res.Inputs[1]
	if in.Kind != KindPGSS || in.Path != "pg_stat_statements" || in.Statements == 0 || in.Errors != 0 {
		t.Fatalf("input %+v", in)
	}
	var count, sqlTwin *check.Statement
	for _, s := range res.Statements {
		if strings.HasPrefix(s.Text, "SELECT count(*) FROM pgbench_accounts") {
			count = s
		}
		if s.Pos.File == "testdata/queries.sql" && s.Pos.Line == 5 {
			sqlTwin = s
		}
	}
	// The count is only in pg_stat_statements; the ORDER BY query is in
	// the SQL file too: one statement, with pg_stat_statements' calls.
	if count == nil || count.Kind != KindPGSS || count.Calls != 1 || count.Pos.File != "pg_stat_statements" {
		t.Errorf("count statement %+v", count)
	}
	if sqlTwin == nil || sqlTwin.Kind != KindSQL || sqlTwin.Calls != 4 {
		t.Errorf("ORDER BY statement %+v", sqlTwin)
	}
	for _, s := range res.Statements {
		if s.Kind == KindPGSS && strings.HasPrefix(s.Text, "SELECT abalance") {
			t.Errorf("statement twice: %+v", s)
		}
	}
}

// TestNumberedTables reads a log of one query on 40 tables whose names
// differ in digits only, and on two partitions (pg_query's fingerprint
// ignores those digits): each table is a query of its own, and each is
// handed to the checks.
func TestNumberedTables(t *testing.T) {
	res, err := Read(context.Background(), []string{filepath.Join(logs, "platforms/numbered.log")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]int64{}
	for _, q := range res.Workload.Queries() {
		for _, f := range strings.Fields(q.Normalized) {
			if strings.HasPrefix(f, "tenant") || strings.HasPrefix(f, "events_") {
				tables[f] += q.Calls
			}
		}
	}
	if res.Workload.Len() != 42 || len(tables) != 42 || tables["events_2024"] != 2 || tables["tenant10"] != 1 {
		t.Errorf("%d queries; calls by table %v", res.Workload.Len(), tables)
	}
	checked := map[string]bool{}
	for _, st := range res.Statements {
		checked[st.Fingerprint] = true
	}
	if len(res.Statements) != 42 || len(checked) != 42 {
		t.Errorf("%d statements for the checks, %d distinct", len(res.Statements), len(checked))
	}
}
