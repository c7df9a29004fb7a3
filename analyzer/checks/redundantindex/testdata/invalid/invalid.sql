-- The test marks orders_status_created_idx invalid, as a failed CREATE
-- INDEX CONCURRENTLY leaves it: it serves nothing, so the shorter index
-- is needed.
CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);
-- A valid one next to it still makes the shorter one redundant.
CREATE INDEX orders_created_idx ON orders (created_at); -- want `orders_created_idx .* is redundant: orders_created_status_idx`
CREATE INDEX orders_created_status_idx ON orders (created_at, status);
