SELECT abalance FROM pgbench_accounts WHERE aid = 48213
----
UPDATE pgbench_accounts SET abalance = abalance + -4218 WHERE aid = 48213
----
UPDATE pgbench_tellers SET tbalance = tbalance + 3711 WHERE tid = 7
----
UPDATE pgbench_branches SET bbalance = bbalance + 3711 WHERE bid = 1
----
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 48213, 3711, CURRENT_TIMESTAMP)
----
BEGIN
----
END
----
select abalance from pgbench_accounts where aid = $1
----
SELECT * FROM users WHERE email = 'a@b.c' AND created_at > now() - interval '7 days' ORDER BY id DESC LIMIT 10 OFFSET 20
----
SELECT u.id, count(*) FROM users u JOIN orders o ON o.user_id = u.id
 WHERE o.status IN ('paid', 'shipped') AND o.kind NOT IN (1, 2, 3)
 GROUP BY u.id HAVING count(*) > 3
----
WITH recent AS (SELECT * FROM orders WHERE created_at >= '2024-01-01'::date)
SELECT r.id FROM recent r WHERE r.total BETWEEN 10.5 AND 99.99
----
SELECT data->>'name', data #>> '{a,b}', tags @> ARRAY['x','y'], tags && ARRAY[1, 2] FROM docs WHERE data ? 'k' AND id = ANY($1)
----
INSERT INTO t (a, b, c) VALUES (1, 'x', NULL), (2, 'y', true), (3, E'z\n', false)
ON CONFLICT (a) DO UPDATE SET b = excluded.b
----
INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, DEFAULT)
----
DELETE FROM sessions WHERE expires_at < $1 RETURNING id
----
SELECT lower(name) AS n, coalesce(x, 0)::numeric(10,2), CAST(y AS varchar(20)), z::float(10), w::int[3]
FROM items WHERE name ILIKE '%foo%' AND NOT (a IS NULL) AND b <> -1.5
----
SELECT * FROM a LEFT JOIN LATERAL (SELECT * FROM b WHERE b.a_id = a.id ORDER BY b.ts DESC NULLS LAST LIMIT 1) bb ON true
----
SELECT position('b' IN 'abc'), position('x' IN ('a')), substring('hello' FROM 2 FOR 3), trim(BOTH 'x' FROM 'xax'), overlay('abc' PLACING 'z' FROM 2)
----
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    balance numeric(12,2) DEFAULT 0,
    created_at timestamptz DEFAULT now()
)
----
CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts (lower(email)) INCLUDE (id) WHERE balance > 0
----
ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
----
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b; $$
----
CREATE OR REPLACE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.updated_at := now(); -- keep it fresh; always
  RETURN NEW;
END;
$body$
----
CREATE FUNCTION total(a int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT a + 1;
  SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
END
----
CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); DELETE FROM t WHERE a = (SELECT 1); END
----
COMMENT ON TABLE accounts IS 'Customer accounts; one per user'
----
SELECT x'1F', B'0101', U&'d\0061t\+000061', $tag$it's; $$ $tag$, 0x1F, 0o17, 0b101, 1_000_000, .5e-3, 1e10, 99999999999
----
MERGE INTO stock s USING deliveries d ON s.item = d.item
WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty
WHEN NOT MATCHED THEN INSERT VALUES (d.item, d.qty)
----
SELECT "Mixed Case", ñandú FROM "tablé" WHERE "a""b" = 'ü' AND U&"d\0061t" = 1
----
SELECT 1 /* inline; comment */ + 2 -- trailing; comment
 + 3
----
SELECT a FROM t WHERE b = 'multi'
  'line' AND c = E'it\'s'
----
SET search_path TO public, app
----
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t WHERE id = 5
----
SELECT ts AT TIME ZONE 'UTC', extract(epoch FROM ts), date_trunc('day', ts), now() - '1 hour'::interval FROM events
----
SELECT * FROM t WHERE (a, b) > (1, 2) ORDER BY a, b FETCH FIRST 5 ROWS ONLY
----
SELECT array_agg(DISTINCT x ORDER BY x) FILTER (WHERE x > 0) OVER (PARTITION BY y ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t
----
COPY accounts (id, email) TO STDOUT WITH (FORMAT csv, HEADER true)
----
VALUES (1, 'a'), (2, 'b')
----
TABLE accounts
----
SELECT json_build_object('a', 1, 'b', 2), json_array(1, 2, 3), ARRAY[[1,2],[3,4]], arr[1:2], arr[3]
----
PREPARE q (int) AS SELECT * FROM t WHERE id = $1
----
EXECUTE q (42)
----
DECLARE c CURSOR FOR SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE c = 'x')
----
SELECT count(*) FROM t WHERE a NOT IN (1) AND b IN ($1, $2, $3) AND c IN (-1, 2.5, 'x', NULL, TRUE)
----
UPDATE t SET (a, b) = (1, 'x'), c = c || 'y' WHERE id = ANY(ARRAY[1, 2, 3]) AND d = ANY('{1,2}')
----
SELECT CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, greatest(1, 2, 3), nullif(a, 0) FROM t
----
SELECT t.* FROM t TABLESAMPLE SYSTEM (10) REPEATABLE (42) WHERE t.x IS DISTINCT FROM 7
----
DROP TABLE IF EXISTS old_accounts CASCADE
----
VACUUM (ANALYZE) accounts
