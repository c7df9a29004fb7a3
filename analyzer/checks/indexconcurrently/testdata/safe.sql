CREATE INDEX CONCURRENTLY users_email ON users (email);
DROP INDEX CONCURRENTLY users_name;
-- A table created by the same migration is empty: no lock matters.
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX orders_user ON orders (user_id);
DROP INDEX orders_user;
