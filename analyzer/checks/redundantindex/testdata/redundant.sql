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
CREATE INDEX orders_created_desc_idx ON orders (created_at DESC); -- want `^index orders_created_desc_idx on orders \(created_at DESC\) is redundant: orders_created_id_idx \(created_at, id\) starts with the same keys in reverse order, and a B-tree is read both ways$`
CREATE INDEX orders_created_id_idx ON orders (created_at, id);
CREATE INDEX orders_ct_idx ON orders (created_at DESC, total); -- want `orders_ct_idx .* is redundant: orders_ct2_idx \(created_at, total DESC, id\)`
CREATE INDEX orders_ct2_idx ON orders (created_at, total DESC, id);

-- INCLUDE columns found among the wider index's keys.
CREATE INDEX orders_total_inc_idx ON orders (total) INCLUDE (status); -- want `orders_total_inc_idx`
CREATE INDEX orders_total_status_idx ON orders (total, status);

-- NULLS order reversed with the direction.
CREATE INDEX orders_user_nf_idx ON orders (user_id NULLS FIRST); -- want `orders_user_nf_idx on orders \(user_id NULLS FIRST\) is redundant: orders_user_desc_nl_total_idx \(user_id DESC NULLS LAST, total DESC NULLS LAST\)`
CREATE INDEX orders_user_desc_nl_total_idx ON orders (user_id DESC NULLS LAST, total DESC NULLS LAST);

-- A partition's own index that leads an attached one.
CREATE TABLE log (id bigint, at date, kind text) PARTITION BY RANGE (at);
CREATE INDEX log_at_kind_idx ON log (at, kind);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX log_2024_at_idx1 ON log_2024 (at); -- want `log_2024_at_idx1 on log_2024 \(at\) is redundant: log_2024_at_kind_idx`
