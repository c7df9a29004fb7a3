package check

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Input is what a set of checks runs on.
type Input struct {
	Statements []*Statement
	// Catalog must not be nil; HasCatalog says whether it came from a
	// schema or database rather than being empty.
	Catalog    *catalog.Catalog
	HasCatalog bool
	Plans      []*explain.Plan
	// Ignores are the inputs' -- pgadvisor:ignore comments (ParseIgnores):
	// Run drops the findings they cover (ignore.go).
	Ignores []Ignore
	// Loops are the N+1 loops found in the logs' sessions.
	Loops []Loop
}

// Run runs every check on in and returns the findings, check by check in
// the order of checks, each check's in the order it reported them. Checks
// run concurrently (they only read the input). A check that returns an
// error or panics does not stop the others: its failure is returned as an
// error finding of that check, with the panic's stack kept out of the
// message.
func Run(checks []*Check, in Input) []Finding {
	results := make([][]Finding, len(checks))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(checks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = runCheck(checks[i], in)
			}
		}()
	}
	for i, c := range checks {
		if c.NeedsCatalog && !in.HasCatalog {
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
	var out []Finding
	for _, r := range results {
		out = append(out, r...)
	}
	return applyIgnores(checks, in, out)
}

// runCheck runs one check on in and returns its findings.
func runCheck(c *Check, in Input) []Finding {
	var out []Finding
	pass := &Pass{
		Check:      c,
		Statements: in.Statements,
		Catalog:    in.Catalog,
		HasCatalog: in.HasCatalog,
		Plans:      in.Plans,
		Loops:      in.Loops,
		// The driver names the check and gives its default severity:
		// a check cannot report under another name.
		Report: func(f Finding) {
			f.Check = c.Name
			if f.Severity == 0 {
				f.Severity = c.Severity
			}
			out = append(out, f)
		},
	}
	if err := runOne(c, pass); err != nil {
		out = append(out, Finding{
			Check:    c.Name,
			Severity: Error,
			Message:  fmt.Sprintf("check %s failed: %v", c.Name, err),
			Help:     "this is a bug in pgadvisor; please report it with the input that caused it",
		})
	}
	return out
}

// runOne runs one check, turning a panic into an error so that one broken
// check never takes the whole run down.
func runOne(c *Check, pass *Pass) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v (%s)", r, firstFrame(debug.Stack()))
		}
	}()
	return c.Run(pass)
}

// firstFrame returns the location of the panicking frame from a stack
// trace, enough to find the bug without printing the whole stack.
func firstFrame(stack []byte) string {
	for i, l := range strings.Split(string(stack), "\n") {
		if i > 0 && strings.HasPrefix(l, "\t") && !strings.Contains(l, "runtime/") && !strings.Contains(l, "analyzer/check/run.go") {
			// Keep the file's base name and line: no absolute path of
			// the build machine in a report.
			loc, _, _ := strings.Cut(strings.TrimSpace(l), " ")
			return filepath.Base(loc)
		}
	}
	return "unknown location"
}
