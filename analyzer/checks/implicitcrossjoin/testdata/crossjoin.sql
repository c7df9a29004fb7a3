-- Finds: FROM items no condition links.
SELECT u.email, o.total FROM users u, orders o WHERE o.status = 'paid'; -- want `^no join condition links orders o to users u: every row of one is paired with every row of the other`
SELECT * FROM users, orders; -- want `no join condition links orders to users`
SELECT *
FROM users u,
     orders o, -- want `links orders o and order_items i to users u`
     order_items i
WHERE i.order_id = o.id;
SELECT * FROM users u JOIN orders o ON o.user_id = u.id, products p WHERE p.price > 10; -- want `links products p to users u and orders o`
SELECT * FROM users u JOIN orders o ON o.status = 'paid'; -- want `links orders o to users u`
UPDATE orders SET total = p.price FROM products p WHERE p.id = $1; -- want `links products p to orders`
SELECT * FROM a, b, c WHERE a.id = b.id; -- want `links c to a and b`
-- Both sides filtered by the same constant: still not linked.
SELECT * FROM users u, orders o WHERE u.id = 7 AND o.user_id = 7; -- want `links orders o to users u`
DELETE FROM orders USING users u WHERE u.banned; -- want `links users u to orders`
SELECT * FROM users u, (SELECT * FROM orders WHERE total > 100) big; -- want `links subquery big to users u`
SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o, order_items i WHERE o.user_id = u.id); -- want `links order_items i to orders o`

-- Stays silent.
SELECT * FROM users u, orders o WHERE o.user_id = u.id;
SELECT * FROM users u, orders o WHERE o.user_id = u.id OR o.referrer_id = u.id;
SELECT * FROM a, b, c WHERE a.id = b.id AND c.b_id = b.id;
SELECT * FROM users u CROSS JOIN orders o;
SELECT * FROM users u JOIN orders o USING (id);
SELECT * FROM users u NATURAL JOIN orders o;
SELECT * FROM users u LEFT JOIN orders o ON o.status = 'paid';
SELECT * FROM users u JOIN LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id LIMIT 3) o ON true;
SELECT * FROM users u, LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id) o;
SELECT * FROM users u, unnest(u.tags) AS t(tag);
SELECT * FROM users u, generate_series(1, 3) g;
SELECT * FROM users u, (VALUES (1), (2)) v(x);
SELECT u.id, u.score / s.total FROM users u, (SELECT sum(score) AS total FROM users) s;
WITH params AS (SELECT $1::int AS min_score) SELECT u.id FROM users u, params p WHERE u.score > p.min_score;
SELECT * FROM users u, orders o WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.user_id = u.id);
SELECT * FROM users u JOIN orders o ON true;
SELECT * FROM users;
-- The join condition written in WHERE, possibly with expressions or in
-- an OR.
SELECT * FROM users u, orders o WHERE o.user_id + 0 = u.id AND o.total > 10;
SELECT * FROM users u, orders o WHERE lower(o.email) = lower(u.email);
DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.banned;
UPDATE orders o SET total = 0 FROM users u WHERE u.id = o.user_id;
-- LATERAL items: correlated to the items before them.
SELECT * FROM users u CROSS JOIN LATERAL (SELECT max(total) AS m FROM orders o WHERE o.user_id = u.id) last;
SELECT * FROM users u, ROWS FROM (generate_series(1, 3)) AS g(n);
