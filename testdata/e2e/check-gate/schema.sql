CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric(10,2));
CREATE INDEX orders_user_id ON orders (user_id);
