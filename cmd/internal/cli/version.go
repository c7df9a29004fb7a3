package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildVersion is set at link time: -ldflags "-X .../cli.buildVersion=v1.2.3".
var buildVersion = ""

// pgGrammar is the PostgreSQL version whose grammar pg_query_go v6 embeds.
const pgGrammar = "17"

// version returns pgadvisor's version: the linked one, else the module
// version from the build info, else "devel".
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// newVersionCmd builds `pgadvisor version`.
func newVersionCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print pgadvisor's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(g.streams.Out, "pgadvisor %s (%s, %s/%s, PostgreSQL %s grammar)\n",
				version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, pgGrammar)
			return err
		},
	}
}
