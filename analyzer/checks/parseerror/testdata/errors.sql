-- Good statements around bad ones: each bad one is reported where the
-- parser stopped, and the others are not.
SELECT 1;

SELEC id FROM users; -- want `^syntax error at or near "SELEC"$`

SELECT id, name
  FROM users
 WHER id = 1; -- want `syntax error at or near "id"`

INSERT INTO users (id) VALUES (1);

CREATE TABLE t (id int,); -- want `syntax error at or near "\)"`

-- A multibyte identifier before the error must not shift the column.
SELECT "naïve", 'été' FROM t WHERE x = = 1; -- want `syntax error at or near "="`

UPDATE users SET name = 'x' WHERE id = 1;
