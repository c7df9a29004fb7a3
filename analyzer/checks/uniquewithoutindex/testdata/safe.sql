CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
CREATE TABLE orders (id bigint, code text);
ALTER TABLE orders ADD PRIMARY KEY (id);
