#!/usr/bin/env bash
# autoexplain.sh writes autoexplain.log, the log the engine's ranking test
# reads: a real PostgreSQL server with auto_explain on (log_analyze, text
# and JSON plans) and log_min_duration_statement = 0, running a small
# shop workload in which three slow queries are logged many times (and
# with many plans) next to many fast primary-key lookups:
#
#   - orders by customer (no index on customer_id): 40 calls, ~10 ms
#   - events of one kind in a time range (no index): 20 calls
#   - the count of orders in one state (no index, state is selective)
#
# Usage: testdata/logs/autoexplain.sh [OUTDIR]   (default: this directory)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# shellcheck source=cluster.sh
source "$here/cluster.sh"

configure "$work/log" '%m [%p] %q%u@%d ' stderr UTC \
	"shared_preload_libraries = 'auto_explain'" \
	"auto_explain.log_min_duration = '5ms'" \
	"auto_explain.log_analyze = on" \
	"auto_explain.log_buffers = on" \
	"log_connections = off" "log_disconnections = off" "log_checkpoints = off"
start
"$PGBIN/createdb" shop
# The setup is not logged: the log holds the workload only.
{
	echo "SET log_min_duration_statement = -1; SET auto_explain.log_min_duration = -1;"
	cat "$here/autoexplain-schema.sql"
	cat <<'SQL'
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 20000) g;
INSERT INTO orders SELECT g, 1 + g % 20000, CASE WHEN g % 100 = 0 THEN 'open' ELSE 'done' END,
  g % 500, timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 300000) g;
INSERT INTO events SELECT g, 'k' || (g % 50), timestamptz '2024-01-01' + g * interval '10 seconds', repeat('x', 40)
  FROM generate_series(1, 200000) g;
VACUUM ANALYZE;
SQL
} | psql_q shop
{
	for i in $(seq 1 40); do
		echo "SELECT id, total FROM orders WHERE customer_id = $((i * 37)) ORDER BY created_at DESC LIMIT 10;"
		echo "SELECT name FROM customers WHERE id = $i;"
		echo "SELECT name FROM customers WHERE id = $((i + 100));"
		echo "SELECT state FROM orders WHERE id = $((i * 11));"
	done
	for i in $(seq 1 20); do
		echo "SELECT count(*) FROM events WHERE kind = 'k$((i % 50))' AND created_at >= '2024-01-0$((1 + i % 9))' AND created_at < '2024-01-0$((2 + i % 8))';"
	done
	echo "SET auto_explain.log_format = 'json';"
	for i in $(seq 1 10); do
		echo "SELECT count(*) FROM orders WHERE state = 'open' AND total > $i;"
	done
} | psql_q shop
stop
cp "$work/log/postgresql.log" "$out/autoexplain.log"
ls -l "$out/autoexplain.log"
