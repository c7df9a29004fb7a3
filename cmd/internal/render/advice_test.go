package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// adviceSample is an advise report with a measured and an estimated
// recommendation, a failed measurement and unadvised queries.
func adviceSample() *report.Report {
	return &report.Report{
		Version: report.Version,
		Command: "advise",
		Inputs:  []report.Input{{Path: "workload.log", Kind: "stderr", Statements: 603}},
		Recommendations: []report.Recommendation{
			{
				DDL:   "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at DESC)",
				Table: "orders", Columns: []string{"customer_id", "created_at DESC"}, Method: "btree", Kind: "composite",
				SizeBytes: 31563776, BuildMS: 2350.5, Queries: []string{"9c479169ccf0638e"},
				Measured: []report.Measured{{Fingerprint: "9c479169ccf0638e", Runs: 5, BeforeMS: 252.5, AfterMS: 0.029, BeforeSpreadMS: 8, AfterSpreadMS: 0.004, UsesIndex: true},
					{Fingerprint: "53cb594b509fe0fc", Runs: 5, BeforeMS: 0.05, AfterMS: 0.061, BeforeSpreadMS: 0.004, AfterSpreadMS: 0.006}},
				RecommendationDetail: report.RecommendationDetail{Name: "orders_customer_id_created_at_idx", Status: "measured", EstimatedSizeBytes: 31350000,
					Serves: []string{"customer_id = $1", "ORDER BY created_at DESC"},
					Writes: []report.Helped{{Fingerprint: "53cb594b509fe0fc", Normalized: "INSERT INTO orders (customer_id, total) VALUES ($1, $2)", WeightMS: 56.7}},
					Helps:  []report.Helped{{Fingerprint: "9c479169ccf0638e", Normalized: "SELECT id FROM orders\nWHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2", WeightMS: 36788, CostBefore: 15471, CostAfter: 40.22, Values: "log bind values"}},
				},
			},
			{
				DDL:   "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_idx ON users (lower(email))",
				Table: "users", Columns: []string{"lower(email)"}, Method: "btree", Kind: "expression", Queries: []string{"7dcf0f8608f91528"},
				Measured: []report.Measured{{Fingerprint: "7dcf0f8608f91528", Error: "canceling statement due to statement timeout"}},
				RecommendationDetail: report.RecommendationDetail{Name: "users_lower_email_idx", Status: "estimated", EstimatedSizeBytes: 9895936,
					Helps: []report.Helped{{Fingerprint: "7dcf0f8608f91528", Normalized: "SELECT id FROM users WHERE lower(email) = $1", WeightMS: 120, CostBefore: 5137, CostAfter: 8.44, Values: "pg_stats"}},
				},
			},
		},
		WhatIfCalls: 147,
		Advice: &report.Advice{Database: "sandbox", Evaluator: "hypopg", Candidates: 6, WorkloadMS: 111942, SavedShare: 0.976, RelativeCost: 0.13,
			Unadvised: []report.Unadvised{{Fingerprint: "743b0d77520deb37", Normalized: "SELECT count(*) FROM orders WHERE status = $1", WeightMS: 2559, Reason: "no index helps enough: the best candidate lowers its estimated cost by 0 %\x1b[31m"}},
			Drops:     []report.Drop{{Index: "orders_customer_id_idx", Table: "orders", SizeBytes: 11190272, Reason: "made redundant by orders_customer_id_created_at_idx", DDL: `DROP INDEX CONCURRENTLY IF EXISTS "public"."orders_customer_id_idx"`}}},
	}
}

func TestAdvice(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		opts   Options
	}{
		{"advice_aligned.golden", Table, Options{Aligned: true, Width: 140}},
		{"advice_piped.golden", Table, Options{}},
		{"advice_markdown.golden", Markdown, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.format, adviceSample(), tt.opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update): %v", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
			if bytes.Contains(b.Bytes(), []byte("\x1b")) {
				t.Error("a control character from the input reached the output")
			}
		})
	}
}
