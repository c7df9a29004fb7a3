package explain

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The fuzz targets feed each reader (text, JSON, YAML, XML) mutations of
// the corpus's plans of its format. Run one with
//
//	go test -run '^$' -fuzz=FuzzParseText -fuzztime=5m ./analyzer/explain/
//
// Inputs that once failed are kept in testdata/fuzz/<target>/.

// seed adds the corpus files of one format to f.
func seed(f *testing.F, ext string) {
	files, err := filepath.Glob("testdata/plans/*/*." + ext)
	if err != nil || len(files) == 0 {
		f.Fatalf("no %s plans in the corpus: %v", ext, err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkParse parses data and checks what must hold for any input: no
// panic, errors positioned in the input, and plans that render and
// rewrite as JSON which reads back to the same number of nodes.
func checkParse(t *testing.T, data []byte) []*Plan {
	plans, err := Parse(data, "fuzz")
	lines := strings.Count(string(data), "\n") + 1
	if err != nil {
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error is not an ErrorList: %v", err)
		}
		for _, e := range list {
			if e.Line < 1 || e.Line > lines || e.File != "fuzz" || e.Msg == "" {
				t.Fatalf("error without a position in the input (%d lines): %+v", lines, e)
			}
		}
	}
	for _, p := range plans {
		if p.Root == nil {
			t.Fatal("plan without a root")
		}
		_ = Render(p, nil)
		js := ToJSON(p)
		if !json.Valid(js) {
			t.Fatalf("ToJSON wrote invalid JSON:\n%s", js)
		}
		again, err := Parse(js, "again.json")
		if err != nil || len(again) != 1 {
			t.Fatalf("ToJSON output does not read back: %v\n%s", err, js)
		}
		if a, b := len(p.Nodes()), len(again[0].Nodes()); a != b {
			t.Fatalf("ToJSON output reads back with %d nodes, want %d", b, a)
		}
	}
	return plans
}

func FuzzParseText(f *testing.F) {
	seed(f, "txt")
	f.Add([]byte("Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  Filter: (a = 1)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
		// The text reader itself, whatever the input looks like.
		plans, errs := parseText(data, "fuzz", 0)
		for _, p := range plans {
			ComputeTimes(p)
			_ = Render(p, nil)
		}
		for _, e := range errs {
			if e.Line < 1 {
				t.Fatalf("text error without a line: %+v", e)
			}
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	seed(f, "json")
	f.Add([]byte(`[{"Plan": {"Node Type": "Result", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "t\u00e9"}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
		// Whatever encoding/json accepts, the scanner reads.
		if json.Valid(data) && strings.Count(string(data), "[")+strings.Count(string(data), "{") < maxDepth {
			if _, err := decodeJSON(data, 0); err != nil {
				t.Fatalf("valid JSON refused: %v", err)
			}
		}
	})
}

func FuzzParseYAML(f *testing.F) {
	seed(f, "yaml")
	f.Add([]byte("- Plan:\n    Node Type: \"Result\"\n    Plans:\n    - Node Type: \"Seq Scan\"\n      Output:\n        - \"a\\u00e9\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
		checkFast(t, data, "yaml", decodeYAMLFast)
	})
}

func FuzzParseXML(f *testing.F) {
	seed(f, "xml")
	f.Add([]byte("<explain><Query><Plan><Node-Type>Result &amp; &#x41;</Node-Type><Plans><Plan><Node-Type>Seq Scan</Node-Type></Plan></Plans></Plan></Query></explain>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
		checkFast(t, data, "xml", decodeXMLFast)
	})
}

// checkFast checks a fast reader against the general decoder of its
// format: whatever the fast reader accepts, the general one reads to the
// same plans.
func checkFast(t *testing.T, data []byte, format string, fast func([]byte, int) ([]any, error)) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 || bytes.Contains(data, []byte("QUERY PLAN")) {
		return
	}
	vals, err := fast(data, 0)
	if err != nil {
		return
	}
	want, errs := slowParse(data, format)
	if len(errs) > 0 {
		// The general decoders are stricter on a few points of syntax;
		// what matters is that both give the same plans when both read.
		return
	}
	got, _ := parseTree(data, "f", 0, format, func([]byte, int) ([]any, error) { return vals, nil })
	for _, p := range got {
		ComputeTimes(p)
	}
	if d := cmp.Diff(want, got, cmpopts.EquateNaNs()); d != "" {
		t.Fatalf("fast %s reader differs from the general one (-general +fast):\n%s", format, d)
	}
}
