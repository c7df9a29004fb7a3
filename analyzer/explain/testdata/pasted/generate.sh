#!/usr/bin/env bash
# generate.sh writes the plans of testdata/pasted in the shapes people
# paste them, every plan written by a real PostgreSQL: it creates the
# database "pgadvisor_pasted" (dropped first), then
#
#   pgadmin_quoted.txt   each line wrapped in single quotes, as pgAdmin's
#                        copy with the quote character ' gives (quotes
#                        inside doubled)
#   csv_export.txt       psql --csv: the "QUERY PLAN" column as a CSV export,
#                        lines with a comma or quote wrapped in double quotes
#   csv_cell.txt         the whole plan as one CSV field (quotes around it,
#                        quotes inside doubled)
#   fragment.txt         the lines from an inner "->" node to its subtree end
#   session.txt          a psql session transcript: prompts, SET, \timing,
#                        the framed plan, "Time:" lines
#   session_LANG.txt     the same in French, German, Spanish and Japanese
#                        (LANG=fr_FR.UTF-8...: "Temps : 0,123 ms"), for
#                        each of these locales the machine has
#   unicode_border2.txt  \pset linestyle unicode, \pset border 2
#   ascii_border2.txt    \pset border 2
#   unicode_border1.txt  \pset linestyle unicode
#   costs_off.txt        EXPLAIN (ANALYZE, COSTS OFF)
#   plain.txt            the plan as psql -At prints it, to compare with
#   fragment_selected.txt  fragment.txt selected from its arrow
#   pg84_subquery.txt    a subquery scan in PostgreSQL 8.x's words
#
# Usage: testdata/pasted/generate.sh [connection URL]
# (default postgresql://postgres@127.0.0.1:5432/postgres).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
admin=${1:-postgresql://postgres@127.0.0.1:5432/postgres}
db=${admin%/*}/pgadvisor_pasted
psqlx() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }

psqlx "$admin" -c "drop database if exists pgadvisor_pasted" -c "create database pgadvisor_pasted"
psqlx "$db" <<'SQL'
create table accounts (id int primary key, region text not null, name text not null);
insert into accounts select i, 'region ' || (i % 10), 'account ' || i from generate_series(1, 2000) i;
create table events (id int primary key, account_id int not null references accounts, kind text not null, at timestamptz not null);
insert into events select i, 1 + i % 2000, (array['login','logout','error'])[1 + i % 3],
  timestamptz '2024-01-01' + i * interval '1 minute' from generate_series(1, 50000) i;
vacuum analyze;
SQL

q="select a.region, count(*) from events e join accounts a on a.id = e.account_id where e.kind = 'error' and a.name like 'account 1%' group by a.region order by 2 desc, 1"
# plain prints the plan rows alone (unaligned, no header nor footer).
plain() { psqlx "$db" -At -c "explain (analyze, buffers) $q"; }

plain >"$here/plain.txt"
plain | sed "s/'/''/g; s/.*/'&'/" >"$here/pgadmin_quoted.txt"
psqlx "$db" --csv -c "explain (analyze, buffers) $q" >"$here/csv_export.txt"
# The plan as one CSV field (a spreadsheet's copy of the single cell).
plain | python3 -c 'import csv, sys; w = csv.writer(sys.stdout, lineterminator="\n"); w.writerow(["QUERY PLAN"]); w.writerow([sys.stdin.read().rstrip("\n")])' >"$here/csv_cell.txt"
# The fragment: from the Hash Join node to the line before the sibling of
# its subtree, as selected in a terminal.
plain | awk '/->  Hash Join/ {on=1} on && /Planning/ {exit} on {print}' >"$here/fragment.txt"
# The same selection made with a mouse: the first line starts at the arrow.
sed '1s/^ *//' "$here/fragment.txt" >"$here/fragment_selected.txt"
psqlx "$db" -At -c "explain (analyze, costs off) $q" >"$here/costs_off.txt"
# PostgreSQL 8.x printed a subquery scan as "Subquery Scan ss" (no "on",
# explain.c before 9.0), the run time as "Total runtime:" and no planning
# lines: a PostgreSQL 15 plan with a subquery scan, rewritten in that form.
psqlx "$db" -At -c "explain analyze select * from (select region, count(*) c from accounts group by region offset 0) ss where c > 1" |
	sed -E 's/Subquery Scan on /Subquery Scan /; s/^Execution Time:/Total runtime:/; /^Planning/d' >"$here/pg84_subquery.txt"

session() { # file linestyle border
	{
		echo "\\pset linestyle $2"
		echo "\\pset border $3"
		echo "\\timing on"
		echo "set work_mem = '8MB';"
		echo "explain (analyze, buffers) $q;"
		echo "select count(*) from accounts;"
	} | psql -X -e "$db" >"$1" 2>&1
}
session "$here/unicode_border2.txt" unicode 2
session "$here/ascii_border2.txt" ascii 2
session "$here/unicode_border1.txt" unicode 1

# session.txt: an interactive transcript. psql prints its prompts only on
# a terminal, so psql -a echoes the input in order with the output and
# awk puts back the prompts psql shows: "db=# " for a statement's first
# line, "db-# " for the next ones.
transcript() {
	local in=$here/.session.in
	{
		echo '\timing on'
		echo "set work_mem = '8MB';"
		echo "explain (analyze, buffers)"
		echo "${q};"
		echo "select count(*) from accounts;"
	} >"$in"
	psql -X -a "$db" <"$in" 2>&1 | awk -v inputs="$in" '
		BEGIN { while ((getline l < inputs) > 0) want[n++] = l; i = 0; start = 1 }
		i < n && $0 == want[i] {
			printf "%s%s\n", (start ? "pgadvisor_pasted=# " : "pgadvisor_pasted-# "), $0
			start = ($0 ~ /;$/ || $0 ~ /^\\/); i++; next
		}
		{ print }
		END { print "pgadvisor_pasted=# " }'
	rm -f "$in"
}
transcript >"$here/session.txt"
for lang in fr_FR de_DE es_ES ja_JP; do
	if locale -a 2>/dev/null | grep -qi "^$lang.utf8$"; then
		LANG=$lang.UTF-8 LC_ALL=$lang.UTF-8 transcript >"$here/session_${lang%_*}.txt"
	fi
done
psqlx "$admin" -c "drop database pgadvisor_pasted"
ls -l "$here"
