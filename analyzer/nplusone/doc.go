// Package nplusone finds N+1 query loops in PostgreSQL's own logs: an
// application that runs one query (the parent) and then the same query
// shape once per row of its result, with a different parameter value each
// time, where one batched query would do. It works from the server's log,
// so for any language and ORM, and proposes the batched rewrite.
//
// The detector streams: the log reader hands it each execution in log
// order (source.Options.OnExecution) and it follows every session on its
// own (the %c session id of stderr logs, the session_id of csvlog and
// jsonlog, else the pid). Memory grows with the open sessions and the
// distinct query shapes, never with the size of the log.
//
// # The rules
//
// In one session, executions closer together than MaxGap (default
// 100 ms) form a run. Within a run, the first time a query shape comes
// back, a burst begins: its body is that shape and every shape seen since
// its first occurrence (P A B A B A B is one burst with body A, B). The
// parent is the nearest statement before the body that is not a
// transaction-control statement (BEGIN, COMMIT, SET, ...). The burst ends
// at a gap of MaxGap or more, at the end of the session, or at a shape
// outside its body, which starts a new sequence under the same parent
// (P A A A B B B is two loops under P, one after the other). A body shape
// with at least MinRepeats calls (default 5) in the burst is then
// classified:
//
//   - cache: a read whose calls all had the same parameter values: the
//     application asks the same question again; cache the answer (whatever
//     the parent).
//   - loop (the N+1 loop, check n-plus-one): a read with different values,
//     under a parent that returns rows (a SELECT, or a write with
//     RETURNING), in a body without transaction control.
//   - batch-writes ("repeated single-row writes: batch them"): an INSERT,
//     UPDATE, DELETE or MERGE repeated, either under a parent or as part of
//     a repeated transaction.
//
// A repeated transaction is not an N+1 loop under a parent: a body holding
// BEGIN or COMMIT (a pool or a benchmark running BEGIN; UPDATE; INSERT;
// COMMIT again and again), or a body with no parent (the session's first
// statements, or after a gap: P A B P A B from the start of a session),
// yields only its writes, as batch-writes; its reads are not reported.
// Transaction-control statements and statements without parameters are
// never reported. A repeated sequence right after a query that returns
// rows (X P A B P A B) is read as the application running P, A and B for
// each row of X: three loops under X.
//
// The values of a call are its bind parameters and its text: with the
// simple protocol, calls whose texts differ only in a comment (e.g. a
// per-request trace id) count as different values. Without %c in the
// log_line_prefix, sessions are told by pid: a pid that a new connection
// reuses within MaxGap continues the old session.
//
// From pg_stat_statements alone there are no sessions: a read with at
// least SuspectCalls calls (default 1000), a mean under SuspectMeanMS
// (default 1 ms) and at most SuspectRows rows per call (default 1.5) is a
// suspicion (kind suspect), never a loop, and is dropped when the logs
// show that query's loop.
//
// # The rewrite
//
// For a loop, Rewrite builds SQL from the query model: WHERE col = $n
// becomes WHERE col = ANY($n) with col added to the select list (and GROUP
// BY col for an aggregate such as count(*)); a query with LIMIT, OFFSET,
// DISTINCT, window functions or grouping is run once per value through
// unnest($n) and a LATERAL join instead, which keeps its per-value
// semantics. When the parent's select list has the column whose values
// feed the loop (by name: post_id and posts.id, author_id and users.id),
// the parent and the loop become one query with a LATERAL join.
package nplusone
