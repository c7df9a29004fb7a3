SELECT id, total FROM orders WHERE user_id = $1;
SELECT id, name FROM users WHERE email = $1;
