SELECT id, name FROM users WHERE email = $1;
SELECT name FROM users WHERE id = 42;
