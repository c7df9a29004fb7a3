-- A report the workload runs now and then: 90 % of orders are
-- delivered, so no index helps it.
SELECT count(*), sum(total) FROM orders WHERE status = 'delivered';
