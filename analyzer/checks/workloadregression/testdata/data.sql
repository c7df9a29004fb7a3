INSERT INTO users SELECT g, 'user' || g || '@example.com', 'name ' || g FROM generate_series(1, 50000) g;
