-- With a schema the message says whether the subquery column can be NULL.
SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders); -- want `^id NOT IN \(SELECT \.\.\.\): orders.user_id is NOT NULL, so the result is correct, but NOT IN cannot be planned as an anti-join`
SELECT id FROM users WHERE id NOT IN (SELECT coupon_user_id FROM orders); -- want `orders.coupon_user_id is nullable, so one NULL in it makes the query return no row at all`
SELECT id FROM users WHERE id NOT IN (SELECT o.user_id FROM orders o WHERE o.id > 10); -- want `orders.user_id is NOT NULL`
SELECT id FROM users WHERE id NOT IN (SELECT referrer_id FROM users); -- want `users.referrer_id is nullable`
-- An expression in the subquery: nothing known about NULLs.
SELECT id FROM users WHERE id NOT IN (SELECT coalesce(user_id, 0) FROM orders); -- want `returns no row at all if the subquery yields a NULL`

-- Stays silent.
SELECT id FROM users u WHERE NOT EXISTS (SELECT FROM orders o WHERE o.user_id = u.id);
