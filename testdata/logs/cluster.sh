# cluster.sh is sourced by the log generators: it finds the PostgreSQL
# binaries, initdbs a scratch cluster in a temporary directory (as the
# postgres user when run as root) and defines configure, start, stop and
# psql_q. The caller sets out (the output directory) first.
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

