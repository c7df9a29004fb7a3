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

if [[ -z "${PGBIN:-}" ]]; then
	if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
		PGBIN=$(pg_config --bindir)
	else
		PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	fi
fi
[[ -x "$PGBIN/initdb" ]] || { echo "generate.sh: no initdb in '$PGBIN' (set PGBIN)" >&2; exit 1; }

work=$(mktemp -d /tmp/pgadvisor-logs.XXXXXX)
pgdata=$work/data
cleanup() {
	as_pg "$PGBIN/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# as_pg runs a command as the postgres user when we are root.
as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
if [[ $(id -u) == 0 ]]; then
	chown postgres "$work"
fi
chmod 755 "$work"

export PGHOST=$work PGPORT=54329 PGUSER=postgres PGDATABASE=bench LC_ALL=C

as_pg "$PGBIN/initdb" -D "$pgdata" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null

# configure writes the logging settings of one run.
configure() { # logdir prefix destinations timezone extra...
	local logdir=$1 prefix=$2 dest=$3 tz=$4
	shift 4
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$work'"
		echo "port = 54329"
		echo "fsync = off"
		echo "lc_messages = 'C'"
		echo "logging_collector = on"
		echo "log_destination = '$dest'"
		echo "log_directory = '$logdir'"
		echo "log_filename = 'postgresql.log'"
		echo "log_rotation_age = 0"
		echo "log_rotation_size = 0"
		echo "log_line_prefix = '$prefix'"
		echo "log_timezone = '$tz'"
		echo "log_min_duration_statement = 0"
		echo "log_checkpoints = on"
		echo "log_connections = on"
		echo "log_disconnections = on"
		echo "compute_query_id = on"
		for line in "$@"; do echo "$line"; done
	} >"$pgdata/postgresql.auto.conf"
}

start() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -l "$work/server.out" start >/dev/null; }
stop() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -m fast stop >/dev/null; }
psql_q() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=0 "$@" >/dev/null 2>&1 || true; }

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
