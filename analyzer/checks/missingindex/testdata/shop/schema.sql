CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    email       varchar(255) NOT NULL,
    name        text NOT NULL,
    country     char(2),
    active      boolean NOT NULL DEFAULT true,
    score       integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE orders (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    status      text NOT NULL DEFAULT 'pending',
    total       numeric(12,2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    shipped_at  timestamptz
);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);
CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending';
CREATE INDEX orders_unshipped_idx ON orders (user_id) WHERE shipped_at IS NULL;
CREATE INDEX orders_big_idx ON orders (created_at) WHERE total >= 1000;

CREATE TABLE products (
    id          bigserial PRIMARY KEY,
    sku         text NOT NULL,
    title       text NOT NULL,
    price       numeric(10,2) NOT NULL,
    tags        text[] NOT NULL DEFAULT '{}',
    attrs       jsonb
);
CREATE INDEX products_sku_hash ON products USING hash (sku);
CREATE INDEX products_tags_idx ON products USING gin (tags);
CREATE INDEX products_title_pattern_idx ON products (title text_pattern_ops);
CREATE INDEX products_lower_title_idx ON products (lower(title));

CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    user_id     bigint,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_created_brin ON events USING brin (created_at);

CREATE VIEW active_users AS SELECT id, email, country FROM users WHERE deleted_at IS NULL;

CREATE TABLE tickets (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    status      text NOT NULL,
    priority    integer NOT NULL,
    assignee_id bigint,
    opened_at   timestamptz NOT NULL
);
CREATE INDEX tickets_status_idx ON tickets (status);
CREATE INDEX tickets_opened_idx ON tickets (opened_at);
CREATE INDEX tickets_assignee_priority_idx ON tickets (assignee_id, priority);

CREATE TABLE measurements (
    sensor_id   bigint NOT NULL,
    at          timestamptz NOT NULL,
    value       double precision
) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
