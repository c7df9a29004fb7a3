package cli

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
)

// connect opens a read-only session on db under the safety rules of
// package dbconn; a failure is one password-free sentence (exit code 3).
func connect(ctx context.Context, db string) (*pgx.Conn, error) {
	conn, err := dbconn.Connect(ctx, db, dbconn.Options{})
	if err != nil {
		return nil, inputError(errors.New(dbconn.Describe(err, db)))
	}
	return conn, nil
}
