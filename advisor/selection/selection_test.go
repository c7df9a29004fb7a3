package selection

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// cand makes a candidate on public.t with the given key columns.
func cand(name string, size int64, cols ...string) *Candidate {
	ix := &candidate.Index{Table: query.TableName{Name: "t"}, Name: name, Method: "btree"}
	for _, c := range cols {
		ix.Keys = append(ix.Keys, catalog.IndexKey{Column: c})
	}
	return &Candidate{Index: ix, Table: "public.t", Size: size}
}

// recorded answers with costs given per query and set of index names
// (sorted, joined by ","), and counts the plans.
type recorded struct {
	costs map[string]map[string]float64
	plans int
}

func (r *recorded) Cost(_ context.Context, q whatif.Query, ixs []whatif.Index) (whatif.Result, error) {
	r.plans++
	var names []string
	for _, ix := range ixs {
		names = append(names, ix.Name)
	}
	slices.Sort(names)
	costs := r.costs[q.SQL]
	key := strings.Join(names, ",")
	c, ok := costs[key]
	if !ok {
		c = costs[""]
		// Without a recording for this set, the cheapest recorded subset
		// applies: an index the plan does not use changes nothing.
		for k, v := range costs {
			if k != "" && v < c && subset(strings.Split(k, ","), names) {
				c = v
			}
		}
	}
	res := whatif.Result{Cost: c}
	if c < costs[""] {
		for _, n := range names {
			if _, ok := costs[n]; ok && costs[n] < costs[""] {
				res.Used = append(res.Used, n)
			}
		}
	}
	return res, nil
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func names(cs []*Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Index.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	q1 := &Query{ID: "q1", Weight: 100, Tables: []string{"public.t"}, Plans: []whatif.Query{{SQL: "q1"}}}
	q2 := &Query{ID: "q2", Weight: 100, Tables: []string{"public.t"}, Plans: []whatif.Query{{SQL: "q2"}}}
	tests := []struct {
		name    string
		costs   map[string]map[string]float64
		cands   []*Candidate
		queries []*Query
		opts    Options
		want    []string
	}{
		{
			name: "best benefit per byte",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 100, "b": 95},
			},
			cands:   []*Candidate{cand("a", 1000, "x"), cand("b", 5000, "y")},
			queries: []*Query{q1},
			opts:    Options{MinImprovement: 0.1},
			want:    []string{"a"},
		},
		{
			name: "widen a chosen index",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 100, "ab": 10},
			},
			cands:   []*Candidate{cand("a", 1000, "x"), cand("ab", 3000, "x", "y")},
			queries: []*Query{q1},
			want:    []string{"ab"},
		},
		{
			name: "budget",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 100, "ab": 10},
			},
			cands:   []*Candidate{cand("a", 1000, "x"), cand("ab", 3000, "x", "y")},
			queries: []*Query{q1},
			opts:    Options{Budget: 2000},
			want:    []string{"a"},
		},
		{
			name: "max indexes",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 100},
				"q2": {"": 1000, "b": 200},
			},
			cands:   []*Candidate{cand("a", 1000, "x"), cand("b", 1000, "y")},
			queries: []*Query{q1, q2},
			opts:    Options{MaxIndexes: 1},
			want:    []string{"a"},
		},
		{
			name: "min improvement",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 950},
			},
			cands:   []*Candidate{cand("a", 1000, "x")},
			queries: []*Query{q1},
			opts:    Options{MinImprovement: 0.1},
			want:    nil,
		},
		{
			name: "write overhead",
			costs: map[string]map[string]float64{
				"q1": {"": 1000, "a": 500},
			},
			cands:   []*Candidate{{Index: cand("a", 1000, "x").Index, Table: "public.t", Size: 1000, Overhead: 60}},
			queries: []*Query{q1},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &recorded{costs: tt.costs}
			res, err := Select(context.Background(), ev, tt.queries, tt.cands, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, names(res.Chosen)); diff != "" {
				t.Errorf("chosen (-want +got):\n%s", diff)
			}
			if res.Planned != ev.plans || res.Calls < res.Planned {
				t.Errorf("calls %d, planned %d, evaluator saw %d", res.Calls, res.Planned, ev.plans)
			}
		})
	}
}

// TestRecheck drops an index that makes another query slower.
func TestRecheck(t *testing.T) {
	q1 := &Query{ID: "q1", Weight: 100, Tables: []string{"public.t"}, Plans: []whatif.Query{{SQL: "q1"}}}
	q2 := &Query{ID: "q2", Weight: 1, Tables: []string{"public.t"}, Plans: []whatif.Query{{SQL: "q2"}}}
	ev := &recorded{costs: map[string]map[string]float64{
		"q1": {"": 1000, "a": 100},
		"q2": {"": 10, "a": 50}, // the planner misjudges q2 with a
	}}
	res, err := Select(context.Background(), ev, []*Query{q1, q2}, []*Candidate{cand("a", 100, "x")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Chosen) != 0 {
		t.Errorf("chosen %v, want none: a makes q2 slower", names(res.Chosen))
	}
}

// TestCache checks that a query is planned once per set of candidates on
// its tables: candidates on other tables do not change its cost.
func TestCache(t *testing.T) {
	q1 := &Query{ID: "q1", Weight: 100, Tables: []string{"public.t"}, Plans: []whatif.Query{{SQL: "q1"}}}
	q2 := &Query{ID: "q2", Weight: 100, Tables: []string{"public.u"}, Plans: []whatif.Query{{SQL: "q2"}}}
	b := cand("b", 100, "y")
	b.Table = "public.u"
	ev := &recorded{costs: map[string]map[string]float64{
		"q1": {"": 1000, "a": 100},
		"q2": {"": 1000, "b": 100},
	}}
	res, err := Select(context.Background(), ev, []*Query{q1, q2}, []*Candidate{cand("a", 100, "x"), b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, names(res.Chosen)); diff != "" {
		t.Errorf("chosen (-want +got):\n%s", diff)
	}
	// q1 is planned without index and with a; q2 without and with b.
	if res.Planned != 4 {
		t.Errorf("planned %d times, want 4 (calls %d)", res.Planned, res.Calls)
	}
}
