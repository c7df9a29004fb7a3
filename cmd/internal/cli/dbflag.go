package cli

import (
	"github.com/spf13/cobra"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
)

// dbFromEnv resolves --db given empty (--db= or --db ""): the database the
// environment names, as psql without arguments connects to it
// ($DATABASE_URL, else the PG* variables). Without --db nothing connects:
// reading files never reaches a server by surprise.
func dbFromEnv(cmd *cobra.Command, db *string) error {
	if !cmd.Flags().Changed("db") || *db != "" {
		return nil
	}
	if *db = dbconn.FromEnv(); *db == "" {
		return usageErrorf("--db is empty and neither DATABASE_URL nor PGHOST, PGDATABASE, PGSERVICE... is set")
	}
	return nil
}
