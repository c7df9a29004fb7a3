// Package pglog reads PostgreSQL server logs (stderr with any
// log_line_prefix, csvlog, jsonlog, syslog) into executions and
// auto_explain plans.
//
// It understands what log_min_duration_statement, log_statement,
// log_duration and auto_explain write: "duration: X ms  statement: ...",
// the extended protocol's parse, bind and execute lines (one execution is
// one call; its DETAIL parameters are attached to it), statements logged
// before they run and the bare duration that follows them, ERROR with
// STATEMENT (a failed call), continuation lines, and plans in text, JSON,
// YAML or XML. Other messages are counted, lines that fit no format are
// skipped with their positions, and reading goes on.
//
// Reading streams: the log is cut into blocks of whole records that the
// cores parse in parallel, then an assembler pairs records in log order.
// Each distinct query shape (sqlparse.ShapeKey: literals ignored) is
// parsed by PostgreSQL's parser once, so memory grows with the number of
// distinct queries, not with the size of the log.
//
// Example:
//
//	w := workload.New()
//	st, err := pglog.Read(ctx, f, "postgresql.log", pglog.Options{}, sink{w})
//	// sink implements Execution (w.AddPtr(e)) and Plan.
//	fmt.Println(st.Detected(), st.Executions, "executions,", st.Skipped, "lines skipped")
package pglog
