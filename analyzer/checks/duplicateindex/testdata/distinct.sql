-- Stays silent: indexes that differ in something that matters.
CREATE TABLE events (
    id bigint PRIMARY KEY,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamptz NOT NULL,
    tags text[]
);
CREATE INDEX events_created_at_idx ON events (created_at);
-- Reversed, but the NULLS order does not reverse with it: (created_at)
-- read backwards is (created_at DESC NULLS FIRST).
CREATE INDEX events_created_at_desc_nl_idx ON events (created_at DESC NULLS LAST);
CREATE INDEX events_created_at_brin ON events USING brin (created_at);
CREATE INDEX events_user_kind_idx ON events (user_id, kind);
CREATE INDEX events_kind_user_idx ON events (kind, user_id);
-- Only one of two keys reversed: another order.
CREATE INDEX events_user_desc_kind_idx ON events (user_id DESC, kind);
CREATE INDEX events_kind_pattern_idx ON events (kind text_pattern_ops);
CREATE INDEX events_kind_c_idx ON events (kind COLLATE "C");
CREATE INDEX events_kind_lower_idx ON events (lower(kind));
CREATE INDEX events_kind_upper_idx ON events (upper(kind));
CREATE INDEX events_recent_idx ON events (created_at) WHERE user_id IS NOT NULL;
CREATE INDEX events_user_idx ON events (user_id) INCLUDE (kind);
CREATE INDEX events_user_plain_idx ON events (user_id);
CREATE INDEX events_tags_idx ON events USING gin (tags);
CREATE INDEX events_id_hash ON events USING hash (id);

-- Partitions: the index PostgreSQL creates on each partition for the
-- parent's index is not a duplicate of it.
CREATE TABLE log (id bigint, at date) PARTITION BY RANGE (at);
CREATE INDEX log_at_idx ON log (at);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
