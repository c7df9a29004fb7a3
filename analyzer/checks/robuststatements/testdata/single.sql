-- One statement: it applies whole or not at all.
ALTER TABLE users ADD COLUMN name text;
