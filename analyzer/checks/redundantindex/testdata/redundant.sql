-- Finds: an index whose keys lead another one.
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    total numeric
);
CREATE INDEX orders_status_idx ON orders (status); -- want `^index orders_status_idx on orders \(status\) is redundant: orders_status_created_idx \(status, created_at\) starts with the same keys$` fix:`^DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;$`
CREATE INDEX orders_status_created_idx ON orders (status, created_at);

-- The shortest covering index is named.
CREATE INDEX orders_user_idx ON orders (user_id); -- want `orders_user_idx .* is redundant: orders_user_created_idx`
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at); -- want `orders_user_created_idx .* is redundant: orders_user_created_total_idx`
CREATE INDEX orders_user_created_total_idx ON orders (user_id, created_at, total); -- want `orders_user_created_total_idx`
CREATE INDEX orders_user_created_total_status_idx ON orders (user_id, created_at, total, status);

-- A prefix scanned backwards is still a prefix.
CREATE INDEX orders_created_desc_idx ON orders (created_at DESC); -- want `orders_created_desc_idx .* is redundant: orders_created_id_idx`
CREATE INDEX orders_created_id_idx ON orders (created_at, id);
CREATE INDEX orders_ct_idx ON orders (created_at DESC, total); -- want `orders_ct_idx .* is redundant: orders_ct2_idx \(created_at, total DESC, id\)`
CREATE INDEX orders_ct2_idx ON orders (created_at, total DESC, id);

-- INCLUDE columns found among the wider index's keys.
CREATE INDEX orders_total_inc_idx ON orders (total) INCLUDE (status); -- want `orders_total_inc_idx`
CREATE INDEX orders_total_status_idx ON orders (total, status);
