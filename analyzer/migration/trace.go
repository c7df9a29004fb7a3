package migration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// ExecError is a migration statement PostgreSQL rejected.
type ExecError struct {
	Pos check.Position
	// Message is PostgreSQL's error message (with its SQLSTATE).
	Message string
	// Applied lists the migrations applied before the failing one.
	Applied []string
}

func (e *ExecError) Error() string { return e.Pos.String() + ": " + e.Message }

// table is a table that existed before the migrations.
type table struct {
	name string
	rows float64
}

// lockKey is one lock of one table.
type lockKey struct {
	oid  uint32
	mode string
}

// tracer applies migrations on one connection and watches its locks
// from a second one.
type tracer struct {
	exec, watch *pgx.Conn
	pid         uint32
	tables      map[uint32]table
	// open is set while a transaction is open on exec: the locks seen
	// in it and when each was first seen, with the statements that took
	// them.
	open    bool
	since   map[lockKey]time.Time
	takenBy map[lockKey]*check.Trace
}

// Trace applies the migrations, read and modelled by Build, to the
// scratch database at url (which it changes: never a production
// database), one statement at a time, and records on each statement
// (Statement.Trace) the locks it took on the tables that existed before,
// how long they were held, and the tables it rewrote. A statement runs
// in a transaction of its own unless the file opens one (BEGIN) or the
// tool wraps files in one (inTx, or goose's default), so its locks can
// be read from a second session while the transaction is open;
// statements PostgreSQL refuses in a transaction (CONCURRENTLY, VACUUM)
// run alone while the second session samples their locks. The
// database's tables are ANALYZEd first, for their row counts. A
// statement PostgreSQL rejects stops the run with an *ExecError naming
// it and the migrations applied before.
func Trace(ctx context.Context, url string, ms []*Migration, inTx bool) error {
	return Apply(ctx, url, ms, nil, ApplyOptions{InTransaction: inTx})
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// InTransaction is Options.InTransaction: the tool wraps each file
	// in a transaction.
	InTransaction bool
	// MaxGrowth is the share by which a workload query's estimated cost
	// may grow before it counts as a regression (0.2 for 20 %).
	MaxGrowth float64
}

// Apply is Trace with a workload: the workload's queries are planned
// before the migrations and again after them, on the same data and
// statistics, and each one's Replan says how its plan changed
// (CompareReplans).
func Apply(ctx context.Context, url string, ms []*Migration, workload []*check.Statement, opts ApplyOptions) error {
	exec, err := dbconn.Connect(ctx, url, dbconn.Options{Write: true, StatementTimeout: -1})
	if err != nil {
		return fmt.Errorf("trace: %s", dbconn.Describe(err, url))
	}
	defer exec.Close(context.WithoutCancel(ctx))
	watch, err := dbconn.Connect(ctx, url, dbconn.Options{})
	if err != nil {
		return fmt.Errorf("trace: %s", dbconn.Describe(err, url))
	}
	defer watch.Close(context.WithoutCancel(ctx))
	t := &tracer{exec: exec, watch: watch, pid: exec.PgConn().PID()}
	if _, err := exec.Exec(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("trace: analyze: %w", err)
	}
	if t.tables, err = existingTables(ctx, exec); err != nil {
		return err
	}
	var before []*Plan
	if len(workload) > 0 {
		if before, err = PlanWorkload(ctx, watch, workload); err != nil {
			return err
		}
	}
	var applied []string
	for _, m := range ms {
		if err := t.migration(ctx, m, opts.InTransaction || wrapped(m)); err != nil {
			var ee *ExecError
			if errors.As(err, &ee) {
				ee.Applied = applied
			}
			return err
		}
		applied = append(applied, m.Path)
	}
	if len(workload) == 0 {
		return nil
	}
	after, err := PlanWorkload(ctx, watch, workload)
	if err != nil {
		return err
	}
	rows := map[string]float64{}
	for _, tb := range t.tables {
		rows[tb.name] = tb.rows
	}
	indexes, err := indexNames(ctx, watch)
	if err != nil {
		return err
	}
	CompareReplans(workload, before, after, opts.MaxGrowth, rows, func(name string) bool { return indexes[name] })
	return nil
}

