CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL);
ALTER TABLE users ADD COLUMN seen_at timestamp(3) with time zone;
