SELECT id, email FROM users WHERE email = $1;
UPDATE users SET nickname = $1 WHERE id = $2;
INSERT INTO audit (id, note) VALUES ($1, $2);
