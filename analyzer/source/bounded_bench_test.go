package source

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// BenchmarkBoundedSQLFile reads a 300,000-statement SQL file (generated:
// 60 query shapes with varying constants, about 30 MB) as `pgadvisor
// analyze` does and reports the process's peak resident memory, which
// must stay under 300 MB (the reader streams: memory grows with the
// distinct queries, not with the file). Run it alone:
//
//	go test -run '^$' -bench BoundedSQLFile -benchtime 1x ./analyzer/source
func BenchmarkBoundedSQLFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.sql")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range 300000 {
		fmt.Fprintf(w, "SELECT id, name, total, c%d FROM orders WHERE customer_id = %d AND status = 'open' ORDER BY created_at DESC LIMIT %d;\n", i%60, i, i%100+1)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Read(context.Background(), []string{path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if in := res.Inputs[0]; in.Statements != 300000 || in.Errors != 0 || len(res.Statements) != 60 {
			b.Fatalf("input %+v, %d statements for the checks", in, len(res.Statements))
		}
	}
	rss := float64(peakRSS()) / (1 << 20)
	b.ReportMetric(rss, "peak-RSS-MB")
	if rss > 300 {
		b.Errorf("peak RSS %.0f MB, want under 300 MB", rss)
	}
}

// BenchmarkBoundedPlan reads a gzip-compressed JSON plan of 1 GiB
// (generated: about 5 MB compressed) and reports the peak resident
// memory: the reader refuses the plan once MaxPlanSize bytes have come,
// whatever the compressed size said.
func BenchmarkBoundedPlan(b *testing.B) {
	path := filepath.Join(b.TempDir(), "huge.json.gz")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	node := `{"Node Type": "Seq Scan", "Relation Name": "t", "Startup Cost": 0.00, "Total Cost": 1.00, "Plan Rows": 1, "Plan Width": 4, "Filter": "(a = 1)"}, `
	io.WriteString(zw, `[{"Plan": {"Node Type": "Append", "Startup Cost": 0.00, "Total Cost": 1.00, "Plan Rows": 1, "Plan Width": 4, "Plans": [`)
	line := strings.Repeat(node, 1000)
	for n := 0; n < 1<<30; n += len(line) {
		io.WriteString(zw, line)
	}
	io.WriteString(zw, node[:len(node)-2]+"]}}]\n")
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Read(context.Background(), []string{path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		in := res.Inputs[0]
		if in.Errors != 1 || len(res.Plans) != 0 || !strings.Contains(strings.Join(in.Messages, "\n"), "128 MiB") {
			b.Fatalf("input %+v", in)
		}
	}
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
}
