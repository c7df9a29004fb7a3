SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN name text;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
