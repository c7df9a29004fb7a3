-- Finds: join keys to look up from a filtered table.
SELECT o.id, u.email
FROM users u
JOIN orders o ON o.user_id = u.id -- want `^no index of orders serves the join on user_id = u.id: each lookup into orders reads the whole table, or the join hashes all of it$` fix:`orders_user_id_idx ON orders \(user_id\) INCLUDE \(id\);$`
WHERE u.email = $1;
SELECT e.kind FROM users u, events e WHERE e.user_id = u.id AND u.id = $1; -- want `no index of events serves the join on user_id = u.id`

-- Stays silent: the join key is indexed, or nothing is filtered (a hash
-- join reads both tables whole anyway).
SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = $1;
SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id;
SELECT u.email FROM users u LEFT JOIN events e ON e.user_id = u.id;
