-- Finds: ORDER BY a random value.
SELECT id, title FROM products ORDER BY random() LIMIT 1; -- want `^ORDER BY random\(\) computes a random value for every row and sorts them all` help:`TABLESAMPLE SYSTEM_ROWS`
SELECT id FROM products ORDER BY RANDOM(); -- want `ORDER BY random\(\)`
SELECT id FROM products ORDER BY pg_catalog.random() LIMIT 3; -- want `random\(\)`
SELECT id FROM products ORDER BY gen_random_uuid() LIMIT 3; -- want `gen_random_uuid\(\)`
SELECT id
FROM products
WHERE category = $1
ORDER BY random() -- want `ORDER BY random\(\)`
LIMIT 5;
SELECT * FROM (SELECT id FROM products ORDER BY random() LIMIT 10) p ORDER BY id; -- want `random\(\)`
SELECT id FROM products UNION ALL SELECT id FROM archived_products ORDER BY random() LIMIT 1; -- want `ORDER BY random\(\)`
SELECT id FROM products ORDER BY category, random() LIMIT 3; -- want `ORDER BY random\(\)`

-- Stays silent.
SELECT id FROM products ORDER BY id LIMIT 1;
SELECT id, random() AS r FROM products ORDER BY id;
SELECT id FROM products WHERE random() < 0.01;
SELECT id FROM products TABLESAMPLE SYSTEM (1);
SELECT id FROM products ORDER BY created_at DESC, id;
SELECT random_order FROM products ORDER BY random_order;
SELECT id, row_number() OVER (ORDER BY random()) FROM products;
SELECT id FROM products ORDER BY id, random() IS NULL;
-- A random value per row from a sample, not a sort of every row.
SELECT id FROM products TABLESAMPLE BERNOULLI (1) ORDER BY id LIMIT 5;
