package explain

import (
	"strings"
	"testing"
)

// TestImpossibleNumbers: a plan holding a figure no server writes (1e308,
// a negative count, text where a number belongs) is rejected with a
// positioned message that names the field, never read as +Inf, NaN or 0.
func TestImpossibleNumbers(t *testing.T) {
	tests := []struct {
		name, plan, want string
	}{
		{"huge cost", "Seq Scan on t  (cost=0.00..1e308 rows=10 width=4)\n", "TotalCost is 1e+308"},
		{"negative rows", "Seq Scan on t  (cost=0.00..10.00 rows=-5 width=4) (actual time=0.01..0.02 rows=3 loops=1)\n", "PlanRows is -5"},
		{"negative loops", "Seq Scan on t  (cost=0.00..10.00 rows=5 width=4) (actual time=0.01..0.02 rows=3 loops=-1)\n", "ActualLoops is -1"},
		{"text rows", `[{"Plan": {"Node Type": "Seq Scan", "Relation Name": "t", "Plan Rows": "oops", "Total Cost": 1}}]`, "PlanRows is not a number"},
		{"huge execution time", `[{"Plan": {"Node Type": "Result", "Plan Rows": 1}, "Execution Time": 1e300}]`, "Execution Time is 1e+300"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plans, err := Parse([]byte(tc.plan), "p.txt")
			if len(plans) != 0 {
				t.Errorf("%d plans read, want the plan rejected", len(plans))
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "p.txt:1") {
				t.Errorf("error %v, want p.txt:1 and %q", err, tc.want)
			}
		})
	}
	// A real plan's figures pass.
	plans, err := Parse([]byte("Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4) (actual time=0.005..0.180 rows=2550 loops=1)\n"), "ok.txt")
	if err != nil || len(plans) != 1 {
		t.Errorf("a valid plan: %d plans, error %v", len(plans), err)
	}
}
