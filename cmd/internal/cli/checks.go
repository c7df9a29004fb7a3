package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/checks"
)

// newChecksCmd builds `pgadvisor checks [NAME]`: the list of checks, or
// one check's documentation.
func newChecksCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "checks [NAME]",
		Short: "List every check, or print one check's documentation",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
}
