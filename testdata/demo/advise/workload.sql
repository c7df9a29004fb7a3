-- The demo workload, run by make-log.sh through pgbench in extended
-- protocol mode (:variables become bind parameters in the log).
\set cid random(1, 5000)
\set uid random(1, 200000)
\set oid random(1, 1000000)
-- The latest orders of a customer: composite (customer_id, created_at DESC).
SELECT id, status, total, created_at FROM orders WHERE customer_id = :cid ORDER BY created_at DESC LIMIT 10;
-- Log-in by e-mail, whatever its case: expression index on lower(email).
SELECT id, name FROM customers WHERE lower(email) = 'customer' || :uid || '@example.com';
-- The oldest pending orders: partial index on created_at WHERE status = 'pending'.
SELECT id, customer_id, created_at FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50;
-- Already served by the primary key.
SELECT id, email FROM customers WHERE id = :uid;
UPDATE orders SET total = total WHERE id = :oid;
