-- Finds: a function or cast hides an indexed column.
SELECT id FROM users WHERE lower(email) = lower($1); -- want `^lower\(email\) = lower\(\$1\): the function call on email keeps PostgreSQL from using index users_email_key \(email\)$` help:`CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_idx ON users \(lower\(email\)\)`
SELECT id FROM users WHERE created_at::date = current_date; -- want `the cast of created_at keeps PostgreSQL from using index users_created_at_idx` help:`(?i)created_at >= current_date AND created_at < current_date \+ 1$`
SELECT id FROM users WHERE date_trunc('day', created_at) = $1; -- want `the function call on created_at` help:`created_at >= \$1 AND created_at < \$1 \+ interval '1 day'`
SELECT id FROM users WHERE upper(email) LIKE 'A%'; -- want `function call on email`
SELECT u.id
FROM users u
JOIN products p ON p.id = u.id
WHERE p.price > 10
  AND CAST(u.created_at AS date) > $1; -- want `cast of created_at`
SELECT id FROM users WHERE id::text = $1; -- want `cast of id keeps PostgreSQL from using index users_pkey \(id\)`
SELECT id FROM users WHERE coalesce(lower(email), '') = $1; -- want `expression around email`

-- Leading wildcards.
SELECT id FROM products WHERE title LIKE '%' || $1 || '%'; -- want `^title LIKE .*: a pattern that starts with a wildcard cannot use a B-tree index` help:`CREATE INDEX CONCURRENTLY products_title_trgm_idx ON products USING gin \(title gin_trgm_ops\)`
SELECT id FROM products WHERE sku ILIKE '%-blue'; -- want `sku ILIKE` help:`^for substring search, use a trigram index: CREATE INDEX`

-- Arithmetic on the column side.
SELECT id FROM products WHERE price * 1.2 > $1; -- want `^\(?price \* 1.2\)? > \$1: arithmetic on the column side keeps PostgreSQL from using any index on price$` help:`price > \$1 / 1.2$`

-- An expression index that matches serves the expression; one on
-- another expression does not.
SELECT id FROM sessions WHERE started_at::date = $1;
SELECT id FROM sessions WHERE date_trunc('day', started_at) = $1; -- want `the function call on started_at keeps PostgreSQL from using index sessions_started_idx \(started_at\)`
SELECT id FROM sessions WHERE CAST(started_at AS date) BETWEEN $1 AND $2;
-- A column that is not the first key of any index is named only when
-- the keys before it are fixed by equality.
SELECT id FROM sessions WHERE user_id = $1 AND ended_at::date = $2; -- want `the cast of ended_at keeps PostgreSQL from using index sessions_user_ended_idx \(user_id, ended_at\)`
SELECT s.id FROM users u JOIN sessions s ON s.user_id = $1 AND s.ended_at::date = current_date; -- want `cast of ended_at`

-- Stays silent.
SELECT id FROM users WHERE email = lower($1);
SELECT id FROM sessions WHERE ended_at::date = $1;
SELECT id FROM sessions WHERE user_id > $1 AND ended_at::date = $2;
SELECT id FROM sessions WHERE user_id = $1 OR ended_at::date = $2;
SELECT id FROM sessions WHERE lower(token) = $1;
SELECT id FROM sessions WHERE random() > 0.5;
SELECT id FROM users WHERE lower(name) = $1;
SELECT id FROM users WHERE created_at >= current_date AND created_at < current_date + 1;
SELECT id FROM users WHERE lower(country) = 'fr';
SELECT id FROM users WHERE deleted_at::date = current_date;
SELECT id FROM products WHERE description ILIKE '%' || $1 || '%';
SELECT id FROM products WHERE title LIKE 'abc%';
SELECT id FROM products WHERE title LIKE $1;
SELECT id FROM products WHERE price > $1 / 1.2;
SELECT lower(email) FROM users WHERE id = $1;
SELECT id FROM users ORDER BY lower(email) LIMIT 10;
