package report

// RecommendationDetail is what `pgadvisor advise` says about a
// recommended index besides the fields DESIGN.md fixes.
type RecommendationDetail struct {
	// Name is the index name.
	Name string `json:"name"`
	// Status is "measured" when the index was built and timed for real,
	// "estimated" when only the planner's costs are known.
	Status string `json:"status"`
	// EstimatedSizeBytes is the size estimated before building it (B-tree
	// deduplication counted); SizeBytes is the real size once measured.
	EstimatedSizeBytes int64 `json:"estimated_size_bytes"`
	// Helps lists the queries whose estimated cost the index lowers.
	Helps []Helped `json:"helps,omitempty"`
	// Serves says what each key serves ("user_id = $1", "ORDER BY ...").
	Serves []string `json:"serves,omitempty"`
	// Writes are the workload's writes to the table that were timed with
	// the index too (their measurements are in Measured): what the index
	// costs them.
	Writes []Helped `json:"writes,omitempty"`
}

// Helped is one query an index helps, with the planner's estimates.
type Helped struct {
	Fingerprint string  `json:"fingerprint"`
	Normalized  string  `json:"normalized"`
	WeightMS    float64 `json:"weight_ms"`
	CostBefore  float64 `json:"cost_before"`
	CostAfter   float64 `json:"cost_after"`
	// Values says where the values it was planned with came from: "log
	// bind values", "literals", "pg_stats" or "generic plan".
	Values string `json:"values,omitempty"`
}

// Advice is the workload-level result of `pgadvisor advise`.
type Advice struct {
	// Database is "sandbox" or the redacted --db URL.
	Database string `json:"database"`
	// Evaluator is "hypopg" or "real indexes" (a sandbox without HypoPG).
	Evaluator string `json:"evaluator"`
	// Candidates is the number of candidate indexes costed.
	Candidates int `json:"candidates"`
	// WorkloadMS is the workload's total time (the weight of its
	// queries), and SavedShare the share of it the recommendations are
	// expected to save: measured where measured, else estimated from the
	// planner's costs.
	WorkloadMS float64 `json:"workload_ms"`
	SavedShare float64 `json:"saved_share"`
	// RelativeCost is the workload's estimated cost with the
	// recommendations relative to without (1 = no change).
	RelativeCost float64 `json:"relative_cost"`
	// Unadvised lists the queries left without a useful index, and why.
	Unadvised []Unadvised `json:"unadvised,omitempty"`
	// Drops are existing indexes worth dropping (with --db only).
	Drops []Drop `json:"drop_suggestions,omitempty"`
}

// Unadvised is a query no recommended index helps.
type Unadvised struct {
	Fingerprint string  `json:"fingerprint"`
	Normalized  string  `json:"normalized"`
	WeightMS    float64 `json:"weight_ms"`
	Reason      string  `json:"reason"`
}

// Drop is an existing index `pgadvisor advise --db` suggests dropping.
type Drop struct {
	Index     string `json:"index"`
	Table     string `json:"table"`
	SizeBytes int64  `json:"size_bytes"`
	// Reason is "made redundant by NEW" or "never scanned since the
	// statistics were reset".
	Reason string `json:"reason"`
	DDL    string `json:"ddl"`
}
