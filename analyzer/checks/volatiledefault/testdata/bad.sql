ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid(); -- want `adding column token to existing table users with the volatile default gen_random_uuid\(\) rewrites`
ALTER TABLE users
  ADD COLUMN seq serial, -- want "serial column"
  ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY, -- want "identity column"
  ADD COLUMN lower_email text GENERATED ALWAYS AS (lower(email)) STORED; -- want "stored generated column"
ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT clock_timestamp(); -- want "clock_timestamp"
