package dbconn

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// cancelGrace is how long a cancelled statement has to stop after the
// cancel request before the connection is cut.
const cancelGrace = 3 * time.Second

// cancelOnDone makes a cancelled context (Ctrl-C, a deadline) stop the
// statement on the server too. pgx's default only stops waiting for it
// and sends the cancel request from a goroutine after the call returned,
// which a process exiting at once never sends: the server runs the
// statement on, up to statement_timeout, holding its locks.
func cancelOnDone(c *pgconn.PgConn) ctxwatch.Handler {
	return &cancelHandler{conn: c}
}

// cancelHandler sends the cancel request before the cancelled call
// returns (pgx waits for HandleCancel before it lets the call return),
// then cuts the connection if the server has not answered within
// cancelGrace.
type cancelHandler struct {
	conn *pgconn.PgConn
}

func (h *cancelHandler) HandleCancel(context.Context) {
	ctx, cancel := context.WithTimeout(context.Background(), cancelGrace)
	defer cancel()
	deadline := time.Now().Add(cancelGrace)
	if err := h.conn.CancelRequest(ctx); err != nil {
		deadline = time.Now()
	}
	_ = h.conn.Conn().SetDeadline(deadline)
}

func (h *cancelHandler) HandleUnwatchAfterCancel() {
	_ = h.conn.Conn().SetDeadline(time.Time{})
}
