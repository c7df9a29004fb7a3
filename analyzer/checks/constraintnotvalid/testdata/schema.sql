CREATE TABLE users (id bigint PRIMARY KEY, email text, age int);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
