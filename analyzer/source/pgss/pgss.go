// Package pgss reads the pg_stat_statements view of a live database into
// workload executions: one per row, carrying the row's calls, total,
// minimum and maximum execution time, rows and shared buffer counters.
package pgss

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Kind is the input kind (and the File of positions) of pg_stat_statements
// rows.
const Kind = "pg_stat_statements"

// Querier runs a query: *pgx.Conn, *pgxpool.Pool and *pgx.Tx are
// Queriers.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Options filter the rows read.
type Options struct {
	// Database and User keep the rows of that database or role. Without
	// Database, the rows of the connected database are kept, or every
	// database's with AllDatabases.
	Database     string
	AllDatabases bool
	User         string
	// MinMean keeps the rows whose mean execution time is at least
	// MinMean.
	MinMean time.Duration
}

// Result is what was read.
type Result struct {
	// Executions are the rows, by total execution time descending; Line
	// is the rank (1-based) and File is Kind.
	Executions []workload.Execution
	// Hidden counts the rows whose text the role may not see
	// ("<insufficient privilege>"): the role needs pg_read_all_stats.
	Hidden int
	// Version is the extension's version.
	Version string
	// Notes explain rows left out.
	Notes []string
}

// Error is a failure to read pg_stat_statements, with a message that says
// what to do.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// ErrNotInstalled is wrapped by the Error returned when the extension is
// not installed in the database.
var ErrNotInstalled = errors.New("pg_stat_statements is not installed")

// Read reads pg_stat_statements through q.
func Read(ctx context.Context, q Querier, opts Options) (*Result, error) {
	var (
		version, schema, db string
		serverNum           int
	)
	rows, err := q.Query(ctx, dbconn.Marker+` SELECT e.extversion, n.nspname, current_database(),
	current_setting('server_version_num')::int
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'pg_stat_statements'`)
	if err != nil {
		return nil, explain(err)
	}
	found := false
	for rows.Next() {
		if err := rows.Scan(&version, &schema, &db, &serverNum); err != nil {
			rows.Close()
			return nil, explain(err)
		}
		found = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, explain(err)
	}
	if !found {
		return nil, &Error{
			Msg: "pg_stat_statements is not installed in this database: run CREATE EXTENSION pg_stat_statements " +
				"(the server also needs shared_preload_libraries = 'pg_stat_statements')",
			Err: ErrNotInstalled,
		}
	}

	// PostgreSQL 13 renamed total_time to total_exec_time.
	total, minT, maxT := "total_exec_time", "min_exec_time", "max_exec_time"
	if serverNum < 130000 {
		total, minT, maxT = "total_time", "min_time", "max_time"
	}
	view := pgx.Identifier{schema, "pg_stat_statements"}.Sanitize()
	var where []string
	var args []any
	switch {
	case opts.Database != "":
		args = append(args, opts.Database)
		where = append(where, fmt.Sprintf("d.datname = $%d", len(args)))
	case !opts.AllDatabases:
		// The view shows every database's statements: keep the
		// connected database's.
		where = append(where, "s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())")
	}
	// pgadvisor's own statements (catalog reads, EXPLAIN, this one) are
	// not the workload.
	args = append(args, "%"+strings.Trim(dbconn.Marker, "/* ")+"%")
	where = append(where, fmt.Sprintf("s.query NOT LIKE $%d", len(args)))
	if opts.User != "" {
		args = append(args, opts.User)
		where = append(where, fmt.Sprintf("r.rolname = $%d", len(args)))
	}
	if opts.MinMean > 0 {
		args = append(args, float64(opts.MinMean)/float64(time.Millisecond))
		where = append(where, fmt.Sprintf("s.%s / s.calls >= $%d", total, len(args)))
	}
	sql := fmt.Sprintf(dbconn.Marker+` SELECT coalesce(s.queryid, 0), s.query, s.calls, s.%[1]s, s.%[2]s, s.%[3]s,
	s.rows, s.shared_blks_hit, s.shared_blks_read,
	coalesce(d.datname, ''), coalesce(r.rolname, '')
FROM %[4]s s
LEFT JOIN pg_catalog.pg_database d ON d.oid = s.dbid
LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid
WHERE s.calls > 0%[5]s
ORDER BY s.%[1]s DESC, s.calls DESC, s.queryid`, total, minT, maxT, view, andWhere(where))
	rows, err = q.Query(ctx, sql, args...)
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	res := &Result{Version: version}
	rank := 0
	for rows.Next() {
		var (
			qid                     int64
			text, dbname, role      string
			calls, nrows, hit, read int64
			tot, mn, mx             float64
		)
		if err := rows.Scan(&qid, &text, &calls, &tot, &mn, &mx, &nrows, &hit, &read, &dbname, &role); err != nil {
			return nil, explain(err)
		}
		rank++
		if text == "<insufficient privilege>" {
			res.Hidden++
			continue
		}
		e := workload.Execution{
			File:           Kind,
			Line:           rank,
			Kind:           Kind,
			Text:           text,
			Calls:          calls,
			DurationMS:     tot,
			HasDuration:    true,
			MinMS:          mn,
			MaxMS:          mx,
			Rows:           nrows,
			SharedBlksHit:  hit,
			SharedBlksRead: read,
			Database:       dbname,
			User:           role,
		}
		if fp, err := sqlparse.Fingerprint(text); err == nil {
			e.Fingerprint = fp
			if n, err := sqlparse.Normalize(text); err == nil {
				e.Normalized = n
			} else {
				e.Normalized = text
			}
		} else {
			e.Fingerprint = workload.TextKey(text)
			e.Normalized = text
			e.Err = err
		}
		res.Executions = append(res.Executions, e)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err)
	}
	if res.Hidden > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf(
			"%d pg_stat_statements rows hidden: their text is visible only to their own role, superusers and members of pg_read_all_stats (GRANT pg_read_all_stats TO the role)",
			res.Hidden))
	}
	return res, nil
}

func andWhere(w []string) string {
	if len(w) == 0 {
		return ""
	}
	return " AND " + strings.Join(w, " AND ")
}

// explain turns a server error into one sentence that says what to do.
func explain(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.Contains(pe.Message, "shared_preload_libraries"):
			return &Error{
				Msg: "pg_stat_statements is installed but not loaded: add it to shared_preload_libraries in postgresql.conf and restart the server",
				Err: err,
			}
		case pe.Code == "42501":
			return &Error{
				Msg: "permission denied reading pg_stat_statements (" + pe.Message + "): connect as a role that is a member of pg_read_all_stats",
				Err: err,
			}
		case pe.Code == "42P01" || pe.Code == "42883":
			return &Error{
				Msg: "pg_stat_statements is not usable in this database (" + pe.Message + "): run ALTER EXTENSION pg_stat_statements UPDATE",
				Err: err,
			}
		}
		return &Error{Msg: "read pg_stat_statements: " + pe.Message, Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &Error{Msg: "read pg_stat_statements: " + err.Error(), Err: err}
}
