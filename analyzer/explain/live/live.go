// Package live runs EXPLAIN on a live database, safely: only one
// SELECT, INSERT, UPDATE, DELETE or MERGE statement is ever explained;
// EXPLAIN ANALYZE (which executes it) runs only when asked, inside a
// transaction that is always rolled back, read-only for a SELECT, and not
// for a statement with effects a rollback does not undo (sequences,
// volatile functions: see sideEffects) unless the caller allows them.
package live

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// DB is the connection EXPLAIN runs on (a *pgx.Conn from dbconn.Connect).
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Options choose the EXPLAIN options.
type Options struct {
	// Analyze executes the statement (EXPLAIN (ANALYZE, BUFFERS)); a
	// write is rolled back.
	Analyze bool
	// File names the plan in positions ("--query" by default).
	File string
	// AllowSideEffects lets Analyze run a statement with effects a
	// rollback does not undo (sideEffects); without it such a statement
	// gets a *SideEffectError.
	AllowSideEffects bool
}

// ErrNotExplainable is returned for a text that is not exactly one
// SELECT, INSERT, UPDATE, DELETE or MERGE statement.
var ErrNotExplainable = errors.New("only a single SELECT, INSERT, UPDATE, DELETE or MERGE statement can be explained")

// Check verifies that sql is one statement that EXPLAIN may run: not a
// utility statement (no DDL, VACUUM, COPY, transaction control, ...) and
// not several statements.
func Check(sql string) (*query.Statement, error) {
	st, err := sqlparse.Analyze(sql, nil)
	switch {
	case errors.Is(err, sqlparse.ErrSeveralStatements), errors.Is(err, sqlparse.ErrEmpty):
		return nil, fmt.Errorf("%w: %v", ErrNotExplainable, err)
	case err != nil:
		return nil, fmt.Errorf("parse query: %w", err)
	}
	switch st.Kind {
	case query.KindSelect, query.KindInsert, query.KindUpdate, query.KindDelete, query.KindMerge:
		return st, nil
	}
	return nil, fmt.Errorf("%w: got %s", ErrNotExplainable, st.Tag)
}

// Explain runs EXPLAIN (FORMAT JSON) of sql, or EXPLAIN (ANALYZE, BUFFERS,
// FORMAT JSON) with opts.Analyze, and returns the parsed plan with sql as
// its query. The plan is at line 1 of opts.File and its nodes are
// numbered in plan order (the root is line 1): that is where findings
// about them point. The transaction it runs in is always rolled back.
func Explain(ctx context.Context, db DB, sql string, opts Options) (p *explain.Plan, err error) {
	st, err := Check(sql)
	if err != nil {
		return nil, err
	}
	sql = strings.TrimRight(strings.TrimSpace(sql), ";")
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && err == nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			err = fmt.Errorf("roll back: %w", rbErr)
		}
	}()
	mode := "READ ONLY"
	if opts.Analyze && st.Kind != query.KindSelect {
		// The write runs, then is rolled back.
		mode = "READ WRITE"
	}
	if _, err := tx.Exec(ctx, dbconn.Mark("SET TRANSACTION "+mode)); err != nil {
		return nil, fmt.Errorf("set transaction %s: %w", strings.ToLower(mode), err)
	}
	if opts.Analyze && !opts.AllowSideEffects {
		effects, err := sideEffects(ctx, tx, sql, st)
		if err != nil {
			return nil, err
		}
		if len(effects) > 0 {
			return nil, &SideEffectError{Effects: effects}
		}
	}
	options := "FORMAT JSON"
	if opts.Analyze {
		options = "ANALYZE, BUFFERS, FORMAT JSON"
	}
	var out string
	if err := tx.QueryRow(ctx, dbconn.Mark("EXPLAIN ("+options+") "+sql)).Scan(&out); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	file := opts.File
	if file == "" {
		file = "--query"
	}
	plans, err := explain.Parse([]byte(out), file)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	p = plans[0]
	p.Query = sql
	// The lines of EXPLAIN's JSON mean nothing to the user: number the
	// nodes in plan order instead (the root is line 1), as the tree
	// lists them.
	p.Line = 1
	for i, n := range p.Nodes() {
		n.Line = i + 1
	}
	return p, nil
}
