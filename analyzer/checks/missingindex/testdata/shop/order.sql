-- Finds: ORDER BY ... LIMIT with no index in that order.
SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET 10000; -- want `^no index of orders serves ORDER BY created_at DESC LIMIT: every row is read and sorted to return the first ones$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders \(created_at DESC\);$`
SELECT id FROM users ORDER BY score DESC, id LIMIT 10; -- want `ORDER BY score DESC, id LIMIT` fix:`users_score_id_idx ON users \(score DESC, id\)`
SELECT id, status, total, created_at
FROM orders
WHERE user_id = $1 -- want `no index of orders serves user_id = \$1` fix:`orders_user_id_created_at_idx ON orders \(user_id, created_at DESC\);$`
ORDER BY created_at DESC
LIMIT 20;
SELECT id FROM users ORDER BY lower(name) LIMIT 5; -- want `ORDER BY lower\(name\) LIMIT` fix:`ON users \(lower\(name\)\)`

-- Stays silent: an index returns the order, or there is no LIMIT.
SELECT * FROM orders ORDER BY id DESC LIMIT 10;
SELECT * FROM orders WHERE status = $1 ORDER BY created_at LIMIT 10;
SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 10;
SELECT * FROM orders WHERE status = $1 ORDER BY status, created_at LIMIT 10;
SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 10;
SELECT * FROM orders ORDER BY created_at DESC;
SELECT id FROM products ORDER BY random() LIMIT 1;
SELECT status, count(*) FROM orders GROUP BY status ORDER BY count(*) DESC LIMIT 3;
SELECT email FROM users ORDER BY email LIMIT 10;
-- A BRIN index does not return rows in order.
SELECT * FROM events ORDER BY created_at DESC LIMIT 10; -- want `no index of events serves ORDER BY created_at DESC LIMIT`

-- A subset filter (boolean, IS NULL) with ORDER BY ... LIMIT: the order
-- matters; an index in that order serves it.
SELECT id FROM users WHERE active ORDER BY name LIMIT 10; -- want `^no index of users serves WHERE active ORDER BY name LIMIT: every row is read and sorted` fix:`users_name_idx ON users \(name\) WHERE active;$`
SELECT * FROM users WHERE deleted_at IS NULL ORDER BY email LIMIT 5;
-- A selective filter must be served itself: walking the email index
-- would read every row of the other countries first.
SELECT * FROM users WHERE country = $1 ORDER BY email LIMIT 5; -- want `no index of users serves country = \$1` fix:`users_country_email_idx ON users \(country, email\);$`
-- A subset filter alone.
SELECT id FROM users WHERE deleted_at IS NULL; -- want `no index of users serves deleted_at IS NULL` fix:`users_deleted_at_idx ON users \(deleted_at\)`