// indexNames returns the names of the database's indexes.
func indexNames(ctx context.Context, conn *pgx.Conn) (map[string]bool, error) {
	rows, err := conn.Query(ctx, `SELECT relname FROM pg_class WHERE relkind IN ('i', 'I')`)
	if err != nil {
		return nil, fmt.Errorf("read indexes: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read indexes: %w", err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}

// wrapped reports whether a migration's statements were all marked in a
// transaction by Build from its file (goose's default).
func wrapped(m *Migration) bool {
	if len(m.Statements) == 0 {
		return false
	}
	for _, st := range m.Statements {
		if !st.Migration.InTransaction {
			return false
		}
	}
	return gooseUp.MatchString(m.Src)
}

// existingTables reads the tables, partitioned tables and materialized
// views of the database with their row estimates.
func existingTables(ctx context.Context, conn *pgx.Conn) (map[uint32]table, error) {
	rows, err := conn.Query(ctx, `SELECT c.oid, n.nspname, c.relname, greatest(c.reltuples, 0)::float8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'`)
	if err != nil {
		return nil, fmt.Errorf("trace: read tables: %w", err)
	}
	out := map[uint32]table{}
	for rows.Next() {
		var oid uint32
		var schema, name string
		var n float64
		if err := rows.Scan(&oid, &schema, &name, &n); err != nil {
			return nil, fmt.Errorf("trace: read tables: %w", err)
		}
		out[oid] = table{name: schema + "." + name, rows: n}
	}
	return out, rows.Err()
}

// migration applies one migration file.
func (t *tracer) migration(ctx context.Context, m *Migration, inTx bool) error {
	if inTx {
		if err := t.begin(ctx); err != nil {
			return err
		}
	}
	for _, st := range m.Statements {
		if err := t.statement(ctx, st, inTx); err != nil {
			if t.open {
				_, _ = t.exec.Exec(context.WithoutCancel(ctx), "ROLLBACK")
				t.open = false
			}
			return err
		}
	}
	if inTx || t.open {
		return t.end(ctx, "COMMIT")
	}
	return nil
}

// begin opens a transaction on exec.
func (t *tracer) begin(ctx context.Context) error {
	if _, err := t.exec.Exec(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("trace: begin: %w", err)
	}
	t.open, t.since, t.takenBy = true, map[lockKey]time.Time{}, map[lockKey]*check.Trace{}
	return nil
}

// end commits or rolls back the open transaction and records how long
// each lock taken in it was held.
func (t *tracer) end(ctx context.Context, cmd string) error {
	if _, err := t.exec.Exec(ctx, cmd); err != nil {
		return fmt.Errorf("trace: %s: %w", strings.ToLower(cmd), err)
	}
	now := time.Now()
	for k, tr := range t.takenBy {
		for i := range tr.Locks {
			if l := &tr.Locks[i]; l.Table == t.tables[k.oid].name && l.Mode == k.mode {
				l.HeldMS = ms(now.Sub(t.since[k]))
			}
		}
	}
	t.open = false
	return nil
}

// statement applies one statement and records its trace.
func (t *tracer) statement(ctx context.Context, st *check.Statement, fileTx bool) error {
	tag := ""
	if st.Model != nil {
		tag = st.Model.Tag
	}
	tr := &check.Trace{}
	st.Trace = tr
	switch tag {
	case "BEGIN", "START TRANSACTION":
		if fileTx || t.open {
			return nil // already in one: PostgreSQL would only warn
		}
		return t.begin(ctx)
	case "COMMIT", "END", "ROLLBACK":
		if fileTx || !t.open {
			return nil
		}
		cmd := "COMMIT"
		if tag == "ROLLBACK" {
			cmd = "ROLLBACK"
		}
		return t.end(ctx, cmd)
	}
	if !t.open && !transactional(st) {
		return t.alone(ctx, st, tr)
	}
	own := !t.open
	if own {
		if err := t.begin(ctx); err != nil {
			return err
		}
	}
	before, err := t.filenodes(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := t.run(ctx, st, tr); err != nil {
		return err
	}
	tr.DurationMS = ms(time.Since(start))
	held, err := t.locks(ctx)
	if err != nil {
		return err
	}
	for _, k := range held {
		if _, seen := t.since[k]; seen {
			continue
		}
		t.since[k], t.takenBy[k] = start, tr
		tb := t.tables[k.oid]
		tr.Locks = append(tr.Locks, check.TracedLock{Table: tb.name, Rows: tb.rows, Mode: k.mode})
	}
	after, err := t.filenodes(ctx)
	if err != nil {
		return err
	}
	tr.Rewritten = rewritten(t.tables, before, after)
	sortLocks(tr.Locks)
	if own {
		return t.end(ctx, "COMMIT")
	}
	return nil
}

// alone runs a statement PostgreSQL refuses inside a transaction while
// the watching session samples its locks as fast as it can: a lock held
// for less than a round trip to the server may go unseen.
func (t *tracer) alone(ctx context.Context, st *check.Statement, tr *check.Trace) error {
	before, err := t.filenodes(ctx)
	if err != nil {
		return err
	}
	// The sampler stops between queries: cancelling one would close the
	// watching connection.
	var stopped atomic.Bool
	var mu sync.Mutex
	first := map[lockKey]time.Time{}
	last := map[lockKey]time.Time{}
	done := make(chan struct{})
	ready := make(chan struct{})
	var once sync.Once
	markReady := func() { once.Do(func() { close(ready) }) }
	go func() {
		defer close(done)
		defer markReady()
		for n := 0; !stopped.Load() && ctx.Err() == nil; n++ {
			if n == 1 {
				markReady() // one round trip made: the next sample is warm
			}
			held, err := t.locks(ctx)
			if err != nil {
				return
			}
			now := time.Now()
			mu.Lock()
			for _, k := range held {
				if _, ok := first[k]; !ok {
					first[k] = now
				}
				last[k] = now
			}
			mu.Unlock()
		}
	}()
	<-ready
	start := time.Now()
	err = t.run(ctx, st, tr)
	tr.DurationMS = ms(time.Since(start))
	stopped.Store(true)
	<-done
	if err != nil {
		return err
	}
	for k, f := range first {
		tb := t.tables[k.oid]
		tr.Locks = append(tr.Locks, check.TracedLock{Table: tb.name, Rows: tb.rows, Mode: k.mode, HeldMS: ms(last[k].Sub(f))})
	}
	after, err := t.filenodes(ctx)
	if err != nil {
		return err
	}
	tr.Rewritten = rewritten(t.tables, before, after)
	sortLocks(tr.Locks)
	return nil
}

// run executes a statement's text, turning PostgreSQL's refusal into an
// *ExecError at the statement (or at the position PostgreSQL names).
func (t *tracer) run(ctx context.Context, st *check.Statement, tr *check.Trace) error {
	_, err := t.exec.PgConn().Exec(ctx, st.Text).ReadAll()
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("trace: %s: %w", st.Pos, err)
	}
	tr.Err = fmt.Sprintf("ERROR: %s (SQLSTATE %s)", pe.Message, pe.Code)
	pos := st.Pos
	if pe.Position > 0 {
		pos = st.PosAt(charOffset(st.Text, int(pe.Position)-1))
	}
	return &ExecError{Pos: pos, Message: tr.Err}
}

// charOffset returns the byte offset of the n-th character of s
// (PostgreSQL's error positions count characters).
func charOffset(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// locks returns the granted relation locks the applying session holds on
// pre-existing tables.
func (t *tracer) locks(ctx context.Context) ([]lockKey, error) {
	rows, err := t.watch.Query(ctx, `SELECT relation, mode FROM pg_locks
WHERE pid = $1 AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, t.pid)
	if err != nil {
		return nil, fmt.Errorf("trace: read pg_locks: %w", err)
	}
	defer rows.Close()
	var out []lockKey
	for rows.Next() {
		var k lockKey
		if err := rows.Scan(&k.oid, &k.mode); err != nil {
			return nil, fmt.Errorf("trace: read pg_locks: %w", err)
		}
		if _, ok := t.tables[k.oid]; ok {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// filenodes reads the relfilenode of the pre-existing tables, as the
// applying session sees them (inside its transaction).
func (t *tracer) filenodes(ctx context.Context) (map[uint32]uint32, error) {
	rows, err := t.exec.Query(ctx, `SELECT oid, relfilenode FROM pg_class WHERE relkind IN ('r', 'm')`)
	if err != nil {
		return nil, fmt.Errorf("trace: read pg_class: %w", err)
	}
	defer rows.Close()
	out := map[uint32]uint32{}
	for rows.Next() {
		var oid, node uint32
		if err := rows.Scan(&oid, &node); err != nil {
			return nil, fmt.Errorf("trace: read pg_class: %w", err)
		}
		if _, ok := t.tables[oid]; ok {
			out[oid] = node
		}
	}
	return out, rows.Err()
}

// rewritten lists the tables whose relfilenode changed.
func rewritten(tables map[uint32]table, before, after map[uint32]uint32) []string {
	var out []string
	for oid, node := range before {
		if n, ok := after[oid]; ok && n != node {
			out = append(out, tables[oid].name)
		}
	}
	slices.Sort(out)
	return out
}

// transactional reports whether PostgreSQL accepts a statement inside a
// transaction block.
func transactional(st *check.Statement) bool {
	if st.Model != nil {
		switch st.Model.Tag {
		case "VACUUM", "CREATE DATABASE", "DROP DATABASE", "ALTER SYSTEM", "CREATE TABLESPACE", "DROP TABLESPACE":
			return false
		}
	}
	// CONCURRENTLY as a keyword (not in a comment, a literal or a quoted
	// name): CREATE/DROP INDEX, REINDEX, DETACH PARTITION refuse a
	// transaction block. REFRESH MATERIALIZED VIEW CONCURRENTLY does not.
	lx := sqlparse.NewLexer(st.Text, false)
	first := ""
	for {
		t := lx.Next()
		if t.Kind == sqlparse.TokEOF {
			return true
		}
		if t.Kind != sqlparse.TokIdent {
			continue
		}
		word := strings.ToUpper(t.Text(st.Text))
		if first == "" {
			first = word
		}
		if word == "CONCURRENTLY" && first != "REFRESH" {
			return false
		}
	}
}

// lockStrength orders lock modes from the strongest.
var lockStrength = map[string]int{
	"AccessExclusiveLock": 8, "ExclusiveLock": 7, "ShareRowExclusiveLock": 6, "ShareLock": 5,
	"ShareUpdateExclusiveLock": 4, "RowExclusiveLock": 3, "RowShareLock": 2, "AccessShareLock": 1,
}

// sortLocks puts the strongest locks first, then by table.
func sortLocks(ls []check.TracedLock) {
	slices.SortFunc(ls, func(a, b check.TracedLock) int {
		if d := lockStrength[b.Mode] - lockStrength[a.Mode]; d != 0 {
			return d
		}
		return strings.Compare(a.Table, b.Table)
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
