-- A statement cut short: the parser stops at the next statement.
SELECT 1;
SELECT id FROM
SELECT 2; -- want `syntax error at or near "SELECT"`
-- An unclosed parenthesis: psql, like pgadvisor, keeps reading the
-- statement to the end of the file, semicolons included.
SELECT id FROM users WHERE id IN (1, 2; -- want `syntax error at or near ";"`
SELECT 3;
