ALTER TABLE users
  ADD COLUMN email text,
  ADD COLUMN name tetx garbage;
