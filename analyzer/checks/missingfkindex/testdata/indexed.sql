-- Stays silent: every foreign key leads an index.
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users
);
CREATE INDEX orders_user_id_idx ON orders (user_id);

-- The primary key leads with the foreign key.
CREATE TABLE order_items (
    order_id bigint REFERENCES orders,
    line int,
    PRIMARY KEY (order_id, line)
);

-- A two-column key indexed in the other order.
CREATE TABLE shipments (
    order_id bigint,
    line int,
    FOREIGN KEY (order_id, line) REFERENCES order_items (order_id, line)
);
CREATE INDEX shipments_line_order_idx ON shipments (line, order_id, order_id);

-- A unique constraint, a hash index on a one-column key.
CREATE TABLE profiles (
    user_id bigint UNIQUE REFERENCES users
);
CREATE TABLE sessions (
    user_id bigint REFERENCES users
);
CREATE INDEX sessions_user_hash ON sessions USING hash (user_id);

-- A self reference through the primary key.
CREATE TABLE nodes (
    id bigint PRIMARY KEY REFERENCES nodes
);

-- A partitioned table indexed on the parent: its partitions are too.
CREATE TABLE events (
    at date NOT NULL,
    user_id bigint REFERENCES users
) PARTITION BY RANGE (at);
CREATE INDEX events_user_idx ON events (user_id);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- A wider index leading with the foreign key, with INCLUDE columns.
CREATE TABLE likes (
    user_id bigint REFERENCES users,
    post_id bigint,
    at timestamptz
);
CREATE INDEX likes_user_post_idx ON likes (user_id, post_id) INCLUDE (at);
