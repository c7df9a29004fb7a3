package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestParseBudget(t *testing.T) {
	tests := []struct {
		in    string
		bytes int64
		share float64
		err   bool
	}{
		{"", 0, 0, false},
		{"500MB", 500 << 20, 0, false},
		{"2 GB", 2 << 30, 0, false},
		{"1.5gb", 3 << 29, 0, false},
		{"4096", 4096, 0, false},
		{"10%", 0, 0.10, false},
		{"12.5 %", 0, 0.125, false},
		{"-1GB", 0, 0, true},
		{"lots", 0, 0, true},
		{"0%", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, s, err := parseBudget(tt.in)
			if (err != nil) != tt.err || b != tt.bytes || s != tt.share {
				t.Errorf("parseBudget(%q) = %d, %v, %v; want %d, %v, error %v", tt.in, b, s, err, tt.bytes, tt.share, tt.err)
			}
		})
	}
}

// TestAdviseUsage checks the flag combinations advise refuses, with exit
// code 2 and no database touched.
func TestAdviseUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"advise"}, "nothing to advise"},
		{[]string{"advise", "q.sql"}, "advise needs a database"},
		{[]string{"advise", "--db", "postgres://x@127.0.0.1:1/db", "--data", "d.sql", "q.sql"}, "--data loads the sandbox"},
		{[]string{"advise", "--schema", "s.sql", "--create", "q.sql"}, "--create creates the indexes on --db"},
		{[]string{"advise", "--db", "postgres://x@127.0.0.1:1/db", "--keep", "q.sql"}, "--keep keeps the indexes --measure builds"},
		{[]string{"advise", "--schema", "s.sql", "--runs", "0", "q.sql"}, "--runs must be 1 or more"},
		{[]string{"advise", "--schema", "s.sql", "--budget", "lots", "q.sql"}, "--budget"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(context.Background(), tt.args, Streams{Out: &out, Err: &errOut})
			if code != ExitUsage || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), ExitUsage, tt.want)
			}
		})
	}
}
