#!/usr/bin/env bash
# platforms.sh writes the logs of testdata/logs/platforms/ in the shapes
# the platforms people run PostgreSQL on deliver them. Every message is
# written by a real PostgreSQL server (a scratch cluster, as in
# generate.sh); where a platform wraps the server's lines, the wrapping is
# done here the way that platform does it:
#
#   small.csv        a csvlog of two records (26 columns, PostgreSQL 14+)
#   cnpg.json        CloudNativePG: one JSON object per line, "logger":
#                    "postgres", the csvlog fields under "record"
#   gcp.json         Google Cloud Logging (Cloud SQL): one entry per line,
#                    the stderr line in "textPayload", prefix
#                    '%m [%p]: [%l-1] db=%d,user=%u '
#   heroku.log       Heroku logplex: "TS app[postgres.PID]: [DATABASE]
#                    [N-1] sql_error_code = 00000 LOG:  ..."
#   azure.log        Azure Database for PostgreSQL prefix '%t-%c-'
#   indented.log     a stderr log whose continuation lines were re-indented
#                    with spaces (an edited log)
#   lang_fr.log ...  stderr logs with lc_messages fr_FR, de_DE, es_ES,
#                    ja_JP, ru_RU (Russian translates LOG too), for
#                    each of these locales the machine has; the French
#                    run in csvlog and jsonlog too (lang_fr.csv, .json)
#   numbered.log     one query on tables tenant10..tenant49 and on
#                    partitions events_2023 and events_2024
#   syslog_noseq.log syslog with syslog_sequence_numbers = off: received
#                    on a /dev/log socket served by this script (when
#                    /dev/log is free) and written as rsyslog does (#011
#                    for tabs); one statement is long enough for PostgreSQL
#                    to split its message
#
# Usage: testdata/logs/platforms.sh [OUTDIR] (default: ./platforms next
# to this script). Needs the PostgreSQL server binaries (PGBIN), python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/platforms}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [[ -z "${PGBIN:-}" ]]; then
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[[ -x "$PGBIN/initdb" ]] || { echo "platforms.sh: no initdb in '$PGBIN' (set PGBIN)" >&2; exit 1; }

work=$(mktemp -d /tmp/pgadvisor-platforms.XXXXXX)
pgdata=$work/data
syslogd=
cleanup() {
	as_pg "$PGBIN/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
	[[ -n "$syslogd" ]] && kill "$syslogd" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
as_pg() {
	if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ $(id -u) == 0 ]]; then chown postgres "$work"; fi
chmod 755 "$work"

export PGHOST=$work PGPORT=54328 PGUSER=postgres PGDATABASE=shop LC_ALL=C
as_pg "$PGBIN/initdb" -D "$pgdata" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null

configure() { # logdir prefix destinations lc_messages extra...
	local logdir=$1 prefix=$2 dest=$3 lang=$4
	shift 4
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$work'"
		echo "port = 54328"
		echo "fsync = off"
		echo "lc_messages = '$lang'"
		echo "logging_collector = on"
		echo "log_destination = '$dest'"
		echo "log_directory = '$logdir'"
		echo "log_filename = 'postgresql.log'"
		echo "log_line_prefix = '$prefix'"
		echo "log_timezone = 'UTC'"
		echo "log_min_duration_statement = 0"
		echo "compute_query_id = on"
		for line in "$@"; do echo "$line"; done
	} >"$pgdata/postgresql.auto.conf"
}
start() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -l "$work/server.out" start >/dev/null; }
stop() { as_pg "$PGBIN/pg_ctl" -D "$pgdata" -w -m fast stop >/dev/null; }

# workload runs the statements every log holds: a multi-line query, the
# extended protocol with parameters, a failing statement.
workload() {
	psql -X -q shop >/dev/null 2>&1 <<'SQL' || true
SELECT o.id,
       o.customer_id,
       o.status,
       o.total
  FROM orders o
 WHERE o.customer_id = 42
   AND o.status <> 'new'
   AND o.total > 10
 ORDER BY o.id
 LIMIT 50;
SELECT count(*) FROM orders WHERE status = 'paid';
SELECT * FROM no_such_table;
SQL
	"$PGBIN/pgbench" -n -M extended -c 1 -t 3 -f "$work/bench.sql" shop >/dev/null 2>&1
}
cat >"$work/bench.sql" <<'SQL'
\set c random(1, 1000)
SELECT id, total FROM orders WHERE customer_id = :c;
SQL

