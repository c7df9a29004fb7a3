ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id); -- want "adding foreign key orders_user_fk to existing table orders without NOT VALID" fix:"NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;"
ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18); -- want "adding CHECK constraint adult to existing table users"
