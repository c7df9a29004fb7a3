ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE users DROP COLUMN name;
CREATE TABLE payments (id serial PRIMARY KEY, order_id bigint REFERENCES orders, at timestamp);
