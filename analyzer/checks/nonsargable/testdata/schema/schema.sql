CREATE TABLE users (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL,
    name text NOT NULL,
    country char(2),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_lower_name_idx ON users (lower(name));

CREATE TABLE products (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    sku text NOT NULL,
    price numeric(10,2) NOT NULL,
    description text
);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_description_trgm_idx ON products USING gin (description gin_trgm_ops);
CREATE INDEX products_sku_idx ON products (sku);

CREATE TABLE sessions (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    token text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz
);
CREATE INDEX sessions_started_idx ON sessions (started_at);
CREATE INDEX sessions_started_day_idx ON sessions ((started_at::date));
CREATE INDEX sessions_user_ended_idx ON sessions (user_id, ended_at);
