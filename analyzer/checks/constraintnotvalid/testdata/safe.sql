ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT adult;
CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint);
ALTER TABLE items ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
