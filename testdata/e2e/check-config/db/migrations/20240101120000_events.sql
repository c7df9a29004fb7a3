CREATE TABLE events (id serial PRIMARY KEY, user_id bigint REFERENCES users, at timestamp);
CREATE INDEX events_user_id ON events (user_id);
