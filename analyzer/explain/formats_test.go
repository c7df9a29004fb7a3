package explain

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// corpus returns the names of the plans generated in every format by
// testdata/plans/generate.sh.
func corpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/plans/pg*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no plan corpus (run testdata/plans/generate.sh): %v", err)
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(f, ".json"))
	}
	sort.Strings(out)
	return out
}

func mustParse(t *testing.T, file string) *Plan {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := Parse(data, file)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	if len(plans) != 1 {
		t.Fatalf("Parse(%s): %d plans, want 1", file, len(plans))
	}
	return plans[0]
}

// volatile are the figures that differ from one execution of the same
// query to the next (each format is a separate EXPLAIN ANALYZE run).
var volatile = cmp.Options{
	cmpopts.IgnoreFields(Plan{}, "File", "Line", "Format", "PlanningTime", "ExecutionTime", "Planning", "Triggers", "Extra"),
	cmpopts.IgnoreFields(Node{}, "Line", "Inclusive", "Exclusive", "Workers"),
	cmpopts.IgnoreFields(Metrics{}, "ActualStartupTime", "ActualTotalTime", "Buffers", "IO", "Extra", "SortSpaceUsed"),
	cmpopts.IgnoreFields(Node{}, "HeapFetches"),
	cmpopts.IgnoreFields(JIT{}, "Generation", "Deform", "InliningTime", "OptimizationTime", "Emission", "Total"),
	cmpopts.EquateEmpty(),
}

// exact ignores only where each format places things.
var exact = cmp.Options{
	cmpopts.IgnoreFields(Plan{}, "File", "Line", "Format"),
	cmpopts.IgnoreFields(Node{}, "Line"),
	cmpopts.EquateEmpty(),
}

// lostInText are keys that PostgreSQL prints in JSON, YAML and XML but
// not in text (unless VERBOSE): "Inner Unique", and worker entries with
// nothing but their number.
var lostInText = cmp.Options{
	cmpopts.IgnoreFields(Node{}, "InnerUnique"),
}

func TestFormatsParseToEqualTrees(t *testing.T) {
	for _, base := range corpus(t) {
		t.Run(filepath.Base(base), func(t *testing.T) {
			js := mustParse(t, base+".json")
			opts := exact
			if js.Analyzed() {
				opts = volatile
			}
			for _, ext := range []string{".yaml", ".xml"} {
				other := mustParse(t, base+ext)
				if d := cmp.Diff(js, other, opts); d != "" {
					t.Errorf("json and %s trees differ (-json +%s):\n%s", ext, ext, d)
				}
			}
			txt := mustParse(t, base+".txt")
			if d := cmp.Diff(js, txt, opts, lostInText); d != "" {
				t.Errorf("json and text trees differ (-json +text):\n%s", d)
			}
		})
	}
}

// TestToJSONMatchesPostgres checks that a text plan rewritten as JSON
// equals PostgreSQL's own JSON for the same query: node types,
// relations, estimated rows, actual rows and loops (and more).
func TestToJSONMatchesPostgres(t *testing.T) {
	type jnode struct {
		NodeType     string  `json:"Node Type"`
		Relationship string  `json:"Parent Relationship"`
		Relation     string  `json:"Relation Name"`
		Alias        string  `json:"Alias"`
		Index        string  `json:"Index Name"`
		JoinType     string  `json:"Join Type"`
		Strategy     string  `json:"Strategy"`
		PlanRows     float64 `json:"Plan Rows"`
		TotalCost    float64 `json:"Total Cost"`
		ActualRows   float64 `json:"Actual Rows"`
		ActualLoops  float64 `json:"Actual Loops"`
		Filter       string  `json:"Filter"`
		Removed      float64 `json:"Rows Removed by Filter"`
		Plans        []jnode `json:"Plans"`
	}
	type jplan struct {
		Plan jnode `json:"Plan"`
	}
	for _, base := range corpus(t) {
		t.Run(filepath.Base(base), func(t *testing.T) {
			pgJSON, err := os.ReadFile(base + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want []jplan
			if err := json.Unmarshal(pgJSON, &want); err != nil {
				t.Fatal(err)
			}
			ours := ToJSON(mustParse(t, base+".txt"))
			var got []jplan
			if err := json.Unmarshal(ours, &got); err != nil {
				t.Fatalf("ToJSON wrote invalid JSON: %v\n%s", err, ours)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("ToJSON(text) differs from PostgreSQL's JSON (-postgres +ours):\n%s", d)
			}
			// And our JSON reads back to the same tree.
			again, err := Parse(ours, "again.json")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(mustParse(t, base+".txt"), again[0], exact, cmpopts.IgnoreFields(Node{}, "InnerUnique")); d != "" {
				t.Errorf("ToJSON does not read back to the same tree:\n%s", d)
			}
		})
	}
}
