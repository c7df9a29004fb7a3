INSERT INTO users SELECT g, 'u' || g, g FROM generate_series(1, 5000) g;
