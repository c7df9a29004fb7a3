-- Stays silent: the shorter index does something the wider one does not.
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    total numeric,
    UNIQUE (user_id)
);
-- The primary key and a unique constraint enforce uniqueness.
CREATE INDEX orders_id_created_idx ON orders (id, created_at);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at);
-- A unique index.
CREATE UNIQUE INDEX orders_total_key ON orders (total);
CREATE INDEX orders_total_status_idx ON orders (total, status);
-- Not a prefix: another leading column, or another order.
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_created_status_idx ON orders (created_at, status);
-- Mixed directions are not a reversed prefix.
CREATE INDEX orders_cs_idx ON orders (created_at DESC, status DESC);
CREATE INDEX orders_cs2_idx ON orders (created_at, status DESC, total);
-- Different predicates.
CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending';
CREATE INDEX orders_pending_total_idx ON orders (created_at, total) WHERE status = 'paid';
-- Different methods.
CREATE INDEX orders_status_hash ON orders USING hash (status);
-- INCLUDE columns the wider index lacks.
CREATE INDEX orders_user_inc_idx ON orders (created_at) INCLUDE (user_id);
-- Operator class.
CREATE INDEX orders_status_pattern_idx ON orders (status text_pattern_ops);
-- Reversed, but the NULLS order does not follow: (created_at, ...) read
-- backwards starts with created_at DESC NULLS FIRST.
CREATE INDEX orders_created_total_idx ON orders (created_at, total);
CREATE INDEX orders_created_desc_nl_idx ON orders (created_at DESC NULLS LAST);
-- An invalid wider index (left by a failed CREATE INDEX CONCURRENTLY)
-- serves nothing: see testdata/invalid.

-- An index attached to a partitioned index is dropped with its parent.
CREATE TABLE log (id bigint, at date, kind text) PARTITION BY RANGE (at);
CREATE INDEX log_at_idx ON log (at);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX log_2024_at_kind_idx ON log_2024 (at, kind);
