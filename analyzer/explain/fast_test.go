package explain

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// slowParse parses data with the general decoder of its format only.
func slowParse(data []byte, format string) ([]*Plan, ErrorList) {
	decode := map[string]decoder{"xml": decodeXML, "yaml": decodeYAML}[format]
	plans, errs := parseTree(unframe(data), "f", 0, format, decode)
	for _, p := range plans {
		ComputeTimes(p)
	}
	return plans, errs
}

// TestFastReadersMatch checks that the fast readers of PostgreSQL's XML
// and YAML read every plan of the corpus, and the 10,000-node one, to the
// same trees as the general decoders.
func TestFastReadersMatch(t *testing.T) {
	fast := map[string]func([]byte, int) ([]any, error){"xml": decodeXMLFast, "yaml": decodeYAMLFast}
	for _, format := range []string{"xml", "yaml"} {
		files, err := filepath.Glob("testdata/plans/*/*." + format)
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s plans: %v", format, err)
		}
		inputs := map[string][]byte{"big": bigPlan(t, format, 10000)}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs[f] = data
		}
		for name, data := range inputs {
			t.Run(format+"/"+filepath.Base(name), func(t *testing.T) {
				if _, err := fast[format](data, 0); err != nil {
					t.Fatalf("fast reader refused PostgreSQL's output: %v", err)
				}
				got, err := Parse(data, "f")
				if err != nil {
					t.Fatal(err)
				}
				want, errs := slowParse(data, format)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				if name == "big" {
					// cmp.Diff is slow on 10,000 nodes: compare summaries.
					a, b := want[0].Nodes(), got[0].Nodes()
					if len(a) != len(b) {
						t.Fatalf("%d nodes, want %d", len(b), len(a))
					}
					for i := range a {
						if d := cmp.Diff(nodeSummary(a[i]), nodeSummary(b[i])); d != "" {
							t.Fatalf("node %d (-general +fast):\n%s", i, d)
						}
					}
					return
				}
				if d := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "File" }, cmp.Ignore())); d != "" {
					t.Errorf("fast and general readers differ (-general +fast):\n%s", d)
				}
			})
		}
	}
}

// TestFastReadersTricky checks the fast readers on inputs PostgreSQL does
// not write but people may paste: they must read them as the general
// decoders do, or leave them to them.
func TestFastReadersTricky(t *testing.T) {
	tests := []struct {
		format, input string
	}{
		{"yaml", "Plan:\n    Node Type: 00\n"},
		{"yaml", "- Plan:\n    Node Type: \"Seq \\\"Scan\\\" \\u00e9\"\n    Alias: 1.50\n    Plans:\n    - Node Type: \"Result\"\n      Output:\n      - \"a\"\n      - 2\n"},
		{"yaml", "- Plan:\n    Node Type: \"Result\"\n    Workers:\n  Triggers:\n  Execution Time: 1e3\n"},
		{"yaml", "- Plan:\n    Node Type: 'Result'\n"},
		{"yaml", "- Plan: {Node Type: Result}\n"},
		{"yaml", "- Plan:\n    Node Type: Result # comment\n"},
		{"xml", "<explain><Query><Plan><Node-Type>00</Node-Type><Alias>1.50</Alias></Plan></Query></explain>"},
		{"xml", "<?xml version=\"1.0\"?>\n<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n<Query><Plan><Node-Type>A &amp; B &#233;&#x41;</Node-Type><Output><Item>x</Item></Output></Plan></Query></explain>"},
		{"xml", "<explain><Query><Plan><Node-Type>Result</Node-Type><Plans></Plans><Workers>\n</Workers></Plan><Triggers>\n</Triggers></Query></explain>"},
		{"xml", "<explain><Query><Plan><Node-Type><!-- c -->Result</Node-Type></Plan></Query></explain>"},
		{"xml", "<explain><Query><Plan><Node-Type><![CDATA[Result]]></Node-Type></Plan></Query></explain>"},
	}
	fast := map[string]func([]byte, int) ([]any, error){"xml": decodeXMLFast, "yaml": decodeYAMLFast}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			data := []byte(tc.input)
			want, errs := slowParse(data, tc.format)
			if len(errs) > 0 {
				t.Fatalf("general decoder: %v", errs)
			}
			got, err := Parse(data, "f")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "File" }, cmp.Ignore())); d != "" {
				t.Errorf("Parse differs from the general decoder (-general +Parse):\n%s", d)
			}
			_, fastErr := fast[tc.format](data, 0)
			t.Logf("fast reader: %v", fastErr)
		})
	}
}

func TestKeyTable(t *testing.T) {
	tab := newKeyTable(interned)
	for k, want := range interned {
		if got, ok := tab.get([]byte(k)); !ok || got != want {
			t.Errorf("get(%q) = %v, %v", k, got, ok)
		}
	}
	for _, k := range []string{"", "Plan ", "plan", "Node Typ", "Node Type2", "x"} {
		if _, ok := tab.get([]byte(k)); ok {
			t.Errorf("get(%q) found a key", k)
		}
	}
}
