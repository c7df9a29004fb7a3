-- Queries of the release that adds payments.
SELECT id, amount FROM payments WHERE order_id = $1;
SELECT id, total FROM orders WHERE total > $1;
