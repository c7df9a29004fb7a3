package whatif

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

// Recorded answers from recorded results, for tests that run without a
// server. Record fills it from a live evaluator; Save and Load keep it in
// a JSON file.
type Recorded struct {
	mu      sync.Mutex
	Results map[string]Result `json:"results"`
	// Live, when set, answers what is not recorded yet, and its answers
	// are recorded.
	Live interface {
		Cost(ctx context.Context, q Query, ixs []Index) (Result, error)
	} `json:"-"`
}

// recordKey identifies a query and a configuration, whatever the order
// of the indexes.
func recordKey(q Query, ixs []Index) string {
	ddls := make([]string, len(ixs))
	for i, ix := range ixs {
		ddls[i] = ix.DDL
	}
	slices.Sort(ddls)
	return q.Key() + "\x00\x00" + strings.Join(ddls, "\x00")
}

// Cost returns the recorded result, or asks Live and records it.
func (r *Recorded) Cost(ctx context.Context, q Query, ixs []Index) (Result, error) {
	k := recordKey(q, ixs)
	r.mu.Lock()
	res, ok := r.Results[k]
	r.mu.Unlock()
	if ok {
		return res, nil
	}
	if r.Live == nil {
		return Result{}, fmt.Errorf("no recorded plan for %q with %d indexes", q.SQL, len(ixs))
	}
	res, err := r.Live.Cost(ctx, q, ixs)
	if err != nil {
		return res, err
	}
	r.mu.Lock()
	if r.Results == nil {
		r.Results = map[string]Result{}
	}
	r.Results[k] = res
	r.mu.Unlock()
	return res, nil
}

// Save writes the recordings to a JSON file.
func (r *Recorded) Save(path string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("encode recordings: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("save recordings: %w", err)
	}
	return nil
}

// Load reads recordings written by Save.
func Load(path string) (*Recorded, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load recordings: %w", err)
	}
	r := &Recorded{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("read recordings %s: %w", path, err)
	}
	return r, nil
}
