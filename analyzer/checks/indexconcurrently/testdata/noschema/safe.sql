CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX orders_user ON orders (user_id);
CREATE INDEX CONCURRENTLY users_email ON users (email);
