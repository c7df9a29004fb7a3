#!/usr/bin/env bash
# generate.sh writes the logs of the N+1 acceptance tests. Every line is
# written by a real PostgreSQL server: the script initdbs a scratch cluster
# in a temporary directory (as the postgres user when run as root), loads
# schema.sql with logging off, turns log_min_duration_statement = 0 on and
# runs the application simulation (sim/, a Go program on pgx) in the
# simple, extended and prepared protocols, then copies the logs here:
#
#   app.log  app.csv  app.json   one run, three destinations, log_line_prefix
#                                '%m [%p] %c %q[user=%u,db=%d,app=%a] ' (not
#                                a known prefix: read it with --log-prefix)
#   app-pid.log                  a second run with the known prefix
#                                '%m [%p] %q[user=%u,db=%d,app=%a] ', without
#                                %c: sessions are told by pid
#
# Usage: testdata/nplusone/generate.sh [OUTDIR]   (default: this directory)
# Needs the PostgreSQL server binaries (set PGBIN to choose them) and Go.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
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

work=$(mktemp -d /tmp/pgadvisor-nplusone.XXXXXX)
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

(cd "$root" && go build -o "$work/sim" ./testdata/nplusone/sim)

export PGHOST=$work PGPORT=54330 PGUSER=postgres PGDATABASE=app LC_ALL=C
url="postgres:///app?host=$work&port=54330&user=postgres&sslmode=disable"

as_pg "$PGBIN/initdb" -D "$pgdata" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null

# configure writes the logging settings of one run.
configure() { # logdir prefix destinations
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$work'"
		echo "port = 54330"
		echo "fsync = off"
		echo "lc_messages = 'C'"
		echo "logging_collector = on"
		echo "log_destination = '$3'"
		echo "log_directory = '$1'"
		echo "log_filename = 'postgresql.log'"
		echo "log_rotation_age = 0"
		echo "log_rotation_size = 0"
		echo "log_line_prefix = '$2'"
		echo "log_timezone = 'UTC'"
		echo "log_min_duration_statement = 0"
		echo "log_connections = on"
		echo "log_disconnections = on"
		echo "log_parameter_max_length = -1"
	} >"$pgdata/postgresql.auto.conf"
}
start() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -l "$work/server.out" start >/dev/null; }
stop() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -m fast stop >/dev/null; }

# Run 1: the three protocols, logged to stderr, csvlog and jsonlog at once.
configure "$work/log1" '%m [%p] %c %q[user=%u,db=%d,app=%a] ' 'stderr,csvlog,jsonlog'
start
PGOPTIONS='-c log_min_duration_statement=-1' "$PGBIN/createdb" app
PGOPTIONS='-c log_min_duration_statement=-1' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -f "$here/schema.sql" >/dev/null
for mode in simple extended prepared; do
	"$work/sim" -db "$url" -mode "$mode"
done
stop
cp "$work/log1/postgresql.log" "$out/app.log"
cp "$work/log1/postgresql.csv" "$out/app.csv"
cp "$work/log1/postgresql.json" "$out/app.json"

# Run 2: no %c in the prefix.
configure "$work/log2" '%m [%p] %q[user=%u,db=%d,app=%a] ' stderr
start
for mode in simple extended prepared; do
	"$work/sim" -db "$url" -mode "$mode"
done
stop
cp "$work/log2/postgresql.log" "$out/app-pid.log"
chmod 644 "$out"/app.log "$out"/app.csv "$out"/app.json "$out"/app-pid.log
