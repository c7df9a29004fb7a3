-- Finds: * in the result.
SELECT * FROM orders; -- want `^SELECT \* returns every column of orders$`
SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id; -- want `^SELECT o\.\* returns every column of orders$`
SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1; -- want `every column of orders and users`
SELECT id FROM orders UNION ALL SELECT * FROM archived_orders; -- want `every column of archived_orders`
WITH recent AS (SELECT id, total FROM orders WHERE created_at > now() - interval '1 day')
SELECT * FROM recent; -- want `every column of recent`
SELECT
  * -- want `SELECT \*`
FROM orders
WHERE id = 1;

-- Stays silent.
SELECT id, total FROM orders;
SELECT count(*) FROM orders;
SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id);
SELECT t.id FROM (SELECT * FROM orders) t;
WITH o AS (SELECT * FROM orders) SELECT id FROM o;
INSERT INTO archived_orders SELECT * FROM orders WHERE created_at < $1;
DELETE FROM orders WHERE id = $1 RETURNING *;
SELECT '*' AS star, 2 * 3 AS six FROM orders;
-- Statements that run a SELECT * without returning it to an application.
CREATE VIEW all_orders AS SELECT * FROM orders;
EXPLAIN SELECT * FROM orders;
COPY (SELECT * FROM orders) TO STDOUT;
CREATE TABLE orders_copy AS SELECT * FROM orders;
SELECT count(*) FILTER (WHERE total > 0) FROM orders;
