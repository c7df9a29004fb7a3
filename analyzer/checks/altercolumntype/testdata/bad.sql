ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want "changing users.id from integer to bigint rewrites existing table users"
ALTER TABLE users ALTER COLUMN email TYPE varchar(50); -- want `from character varying\(100\) to character varying\(50\)`
ALTER TABLE users ALTER COLUMN note TYPE text USING trim(note); -- want "from text to text"
