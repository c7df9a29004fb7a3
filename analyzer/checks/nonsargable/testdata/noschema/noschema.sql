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
