-- Without a schema: only what is wrong whatever the indexes.
SELECT id FROM products WHERE title LIKE '%shoe%'; -- want `title LIKE '%shoe%': a pattern that starts with a wildcard` help:`CREATE EXTENSION pg_trgm`
SELECT id FROM products WHERE title NOT LIKE 'a%' AND title LIKE '_bc'; -- want `title LIKE '_bc'`
SELECT id FROM products WHERE price * 2 > $1; -- want `arithmetic on the column side` help:`price > \$1 / 2$`
SELECT id FROM products WHERE price / 2 <= 10; -- want `arithmetic` help:`price <= 10 \* 2$`
SELECT id FROM products WHERE 2 * price = $1; -- want `arithmetic` help:`price = \$1 / 2$`
SELECT id FROM products WHERE price - 5 < $1; -- want `arithmetic` help:`price < \$1 \+ 5$`
SELECT id FROM products WHERE price * $2 > $1; -- want `arithmetic` help:`price > \$1 / \$2 \(reverse the comparison if the factor can be negative\)`
SELECT id FROM events WHERE created_at + interval '1 day' > now(); -- want `arithmetic` help:`created_at > now\(\) - '1 day'::interval$`
SELECT o.id
FROM orders o JOIN users u ON u.id = o.user_id
WHERE o.total * 100 >= $1; -- want `o.total \* 100|total \* 100`

-- Stays silent.
SELECT id FROM users WHERE lower(email) = $1;
SELECT id FROM products WHERE price > $1 * 2;
SELECT id FROM products WHERE price * quantity > $1;
SELECT id FROM products WHERE title LIKE 'shoe%';
SELECT price * 2 FROM products WHERE id = 1;
SELECT id FROM products ORDER BY price * 2 LIMIT 3;

-- Casts of the column side, whatever the indexes: the range rewrite.
SELECT id FROM orders WHERE created_at::date = current_date; -- want `^created_at::date = current_date: the cast of created_at keeps PostgreSQL from using an index on created_at$` help:`(?i)^compare the column itself with a range: created_at >= current_date AND created_at < current_date \+ 1$`
SELECT id FROM orders WHERE date(created_at) = $1; -- want `function call on created_at` help:`created_at >= \$1 AND created_at < \$1 \+ interval '1 day'$`
SELECT id FROM orders WHERE CAST(created_at AS date) >= current_date - 7; -- want `cast of created_at` help:`(?i)created_at >= \(current_date - 7\)$`
SELECT id FROM orders WHERE created_at::date <= '2024-01-31'::date; -- want `cast of created_at` help:`(?i)created_at < '2024-01-31'::date \+ 1$`
SELECT id FROM orders WHERE o_id::text = $1; -- want `cast of o_id keeps PostgreSQL from using an index on o_id` help:`o_id = \$1::<type of o_id>`
SELECT id FROM orders WHERE created_at::date = updated_at::date;
SELECT id FROM orders WHERE lower(email) = 'a';
