ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id); -- want "adding PRIMARY KEY to existing table users builds its index" fix:`CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users \(id\);\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;`
ALTER TABLE users ADD UNIQUE (email); -- want "adding UNIQUE to existing table users"
