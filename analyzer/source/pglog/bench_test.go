package pglog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// benchInput returns the log to read: $PGADVISOR_BENCH_LOG (the large
// log testdata/logs/bench.sh makes) for stderr, else the committed log of
// the format repeated to about 32 MB.
func benchInput(b *testing.B, file string) []byte {
	if path := os.Getenv("PGADVISOR_BENCH_LOG"); path != "" && file == "pgbench.log" {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	one, err := os.ReadFile(filepath.Join(logs, file))
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(one, (32<<20)/len(one)+1)
}

type workloadSink struct{ w *workload.Workload }

func (s workloadSink) Execution(e *workload.Execution) { s.w.AddPtr(e) }
func (s workloadSink) Plan(*Plan)                      {}

// BenchmarkRead reads a log from memory into a workload: parsing,
// fingerprinting (once per query shape) and aggregation, on all cores.
func BenchmarkRead(b *testing.B) {
	for _, file := range []string{"pgbench.log", "pgbench.csv", "pgbench.json"} {
		b.Run(file, func(b *testing.B) {
			data := benchInput(b, file)
			lines := bytes.Count(data, []byte{'\n'})
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				sink := workloadSink{workload.New()}
				st, err := Read(context.Background(), bytes.NewReader(data), file, Options{}, sink)
				if err != nil {
					b.Fatal(err)
				}
				if st.Skipped != 0 || st.Executions == 0 {
					b.Fatalf("stats %+v", *st)
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
