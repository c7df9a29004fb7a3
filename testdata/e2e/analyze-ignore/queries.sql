-- pgadvisor:ignore select-star the export needs every column, and new ones too
SELECT * FROM users;
SELECT * FROM orders;
DELETE FROM sessions; -- pgadvisor:ignore select-star wrong check here
