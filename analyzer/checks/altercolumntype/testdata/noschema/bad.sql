ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want `changing users.id to bigint rewrites existing table users .* unless the change is binary-compatible`
