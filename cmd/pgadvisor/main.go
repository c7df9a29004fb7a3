// Command pgadvisor analyzes what a PostgreSQL database runs (SQL files,
// logs, pg_stat_statements, EXPLAIN plans) and says what makes it slow.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pgadvisor/pgadvisor/cmd/internal/cli"
)

func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, stop := watchSignals(context.Background(), sigs, os.Exit, os.Stderr)
	code := cli.Main(ctx, os.Args[1:], cli.StdStreams())
	stop()
	os.Exit(code)
}
