CREATE TABLE users (
  id serial PRIMARY KEY, -- want "primary key users.id is serial: it runs out at 2,147,483,647"
  email text
);
CREATE TABLE tags (
  id integer, -- want "primary key tags.id is integer"
  PRIMARY KEY (id)
);
CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n bigserial); -- want "column notes.n is serial: prefer an identity column"
