-- Data of the advisor demo: 200,000 customers and 1,000,000 orders
-- (placed by the first 5,000 customers, 200 each),
-- generated (deterministic: no random()), about 150 MB loaded.

INSERT INTO customers (id, email, name, country, created_at)
SELECT i,
       'Customer' || i || '@Example.com',
       'Customer ' || i,
       (ARRAY['FR','DE','US','GB','JP','BR','IN','ES'])[1 + i % 8],
       timestamptz '2020-01-01' + (i * interval '7 minutes')
FROM generate_series(1, 200000) AS i;

-- Statuses: 1 % pending, 4 % shipped, 5 % cancelled, 90 % delivered.
INSERT INTO orders (id, customer_id, status, total, created_at)
SELECT i,
       1 + (i::bigint * 7919) % 5000,
       CASE WHEN i % 100 = 0 THEN 'pending'
            WHEN i % 100 < 5 THEN 'shipped'
            WHEN i % 100 < 10 THEN 'cancelled'
            ELSE 'delivered' END,
       (i % 50000) / 100.0 + 5,
       timestamptz '2021-01-01' + (i * interval '90 seconds')
FROM generate_series(1, 1000000) AS i;
