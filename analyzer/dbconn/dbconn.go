// Package dbconn opens connections to a user's database under
// pgadvisor's safety rules: sessions are read-only unless the caller
// asks for writes, every statement runs under statement_timeout and
// lock_timeout, the session is labelled application_name=pgadvisor, and
// no error or message ever shows a password.
package dbconn

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Marker is the comment at the start of every statement pgadvisor runs on
// a user's database, so that pg_stat_statements readers (and the user)
// can tell them from the application's.
const Marker = "/* pgadvisor:internal */"

// Mark returns sql marked as pgadvisor's own statement.
func Mark(sql string) string { return Marker + " " + sql }

// Defaults of Options.
const (
	DefaultStatementTimeout = 30 * time.Second
	DefaultLockTimeout      = 5 * time.Second
	DefaultConnectTimeout   = 10 * time.Second
	ApplicationName         = "pgadvisor"
)

// Options tune Connect. The zero value is the safe default.
type Options struct {
	// Write allows the session to write (needed to build indexes for
	// real); without it default_transaction_read_only is on.
	Write bool
	// StatementTimeout and LockTimeout are applied to every statement:
	// zero means the defaults above, a negative value disables the
	// timeout (0 in PostgreSQL).
	StatementTimeout time.Duration
	LockTimeout      time.Duration
	// ConnectTimeout bounds connection establishment when the
	// connection string sets none (connect_timeout); zero means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
}

// Error is a connection failure. Its message is one password-free
// sentence: "cannot connect to postgres://user@host:5432/db: connection
// refused".
type Error struct {
	// Target is the redacted connection string.
	Target string
	// Reason is the cause, without passwords.
	Reason string
	// Err is the underlying error, for errors.Is and errors.As. Its own
	// message is not shown; do not print it.
	Err error
	op  string
}

func (e *Error) Error() string { return e.op + " " + e.Target + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Connect opens a connection to the database at conn (a postgres:// URL,
// a keyword/value string or a bare database name: see Target) with the
// safety settings of opts. Every
// error it returns is an *Error without passwords.
func Connect(ctx context.Context, conn string, opts Options) (*pgx.Conn, error) {
	cfg, err := Config(conn, opts)
	if err != nil {
		return nil, err
	}
	c, err := connectSetting(ctx, cfg)
	if err != nil {
		return nil, &Error{op: "cannot connect to", Target: Redact(conn), Reason: scrub(reason(err), append(secrets(conn), cfg.Password)...), Err: err}
	}
	if !opts.Write {
		// Belt and braces: an options=-c... parameter in the user's
		// connection string could have turned read-only off again.
		ro := c.PgConn().ParameterStatus("default_transaction_read_only")
		if ro == "" {
			if err := c.QueryRow(ctx, Mark("SHOW default_transaction_read_only")).Scan(&ro); err != nil {
				c.Close(ctx)
				return nil, &Error{op: "cannot connect to", Target: Redact(conn), Reason: scrub(reason(err), append(secrets(conn), cfg.Password)...), Err: err}
			}
		}
		if ro != "on" {
			c.Close(ctx)
			return nil, &Error{op: "cannot connect to", Target: Redact(conn), Reason: "the session is not read-only (default_transaction_read_only=" + ro + "); remove the setting that turns it off"}
		}
	}
	return c, nil
}

// Config parses conn and applies the safety settings of opts, for
// callers that need a pgx pool or their own connect logic. Its error is
// an *Error without passwords.
func Config(conn string, opts Options) (*pgx.ConnConfig, error) {
	if err := checkURL(conn); err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(Target(conn))
	if err != nil {
		return nil, &Error{op: "invalid connection string", Target: Redact(conn), Reason: scrub(parseReason(err), secrets(conn)...), Err: err}
	}
	cfg.BuildContextWatcherHandler = cancelOnDone
	p := cfg.RuntimeParams
	p["application_name"] = ApplicationName
	p["statement_timeout"] = timeoutSetting(opts.StatementTimeout, DefaultStatementTimeout)
	p["lock_timeout"] = timeoutSetting(opts.LockTimeout, DefaultLockTimeout)
	if opts.Write {
		delete(p, "default_transaction_read_only")
	} else {
		p["default_transaction_read_only"] = "on"
	}
	// No named prepared statements: a pooler in transaction mode
	// (PgBouncer) may run the next statement on another server
	// connection, where they do not exist.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = opts.ConnectTimeout
		if cfg.ConnectTimeout <= 0 {
			cfg.ConnectTimeout = DefaultConnectTimeout
		}
	}
	return cfg, nil
}

// timeoutSetting renders a duration in milliseconds for PostgreSQL.
func timeoutSetting(d, def time.Duration) string {
	switch {
	case d == 0:
		d = def
	case d < 0:
		return "0"
	}
	ms := d.Milliseconds()
	if ms == 0 {
		ms = 1
	}
	return strconv.FormatInt(ms, 10)
}

// reason reduces a pgx connection error to its cause: the server's
// message, or the innermost network error ("connection refused").
func reason(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Error()
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return innermost(opErr.Err).Error()
	}
	// pgx's own messages ("failed to connect to `user=... database=...`:
	// host (addr): cause") end with the cause.
	msg := innermost(err).Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "failed to connect") {
		msg = msg[i+2:]
	}
	return msg
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// innermost follows single-error wrapping to the root cause.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// parseReason extracts pgx's description of a malformed connection
// string without the string itself.
func parseReason(err error) string {
	msg := err.Error()
	// "cannot parse `...`: failed to parse as URL (parse ...: invalid port ...)"
	if strings.HasPrefix(msg, "cannot parse `") {
		if i := strings.Index(msg, "`: "); i >= 0 {
			msg = msg[i+3:]
		}
	}
	return msg
}

// Describe is fmt.Sprint for errors that may quote conn: it returns
// err's message with conn's passwords removed.
func Describe(err error, conn string) string {
	if err == nil {
		return ""
	}
	return scrub(err.Error(), secrets(conn)...)
}
