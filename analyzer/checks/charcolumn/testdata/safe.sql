CREATE TABLE countries (
  code text PRIMARY KEY CHECK (length(code) = 2),
  name varchar(100)
);