configure "$work/setup" '%m [%p] ' stderr C
start
"$PGBIN/createdb" shop
psql -X -q shop <<'SQL'
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL);
INSERT INTO orders SELECT i, i % 1000, (ARRAY['new','paid','shipped'])[1 + i % 3], i % 500 FROM generate_series(1, 20000) i;
ANALYZE orders;
SQL
stop

# Run 1: csvlog and stderr at once.
configure "$work/log1" '%m [%p] %q%u@%d ' 'stderr,csvlog' C
start; workload; stop
python3 - "$work/log1/postgresql.csv" "$out" <<'PY'
import csv, json, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, newline='', encoding='utf-8')))
assert len(rows[0]) == 26, len(rows[0])
# small.csv: the first two statement records, as csvlog writes them.
stmts = [r for r in rows if r[13].startswith('duration:')][:2]
with open(out + '/small.csv', 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows(stmts)
# cnpg.json: CloudNativePG's instance manager wraps each csvlog record.
names = ['log_time', 'user_name', 'database_name', 'process_id', 'connection_from', 'session_id',
         'session_line_num', 'command_tag', 'session_start_time', 'virtual_transaction_id',
         'transaction_id', 'error_severity', 'sql_state_code', 'message', 'detail', 'hint',
         'internal_query', 'internal_query_pos', 'context', 'query', 'query_pos', 'location',
         'application_name', 'backend_type', 'leader_pid', 'query_id']
with open(out + '/cnpg.json', 'w', encoding='utf-8') as f:
    for r in rows:
        rec = dict(zip(names, r))
        ts = r[0].replace(' UTC', 'Z').replace(' ', 'T')
        f.write(json.dumps(separators=(',', ':'), obj={'level': 'info', 'ts': ts, 'logger': 'postgres', 'msg': 'record',
                            'logging_pod': 'cluster-example-1', 'record': rec}, ensure_ascii=False) + '\n')
PY
sed 's/^\t/    /' "$work/log1/postgresql.log" >"$out/indented.log"

# Run 2: Cloud SQL's prefix, wrapped as Google Cloud Logging entries.
configure "$work/log2" '%m [%p]: [%l-1] db=%d,user=%u ' stderr C
start; workload; stop
python3 - "$work/log2/postgresql.log" "$out/gcp.json" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(dst, 'w', encoding='utf-8') as f:
    for i, line in enumerate(open(src, encoding='utf-8').read().splitlines()):
        ts = line[:23].replace(' ', 'T') + 'Z' if line[:2] == '20' else '2026-01-01T00:00:00Z'
        f.write(json.dumps(separators=(',', ':'), obj={'insertId': 's=%08x' % i, 'logName': 'projects/demo/logs/cloudsql.googleapis.com%2Fpostgres.log',
                            'receiveTimestamp': ts, 'resource': {'labels': {'database_id': 'demo:db1', 'project_id': 'demo', 'region': 'europe-west1'},
                            'type': 'cloudsql_database'}, 'severity': 'INFO', 'textPayload': line, 'timestamp': ts}) + '\n')
PY

# Run 3: Heroku Postgres's prefix 'sql_error_code = %e ', delivered by
# logplex: "TS app[postgres.PID]: [COLOR] [N-part] line"; the timestamp
# and pid come from a private prefix put in front and moved out here.
configure "$work/log3" '%m|%p|sql_error_code = %e ' stderr C
start; workload; stop
python3 - "$work/log3/postgresql.log" "$out/heroku.log" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
n = 0
with open(dst, 'w', encoding='utf-8') as f:
    for line in open(src, encoding='utf-8').read().splitlines():
        if line.startswith('\t'):
            part += 1
            f.write('%s app[postgres.%s]: [DATABASE] [%d-%d] %s\n' % (ts, pid, n, part, line))
            continue
        stamp, pid, rest = line.split('|', 2)
        ts = stamp[:23].replace(' ', 'T') + '000+00:00'
        n, part = n + 1, 1
        f.write('%s app[postgres.%s]: [DATABASE] [%d-1] %s\n' % (ts, pid, n, rest))
PY

# Run 4: Azure's prefix.
configure "$work/log4" '%t-%c-' stderr C
start; workload; stop
cp "$work/log4/postgresql.log" "$out/azure.log"

# Runs 5-9: the messages in French, German, Spanish, Japanese, Russian.
for lang in fr_FR de_DE es_ES ja_JP ru_RU; do
	if ! locale -a 2>/dev/null | grep -qi "^$lang.utf8$"; then
		echo "platforms.sh: no locale $lang.UTF-8, lang_${lang%_*}.log not written" >&2
		continue
	fi
	configure "$work/log-$lang" '%m [%p] %q%u@%d ' stderr,csvlog,jsonlog "$lang.UTF-8"
	start; workload; stop
	cp "$work/log-$lang/postgresql.log" "$out/lang_${lang%_*}.log"
	if [[ $lang == fr_FR ]]; then
		cp "$work/log-$lang/postgresql.csv" "$out/lang_fr.csv"
		cp "$work/log-$lang/postgresql.json" "$out/lang_fr.json"
	fi
done

# Run 10: the same query on 40 tables whose names differ in digits only
# (a table per tenant), and on two partitions: pg_query's fingerprint
# ignores those digits.
configure "$work/log10" '%m [%p] %q%u@%d ' stderr C
start
{
	for i in $(seq 10 49); do
		echo "CREATE TABLE IF NOT EXISTS tenant$i (id int PRIMARY KEY, v text);"
		echo "SELECT v FROM tenant$i WHERE id = $i;"
	done
	echo "CREATE TABLE IF NOT EXISTS events (at date NOT NULL, v text) PARTITION BY RANGE (at);"
	echo "CREATE TABLE IF NOT EXISTS events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');"
	echo "CREATE TABLE IF NOT EXISTS events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
	echo "SELECT count(*) FROM events_2023 WHERE v = 'x';"
	echo "SELECT count(*) FROM events_2024 WHERE v = 'y';"
	echo "SELECT count(*) FROM events_2024 WHERE v = 'z';"
} | psql -X -q shop >/dev/null
stop
grep -v -e 'CREATE TABLE' "$work/log10/postgresql.log" >"$out/numbered.log"

# Run 9: syslog without sequence numbers.
if [[ ! -e /dev/log ]] && [[ $(id -u) == 0 ]]; then
	python3 - "$work/syslog.out" <<'PY' &
import os, re, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('/dev/log')
os.chmod('/dev/log', 0o666)
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    while True:
        msg = s.recv(65536).decode('utf-8', 'replace')
        if msg == 'STOP':
            break
        # "<pri>Mmm dd hh:mm:ss ident[pid]: text" as rsyslog stores it.
        m = re.match(r'<\d+>(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\S+\[\d+\]): ?(.*)', msg, re.S)
        if m:
            f.write('%s db1 %s: %s\n' % (m.group(1), m.group(2), m.group(3).replace('\t', '#011').rstrip('\n')))
            f.flush()
os.unlink('/dev/log')
PY
	syslogd=$!
	for _ in $(seq 50); do [[ -S /dev/log ]] && break; sleep 0.1; done
	configure "$work/log9" '%m [%p] %q%u@%d ' syslog C "syslog_sequence_numbers = off" "syslog_ident = 'postgres'"
	start
	workload
	long=$(python3 -c "print('SELECT ' + ', '.join('%d AS c%d' % (i, i) for i in range(150)))")
	psql -X -q -c "$long" shop >/dev/null
	stop
	sleep 1
	python3 -c "import socket; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b'STOP', '/dev/log')"
	wait "$syslogd" || true
	syslogd=
	cp "$work/syslog.out" "$out/syslog_noseq.log"
else
	echo "platforms.sh: /dev/log in use (or not root): syslog_noseq.log not written" >&2
fi
ls -l "$out"
