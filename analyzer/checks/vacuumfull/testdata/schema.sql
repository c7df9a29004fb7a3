CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX users_email ON users (email);
