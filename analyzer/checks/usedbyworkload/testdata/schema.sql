CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flag boolean, nickname text);
CREATE TABLE audit (id bigint PRIMARY KEY, note text);
CREATE TABLE old_stuff (id bigint PRIMARY KEY);
