-- Without a schema: NOT IN (SELECT ...) is always reported.
SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders); -- want `^id NOT IN \(SELECT \.\.\.\): NOT IN \(SELECT \.\.\.\) returns no row at all if the subquery yields a NULL$` help:`NOT EXISTS`
SELECT id FROM users WHERE id <> ALL (SELECT user_id FROM orders); -- want `NOT IN \(SELECT`
SELECT id FROM users u WHERE u.country = 'FR' AND (u.id NOT IN (SELECT user_id FROM bans) OR u.admin); -- want `NOT IN \(SELECT`
SELECT id
FROM users
WHERE created_at > $1
  AND id NOT IN ( -- want `NOT IN \(SELECT`
    SELECT user_id FROM orders WHERE status = 'paid');
SELECT (SELECT count(*) FROM t WHERE t.x NOT IN (SELECT y FROM s)) FROM users; -- want `NOT IN \(SELECT`
DELETE FROM users WHERE id NOT IN (SELECT user_id FROM orders); -- want `NOT IN \(SELECT`

-- A NULL in a NOT IN list: never true.
SELECT id FROM users WHERE country NOT IN ('FR', NULL); -- want `NOT IN list containing NULL matches no row`

-- Stays silent.
SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);
SELECT id FROM users WHERE id IN (SELECT user_id FROM orders);
SELECT id FROM users WHERE country NOT IN ('FR', 'DE');
SELECT id FROM users WHERE id NOT IN (1, 2, 3);
SELECT id FROM users WHERE id <> ALL ($1::bigint[]);
SELECT id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.id IS NULL;
