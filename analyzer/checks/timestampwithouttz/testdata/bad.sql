CREATE TABLE events (id bigint PRIMARY KEY, at timestamp NOT NULL); -- want "column events.at is timestamp without time zone"
ALTER TABLE users ADD COLUMN seen_at timestamp(3); -- want "column users.seen_at is timestamp without time zone"
