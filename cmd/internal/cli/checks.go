package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks"
)

// newChecksCmd builds `pgadvisor checks [NAME]`: the list of checks, or
// one check's documentation.
func newChecksCmd(g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks [NAME]",
		Short: "List every check, or print one check's documentation",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch strings.ToLower(format) {
			case "table":
			case "json":
				return writeChecksJSON(g, args)
			default:
				return usageErrorf("--format: unknown format %q (want table or json)", format)
			}
			if len(args) == 1 {
				c := checks.Lookup(args[0])
				if c == nil {
					return usageErrorf("unknown check %q (run 'pgadvisor checks' for the list)", args[0])
				}
				need := ""
				if c.NeedsCatalog {
					need = " (needs --schema or --db)"
				}
				_, err := fmt.Fprintf(g.streams.Out, "%s  [%s]%s\n\n%s\n", c.Name, c.Severity, need, strings.TrimSpace(c.Doc))
				return err
			}
			var b strings.Builder
			width := 0
			for _, c := range checks.All() {
				width = max(width, len(c.Name))
			}
			for _, c := range checks.All() {
				fmt.Fprintf(&b, "%-*s  %-7s  %s\n", width, c.Name, c.Severity, c.Summary())
			}
			_, err := fmt.Fprint(g.streams.Out, b.String())
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// checkDoc is a check as `checks --format json` lists it.
type checkDoc struct {
	Name         string   `json:"name"`
	Severity     string   `json:"severity"`
	Reads        []string `json:"reads"`
	NeedsCatalog bool     `json:"needs_catalog"`
	Summary      string   `json:"summary"`
	Doc          string   `json:"doc"`
}

// writeChecksJSON writes every check, or the one named, as JSON.
func writeChecksJSON(g *globalOptions, args []string) error {
	var out []checkDoc
	for _, c := range checks.All() {
		if len(args) == 1 && c.Name != args[0] {
			continue
		}
		var reads []string
		for _, r := range []struct {
			bit  check.Reads
			name string
		}{{check.ReadsStatements, "statements"}, {check.ReadsPlans, "plans"}, {check.ReadsSchema, "schema"}, {check.ReadsMigration, "migration"}} {
			if c.Reads&r.bit != 0 {
				reads = append(reads, r.name)
			}
		}
		out = append(out, checkDoc{Name: c.Name, Severity: c.Severity.String(), Reads: reads, NeedsCatalog: c.NeedsCatalog, Summary: c.Summary(), Doc: strings.TrimSpace(c.Doc)})
	}
	if len(args) == 1 && len(out) == 0 {
		return usageErrorf("unknown check %q (run 'pgadvisor checks' for the list)", args[0])
	}
	enc := json.NewEncoder(g.streams.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
