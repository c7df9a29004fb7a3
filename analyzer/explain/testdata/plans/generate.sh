#!/usr/bin/env bash
# generate.sh rebuilds the plan corpus of analyzer/explain from a real
# PostgreSQL: it creates the database "pgadvisor_plans" (dropped first),
# loads a schema with enough data for real sequential scans with selective
# filters, misestimates (correlated columns), sort and hash spills (low
# work_mem), nested loops over sequential scans, index scans that remove
# rows, index-only scans with heap fetches, lossy bitmaps, parallel plans,
# JIT, triggers, CTEs and subplans, then writes every query's plan with
# EXPLAIN (ANALYZE, BUFFERS) in text, JSON, YAML and XML, plus the
# variants of the text format (VERBOSE, SETTINGS, WAL, TIMING OFF, ...).
#
# Usage: testdata/plans/generate.sh [connection URL]
# (default postgresql://postgres@127.0.0.1:5432/postgres). Output goes to
# testdata/plans/pg<major>/ next to this script.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
admin=${1:-${PGADVISOR_PLANS_URL:-postgresql://postgres@127.0.0.1:5432/postgres}}
db=${admin%/*}/pgadvisor_plans
psqlx() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }

major=$(psqlx "$admin" -Atc "select current_setting('server_version_num')::int / 10000")
out=$here/pg$major
mkdir -p "$out"

psqlx "$admin" -c "drop database if exists pgadvisor_plans" -c "create database pgadvisor_plans"

echo "loading data into pgadvisor_plans" >&2
psqlx "$db" <<'SQL'
-- Deterministic pseudo-random data: no random(), so every run builds the
-- same rows.
create table customers (
  id int primary key,
  name text not null,
  country text not null,
  city text not null,
  created_at timestamptz not null
);
-- city determines country: the planner multiplies their selectivities
-- and underestimates filters on both (correlated columns).
insert into customers
select i, 'customer ' || i, 'country ' || ((i % 1000) % 100), 'city ' || (i % 1000),
       timestamptz '2020-01-01' + (i % 1000) * interval '1 day'
from generate_series(1, 100000) i;
-- Customers without orders, deleted by the trigger example.
insert into customers select i, 'customer ' || i, 'country 0', 'city 0', timestamptz '2020-01-01'
from generate_series(100001, 100010) i;

create table orders (
  id bigint primary key,
  customer_id int not null references customers,
  status text not null,
  amount numeric(10,2) not null,
  created_at timestamptz not null,
  note text not null
);
insert into orders
select i, (1 + (i * 7919) % 100000)::int,
       (array['new','paid','shipped','delivered','refunded'])[1 + (i * 31) % 5],
       ((i * 104729) % 100000) / 100.0,
       timestamptz '2023-01-01' + ((i * 613) % 730) * interval '1 day' + (i % 86400) * interval '1 second',
       md5(i::text) || md5((i * 3)::text)
from generate_series(1::bigint, 600000) i;
create index orders_created_at_idx on orders (created_at);

-- Small table joined without an index on the join key.
create table shipments (
  id int primary key,
  customer_id int not null,
  carrier text not null
);
insert into shipments
select i, 1 + (i * 37) % 100000, 'carrier ' || (i % 7) from generate_series(1, 20000) i;

-- Index-only scans with heap fetches: rows updated after VACUUM leave
-- their pages out of the visibility map.
create table visits (id int primary key, page int not null, hits int not null) with (autovacuum_enabled = false);
insert into visits select i, i % 1000, 0 from generate_series(1, 200000) i;
vacuum analyze visits;
update visits set hits = hits + 1 where id % 3 = 0;

-- Lossy bitmap heap scans: many matching rows spread over many pages.
create table events (id int primary key, kind int not null, payload text not null);
insert into events select i, i % 50, repeat('x', 100) from generate_series(1, 300000) i;
create index events_kind_idx on events (kind);

-- A partitioned table with many partitions: expensive to plan.
create table measurements (id int not null, sensor int not null, value float8 not null) partition by list (sensor);
do $$
begin
  for s in 0..199 loop
    execute format('create table measurements_%s partition of measurements for values in (%s)', s, s);
  end loop;
end $$;
insert into measurements select i, i % 200, i * 0.5 from generate_series(1, 40000) i;

-- Triggers for EXPLAIN ANALYZE of writes.
create table audit (id bigserial primary key, order_id bigint, at timestamptz default now());
create function audit_order() returns trigger language plpgsql as $$
begin
  insert into audit (order_id) values (new.id);
  return new;
end $$;
create trigger orders_audit after update on orders for each row execute function audit_order();

-- Larger than shared_buffers (128MB by default) and written through a
-- bulk-write ring: a scan of it reads its pages rather than finding them
-- in shared buffers (a cold cache).
create table archive as
select i as id, md5(i::text) as a, md5((i + 1)::text) as b from generate_series(1, 1500000) i;
analyze archive;

-- Two tables partitioned alike and joined partition by partition
-- (enable_partitionwise_join): the shape of a big partitioned query,
-- which the parser's benchmark repeats up to 10,000 nodes.
create table readings (id int not null, device int not null, value float8 not null) partition by list (device);
create table devices (device int not null, id int not null, name text not null) partition by list (device);
do $$
begin
  for d in 1..4 loop
    execute format('create table readings_%s partition of readings for values in (%s)', d, d);
    execute format('create table devices_%s partition of devices for values in (%s)', d, d);
  end loop;
end $$;
insert into readings select i, 1 + i % 4, i * 0.5 from generate_series(1, 40000) i;
insert into devices select 1 + i % 4, i, 'device ' || i from generate_series(1, 400) i;
analyze readings;
analyze devices;

vacuum analyze customers;
vacuum analyze orders;
vacuum analyze shipments;
vacuum analyze events;
analyze measurements;
SQL

# plan NAME SETUP QUERY [OPTIONS]: writes NAME.{txt,json,yaml,xml}.
# SETUP runs first in the same session (SET ...). A query that writes runs
# inside a transaction that is rolled back.
plan() {
	local name=$1 setup=$2 query=$3 opts=${4:-ANALYZE, BUFFERS}
	local fmt ext begin="" end=""
	case "$query" in
	update* | delete* | insert*) begin="begin;" end="rollback;" ;;
	esac
	for fmt in text json yaml xml; do
		case $fmt in text) ext=txt ;; *) ext=$fmt ;; esac
		local o=$opts
		[ "$fmt" = text ] || o="$opts, FORMAT $fmt"
		echo "$name.$ext" >&2
		psqlx "$db" -At -o "$out/$name.$ext" <<SQL
$setup
$begin
explain ($o) $query;
$end
SQL
	done
}

# text NAME SETUP QUERY OPTIONS: a text-only variant.
text() {
	local name=$1 setup=$2 query=$3 opts=$4 begin="" end=""
	case "$query" in
	update* | delete* | insert*) begin="begin;" end="rollback;" ;;
	esac
	echo "$name.txt" >&2
	psqlx "$db" -At -o "$out/$name.txt" <<SQL
$setup
$begin
explain ($opts) $query;
$end
SQL
}

serial="set max_parallel_workers_per_gather = 0;"

plan seqscan_filter "$serial" "select * from orders where customer_id = 4242"
plan seqscan_unselective "$serial" "select * from orders where amount >= 1"
plan pk_lookup "" "select * from orders where id = 4242"
plan misestimate "$serial" "select * from customers where city = 'city 17' and country = 'country 17'"
plan sort_spill "set work_mem = '1MB'; $serial" "select * from orders order by note"
plan sort_memory "$serial" "select * from customers order by name limit 100"
plan hash_spill "set work_mem = '1MB'; $serial" "select o.id, c.name from orders o join customers c on c.id = o.customer_id"
plan hashagg_spill "set work_mem = '1MB'; $serial" "select customer_id, count(*), sum(amount) from orders group by customer_id"
plan nested_loop "set enable_hashjoin = off; set enable_mergejoin = off; $serial" "select c.id, s.carrier from customers c join shipments s on s.customer_id = c.id where c.city = 'city 3' and c.country = 'country 3'"
plan index_filter "set enable_bitmapscan = off; $serial" "select * from orders where created_at >= '2023-03-01' and created_at < '2023-03-08' and status = 'refunded' order by created_at"
plan bitmap_filter "$serial" "select * from orders where created_at >= '2023-03-01' and created_at < '2023-03-08' and status = 'refunded' order by created_at"
plan heap_fetches "$serial" "select id from visits where id between 1 and 60000"
plan index_only "set max_parallel_workers_per_gather = 0; set enable_bitmapscan = off;" "select id from customers where id between 1 and 60000"
plan lossy_bitmap "set work_mem = '64kB'; set enable_seqscan = off; $serial" "select sum(length(payload)) from events where kind < 10"
plan exact_bitmap "$serial" "select sum(length(payload)) from events where kind = 7"
plan parallel "set parallel_setup_cost = 0; set parallel_tuple_cost = 0;" "select status, count(*), avg(amount) from orders where amount > 10 group by status"
plan parallel_sort "set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set work_mem = '1MB';" "select * from orders where amount > 900 order by note"
plan workers_not_launched "set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set max_parallel_workers = 0;" "select count(*) from orders where amount > 10"
plan jit "set jit = on; set jit_above_cost = 0; set jit_inline_above_cost = 0; set jit_optimize_above_cost = 0; $serial" "select status, sum(amount) from orders where customer_id < 100 group by status"
plan cold_scan "$serial" "select count(*) from archive where a like 'ab%'"
plan planning_heavy "$serial" "select * from measurements where id = 77"
plan cte_subplan "$serial" "with top as materialized (select customer_id, sum(amount) as total from orders where amount > 990 group by customer_id) select c.name, t.total, (select count(*) from shipments s where s.customer_id = c.id) as shipments from top t join customers c on c.id = t.customer_id where t.total > (select avg(total) from top)"
plan initplan "$serial" "select * from orders where id = (select max(id) from orders where customer_id = 4242)"
plan update_trigger "$serial" "update orders set status = 'paid' where id between 1 and 50"
plan append "$serial" "select id from customers where id < 10 union all select id from shipments where id < 10"
plan partitionwise "set enable_partitionwise_join = on; $serial" "select * from readings r join devices d using (device, id) where r.value > 10"
plan plain "$serial" "select c.country, count(*) from customers c join orders o on o.customer_id = c.id where o.created_at >= '2024-01-01' group by c.country order by 2 desc" "COSTS"

text verbose "$serial" "select c.name, o.amount from customers c join orders o on o.customer_id = c.id where c.id < 100" "ANALYZE, VERBOSE, BUFFERS, SETTINGS"
text parallel_verbose "set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set work_mem = '1MB';" "select * from orders where amount > 900 order by note" "ANALYZE, VERBOSE, BUFFERS"
text wal "$serial" "insert into audit (order_id) select id from orders where id < 1000" "ANALYZE, WAL, BUFFERS"
text timing_off "$serial" "select * from orders where customer_id = 4242" "ANALYZE, TIMING OFF"
text summary_off "$serial" "select count(*) from customers" "ANALYZE, SUMMARY OFF"
text costs_off "$serial" "select * from customers where id = 1" "COSTS OFF"
text delete_fk "$serial" "delete from customers where id = 100005" "ANALYZE"
text io_timing "set track_io_timing = on; $serial" "select count(*) from orders where amount < 5" "ANALYZE, BUFFERS"

# psql's framed output (QUERY PLAN header, "(N rows)" footer) and the same
# output wrapped by an 80-column terminal.
psqlx "$db" -o "$out/framed.txt" <<SQL
$serial
explain (analyze, buffers) select * from orders where customer_id = 4242;
SQL
psqlx "$db" -o "$out/framed_json.txt" <<SQL
$serial
explain (format json) select * from orders where customer_id = 4242;
SQL
fold -w 80 "$out/verbose.txt" >"$out/wrapped.txt"

psqlx "$admin" -c "drop database pgadvisor_plans"
echo "wrote $out" >&2
