package proposal

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// ix builds an index on public.t: keys are column names, "-" before a
// name makes it DESC.
func ix(name string, keys []string, include []string, pred string) *candidate.Index {
	out := &candidate.Index{Table: query.TableName{Name: "t"}, Name: name, Method: "btree", Include: include, Predicate: pred}
	for _, k := range keys {
		desc := k[0] == '-'
		if desc {
			k = k[1:]
		}
		out.Keys = append(out.Keys, catalog.IndexKey{Column: k, Desc: desc})
	}
	return out
}

func TestServes(t *testing.T) {
	tests := []struct {
		name         string
		wide, narrow *candidate.Index
		want         bool
	}{
		{"prefix", ix("w", []string{"a", "b"}, nil, ""), ix("n", []string{"a"}, nil, ""), true},
		{"same keys", ix("w", []string{"a"}, nil, ""), ix("n", []string{"a"}, nil, ""), true},
		{"not a prefix", ix("w", []string{"b", "a"}, nil, ""), ix("n", []string{"a"}, nil, ""), false},
		{"one key scans both ways", ix("w", []string{"-a", "b"}, nil, ""), ix("n", []string{"a"}, nil, ""), true},
		{"reversed keys", ix("w", []string{"-a", "-b", "c"}, nil, ""), ix("n", []string{"a", "b"}, nil, ""), true},
		{"mixed directions", ix("w", []string{"a", "-b"}, nil, ""), ix("n", []string{"a", "b"}, nil, ""), false},
		{"include among keys", ix("w", []string{"a", "b"}, nil, ""), ix("n", []string{"a"}, []string{"b"}, ""), true},
		{"include missing", ix("w", []string{"a"}, nil, ""), ix("n", []string{"a"}, []string{"b"}, ""), false},
		{"partial wide", ix("w", []string{"a", "b"}, nil, "c IS NULL"), ix("n", []string{"a"}, nil, ""), false},
		{"same predicate", ix("w", []string{"a", "b"}, nil, "c IS NULL"), ix("n", []string{"a"}, nil, "c IS NULL"), true},
		{"a partial one is not folded", ix("w", []string{"a", "b"}, nil, ""), ix("n", []string{"a"}, nil, "c IS NULL"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Serves(tc.wide, tc.narrow); got != tc.want {
				t.Errorf("Serves(%s, %s) = %v, want %v", tc.wide.DDL(), tc.narrow.DDL(), got, tc.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	finding := func(i *candidate.Index, help string) check.Finding {
		return check.Finding{Help: help, Fix: &check.Fix{SQL: i.DDL() + ";", Index: i}}
	}
	a := ix("t_a_idx", []string{"a"}, nil, "")
	ab := ix("t_a_b_idx", []string{"a", "-b"}, nil, "")
	a2 := ix("t_a_idx", []string{"a"}, nil, "")
	c := ix("t_a_b_idx", []string{"c"}, []string{"a"}, "") // a name clash
	fs := []check.Finding{
		finding(a, "create the index of the fix"),
		{Message: "no proposal"},
		finding(ab, ""),
		finding(a2, ""),
		finding(c, ""),
	}
	cat := catalog.New()
	merged := Merge(fs, cat)
	type got struct {
		Key      string
		Findings []int
	}
	var out []got
	for _, m := range merged {
		out = append(out, got{m.Key, m.Findings})
	}
	want := []got{{"t_a_b_idx", []int{0, 2, 3}}, {"t_c_idx", []int{4}}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Fatalf("merged (-want +got):\n%s", diff)
	}
	wantSQL := "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_b_idx ON t (a, b DESC);"
	for _, i := range []int{0, 2, 3} {
		if fs[i].Fix.SQL != wantSQL {
			t.Errorf("finding %d: fix %q, want %q", i, fs[i].Fix.SQL, wantSQL)
		}
	}
	if fs[4].Fix.SQL != "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_c_idx ON t (c) INCLUDE (a);" {
		t.Errorf("renamed fix %q", fs[4].Fix.SQL)
	}
}
