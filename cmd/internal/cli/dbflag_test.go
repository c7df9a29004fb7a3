package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// TestDBFromEnv runs analyze with --db given empty: the database comes
// from $DATABASE_URL, and with nothing in the environment it is a usage
// error.
func TestDBFromEnv(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	for _, v := range []string{"PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"} {
		t.Setenv(v, "")
	}
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"analyze", "--db="}, Streams{Out: &out, Err: &errOut}); code != 2 || !strings.Contains(errOut.String(), "DATABASE_URL") {
		t.Errorf("exit %d, stderr %q; want 2 naming DATABASE_URL", code, errOut.String())
	}
	if testing.Short() {
		return
	}
	db := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", db)
	out.Reset()
	errOut.Reset()
	code := Main(context.Background(), []string{"analyze", "--db", "", "--format", "json", "--fail-on", "none"}, Streams{Out: &out, Err: &errOut})
	var rep struct {
		Inputs []struct{ Path, Kind string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, stderr %s: %v", code, errOut.String(), err)
	}
	// Connected: the server answered that pg_stat_statements is not
	// installed there.
	if code != 0 || len(rep.Inputs) != 1 || rep.Inputs[0].Kind != "pg_stat_statements" || !strings.Contains(errOut.String(), "not installed in this database") {
		t.Errorf("exit %d, inputs %+v, stderr %s", code, rep.Inputs, errOut.String())
	}
}
