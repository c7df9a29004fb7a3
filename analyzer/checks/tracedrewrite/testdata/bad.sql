ALTER TABLE users ALTER COLUMN n TYPE bigint; -- want `the statement rewrote table users \(5000 rows\) in [0-9.]+ ms`
VACUUM FULL users; -- want "rewrote table users"
