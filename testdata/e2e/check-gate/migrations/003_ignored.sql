SET lock_timeout = '3s';
-- pgadvisor:ignore index-without-concurrently orders is rebuilt in the maintenance window of 2024-06-01
CREATE INDEX orders_total ON orders (total);
