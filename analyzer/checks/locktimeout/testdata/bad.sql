CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN name text; -- want "ALTER TABLE locks existing table users with no lock_timeout set"
ALTER TABLE users ADD COLUMN age int;
