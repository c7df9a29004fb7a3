CREATE TABLE users (id bigint PRIMARY KEY, email text, n int);
CREATE TABLE empty (id bigint PRIMARY KEY, n int);
