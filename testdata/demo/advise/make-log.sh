#!/bin/sh
# Regenerates workload.log: a PostgreSQL 15 server started in a temporary
# directory, with log_min_duration_statement=0, runs the demo workload
# (workload.sql through pgbench in extended mode, so that the log has
# bind parameters, and report.sql through psql), then stops. Run as a
# user that may run PostgreSQL (as root it runs as postgres).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
if [ "$(id -u)" = 0 ]; then
	tmp=$(mktemp)
	chown postgres "$tmp"
	su postgres -s /bin/sh -c "PGBIN=$bin OUT=$tmp sh $here/make-log.sh"
	mv "$tmp" "$here/workload.log" && chmod 644 "$here/workload.log"
	exit
fi
out=${OUT:-$here/workload.log}
dir=$(mktemp -d)
trap '"$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$bin/initdb" -D "$dir/data" -U postgres --no-sync >/dev/null 2>&1
"$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5499 -c fsync=off" start >/dev/null
psql="$bin/psql -X -q -v ON_ERROR_STOP=1 -h $dir -p 5499 -U postgres"
$psql -c "CREATE DATABASE shop" >/dev/null
$psql -d shop -f "$here/schema.sql" >/dev/null
$psql -d shop -f "$here/data.sql" >/dev/null
$psql -d shop -c "VACUUM ANALYZE" >/dev/null
# Log only the workload, in a format any log_line_prefix reader knows.
$psql -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %q%u@%d '" -c "SELECT pg_reload_conf()" >/dev/null
: > "$dir/server.log.start"
size=$(wc -c < "$dir/server.log")
"$bin/pgbench" -n -M extended -c 2 -t 60 -f "$here/workload.sql" -h "$dir" -p 5499 -U postgres shop >/dev/null
for i in 1 2 3; do $psql -d shop -f "$here/report.sql" >/dev/null; done
"$bin/pg_ctl" -D "$dir/data" -w stop >/dev/null
tail -c +"$((size + 1))" "$dir/server.log" | grep -v -e 'received fast shutdown' -e 'database system' -e 'shutting down' -e 'aborting any active' -e 'background worker' -e 'checkpoint' > "$out"
echo "wrote the log  ($(wc -l < "$out") lines)"
