ALTER TABLE users DROP COLUMN email; -- want `dropping column users.email breaks the workload query at testdata/workload.sql:1: SELECT id, email FROM users WHERE email = \$1`
ALTER TABLE users RENAME COLUMN nickname TO display_name; -- want "renaming column users.nickname breaks the workload query at testdata/workload.sql:2"
DROP TABLE audit; -- want "dropping table audit breaks the workload query at testdata/workload.sql:3"
