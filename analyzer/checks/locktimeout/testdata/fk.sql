CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users); -- want "CREATE TABLE locks existing table users"
