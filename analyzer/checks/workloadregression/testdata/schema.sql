CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE INDEX users_email ON users (email);
