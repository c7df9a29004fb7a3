CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX CONCURRENTLY users_email ON users (email);
