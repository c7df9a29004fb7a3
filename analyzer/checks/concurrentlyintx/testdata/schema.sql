CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
CREATE INDEX users_name ON users (name);
