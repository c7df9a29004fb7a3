package whatif

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrNoHypoPG is returned by NewHypoPG when the database has no HypoPG
// extension.
var ErrNoHypoPG = errors.New("the hypopg extension is not installed in this database")

// HypoPG costs queries with HypoPG's hypothetical indexes. They live in
// the session only: nothing is written to the database. Close removes
// them (hypopg_reset). A HypoPG is not safe for concurrent use.
type HypoPG struct {
	conn *pgx.Conn
	// live maps the DDL of each hypothetical index now defined to its oid
	// and HypoPG's name for it.
	live map[string]hypo
}

type hypo struct {
	oid  uint32
	name string
}

// NewHypoPG prepares conn for what-if planning. The extension must be
// installed in the database already: NewHypoPG never creates it.
func NewHypoPG(ctx context.Context, conn *pgx.Conn) (*HypoPG, error) {
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'hypopg')").Scan(&ok); err != nil {
		return nil, fmt.Errorf("look for hypopg: %w", err)
	}
	if !ok {
		return nil, ErrNoHypoPG
	}
	if _, err := conn.Exec(ctx, "SELECT hypopg_reset()"); err != nil {
		return nil, fmt.Errorf("hypopg_reset: %w", err)
	}
	return &HypoPG{conn: conn, live: map[string]hypo{}}, nil
}

// Available reports whether the hypopg extension can be created in the
// database (its files are installed on the server).
func Available(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var ok bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'hypopg')").Scan(&ok)
	return ok, err
}

// Cost plans q as if exactly the indexes ixs existed besides the real
// ones.
func (h *HypoPG) Cost(ctx context.Context, q Query, ixs []Index) (Result, error) {
	want := map[string]bool{}
	for _, ix := range ixs {
		want[ix.DDL] = true
	}
	for ddl, hy := range h.live {
		if !want[ddl] {
			if _, err := h.conn.Exec(ctx, "SELECT hypopg_drop_index($1)", hy.oid); err != nil {
				return Result{}, fmt.Errorf("hypopg_drop_index: %w", err)
			}
			delete(h.live, ddl)
		}
	}
	names := map[string]string{}
	for _, ix := range ixs {
		hy, ok := h.live[ix.DDL]
		if !ok {
			if err := h.conn.QueryRow(ctx, "SELECT indexrelid, indexname FROM hypopg_create_index($1)", ix.DDL).Scan(&hy.oid, &hy.name); err != nil {
				return Result{}, fmt.Errorf("hypopg_create_index %s: %w", ix.Name, err)
			}
			h.live[ix.DDL] = hy
		}
		names[hy.name] = ix.Name
	}
	p, err := Explain(ctx, h.conn, q)
	if err != nil {
		return Result{}, err
	}
	return result(p, names), nil
}

// Size returns HypoPG's size estimate of a hypothetical index (which
// ignores B-tree deduplication).
func (h *HypoPG) Size(ctx context.Context, ix Index) (int64, error) {
	if _, err := h.Cost(ctx, Query{SQL: "SELECT 1"}, []Index{ix}); err != nil {
		return 0, err
	}
	var n int64
	err := h.conn.QueryRow(ctx, "SELECT hypopg_relation_size($1)", h.live[ix.DDL].oid).Scan(&n)
	return n, err
}

// Close removes every hypothetical index of the session.
func (h *HypoPG) Close(ctx context.Context) error {
	h.live = map[string]hypo{}
	if _, err := h.conn.Exec(ctx, "SELECT hypopg_reset()"); err != nil {
		return fmt.Errorf("hypopg_reset: %w", err)
	}
	return nil
}
