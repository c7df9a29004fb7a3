package check

// Trace is what applying a migration statement to a real PostgreSQL
// showed.
type Trace struct {
	// Locks are the locks the statement took on tables that existed
	// before the migrations, strongest first.
	Locks []TracedLock
	// Rewritten lists the pre-existing tables ("schema.name") whose
	// storage the statement replaced (relfilenode changed): every row
	// copied.
	Rewritten []string
	// DurationMS is how long the statement ran.
	DurationMS float64
	// Err is PostgreSQL's error when it rejected the statement.
	Err string
}

// TracedLock is one lock a traced statement took.
type TracedLock struct {
	// Table is "schema.name"; Rows its row estimate before the
	// migrations (pg_class.reltuples after ANALYZE).
	Table string
	Rows  float64
	// Mode is pg_locks.mode: "AccessExclusiveLock", "ShareLock", ...
	Mode string
	// HeldMS is how long the lock was held: from the statement's start to
	// the end of its transaction.
	HeldMS float64
}

// Replan compares a workload query's plan before and after the
// migrations, on the same data and statistics (pgadvisor check with a
// workload and a server).
type Replan struct {
	// CostBefore and CostAfter are the plans' estimated total costs.
	CostBefore, CostAfter float64
	// NewSeqScans are the large tables ("schema.name") a sequential scan
	// reads after the migrations and not before.
	NewSeqScans []string
	// LostIndexes are the indexes (by name, as EXPLAIN shows them) the
	// plan used before and that no longer exist.
	LostIndexes []string
	// Regressed is true when the cost grew by more than the allowed
	// share (--max-regression), or a new sequential scan reads a large
	// table.
	Regressed bool
	// Err is why the query could not be planned after the migrations
	// (a dropped column or table): "" when it was.
	Err string
}
