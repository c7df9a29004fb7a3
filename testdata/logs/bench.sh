#!/usr/bin/env bash
# bench.sh measures how fast pgadvisor reads a large real PostgreSQL log,
# and pgBadger on the same file when it is installed (Debian package
# pgbadger).
#
# The log (at least 250 MB and 2 million lines, log_min_duration_statement
# = 0, pgbench in the simple, extended and prepared protocols) is made once
# by a scratch PostgreSQL cluster and kept outside the repository:
#   ${PGADVISOR_BENCH_DIR:-$HOME/.cache/pgadvisor}/bench/pgbench.log
# Delete it to make a new one. Needs the PostgreSQL server binaries (set
# PGBIN to choose them) and Go.
#
# Usage: testdata/logs/bench.sh      (from anywhere; make bench calls it)
# Set PGADVISOR_BENCH_SKIP_PGBADGER=1 to skip pgBadger (it reads about
# 2 MB/s: two minutes on this log).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${PGADVISOR_BENCH_DIR:-$HOME/.cache/pgadvisor}/bench
log=$dir/pgbench.log
prefix='%m [%p] %q%u@%d '
min_bytes=$((250 * 1000 * 1000))
min_lines=2000000
mkdir -p "$dir"

calc() { awk "BEGIN { print $1 }"; }

as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

make_log() {
	if [[ -z "${PGBIN:-}" ]]; then
		if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
			PGBIN=$(pg_config --bindir)
		else
			PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
		fi
	fi
	[[ -x "$PGBIN/initdb" ]] || { echo "bench.sh: no initdb in '$PGBIN' (set PGBIN)" >&2; exit 1; }
	local work
	work=$(mktemp -d /tmp/pgadvisor-bench.XXXXXX)
	# shellcheck disable=SC2064
	trap "as_pg '$PGBIN/pg_ctl' -D '$work/data' -m immediate stop >/dev/null 2>&1 || true; rm -rf '$work'" EXIT
	[[ $(id -u) == 0 ]] && chown postgres "$work"
	chmod 755 "$work"
	export PGHOST=$work PGPORT=54330 PGUSER=postgres PGDATABASE=bench LC_ALL=C
	as_pg "$PGBIN/initdb" -D "$work/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null
	cat >>"$work/data/postgresql.auto.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$work'
		port = 54330
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		lc_messages = 'C'
		logging_collector = on
		log_destination = 'stderr'
		log_directory = '$work/log'
		log_filename = 'postgresql.log'
		log_rotation_age = 0
		log_rotation_size = 0
		log_line_prefix = '$prefix'
		log_timezone = 'UTC'
		log_min_duration_statement = 0
		log_connections = on
		log_disconnections = on
		log_checkpoints = on
	EOF
	as_pg "$PGBIN/pg_ctl" -D "$work/data" -w -l "$work/server.out" start >/dev/null
	"$PGBIN/createdb" bench
	"$PGBIN/pgbench" -i -s 10 -q bench >/dev/null 2>&1
	local modes=(simple simple extended prepared) i=0 size=0 lines=0
	echo "bench.sh: writing a large log with pgbench (a few minutes, once)..." >&2
	while :; do
		"$PGBIN/pgbench" -n -M "${modes[i % 4]}" -c 4 -j 2 -t 5000 bench >/dev/null 2>&1
		i=$((i + 1))
		size=$(stat -c %s "$work/log/postgresql.log")
		if ((size >= min_bytes + min_bytes / 20)); then
			lines=$(wc -l <"$work/log/postgresql.log")
			((lines >= min_lines)) && break
		fi
	done
	as_pg "$PGBIN/pg_ctl" -D "$work/data" -w -m fast stop >/dev/null
	cp "$work/log/postgresql.log" "$log.tmp"
	mv "$log.tmp" "$log"
}

if [[ ! -s "$log" ]]; then
	make_log
fi
bytes=$(stat -c %s "$log")
lines=$(wc -l <"$log")
printf 'log: %s\n  %d bytes (%.0f MB), %d lines\n' "$log" "$bytes" "$(calc "$bytes / 1000000")" "$lines"

# pgadvisor: the Go benchmark reads the log through the same code as
# `pgadvisor analyze` (package source: detection, decompression, parallel
# parsing, workload) and prints MB/s, lines/s, the peak RSS and MB per
# second of CPU time. Wall-clock figures depend on what else the machine
# runs; CPU-time figures do not, so both tools are given both.
cd "$repo"
bindir=$(mktemp -d /tmp/pgadvisor-bench-bin.XXXXXX)
go test -c -o "$bindir/source.test" ./analyzer/source/
# BenchmarkLargeLogNPlusOne reads it again with the N+1 detector on (as
# `pgadvisor analyze` does by default).
out=$(PGADVISOR_BENCH_LOG=$log "$bindir/source.test" -test.run '^$' -test.bench '^BenchmarkLargeLog(NPlusOne)?$' -test.benchtime 3x -test.count 1)
rm -rf "$bindir"
echo "$out" | grep -E '^Benchmark'
metric() { echo "$out" | awk -v unit="$1" -v name="^${2:-BenchmarkLargeLog}-" '$1 ~ name { for (i = 1; i < NF; i++) if ($(i+1) == unit) print $i }' | tail -n 1; }
ours=$(metric MB/s)
ours_cpu=$(metric MB/cpu-s)
printf 'pgadvisor: %.1f MB/s, %.0f lines/s, peak RSS %.0f MB, %.1f MB per CPU second (2 cores)\n' \
	"$ours" "$(metric lines/s)" "$(metric peak-RSS-MB)" "$ours_cpu"
printf '  with N+1 detection: %.1f MB/s, %.0f lines/s, %.1f MB per CPU second\n' \
	"$(metric MB/s BenchmarkLargeLogNPlusOne)" "$(metric lines/s BenchmarkLargeLogNPlusOne)" "$(metric MB/cpu-s BenchmarkLargeLogNPlusOne)"
printf 'load:      %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

if [[ -n "${PGADVISOR_BENCH_SKIP_PGBADGER:-}" ]] || ! command -v pgbadger >/dev/null; then
	echo "pgbadger: not run (install the pgbadger package to compare)"
	exit 0
fi
outdir=$(mktemp -d /tmp/pgadvisor-pgbadger.XXXXXX)
TIMEFORMAT='%R %U %S'
{ time pgbadger --quiet -j 1 -f stderr --prefix "$prefix" -o "$outdir/out.json" "$log"; } 2>"$outdir/time"
read -r secs user sys < <(tail -n 1 "$outdir/time")
rm -rf "$outdir"
theirs=$(calc "$bytes / 1000000 / $secs")
theirs_cpu=$(calc "$bytes / 1000000 / ($user + $sys)")
printf 'pgbadger:  %.2f MB/s (%.0f s), %.2f MB per CPU second (one process)\n' "$theirs" "$secs" "$theirs_cpu"
printf 'ratio:     %.0fx pgBadger wall-clock, %.0fx per CPU second\n' "$(calc "$ours / $theirs")" "$(calc "$ours_cpu / $theirs_cpu")"
