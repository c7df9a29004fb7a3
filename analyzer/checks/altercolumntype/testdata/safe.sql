ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
ALTER TABLE users ALTER COLUMN email TYPE text;
ALTER TABLE users ALTER COLUMN price TYPE numeric(12,2);
CREATE TABLE orders (id integer PRIMARY KEY);
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
