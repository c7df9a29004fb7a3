CREATE TABLE users (id integer PRIMARY KEY, email varchar(100), price numeric(10,2), note text);
