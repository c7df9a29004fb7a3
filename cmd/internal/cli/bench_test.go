package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchTemplates are the statement shapes of the generated SQL file: the
// queries of an application over the demo schema, with literals varied.
var benchTemplates = []string{
	"SELECT id, name FROM users WHERE lower(email) = lower('user%[1]d@example.com');",
	"SELECT id, status, total, created_at FROM orders WHERE user_id = %[1]d ORDER BY created_at DESC LIMIT 20;",
	"SELECT o.id, o.total, i.quantity, p.title FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.id = %[1]d;",
	"SELECT i2.product_id, count(*) FROM order_items i1 JOIN order_items i2 ON i2.order_id = i1.order_id AND i2.product_id <> i1.product_id WHERE i1.product_id = %[1]d GROUP BY i2.product_id ORDER BY count(*) DESC LIMIT 10;",
	"SELECT id, title, price FROM products WHERE title LIKE '%%gadget %[1]d%%';",
	"SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET %[1]d;",
	"INSERT INTO orders (user_id, status, total) VALUES (%[1]d, 'pending', %[1]d.50) RETURNING id;",
	"UPDATE orders SET status = 'paid' WHERE id = %[1]d AND status = 'pending';",
	"DELETE FROM events WHERE created_at < now() - interval '%[1]d days';",
	"SELECT kind, count(*) FROM events WHERE user_id = %[1]d AND created_at >= '2024-01-01' GROUP BY kind;",
	"WITH recent AS (SELECT user_id, max(created_at) AS last FROM orders WHERE total > %[1]d GROUP BY user_id) SELECT u.email, r.last FROM users u JOIN recent r ON r.user_id = u.id WHERE u.country = 'FR';",
	"SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.created_at > now() - interval '%[1]d days');",
}

// writeBenchFile writes n statements cycling through benchTemplates.
func writeBenchFile(tb testing.TB, n int) string {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, benchTemplates[i%len(benchTemplates)]+"\n", r.IntN(1_000_000))
	}
	path := filepath.Join(tb.TempDir(), "workload.sql")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkAnalyze10kStatements measures `pgadvisor analyze --schema` on a
// 10,000-statement SQL file, the whole pipeline: split, parse,
// fingerprint, query model, every check, JSON report. The target
// is under 2 s per file on a 2-core machine.
func BenchmarkAnalyze10kStatements(b *testing.B) {
	const n = 10_000
	file := writeBenchFile(b, n)
	schema, err := filepath.Abs("../../../testdata/demo/schema.sql")
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"analyze", "--format", "json", "--fail-on", "none", "--schema", schema, file}
	b.ResetTimer()
	for b.Loop() {
		if code := Main(context.Background(), args, Streams{Out: io.Discard, Err: io.Discard}); code != ExitOK {
			b.Fatalf("exit code %d", code)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec, "s/file")
	b.ReportMetric(n/sec, "statements/s")
}
