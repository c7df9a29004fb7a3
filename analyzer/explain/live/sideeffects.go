package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// ErrSideEffects is returned (wrapped in a *SideEffectError) for a
// statement EXPLAIN ANALYZE would run with effects that the rollback
// does not undo, unless Options.AllowSideEffects is set.
var ErrSideEffects = errors.New("the statement has effects a rollback does not undo")

// SideEffectError lists what a statement would do that a rollback does
// not undo.
type SideEffectError struct {
	Effects []string
}

func (e *SideEffectError) Error() string {
	return fmt.Sprintf("--analyze runs the statement, and a rollback does not undo what it would do here: %s; pass --allow-side-effects to run it anyway",
		strings.Join(e.Effects, "; "))
}

func (e *SideEffectError) Unwrap() error { return ErrSideEffects }

// harmlessVolatile are volatile functions whose effects are limited to
// their result (or to the statement's own time).
var harmlessVolatile = map[string]bool{
	"random": true, "random_normal": true, "clock_timestamp": true, "timeofday": true,
	"gen_random_uuid": true, "uuid_generate_v1": true, "uuid_generate_v1mc": true,
	"uuid_generate_v4": true, "pg_sleep": true, "pg_sleep_for": true,
	"pg_sleep_until": true, "txid_current": true, "pg_current_xact_id": true,
	"statement_timestamp": true, "transaction_timestamp": true, "now": true,
}

// sideEffects returns what running sql (st is its model) would do that a
// rollback does not undo, looked up on the server in tx:
//
//   - calls of volatile functions (pg_proc.provolatile = 'v') other than
//     harmlessVolatile: nextval, setval, pg_stat_reset, dblink_exec,
//     pg_terminate_backend, pg_cancel_backend, pg_reload_conf, user
//     functions that write elsewhere...; any function of that name counts
//     (the overload the server would pick is not resolved);
//   - an INSERT or MERGE into a table whose identity or nextval() default
//     the statement does not set itself: sequences are not rolled back.
//
// Triggers and functions called through operators are not examined.
func sideEffects(ctx context.Context, tx pgx.Tx, sql string, st *query.Statement) ([]string, error) {
	var out []string
	if names := calledNames(sql); len(names) > 0 {
		rows, err := tx.Query(ctx, `SELECT DISTINCT p.proname::text FROM pg_proc p
			WHERE p.provolatile = 'v' AND p.prokind IN ('f', 'p') AND p.proname = ANY($1::text[])
			ORDER BY 1`, names)
		if err != nil {
			return nil, fmt.Errorf("look up functions: %w", err)
		}
		fns, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("look up functions: %w", err)
		}
		for _, f := range fns {
			if !harmlessVolatile[f] {
				out = append(out, "calls "+f+"(), a volatile function")
			}
		}
	}
	if st.Target != nil && (st.Kind == query.KindInsert || st.Kind == query.KindMerge) {
		name := sqlparse.QuoteIdent(st.Target.Name)
		if st.Target.Schema != "" {
			name = sqlparse.QuoteIdent(st.Target.Schema) + "." + name
		}
		rows, err := tx.Query(ctx, `SELECT a.attname::text FROM pg_attribute a
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
			  AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%')
			ORDER BY a.attnum`, name)
		if err != nil {
			return nil, fmt.Errorf("look up sequences of %s: %w", name, err)
		}
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("look up sequences of %s: %w", name, err)
		}
		for _, c := range cols {
			if st.Kind == query.KindInsert && slices.Contains(st.InsertColumns, c) {
				continue
			}
			out = append(out, fmt.Sprintf("inserts into %s, whose column %s takes its value from a sequence", st.Target, c))
		}
	}
	return out, nil
}

// calledNames returns the names sql calls like functions: an identifier
// (possibly schema-qualified) followed by "(", folded to lower case
// unless quoted. Type modifiers (varchar(10)) and keywords (IN (...),
// VALUES (...)) come along: no volatile function bears their names.
func calledNames(sql string) []string {
	var names []string
	lx := sqlparse.NewLexer(sql, false)
	var prev sqlparse.Token
	havePrev := false
	for t := lx.Next(); t.Kind != sqlparse.TokEOF; t = lx.Next() {
		if t.Kind == sqlparse.TokComment {
			continue
		}
		if havePrev && t.Kind == sqlparse.TokPunct && sql[t.Start] == '(' {
			switch prev.Kind {
			case sqlparse.TokIdent:
				names = append(names, strings.ToLower(sql[prev.Start:prev.End]))
			case sqlparse.TokQuotedIdent:
				names = append(names, strings.ReplaceAll(strings.Trim(sql[prev.Start:prev.End], `"`), `""`, `"`))
			}
		}
		prev, havePrev = t, true
	}
	slices.Sort(names)
	return slices.Compact(names)
}
