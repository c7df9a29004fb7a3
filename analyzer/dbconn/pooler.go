package dbconn

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sessionSettings are the startup parameters pgadvisor sends that a
// connection pooler may refuse (PgBouncer accepts only a few, and fails
// the connection with "unsupported startup parameter: NAME").
var sessionSettings = []string{"statement_timeout", "lock_timeout", "default_transaction_read_only"}

// refusedStartup reports whether err is a pooler refusing a startup
// parameter.
func refusedStartup(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.Contains(pe.Message, "unsupported startup parameter")
	}
	return strings.Contains(err.Error(), "unsupported startup parameter")
}

// connectSetting connects with cfg, and when the server (a pooler such as
// PgBouncer) refuses the session settings as startup parameters, connects
// again without them and applies them with SET.
func connectSetting(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil || !refusedStartup(err) {
		return c, err
	}
	bare := cfg.Copy()
	set := map[string]string{}
	for _, name := range sessionSettings {
		if v, ok := bare.RuntimeParams[name]; ok {
			set[name] = v
			delete(bare.RuntimeParams, name)
		}
	}
	c, err = pgx.ConnectConfig(ctx, bare)
	if err != nil {
		return nil, err
	}
	for _, name := range sessionSettings {
		v, ok := set[name]
		if !ok {
			continue
		}
		// set_config, not SET: the value is a parameter, never SQL text.
		if _, err := c.Exec(ctx, Mark("SELECT pg_catalog.set_config($1, $2, false)"), name, v); err != nil {
			c.Close(ctx)
			return nil, err
		}
	}
	return c, nil
}
