CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));
