package source

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	var rss float64
	for b.Loop() {
		rss = max(rss, childPeakRSS(b, path, "sql"))
	}
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
	var rss float64
	for b.Loop() {
		rss = max(rss, childPeakRSS(b, path, "plan"))
	}
	b.ReportMetric(rss, "peak-RSS-MB")
}

// childPeakRSS reads path in a child process (this test binary running
// TestBoundedChild), so that the peak resident memory it reports is that
// of reading alone, not of generating the input or of other benchmarks.
func childPeakRSS(b *testing.B, path, kind string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run", "^TestBoundedChild$", "-test.count", "1")
	cmd.Env = append(os.Environ(), "PGADVISOR_BOUNDED_CHILD="+kind+":"+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	var mb float64
	i := strings.Index(string(out), "peak-RSS-MB ")
	if i < 0 {
		b.Fatalf("child output:\n%s", out)
	}
	if _, err := fmt.Sscan(string(out[i+len("peak-RSS-MB "):]), &mb); err != nil {
		b.Fatalf("child output %q: %v", out, err)
	}
	return mb
}

// TestBoundedChild is the child of the bounded-memory benchmarks: it
// reads the input named by $PGADVISOR_BOUNDED_CHILD, checks the result
// and prints its peak RSS. Without the variable it does nothing.
func TestBoundedChild(t *testing.T) {
	kind, path, ok := strings.Cut(os.Getenv("PGADVISOR_BOUNDED_CHILD"), ":")
	if !ok {
		return
	}
	res, err := Read(context.Background(), []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := res.Inputs[0]
	switch kind {
	case "sql":
		if in.Statements != 300000 || in.Errors != 0 || len(res.Statements) != 60 {
			t.Fatalf("input %+v, %d statements for the checks", in, len(res.Statements))
		}
	case "plan":
		if in.Errors != 1 || len(res.Plans) != 0 || !strings.Contains(strings.Join(in.Messages, "\n"), "128 MiB") {
			t.Fatalf("input %+v", in)
		}
	}
	fmt.Printf("peak-RSS-MB %.1f\n", float64(peakRSS())/(1<<20))
}
