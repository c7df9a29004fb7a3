package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/migration"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// traceMigrations applies the migrations to a real PostgreSQL, the
// scratch database of --trace-db or a sandbox loaded with --schema and
// --data, recording each statement's locks and rewrites and re-planning
// the workload after them (migration.Apply).
func (o *checkOptions) traceMigrations(ctx context.Context, ms []*migration.Migration, workload []*check.Statement) error {
	opts := migration.ApplyOptions{InTransaction: o.inTransaction, MaxGrowth: o.maxRegression / 100}
	if o.traceDB != "" {
		return migration.Apply(ctx, o.traceDB, ms, workload, opts)
	}
	if o.db != "" && len(o.schemas) == 0 {
		return errors.New("--trace with --db needs the schema as --schema files (pg_dump --schema-only): the migrations are applied to a sandbox, never to --db")
	}
	if o.streams.ErrTerminal {
		fmt.Fprintln(o.streams.Err, "pgadvisor: starting a sandbox PostgreSQL to apply the migrations")
	}
	c, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		return err
	}
	defer c.Stop()
	url, err := c.CreateDatabase(ctx, "pgadvisor_check")
	if err != nil {
		return err
	}
	for _, f := range append(append([]string(nil), o.schemas...), o.data...) {
		if err := c.LoadFile(ctx, "pgadvisor_check", f); err != nil {
			return err
		}
	}
	return migration.Apply(ctx, url, ms, workload, opts)
}
