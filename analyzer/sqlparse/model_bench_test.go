package sqlparse

import (
	"os"
	"path/filepath"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// benchStatements is the mix the benchmarks run: the golden corpus
// (pgbench and application queries) and the model test cases.
func benchStatements(b *testing.B) []string {
	b.Helper()
	var out []string
	files, _ := filepath.Glob("testdata/model/*.sql")
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, splitStatements(b, string(text))...)
	}
	for _, c := range modelCases {
		out = append(out, c.sql)
	}
	return out
}

// BenchmarkAnalyze measures Analyze (parse + model) and Accesses on the
// mix, one statement per op; it reports statements per second.
func BenchmarkAnalyze(b *testing.B) {
	stmts := benchStatements(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := Analyze(stmts[i%len(stmts)], shop)
		if err == nil {
			_ = st.Accesses()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

// BenchmarkParseOnly is pg_query.Parse alone on the same mix, the floor
// Analyze builds on.
func BenchmarkParseOnly(b *testing.B) {
	stmts := benchStatements(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = pg_query.Parse(stmts[i%len(stmts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}
