VACUUM FULL users; -- want "VACUUM FULL rewrites the table"
VACUUM (FULL, ANALYZE) users; -- want "VACUUM FULL"
CLUSTER users USING users_email; -- want "CLUSTER rewrites the table"
