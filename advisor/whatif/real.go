package whatif

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Real costs queries by building the indexes for real inside a
// transaction that is rolled back: for a sandbox without HypoPG. Every
// evaluation builds its indexes again, so it is slow on big tables, and
// it takes locks: never use it on a user's database.
type Real struct {
	conn *pgx.Conn
}

// NewReal returns a Real evaluator on conn (a writable session).
func NewReal(conn *pgx.Conn) *Real { return &Real{conn: conn} }

// Cost plans q with the indexes ixs built in a transaction that is then
// rolled back.
func (r *Real) Cost(ctx context.Context, q Query, ixs []Index) (res Result, err error) {
	tx, err := r.conn.Begin(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && err == nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			err = fmt.Errorf("roll back: %w", rbErr)
		}
	}()
	names := map[string]string{}
	for _, ix := range ixs {
		if _, err := tx.Exec(ctx, ix.DDL); err != nil {
			return Result{}, fmt.Errorf("create index %s: %w", ix.Name, err)
		}
		names[ix.Name] = ix.Name
	}
	p, err := Explain(ctx, r.conn, q)
	if err != nil {
		return Result{}, err
	}
	return result(p, names), nil
}
