#!/usr/bin/env bash
# generate.sh writes the PostgreSQL logs the log-source tests read. Every
# line is written by a real PostgreSQL server: the script initdbs a scratch
# cluster in a temporary directory (as the postgres user when run as root,
# since initdb refuses root), turns logging on, runs pgbench in the simple,
# extended and prepared protocols plus a few psql sessions (multi-line
# statements, failing statements, log_statement=all, auto_explain in text
# and JSON), stops the server and copies the logs here:
#
#   pgbench.log  pgbench.csv  pgbench.json   one run, three destinations
#                                            (log_line_prefix '%m [%p] %q%u@%d ')
#   rds.log      RDS-style prefix '%t:%r:%u@%d:[%p]:', truncated parameters
#   escapes.log  a prefix using every escape, log_timezone Europe/Paris
#
# Usage: testdata/logs/generate.sh [OUTDIR]   (default: this directory)
# Needs the PostgreSQL server binaries (initdb, pg_ctl, pgbench, psql); set
# PGBIN to choose them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# shellcheck source=cluster.sh
source "$here/cluster.sh"

# Run 1: the main log, written to stderr, csvlog and jsonlog at once.
configure "$work/log1" '%m [%p] %q%u@%d ' 'stderr,csvlog,jsonlog' UTC \
	"log_parameter_max_length = -1"
start
"$PGBIN/createdb" bench
"$PGBIN/pgbench" -i -s 1 -q bench >/dev/null 2>&1
for mode in simple extended prepared; do
	"$PGBIN/pgbench" -n -M "$mode" -c 2 -j 1 -t 20 bench >/dev/null 2>&1
done

psql_q bench <<'SQL'
SELECT a.aid, a.abalance
  FROM pgbench_accounts a
  JOIN pgbench_branches b ON b.bid = a.bid
 WHERE a.aid BETWEEN 1 AND 10
 ORDER BY a.aid;
SELECT 'multi
line literal' AS s, 'café' AS u;
SELECT * FROM no_such_table;
SELEC 1;
SELECT 1/0;
INSERT INTO pgbench_branches (bid, bbalance) VALUES (1, 0);
SELECT pg_sleep(0.02);
DO $$ BEGIN PERFORM count(*) FROM pgbench_tellers; END $$;
SQL

# log_statement = all: a "statement:" line, then a bare "duration:" line;
# without log_min_duration_statement only the "statement:" line.
psql_q bench <<'SQL'
SET log_statement = 'all';
SELECT count(*) FROM pgbench_tellers WHERE tid = 3;
SELECT * FROM no_such_table;
SET log_min_duration_statement = -1;
SELECT count(*) FROM pgbench_tellers WHERE tid = 4;
SQL

# auto_explain, text then JSON.
psql_q bench <<'SQL'
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_analyze = on;
SELECT t.tid, count(*)
  FROM pgbench_tellers t
  JOIN pgbench_history h ON h.tid = t.tid
 GROUP BY t.tid
 ORDER BY t.tid;
SET auto_explain.log_format = 'json';
SELECT count(*) FROM pgbench_accounts WHERE abalance > 0;
SQL
stop
cp "$work/log1/postgresql.log" "$out/pgbench.log"
cp "$work/log1/postgresql.csv" "$out/pgbench.csv"
cp "$work/log1/postgresql.json" "$out/pgbench.json"

# Run 2: the prefix Amazon RDS uses, parameters truncated to 4 bytes.
configure "$work/log2" '%t:%r:%u@%d:[%p]:' stderr UTC \
	"log_parameter_max_length = 4"
start
"$PGBIN/pgbench" -n -M simple -c 1 -t 5 bench >/dev/null 2>&1
"$PGBIN/pgbench" -n -M extended -c 1 -t 5 bench >/dev/null 2>&1
psql_q bench -c 'SELECT * FROM no_such_table'
stop
cp "$work/log2/postgresql.log" "$out/rds.log"

# Run 3: every log_line_prefix escape, in a time zone with abbreviations.
configure "$work/log3" '%m|%t|%n|%p|%P|%c|%l|%s|%v|%x|%e|%a|%u|%d|%r|%h|%b|%i|%Q|%%|%q> ' stderr Europe/Paris
start
"$PGBIN/pgbench" -n -M prepared -c 2 -j 1 -t 5 bench >/dev/null 2>&1
psql_q bench -c 'SELECT * FROM no_such_table'
stop
cp "$work/log3/postgresql.log" "$out/escapes.log"

ls -l "$out"/pgbench.* "$out"/rds.log "$out"/escapes.log
