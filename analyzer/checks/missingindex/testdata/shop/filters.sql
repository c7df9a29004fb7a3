-- Finds: filters no index can start from.
SELECT id, total FROM orders WHERE user_id = $1; -- want `^no index of orders serves user_id = \$1: every row is read to find the matching ones$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders \(user_id\) INCLUDE \(id, total\);$`
-- A text column is too wide to copy into the index.
SELECT id, status FROM orders WHERE user_id = $1; -- want `serves user_id = \$1` fix:`orders_user_id_idx ON orders \(user_id\);$`
SELECT * FROM users WHERE country = 'FR' AND score > 100; -- want `no index of users serves country = 'FR' AND score > 100` fix:`ON users \(country, score\);$`
SELECT id FROM users WHERE lower(email) = lower($1); -- want `serves lower\(email\) = lower\(\$1\)` fix:`users_lower_email_idx ON users \(lower\(email\)\)`
SELECT * FROM users WHERE deleted_at IS NULL AND created_at > $1; -- want `users` fix:`ON users \(created_at\) WHERE deleted_at IS NULL;$`
SELECT * FROM users WHERE active AND country = $1; -- want `users` fix:`ON users \(country\) WHERE active;$`
SELECT *
FROM orders
WHERE total BETWEEN $1 AND $2 -- want `serves total BETWEEN`
  AND shipped_at IS NOT NULL;
SELECT * FROM events WHERE kind IN ('click', 'view'); -- want `no index of events serves kind IN` fix:`events_kind_idx ON events \(kind\)`
UPDATE orders SET status = 'shipped' WHERE shipped_at < now() - interval '1 day'; -- want `no index of orders serves shipped_at <` fix:`orders_shipped_at_idx ON orders \(shipped_at\);$`
DELETE FROM events WHERE user_id = $1; -- want `no index of events serves user_id = \$1`
SELECT count(*) FROM users WHERE id IN (SELECT user_id FROM events WHERE kind = $1); -- want `no index of events serves kind = \$1`
-- A partial index whose predicate the query does not imply.
SELECT id FROM orders WHERE created_at > $1; -- want `no index of orders serves created_at > \$1`

-- Only an expression index serves an expression; a hash index only =.
SELECT id FROM products WHERE upper(title) = $1; -- want `serves upper\(title\)` fix:`products_upper_title_idx ON products \(upper\(title\)\)`
SELECT id FROM products WHERE sku > $1; -- want `serves sku > \$1`
SELECT id FROM products WHERE sku IN ('a', 'b'); -- want `serves sku IN`

-- LIKE 'prefix%' needs a pattern operator class.
SELECT id FROM users WHERE name LIKE 'Jo%'; -- want `serves name LIKE 'Jo%'` fix:`ON users \(name text_pattern_ops\)`

-- Inside a view, through a CTE, in a subquery.
SELECT id FROM active_users WHERE country = $1; -- want `no index of users serves .*country = \$1` fix:`users_country_idx ON users \(country\)( INCLUDE \([a-z, ]+\))? WHERE deleted_at IS NULL;$`
WITH big AS (SELECT id FROM orders WHERE total > 1000) SELECT count(*) FROM big; -- want `no index of orders serves total > 1000`
-- A view read twice with the same condition: one finding, not two.
SELECT id FROM active_users WHERE country = $1 UNION SELECT id FROM active_users WHERE country = $1; -- want `no index of users serves .*country = \$1`
-- EXPLAIN runs its query.
EXPLAIN SELECT id FROM orders WHERE user_id = $1; -- want `no index of orders serves user_id = \$1`

-- Stays silent: an index serves it.
SELECT * FROM users WHERE id = $1;
SELECT * FROM users WHERE email = $1;
SELECT * FROM users WHERE email IN ($1, $2);
SELECT * FROM orders WHERE status = $1;
SELECT * FROM orders WHERE status = 'paid' AND user_id = $1;
SELECT * FROM orders WHERE status = 'pending' AND created_at > $1;
SELECT * FROM orders WHERE created_at > $1 AND status = 'pending' AND total > 0;
SELECT id FROM products WHERE lower(title) = $1;
SELECT id FROM products WHERE sku = $1;
SELECT id FROM products WHERE tags @> ARRAY['red'];
SELECT id FROM products WHERE title LIKE 'abc%';
SELECT id FROM events WHERE created_at >= now() - interval '1 day';
-- Stays silent: nothing an index could use.
SELECT * FROM users;
SELECT * FROM users WHERE country <> 'FR';
SELECT * FROM users WHERE name LIKE '%son';
SELECT * FROM users WHERE score * 2 > $1;
SELECT * FROM users WHERE created_at::date = current_date;
SELECT * FROM users WHERE random() < 0.1;
SELECT * FROM users WHERE country = 'FR' OR score > 10;
SELECT * FROM unknown_table WHERE x = 1;
INSERT INTO events (user_id, kind) VALUES ($1, $2);

-- Partial indexes serve the queries whose filters imply their predicate.
SELECT id FROM orders WHERE shipped_at IS NULL AND user_id = $1;
SELECT id FROM orders WHERE user_id = 5 AND total > 3 AND shipped_at IS NULL;
SELECT id FROM orders WHERE total >= 5000 AND created_at > $1;
SELECT id FROM orders WHERE total BETWEEN 2000 AND 3000 AND created_at > $1;
-- ... and only those.
SELECT id FROM orders WHERE shipped_at IS NOT NULL AND user_id = $1; -- want `no index of orders serves .*user_id = \$1`
SELECT id FROM orders WHERE total >= 500 AND created_at > $1; -- want `no index of orders serves total >= 500 AND created_at > \$1`
SELECT id FROM orders WHERE total >= $2 AND created_at > $1; -- want `no index of orders serves`

-- A partitioned table, which refuses CONCURRENTLY: the index is built
-- CONCURRENTLY on each partition, created ON ONLY the parent, attached.
SELECT * FROM measurements WHERE sensor_id = $1; -- want `no index of measurements serves sensor_id = \$1` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS measurements_2024_sensor_id_idx ON measurements_2024 \(sensor_id\);\nCREATE INDEX IF NOT EXISTS measurements_sensor_id_idx ON ONLY measurements \(sensor_id\);\nALTER INDEX measurements_sensor_id_idx ATTACH PARTITION measurements_2024_sensor_id_idx;$` help:`cannot build an index CONCURRENTLY on a partitioned table`
