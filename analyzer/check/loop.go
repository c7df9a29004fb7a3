package check

// Loop is an N+1 query loop, or one of its look-alikes, found in the
// sessions of a log by package nplusone: what the n-plus-one check
// reports. Checks read them from Pass.Loops.
type Loop struct {
	// Kind is "loop", "batch-writes", "cache" or "suspect" (see package
	// nplusone).
	Kind string
	// Pos is the first call of the example burst.
	Pos              Position
	Fingerprint      string
	Normalized       string
	ParentNormalized string
	Bursts           int
	MaxRepeats       int
	TotalCalls       int64
	TotalMS          float64
	SavedCalls       int64
	SavedMS          float64
	RowsPerCall      float64
	// Suggestion says what to do; SQL is the batched query, "" if none.
	Suggestion string
	SQL        string
}
