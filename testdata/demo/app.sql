-- Demo workload: queries an application sends. `make demo` analyzes them
-- against schema.sql.

-- Log-in: the unique index on email cannot serve lower(email).
SELECT id, name FROM users WHERE lower(email) = lower($1);

-- A user's recent orders: no index leads with orders.user_id.
SELECT id, status, total, created_at
FROM orders
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT 20;

-- Order page: joins on the primary keys are served.
SELECT o.id, o.total, i.quantity, p.title
FROM orders o
JOIN order_items i ON i.order_id = o.id
JOIN products p ON p.id = i.product_id
WHERE o.id = $1;

-- Products bought together: order_items.product_id leads no index.
SELECT i2.product_id, count(*)
FROM order_items i1
JOIN order_items i2 ON i2.order_id = i1.order_id AND i2.product_id <> i1.product_id
WHERE i1.product_id = $1
GROUP BY i2.product_id
ORDER BY count(*) DESC
LIMIT 10;

-- Search: a leading wildcard defeats any B-tree index.
SELECT id, title, price FROM products WHERE title LIKE '%' || $1 || '%';

-- Price filter with arithmetic on the column side.
SELECT id, title FROM products WHERE price * 1.2 > $1;

-- Admin listing: deep OFFSET pagination and SELECT *.
SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET 10000;

-- Users without orders, written with NOT IN.
SELECT id, email FROM users WHERE id NOT IN (SELECT user_id FROM orders);

-- A random product.
SELECT id, title FROM products ORDER BY random() LIMIT 1;

-- Forgotten join condition.
SELECT u.email, o.total FROM users u, orders o WHERE o.status = 'paid';

-- Events of the last day, by kind.
SELECT kind, count(*) FROM events WHERE created_at >= now() - interval '1 day' GROUP BY kind;

-- Clean-up job gone wrong.
DELETE FROM events;

UPDATE users SET deleted_at = now();

-- A typo the parser catches; analysis goes on after it.
SELEC id FROM users;

-- Daily orders for a country.
SELECT o.id, o.total
FROM orders o JOIN users u ON u.id = o.user_id
WHERE u.country = $1 AND o.created_at::date = current_date;
