ALTER TABLE users DROP COLUMN email; -- want `dropping column users.email breaks the workload query at testdata/noschema/workload.sql:1`
DROP TABLE audit; -- want "dropping table audit breaks the workload query at testdata/noschema/workload.sql:3"
