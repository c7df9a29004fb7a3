package engine

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencies keeps the layers apart: the workload pulls in neither
// the parser, the catalog nor the plan reader (the report it produces is a
// leaf), and the binary carries no test code.
func TestDependencies(t *testing.T) {
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const mod = "github.com/pgadvisor/pgadvisor/"
	for _, bad := range []string{"analyzer/sqlparse", "analyzer/catalog", "analyzer/explain", "analyzer/check"} {
		if slices.Contains(deps("../workload"), mod+bad) {
			t.Errorf("analyzer/workload depends on %s", bad)
		}
	}
	for _, p := range deps("../report") {
		if strings.HasPrefix(p, mod) && p != mod+"analyzer/report" {
			t.Errorf("analyzer/report imports %s: it must be a leaf", p)
		}
	}
	if slices.Contains(deps("../../cmd/pgadvisor"), "testing") {
		t.Error("the pgadvisor binary links the testing package")
	}
}
