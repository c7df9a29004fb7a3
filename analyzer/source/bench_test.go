package source

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLargeLog reads a large log file as `pgadvisor analyze` does
// (detection, streaming, parallel parsing, workload) and reports MB/s,
// lines/s, the peak resident memory of the process and MB per second of
// CPU time. The log is
// $PGADVISOR_BENCH_LOG (testdata/logs/bench.sh makes a 300 MB pgbench
// log), else the committed pgbench.log repeated to 64 MB.
func BenchmarkLargeLog(b *testing.B) {
	benchLargeLog(b, func() Options { return Options{} })
}

// benchLargeLog reads the large log with the options opts returns (one
// call per read).
func benchLargeLog(b *testing.B, opts func() Options) {
	path := os.Getenv("PGADVISOR_BENCH_LOG")
	if path == "" {
		path = filepath.Join(b.TempDir(), "large.log")
		one, err := os.ReadFile(filepath.Join(logs, "pgbench.log"))
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		for n := 0; n < 64<<20; n += len(one) {
			if _, err := f.Write(one); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	size, lines := countLines(b, path)
	b.SetBytes(size)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		res, err := Read(context.Background(), []string{path}, opts())
		if err != nil {
			b.Fatal(err)
		}
		if in := res.Inputs[0]; in.Statements == 0 || in.Bytes != size || in.SkippedLines != 0 {
			b.Fatalf("input %+v", in)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	// Throughput per second of CPU time: what the machine's load does not
	// change (MB/s on an idle machine is about twice this, both cores
	// working).
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

func countLines(b *testing.B, path string) (size, lines int64) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		size += int64(n)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			return size, lines
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
